"""The checker's own Python runtime: a trimmed standard library of ``.pyc``.

Pyodide spends most of its start-up compiling standard-library source, and
ships 600 modules when the checker needs about 130. At build time, the pinned
npm Pyodide runs under Node (``pyodide_run.mjs``, offline):

1. *probe*: the worker's start-up (bootstrap, ``unpackArchive``, ``import
   checker``, ``checker.entry`` evaluations, the failure paths) on the full
   standard library, listing every module imported from it;
2. the probed list must equal ``runtime_modules.txt`` (committed, reviewed in
   diffs); otherwise the build stops with a French message naming the missing
   and extra modules and the command that rewrites the list
   (``make runtime-modules``);
3. *compile*: those modules' sources, compiled by Pyodide's own Python into
   unchecked hash-based ``.pyc`` (the bytecode must match the runtime's 3.14),
   zipped stored (deterministic);
4. *verify*: the same start-up again on the trimmed zip gives the same
   verdicts and imports the same modules.

Seconds of Node, so the result is kept in the build cache (``sitegen.build_cache``)
under a key made of everything it depends on: the Pyodide files, the checker's
sources, the module list, the runner and this module. The rules are not in the
key (an edit of the rules must not cost a Node run): the parity test runs every
case on the trimmed runtime.

Usage: ``python -m sitegen.runtime update`` rewrites ``runtime_modules.txt``
from a probe run (``make runtime-modules``).
"""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from checker.model import CompiledRules
from rulebook.answer_space import complete_profiles, periods
from sitegen.browser_zip import checker_zip_bytes, deterministic_zip
from sitegen.build_cache import digest, entry, write_folder

HERE = Path(__file__).resolve().parent
RUNNER = HERE / "pyodide_run.mjs"
STARTUP = HERE.parent / "docs" / "assets" / "checker" / "startup.mjs"  # RUNNER imports it
MODULES_FILE = HERE / "runtime_modules.txt"
# The npm files the runtime is made from (and a snapshot would depend on).
PYODIDE_INPUTS = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip",
                  "pyodide-lock.json")
CACHE_KIND = "runtime"  # the build cache's folder of trimmed runtimes
FIX_COMMAND = "make runtime-modules"
# Form strings as the page sends them, valid and not, beside the typed profiles.
PROBE_FORMS: tuple[dict[str, str], ...] = (
    {},
    {"role": "producer", "direct_seller": "true", "account": "discovery",
     "sales_outside_amap_eur": "1 250,50"},
    {"role": "producer", "direct_seller": "true", "account": "none",
     "sales_outside_amap_eur": "12abc"},
    {"role": "producer", "direct_seller": "peut-être"},
    {"role": "farmer", "colour": "blue"},
)


class RuntimeBuildError(Exception):
    """The trimmed runtime cannot be built; the message is French, for the build's output."""


@dataclass(frozen=True)
class Runtime:
    """The trimmed standard library and what it was made from."""

    stdlib_zip: bytes
    modules: tuple[str, ...]
    lock_info: Mapping[str, Any]

    @property
    def lock(self) -> dict[str, Any]:
        """The inline lock file: the runtime's ABI, no packages (one request fewer)."""
        return {"info": dict(self.lock_info), "packages": {}}


def probe_requests(compiled: CompiledRules) -> list[dict[str, Any]]:
    """Requests of ``checker.entry`` that take every path the page takes."""
    cases: list[dict[str, Any]] = []
    for period in periods(compiled):  # before, on and after every date of the rules
        day = period.sample
        cases += [{"as_of": day.isoformat(), "answers": answers}
                  for answers in complete_profiles(compiled, day)]
        cases += [{"as_of": day.isoformat(), "form": form} for form in PROBE_FORMS]
    cases.append({"answers": None})
    return cases


def read_module_list(path: Path = MODULES_FILE) -> tuple[str, ...]:
    """The committed module names (comments and blank lines ignored)."""
    lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
    return tuple(sorted(line.strip() for line in lines
                        if line.strip() and not line.startswith("#")))


def write_module_list(modules: Sequence[str], path: Path = MODULES_FILE) -> None:
    """Rewrite the committed list (``make runtime-modules``)."""
    header = (
        "# Standard-library modules of the checker's trimmed Python runtime (sitegen/runtime.py):\n"
        "# every module that Pyodide's bootstrap, the worker's start-up and checker.entry import\n"
        "# from python_stdlib.zip. Checked at every build; rewrite with: make runtime-modules\n"
    )
    path.write_text(header + "".join(f"{name}\n" for name in sorted(modules)), encoding="utf-8")


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        raise RuntimeBuildError("Node.js introuvable : il construit la bibliothèque Python du "
                            "vérificateur. Installez Node.js 20 puis lancez « make setup ».")
    return node


def _run_node(command: str, request: Mapping[str, Any], work: Path) -> dict[str, Any]:
    """One run of ``pyodide_run.mjs``; its JSON answer."""
    request_path = work / f"{command}-request.json"
    request_path.write_text(json.dumps(request), encoding="utf-8")
    result = subprocess.run([_node(), str(RUNNER), command, str(request_path)],
                            capture_output=True, text=True, timeout=600, check=False)
    if result.returncode != 0:
        raise RuntimeBuildError(
            f"Pyodide sous Node a échoué ({command}) :\n{result.stderr.strip()}")
    answer: dict[str, Any] = json.loads(result.stdout)
    return answer


