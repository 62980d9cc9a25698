"""Parity: the checker zip the site ships, run in the pinned npm Pyodide (Node,
offline) on the trimmed standard library the site ships, gives byte-for-byte
the verdicts of CPython; and that runtime is exactly the committed module list."""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from checker.entry import evaluate_request
from checker.model import CompiledRules
from rulebook.answer_space import complete_profiles, periods
from rulebook.compile import compiled_json
from rulebook.scenarios import load_scenarios
from sitegen.browser import PYODIDE_FILES, checker_artefacts, pyodide_version
from sitegen.browser_zip import checker_zip_bytes
from sitegen.build_cache import cache_root
from sitegen.runtime import (
    Runtime,
    RuntimeBuildError,
    build_runtime,
    probe_requests,
    read_module_list,
    write_inputs,
    write_module_list,
)

ROOT = Path(__file__).resolve().parent.parent
PYODIDE = ROOT / "node_modules" / "pyodide"
SCENARIOS = ROOT / "data" / "scenarios.yaml"

# Incomplete, invalid and hostile answer sets, beside the golden scenarios.
EXTRA_ANSWERS: list[Any] = [
    {},
    {"role": "producer"},
    {"role": "producer", "direct_seller": True},
    {"role": "coordinator"},
    {"role": "producer", "direct_seller": True, "account": "discovery",
     "sales_outside_amap_eur": -5},
    {"role": "producer", "direct_seller": True, "account": "none",
     "sales_outside_amap_eur": "beaucoup"},
    {"role": "producer", "direct_seller": "oui"},
    {"role": "farmer", "colour": "blue"},
    {"role": "coordinator", "group_mode": "amap", "sales_outside_amap_eur": 5000},
    {"role": "producer", "direct_seller": True, "account": "discovery",
     "sales_outside_amap_eur": 1e300},
    ["producer"],
    None,
]
# Form strings as the page and the URL send them (parsed by parse_form_answers).
FORMS: list[dict[str, str]] = [
    {"role": "producer", "direct_seller": "true", "account": "discovery",
     "sales_outside_amap_eur": "1 250,50"},
    {"role": "producer", "direct_seller": "true", "account": "none",
     "sales_outside_amap_eur": "1000 €"},
    {"role": "producer", "direct_seller": "true", "account": "invited",
     "sales_outside_amap_eur": "12abc"},
    {"role": "producer", "direct_seller": "peut-être"},
    {"role": "producer", "direct_seller": "true", "account": "trained",
     "manages_other_producers": "true"},
    {"role": "coordinator", "group_mode": "shop", "account": "pro"},
    {"role": "", "direct_seller": "false"},
]


def _cases(compiled: CompiledRules) -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = []
    if SCENARIOS.exists():
        cases += [{"name": s.name, "as_of": s.as_of.isoformat(), "answers": s.answers}
                  for s in load_scenarios(SCENARIOS, compiled)]
    days = [p.sample for p in periods(compiled)]  # before, on and after every date
    for day in days:
        as_of = day.isoformat()
        cases += [{"name": f"profil {i} au {as_of}", "as_of": as_of, "answers": answers}
                  for i, answers in enumerate(complete_profiles(compiled, day))]
        cases += [{"name": f"réponses {i} au {as_of}", "as_of": as_of, "answers": answers}
                  for i, answers in enumerate(EXTRA_ANSWERS)]
        cases += [{"name": f"formulaire {i} au {as_of}", "as_of": as_of, "form": form}
                  for i, form in enumerate(FORMS)]
    cases.append({"name": "formulaire sans date (aujourd'hui)", "form": FORMS[0]})
    return cases


def cpython_verdict(compiled: CompiledRules, case: dict[str, Any]) -> str:
    """What CPython answers for a case (same path as the harness and the worker)."""
    return evaluate_request(compiled, case)


@pytest.fixture(scope="module")
def runtime(compiled: CompiledRules) -> Runtime:
    """The trimmed runtime the site ships (the build's cache, or built now)."""
    return build_runtime(PYODIDE, compiled, compiled_json(compiled), cache_root(ROOT))


@pytest.fixture(scope="module")
def pyodide_run(compiled: CompiledRules, runtime: Runtime,
                tmp_path_factory: pytest.TempPathFactory
                ) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Run every case once through the Node runner on the site's own artefacts."""
    assert shutil.which("node"), "node introuvable : installez Node.js 20 (make setup)"
    work = tmp_path_factory.mktemp("parity")
    artefacts = checker_artefacts(compiled, pyodide_version(PYODIDE), runtime)
    cases = _cases(compiled)
    inputs = write_inputs(work, PYODIDE, artefacts.checker_zip.content,
                          artefacts.rules.content.decode("utf-8"), cases)
    (work / "stdlib.zip").write_bytes(artefacts.stdlib.content)
    return cases, inputs.run(work, work / "stdlib.zip", snapshot=True)


def test_harness_runs_pyodide_not_cpython(pyodide_run: tuple[list, dict]) -> None:
    _, output = pyodide_run
    assert output["python"].startswith("3.14"), output["python"]


def test_every_case_identical_to_cpython(compiled: CompiledRules,
                                         pyodide_run: tuple[list, dict]) -> None:
    cases, output = pyodide_run
    verdicts = output["verdicts"]
    assert len(verdicts) == len(cases) > 60
    mismatches = [case["name"] for case, got in zip(cases, verdicts, strict=True)
                  if got != cpython_verdict(compiled, case)]
    assert mismatches == []


def test_a_restored_snapshot_gives_the_same_verdicts(pyodide_run: tuple[list, dict]) -> None:
    """A revisit starts from a memory snapshot of the first visit's interpreter."""
    _, output = pyodide_run
    assert output["snapshot_verdicts"] == output["verdicts"]


