"""The ``cagette-rules`` command, run as a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

from rulebook.answer_space import complete_profiles
from tests.conftest import ROOT, RULES_PATH

CLI = [sys.executable, "-m", "rulebook.cli"]


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], input=stdin, capture_output=True, text=True,
                          cwd=ROOT, check=False)


def test_check_json_answers_every_profile(compiled: dict) -> None:
    profiles = list(complete_profiles(compiled, date(2022, 6, 1)))
    for answers in profiles[:: max(1, len(profiles) // 12)]:
        result = run("check", "--json", "--as-of", "2022-06-01", stdin=json.dumps(answers))
        assert result.returncode == 0, result.stderr
        verdict = json.loads(result.stdout)
        assert verdict["complete"] is True
        assert verdict["plan"] == (None if answers["role"] == "coordinator" else verdict["plan"])


def test_check_summary_is_french_and_errors_exit_1(tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"role": "producer", "direct_seller": True,
                                   "account": "discovery", "sales_outside_amap_eur": -3}))
    result = run("check", "--as-of", "2023-01-15", str(answers))
    assert result.returncode == 1
    assert "Le montant ne peut pas être négatif." in result.stdout
    assert "Votre formule\u00a0: Compte Découverte" in result.stdout
    assert "Résultat au 15 janvier 2023." in result.stdout  # dates written the French way
    assert "2023-01-15" not in result.stdout


def test_usage_errors_exit_2_in_french() -> None:
    assert run("check", "--as-of", "demain").returncode == 2
    bad_json = run("check", stdin="{role: producer}")
    assert bad_json.returncode == 2
    assert "réponses JSON invalides" in bad_json.stderr
    assert "Traceback" not in bad_json.stderr


def test_validate_reports_a_broken_copy_with_line_numbers(tmp_path: Path) -> None:
    broken = tmp_path / "rules.yaml"
    text = RULES_PATH.read_text(encoding="utf-8")
    broken.write_text(text.replace("    unit: eur\n", "    unit: euros\n", 1), encoding="utf-8")
    result = run("validate", str(broken))
    assert result.returncode == 2
    line = text.splitlines().index("    unit: eur") + 1
    assert f"{broken}:{line}:" in result.stderr
    assert "« euros » n'est pas permis" in result.stderr or "le texte « euros »" in result.stderr
    assert "Traceback" not in result.stderr


def test_validate_and_scenarios_pass_on_the_real_files() -> None:
    assert run("validate").returncode == 0
    scenarios = run("scenarios")
    assert scenarios.returncode == 0, scenarios.stdout
    assert "0 en échec" in scenarios.stdout


def test_schema_prints_json() -> None:
    schema = json.loads(run("schema").stdout)
    assert "parameters" in schema["properties"]
