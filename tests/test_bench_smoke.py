"""The benchmarks' inputs and fast parts stay working: a scaled copy that the
validator refuses, or an API change, would stop ``make bench`` after minutes, not here."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import cpython
from bench.site_build import generation_rounds
from bench.synthetic import write_scaled_rules, write_scaled_scenarios
from rulebook.loader import load_rules
from rulebook.scenarios import file_problems, load_scenario_file
from tests.conftest import DOCS_PATH, RULES_PATH, SCENARIOS_PATH
from tests.sitebuild import make_project


def test_scaled_rules_are_valid_and_scaled(tmp_path: Path) -> None:
    original = load_rules(RULES_PATH, docs_dir=DOCS_PATH)
    scaled = load_rules(write_scaled_rules(RULES_PATH, 3, tmp_path / "rules.yaml"),
                        docs_dir=DOCS_PATH)
    assert len(scaled.rules.rules) == 3 * len(original.rules.rules)
    slugs = [rule.slug for rule in scaled.rules.rules]
    assert len(set(slugs)) == len(slugs)


def test_scaled_scenarios_hold_on_the_scaled_rules(tmp_path: Path) -> None:
    """The build checks the examples: the scaled project's own must hold."""
    scaled = load_rules(write_scaled_rules(RULES_PATH, 3, tmp_path / "rules.yaml"),
                        docs_dir=DOCS_PATH)
    path = write_scaled_scenarios(SCENARIOS_PATH, 3, tmp_path / "scenarios.yaml")
    assert file_problems(scaled.compiled, load_scenario_file(path).resolved(scaled.compiled)) == []


def test_the_cpython_benchmark_runs_and_reports_figures() -> None:
    rows = cpython.run(RULES_PATH, repeat=1)
    assert [row["unit"] for row in rows] == ["ms", "ms", "evaluations/s", "µs"]
    assert all(row["value"] > 0 for row in rows)
    assert "(0 profiles)" not in rows[2]["benchmark"]


def test_the_plugins_own_time_is_measured_in_a_real_project(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    times = generation_rounds({1: project}, {1: 1}, rounds=2)
    assert list(times) == [1] and times[1] > 0
    assert not (project / "site").exists()  # on_config only: nothing written


@pytest.mark.build
def test_the_editor_benchmark_counts_the_editors_own_files() -> None:
    from bench.editor import cli_times, editor_bytes
    from tests.sitebuild import default_site

    sizes = editor_bytes(default_site())
    assert any("toolchain." in uri for uri in sizes) and any(
        uri.endswith("python_stdlib.zip") for uri in sizes)
    assert not any(uri.endswith("pyodide.asm.wasm") for uri in sizes)  # the checker's, shared
    times = cli_times(repeat=1)
    assert 0 < times["rules"] < times["full"]


def test_the_reference_checker_page_finds_every_script_it_imports(site: Path,
                                                                  tmp_path: Path) -> None:
    """``bench-today/`` runs today's checker UI beside yesterday's worker: a script the UI
    imports that is not copied beside it (a 404) leaves the page waiting for ever, and the
    start-up benchmark with it (seen once: the UI's import of the site's shared script)."""
    import re
    import shutil

    from bench.checker_site import add_today

    copy = tmp_path / "site"
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns("*.br", "*.gz"))
    version = next((copy / "assets" / "pyodide").iterdir()).name
    add_today(copy, version)
    scripts = sorted((copy / "bench-today").rglob("*.mjs"))
    imported = [(script, target) for script in scripts
                for target in re.findall(r"""\bimport\b[^"'()]*?["'](\.{1,2}/[^"']+)["']""",
                                         script.read_text(encoding="utf-8"))]
    assert any(target == "../site.mjs" for _, target in imported)  # the UI's, at least
    missing = [f"{s.relative_to(copy)} → {t}" for s, t in imported
               if not (s.parent / t).resolve().is_file()]
    assert missing == []


def test_the_checker_python_benchmark_times_this_checkout(tmp_path: Path) -> None:
    import subprocess

    from bench.checker_python import ROOT, artefacts

    spec = artefacts(ROOT, tmp_path, "this")
    shown = subprocess.run(["node", str(ROOT / "bench" / "checker_python.mjs"), "1", spec],
                           cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert shown.startswith("this ") and "(1.00 × this), 1 runs" in shown
