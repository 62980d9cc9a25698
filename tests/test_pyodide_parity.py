"""Parity: the checker zip the site ships, run in the pinned npm Pyodide (Node,
offline), gives byte-for-byte the verdicts of CPython."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest

from checker.entry import evaluate_request
from rulebook.answer_space import complete_profiles, periods
from rulebook.scenarios import load_scenarios
from sitegen.browser import PYODIDE_FILES, checker_artefacts, pyodide_version
from sitegen.browser_zip import checker_zip_bytes

ROOT = Path(__file__).resolve().parent.parent
PYODIDE = ROOT / "node_modules" / "pyodide"
HARNESS = ROOT / "tests" / "parity" / "run_scenarios.mjs"
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


def _cases(compiled: dict[str, Any]) -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = []
    if SCENARIOS.exists():
        cases += [{"name": s.name, "as_of": s.as_of.isoformat(), "answers": s.answers}
                  for s in load_scenarios(SCENARIOS)]
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


def cpython_verdict(compiled: dict[str, Any], case: dict[str, Any]) -> str:
    """What CPython answers for a case (same path as the harness and the worker)."""
    return evaluate_request(compiled, case)


@pytest.fixture(scope="module")
def pyodide_run(compiled: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
                ) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Run every case once through the Node harness on the site's own artefacts."""
    node = shutil.which("node")
    assert node, "node introuvable : installez Node.js 20 (make setup)"
    work = tmp_path_factory.mktemp("parity")
    artefacts = checker_artefacts(compiled, pyodide_version(PYODIDE))
    zip_path = work / Path(artefacts.checker_zip.uri).name
    rules_path = work / Path(artefacts.rules.uri).name
    zip_path.write_bytes(artefacts.checker_zip.content)
    rules_path.write_bytes(artefacts.rules.content)
    cases = _cases(compiled)
    cases_path = work / "cases.json"
    cases_path.write_text(json.dumps(cases, ensure_ascii=False), encoding="utf-8")
    result = subprocess.run(
        [node, str(HARNESS), str(PYODIDE), str(zip_path), str(rules_path), str(cases_path)],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert result.returncode == 0, result.stderr
    return cases, json.loads(result.stdout)


def test_harness_runs_pyodide_not_cpython(pyodide_run: tuple[list, dict]) -> None:
    _, output = pyodide_run
    assert output["python"].startswith("3.14"), output["python"]


def test_every_case_identical_to_cpython(compiled: dict[str, Any],
                                         pyodide_run: tuple[list, dict]) -> None:
    cases, output = pyodide_run
    verdicts = output["verdicts"]
    assert len(verdicts) == len(cases) > 60
    mismatches = [case["name"] for case, got in zip(cases, verdicts, strict=True)
                  if got != cpython_verdict(compiled, case)]
    assert mismatches == []


def test_cases_cover_scenarios_errors_and_forms(compiled: dict[str, Any],
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


def test_artefact_names_follow_content(compiled: dict[str, Any]) -> None:
    artefacts = checker_artefacts(compiled, "314.0.7")
    manifest = json.loads(artefacts.manifest.content)
    assert manifest["rules"] == artefacts.rules.uri
    assert manifest["checker_zip"] == artefacts.checker_zip.uri
    assert manifest["pyodide"]["files"] == list(PYODIDE_FILES)
    changed = dict(compiled, title=compiled["title"] + " (modifié)")
    assert checker_artefacts(changed, "314.0.7").rules.uri != artefacts.rules.uri
    assert checker_artefacts(changed, "314.0.7").checker_zip.uri == artefacts.checker_zip.uri
