"""The checker's Python start-up in Pyodide under Node, against another checkout's.

Usage: ``.venv/bin/python -m bench.checker_python [--vs DIR] [--runs N]``: writes this
checkout's checker zip and rules JSON (as the site ships them), and ``DIR``'s (another
clone of the repository, its code imported from there) when given, then runs
``bench/checker_python.mjs`` on them in turn. Prints medians and the ratio to the first.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WRITE = """
import sys
from rulebook.compile import compiled_json
from rulebook.loader import load_rules
from sitegen.browser_zip import checker_zip_bytes
zip_path, rules_path = sys.argv[1:]
open(zip_path, "wb").write(checker_zip_bytes())
open(rules_path, "w", encoding="utf-8").write(compiled_json(load_rules("data/rules.yaml").compiled))
"""


def artefacts(checkout: Path, work: Path, name: str) -> str:
    """``NAME=ZIP,RULES`` of ``checkout``'s checker (its own code imported)."""
    zip_path, rules_path = work / f"{name}.zip", work / f"{name}.json"
    subprocess.run([sys.executable, "-c", WRITE, str(zip_path), str(rules_path)],
                   cwd=checkout, env={"PYTHONPATH": str(checkout), "PATH": ""}, check=True)
    return f"{name}={zip_path},{rules_path}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vs", type=Path, help="another checkout, measured beside this one")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        specs = [artefacts(ROOT, Path(tmp), "this")]
        if args.vs:
            specs.append(artefacts(args.vs.resolve(), Path(tmp), "other"))
        subprocess.run(["node", str(ROOT / "bench" / "checker_python.mjs"), str(args.runs),
                        *specs], cwd=ROOT, check=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