def test_cases_cover_scenarios_errors_and_forms(compiled: CompiledRules,
                                                pyodide_run: tuple[list, dict]) -> None:
    """The parity run is not vacuous: it saw complete, partial and invalid verdicts."""
    _, output = pyodide_run
    verdicts = [json.loads(v) for v in output["verdicts"]]
    assert any(v["complete"] for v in verdicts)
    assert any(v["missing"] for v in verdicts)
    assert any(v["errors"] for v in verdicts)
    assert any(a["overdue"] for v in verdicts for a in v["actions"])
    assert {v["plan"] for v in verdicts} >= {"discovery", "pro", "member", "not_eligible"}


def test_checker_zip_is_deterministic_and_complete() -> None:
    first, second = checker_zip_bytes(), checker_zip_bytes()
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        names = archive.namelist()
        assert names == sorted(names)
        assert {"checker/__init__.py", "checker/engine.py"} <= set(names)
        assert all(name.endswith(".py") for name in names)
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    sources = sorted(p.name for p in (ROOT / "checker").glob("*.py"))
    assert sorted(Path(n).name for n in names) == sources


def test_artefact_names_follow_content(compiled: CompiledRules, runtime: Runtime) -> None:
    artefacts = checker_artefacts(compiled, "314.0.7", runtime)
    manifest = json.loads(artefacts.manifest.content)
    assert manifest["rules"] == artefacts.rules.uri
    assert manifest["checker_zip"] == artefacts.checker_zip.uri
    assert manifest["pyodide"]["files"] == list(PYODIDE_FILES)
    assert manifest["pyodide"]["stdlib"] == artefacts.stdlib.uri
    assert set(manifest["offline"]["files"]) >= {artefacts.rules.uri, artefacts.stdlib.uri}
    changed = replace(compiled, title=compiled.title + " (modifié)")
    assert checker_artefacts(changed, "314.0.7", runtime).rules.uri != artefacts.rules.uri
    assert checker_artefacts(changed, "314.0.7", runtime).checker_zip.uri == (
        artefacts.checker_zip.uri)
    # A hand-written file of the page changes the manifest, hence the service worker.
    edited = checker_artefacts(compiled, "314.0.7", runtime, {"assets/checker/x.mjs": "1"})
    assert edited.manifest.uri != artefacts.manifest.uri


# ------------------------------------------------------- the trimmed runtime --


def test_runtime_imports_exactly_the_committed_modules(
        runtime: Runtime, pyodide_run: tuple[list, dict]) -> None:
    """Every case ran on the trimmed zip, and imported from it exactly the list."""
    _, output = pyodide_run
    assert sorted(output["modules"]) == list(read_module_list()) == list(runtime.modules)
    assert {"datetime", "json", "re", "dataclasses"} <= set(runtime.modules)
    assert "unittest" not in runtime.modules  # trimmed: not the whole library


def test_runtime_zip_holds_bytecode_only_stored(runtime: Runtime,
                                                pyodide_run: tuple[list, dict]) -> None:
    _, output = pyodide_run
    with zipfile.ZipFile(io.BytesIO(runtime.stdlib_zip)) as archive:
        infos = archive.infolist()
        names = [info.filename for info in infos]
        assert names == sorted(names)
        assert {info.compress_type for info in infos} == {zipfile.ZIP_STORED}
        assert {info.date_time for info in infos} == {(1980, 1, 1, 0, 0, 0)}
        assert names == sorted(output["modules"].values())  # each one imported from the zip
        # Python 3.14's magic number, unchecked hash-based (flags = 1): never revalidated.
        header = archive.read("json/__init__.pyc")[:8]
    assert header[2:4] == b"\r\n" and int.from_bytes(header[4:8], "little") == 1


def _changed_checker(tmp_path: Path, extra_import: str) -> Path:
    package = tmp_path / "checker"
    shutil.copytree(ROOT / "checker", package, ignore=shutil.ignore_patterns("__pycache__"))
    entry = package / "entry.py"
    entry.write_text(entry.read_text(encoding="utf-8") + f"\nimport {extra_import}\n",
                     encoding="utf-8")
    return package


def test_a_new_import_stops_the_build_with_the_fix(compiled: CompiledRules,
                                                   tmp_path: Path) -> None:
    """The checker imports one more module: the list is stale, the build says how to fix it."""
    package = _changed_checker(tmp_path, "fractions")
    with pytest.raises(RuntimeBuildError) as failure:
        build_runtime(PYODIDE, compiled, compiled_json(compiled), tmp_path / "cache",
                      package_dir=package)
    message = str(failure.value)
    assert "n'est plus à jour" in message
    assert "absents de la liste : fractions, " in message and "numbers" in message
    assert "« make runtime-modules »" in message
    assert not (tmp_path / "cache").exists() or not any((tmp_path / "cache").iterdir())


def test_a_module_no_longer_imported_is_named(compiled: CompiledRules, tmp_path: Path) -> None:
    modules = tmp_path / "modules.txt"
    write_module_list([*read_module_list(), "antigravity"], modules)
    with pytest.raises(RuntimeBuildError, match="listés mais plus importés : antigravity\\."):
        build_runtime(PYODIDE, compiled, compiled_json(compiled), tmp_path / "cache",
                      modules_file=modules)


def test_probe_requests_cover_every_profile(compiled: CompiledRules) -> None:
    requests = probe_requests(compiled)
    profiles = sum(len(list(complete_profiles(compiled, p.sample))) for p in periods(compiled))
    assert len([r for r in requests if "answers" in r]) > profiles  # every period, and more
    assert any("form" in r for r in requests)