@dataclass(frozen=True)
class Inputs:
    """Files of one start-up run, written once in a work directory."""

    pyodide: Path
    checker_zip: Path
    rules: Path
    cases: Path

    def run(self, work: Path, stdlib: Path | None = None,
            snapshot: bool = False) -> dict[str, Any]:
        """The worker's start-up on the full (``None``) or a trimmed standard library.

        ``snapshot``: the cases also run on an interpreter restored from a
        memory snapshot (``snapshot_verdicts``), as on a revisit of the page.
        """
        request: dict[str, Any] = {"pyodide": str(self.pyodide),
                                   "checker_zip": str(self.checker_zip),
                                   "rules": str(self.rules), "cases": str(self.cases),
                                   "snapshot": snapshot}
        if stdlib is not None:
            request["stdlib"] = str(stdlib)
        return _run_node("run", request, work)


def write_inputs(work: Path, pyodide: Path, checker_zip: bytes, rules_json: str,
                 cases: Sequence[Mapping[str, Any]]) -> Inputs:
    """Write the checker zip, the rules and the cases into ``work``."""
    paths = Inputs(pyodide, work / "checker.zip", work / "rules.json", work / "cases.json")
    paths.checker_zip.write_bytes(checker_zip)
    paths.rules.write_text(rules_json, encoding="utf-8")
    paths.cases.write_text(json.dumps(list(cases), ensure_ascii=False), encoding="utf-8")
    return paths


def stale_message(probed: set[str], listed: set[str]) -> str:
    """French report of a module list that no longer matches what is imported."""
    lines = ["La bibliothèque Python allégée du vérificateur n'est plus à jour "
             f"({MODULES_FILE.name} ne correspond plus aux modules importés)."]
    if probed - listed:
        lines.append("Modules importés mais absents de la liste : "
                     + ", ".join(sorted(probed - listed)) + ".")
    if listed - probed:
        lines.append("Modules listés mais plus importés : "
                     + ", ".join(sorted(listed - probed)) + ".")
    lines.append(f"Mettez la liste à jour avec « {FIX_COMMAND} », relisez le changement de "
                 f"sitegen/{MODULES_FILE.name} et ajoutez-le à votre commit.")
    return "\n".join(lines)


def probe(work: Path, inputs: Inputs) -> dict[str, Any]:
    """The start-up on the full standard library: verdicts and imported modules."""
    return inputs.run(work)


def compile_stdlib(work: Path, pyodide: Path, files: Sequence[str]) -> bytes:
    """The given standard-library files as ``.pyc`` compiled by Pyodide, in a stored zip."""
    answer = _run_node("compile", {"pyodide": str(pyodide), "files": sorted(files)}, work)
    return deterministic_zip(((name, base64.b64decode(data))
                              for name, data in answer["pyc"].items()), compress=False)


def build_runtime(pyodide: Path, compiled: CompiledRules, rules_json: str,
                  cache: Path, package_dir: Path | None = None,
                  modules_file: Path = MODULES_FILE) -> Runtime:
    """The trimmed runtime, from the cache or built (probe, check, compile, verify)."""
    checker_zip = checker_zip_bytes(package_dir)
    listed = read_module_list(modules_file)
    lock_info = json.loads((pyodide / "pyodide-lock.json").read_bytes())["info"]
    key = digest([*(pyodide / name for name in PYODIDE_INPUTS), checker_zip,
                  "\n".join(listed).encode(), RUNNER, STARTUP, Path(__file__)])
    kept = entry(cache, CACHE_KIND, key)
    if (kept / "stdlib.zip").is_file():
        return Runtime((kept / "stdlib.zip").read_bytes(), listed, lock_info)
    with tempfile.TemporaryDirectory(prefix="cagette-runtime-") as tmp:
        work = Path(tmp)
        inputs = write_inputs(work, pyodide, checker_zip, rules_json, probe_requests(compiled))
        full = probe(work, inputs)
        if set(full["modules"]) != set(listed):
            raise RuntimeBuildError(stale_message(set(full["modules"]), set(listed)))
        stdlib = compile_stdlib(work, pyodide, list(full["modules"].values()))
        (work / "stdlib.zip").write_bytes(stdlib)
        trimmed = inputs.run(work, work / "stdlib.zip")
        if trimmed["verdicts"] != full["verdicts"] or set(trimmed["modules"]) != set(listed):
            raise RuntimeBuildError(
                "La bibliothèque Python allégée ne donne pas les mêmes résultats que la "
                "bibliothèque complète : signalez-le aux développeurs.")
        write_folder(kept, {"stdlib.zip": stdlib,
                            "modules.json": json.dumps(full["modules"], indent=1).encode()})
    return Runtime(stdlib, listed, lock_info)


def update_module_list(root: Path) -> tuple[set[str], set[str]]:
    """Probe with the project's rules and rewrite the list; return (added, removed)."""
    from rulebook.compile import compiled_json
    from rulebook.loader import load_rules

    book = load_rules(root / "data" / "rules.yaml")
    pyodide = root / "node_modules" / "pyodide"
    with tempfile.TemporaryDirectory(prefix="cagette-runtime-") as tmp:
        work = Path(tmp)
        inputs = write_inputs(work, pyodide, checker_zip_bytes(), compiled_json(book.compiled),
                              probe_requests(book.compiled))
        probed = set(probe(work, inputs)["modules"])
    listed = set(read_module_list())
    write_module_list(sorted(probed))
    return probed - listed, listed - probed


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m sitegen.runtime update``: rewrite the module list from a probe run."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args != ["update"]:
        print("usage: python -m sitegen.runtime update", file=sys.stderr)
        return 2
    added, removed = update_module_list(Path.cwd())
    print(f"{MODULES_FILE.name}: {len(read_module_list())} modules; added: "
          f"{' '.join(sorted(added)) or '-'}; removed: {' '.join(sorted(removed)) or '-'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
