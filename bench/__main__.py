"""Run every benchmark, print a table and write bench/results/latest.json.

Usage: ``make bench`` (or ``.venv/bin/python -m bench [--quick]``).
"""

from __future__ import annotations

import argparse
import json
import platform
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import cpython

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"


def format_table(rows: list[dict[str, Any]]) -> str:
    """A fixed-width text table of benchmark rows."""
    lines = [f"{'benchmark':<62} {'value':>12} {'unit':<16} ratio"]
    for row in rows:
        ratio = f"{row['ratio']:.2f} × {row['ratio_of']}" if "ratio" in row else ""
        lines.append(f"{row['benchmark']:<62} {row['value']:>12.2f} {row['unit']:<16} {ratio}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    args = parser.parse_args()
    repeat = 3 if args.quick else 7
    rows = cpython.run(ROOT / "data" / "rules.yaml", repeat=repeat)
    print(format_table(rows))
    RESULTS.mkdir(parents=True, exist_ok=True)
    report = {"date": datetime.now(UTC).isoformat(timespec="seconds"),
              "python": platform.python_version(), "rows": rows}
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
