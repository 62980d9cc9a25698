"""The ``cagette-rules`` command, run as a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

from checker import evaluate, verdict_json
from checker.model import CompiledRules
from rulebook.answer_space import complete_profiles
from tests.conftest import ROOT, RULES_PATH, SCENARIOS_PATH

CLI = [sys.executable, "-m", "rulebook.cli"]


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], input=stdin, capture_output=True, text=True,
                          cwd=ROOT, check=False)


def test_check_json_answers_every_profile(compiled: CompiledRules) -> None:
    """The command's JSON is the checker's verdict for the same answers on the same day."""
    profiles = list(complete_profiles(compiled, date(2022, 6, 1)))
    sample = profiles[:: max(1, len(profiles) // 12)]
    assert len(sample) >= 12
    plans = set()
    for answers in sample:
        result = run("check", "--json", "--as-of", "2022-06-01", stdin=json.dumps(answers))
        assert result.returncode == 0, result.stderr
        verdict = json.loads(result.stdout)
        assert verdict == json.loads(verdict_json(evaluate(compiled, answers, "2022-06-01")))
        assert verdict["complete"] is True and verdict["as_of"] == "2022-06-01"
        if answers["role"] == "coordinator":
            assert verdict["plan"] is None
        plans.add(verdict["plan"])
    assert {"discovery", "member", None} <= plans  # producers' plans among them


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
    answers = json.dumps({"role": "producer", "direct_seller": False})  # valid: not the cause
    assert run("check", "--as-of", "2022-06-01", stdin=answers).returncode == 0
    tomorrow = run("check", "--as-of", "demain", stdin=answers)
    assert tomorrow.returncode == 2 and tomorrow.stdout == ""
    assert tomorrow.stderr.splitlines()[-1] == (
        "cagette-rules : erreur d'utilisation : --as-of : date invalide « demain » : écrivez "
        "AAAA-MM-JJ avec une date qui existe (par exemple 2023-01-15)")
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


# --- scenarios: 0 when every example holds, 1 when one does not, 2 for a broken file ---

FIRST_NAME = "Avant l'entrée en vigueur — nouveau producteur, rien ne change encore"


def scenarios_copy(folder: Path, old: str, new: str) -> Path:
    """The real scenarios' file with ``old`` (found once) replaced by ``new``."""
    text = SCENARIOS_PATH.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path = folder / "scenarios.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def test_scenarios_exit_1_on_an_example_that_no_longer_holds(tmp_path: Path) -> None:
    text = SCENARIOS_PATH.read_text(encoding="utf-8")
    line = text.splitlines().index(f"  - name: {FIRST_NAME}") + 1
    path = scenarios_copy(tmp_path, "      in_force: false\n      complete: true\n      plan: null",
                          "      in_force: false\n      complete: true\n      plan: pro")
    result = run("scenarios", str(path))
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[:2] == [f"ÉCHEC {path}:{line} {FIRST_NAME}",
                         "    plan : attendu 'pro', obtenu None"]
    assert lines[-1] == ("118 scénario(s) conforme(s), 1 en échec ; 16 invariant(s), "
                         "0 écart(s)")
    assert result.stderr == ""


def test_scenarios_exit_1_on_a_broken_invariant(tmp_path: Path) -> None:
    path = scenarios_copy(tmp_path, "    when: {one_of: {account: [discovery, pro]}}\n"
                          "    never_says: [a posteriori]",
                          "    when: {one_of: {account: [discovery, pro]}}\n"
                          "    never_says: [Votre formule]")
    result = run("scenarios", str(path))
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout.startswith("ÉCHEC invariant « Jamais « a posteriori » pour un compte "
                                    "ouvert sous les nouvelles règles » : le verdict du ")
    assert "dit « Votre formule »" in result.stdout
    assert result.stdout.splitlines()[-1].startswith(
        "119 scénario(s) conforme(s), 0 en échec ; 16 invariant(s), ")


def test_scenarios_exit_2_on_a_broken_file_in_french(tmp_path: Path) -> None:
    path = scenarios_copy(tmp_path, f"  - name: {FIRST_NAME}\n    as_of: {{day_before: "
                          "effective_date}", f"  - name: {FIRST_NAME}\n    as_of: 2022-13-01")
    result = run("scenarios", str(path))
    assert result.returncode == 2
    assert result.stdout == "" and "Traceback" not in result.stderr
    line = path.read_text(encoding="utf-8").splitlines().index("    as_of: 2022-13-01") + 1
    assert result.stderr.splitlines() == [
        "Le fichier des scénarios contient 1 problème :",
        f"  {path}:{line}:12: [scenarios[0].as_of] date invalide « 2022-13-01 » : il n'y a "
        "pas de mois 13 ; écrivez AAAA-MM-JJ avec une date qui existe"]
