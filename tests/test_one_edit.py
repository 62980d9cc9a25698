"""One edit is one edit: scenarios written relative to the parameters they probe, every
example checked before a page shows it (build, ``validate``), one address per page,
and the vocabulary (plans, audiences, the checker's introduction) as data."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from checker import evaluate
from checker.model import CompiledRules
from rulebook.compile import compiled_json
from rulebook.errors import RulesError
from rulebook.loader import load_rules
from rulebook.relative import RelativeError, render_text, resolve, resolve_all
from tests.conftest import DOCS_PATH, RULES_PATH, SCENARIOS_PATH
from tests.sitebuild import make_project, run_mkdocs

CLI = [sys.executable, "-m", "rulebook.cli"]
RULES_TEXT = RULES_PATH.read_text(encoding="utf-8")
SCENARIOS_TEXT = SCENARIOS_PATH.read_text(encoding="utf-8")
THRESHOLD_1500 = ("unit: eur\n    value: 1000\n", "unit: eur\n    value: 1500\n")
SWITCH_MARCH = ("(ce jour compte encore)\n    unit: date\n    value: 2022-12-31\n",
                "(ce jour compte encore)\n    unit: date\n    value: 2023-03-31\n")


def edited(text: str, *edits: tuple[str, str]) -> str:
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def data_copy(tmp_path: Path, rules: str = RULES_TEXT, scenarios: str = SCENARIOS_TEXT) -> Path:
    """A project folder with ``data/`` and ``docs/``; returns the rules file."""
    (tmp_path / "data").mkdir(parents=True)
    shutil.copytree(DOCS_PATH, tmp_path / "docs")
    (tmp_path / "data" / "rules.yaml").write_text(rules, encoding="utf-8")
    (tmp_path / "data" / "scenarios.yaml").write_text(scenarios, encoding="utf-8")
    return tmp_path / "data" / "rules.yaml"


def cli(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], cwd=cwd, capture_output=True, text=True, check=False)


# ------------------------------------------------------------ relative values --

def test_relative_values_give_the_day_or_the_cent_around_a_parameter(
        compiled: CompiledRules) -> None:
    parameters = compiled.parameters
    assert resolve("day_before", "launch_offer_end", parameters) == ("2022-01-31", "date")
    assert resolve("parameter", "launch_offer_end", parameters) == ("2022-02-01", "date")
    assert resolve("day_after", "switch_deadline", parameters) == ("2023-01-01", "date")
    assert resolve("cent_below", "discovery_annual_limit_eur", parameters) == (999.99, "eur")
    assert resolve("parameter", "discovery_annual_limit_eur", parameters) == (1000, "eur")
    assert resolve("cent_above", "discovery_alert_eur", parameters) == (800.01, "eur")
    data = {"as_of": {"day_after": "effective_date"},
            "answers": {"sales_outside_amap_eur": {"cent_below": "discovery_alert_eur"}},
            "expected": {"deadlines": {"x": {"parameter": "switch_deadline"}}}}
    assert resolve_all(data, parameters) == ({
        "as_of": "2021-11-04", "answers": {"sales_outside_amap_eur": 799.99},
        "expected": {"deadlines": {"x": "2022-12-31"}}}, [])
    assert render_text("le {{ launch_offer_end | day_after }}, {{ discovery_alert_eur }} et "
                       "{{ discovery_annual_limit_eur | cent_above }}", parameters) == (
        "le 2 février 2022, 800\u00a0€ et 1\u202f000,01\u00a0€")


@pytest.mark.parametrize(("form", "name", "message"), [
    ("day_before", "discovery_alert_eur", "« day_before » ne s'applique pas au paramètre "
     "« discovery_alert_eur » (unité eur) ; il attend un paramètre d'unité date"),
    ("cent_above", "switch_deadline", "« cent_above » ne s'applique pas au paramètre "
     "« switch_deadline » (unité date)"),
    ("parameter", "switch_dedline", "paramètre « switch_dedline » introuvable (vouliez-vous "
     "dire « switch_deadline » ?)"),
    ("next_day", "switch_deadline", "forme « next_day » inconnue"),
])
def test_a_relative_value_of_the_wrong_kind_is_refused_in_french(
        compiled: CompiledRules, form: str, name: str, message: str) -> None:
    with pytest.raises(RelativeError, match=re.escape(message)):
        resolve(form, name, compiled.parameters)


def test_a_wrong_relative_value_is_located_in_the_scenarios_file(tmp_path: Path) -> None:
    first = "rien ne change encore\n    as_of: {day_before: effective_date"
    broken = edited(SCENARIOS_TEXT, (first, first.removesuffix("e")))
    data_copy(tmp_path, scenarios=broken)
    result = cli(tmp_path, "validate")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    line = broken[:broken.index("effective_dat}")].count("\n") + 1
    assert re.search(rf"data/scenarios\.yaml:{line}:\d+: \[scenarios\[0\]\.as_of\.day_before\] "
                     r"paramètre « effective_dat » introuvable \(vouliez-vous dire "
                     r"« effective_date » \?\)", result.stderr), result.stderr


# ------------------------------------------------------------- one edit alone --

@pytest.mark.build
@pytest.mark.parametrize("edit", [THRESHOLD_1500, SWITCH_MARCH], ids=["seuil", "echeance"])
def test_one_parameter_edit_needs_no_other_edit(tmp_path: Path, edit: tuple[str, str]) -> None:
    """The threshold, or the switch deadline, edited alone: validation (which runs every
    example and invariant), the scenarios and the real build all pass."""
    project = make_project(tmp_path, edited(RULES_TEXT, edit))
    validate = cli(project, "validate")
    assert validate.returncode == 0, validate.stderr
    assert "119 exemples et 16 invariants vérifiés" in validate.stdout
    scenarios = cli(project, "scenarios")
    assert scenarios.returncode == 0, scenarios.stdout
    build = run_mkdocs(project)
    assert build.returncode == 0, build.stderr
    site = project / "site"
    text = (site / "regles" / "compte-decouverte" / "index.html").read_text(encoding="utf-8")
    if edit is THRESHOLD_1500:
        assert "1\u202f000\u00a0€" not in text and "1\u202f500\u00a0€" in text
        assert "1\u202f499,99\u00a0€" in text  # the example one cent under the new limit
    else:
        registered = (site / "regles" / "producteurs-deja-inscrits" / "index.html"
                      ).read_text(encoding="utf-8")
        assert "1er avril 2023" in registered  # the day after the new deadline, an example


# ------------------------------------------------- examples checked before shown --

@pytest.mark.build
def test_an_example_that_no_longer_holds_stops_the_build_with_its_position(
        tmp_path: Path) -> None:
    wrong = edited(SCENARIOS_TEXT, (
        "  - name: Revendeur, en 2024\n    as_of: 2024-06-01\n"
        "    answers: {role: producer, direct_seller: false}\n"
        "    expected: {plan: not_eligible,",
        "  - name: Revendeur, en 2024\n    as_of: 2024-06-01\n"
        "    answers: {role: producer, direct_seller: false}\n"
        "    expected: {plan: pro,"))
    project = make_project(tmp_path)
    (project / "data" / "scenarios.yaml").write_text(wrong, encoding="utf-8")
    result = run_mkdocs(project)
    assert result.returncode != 0
    line = wrong[:wrong.index("expected: {plan: pro,")].count("\n") + 1
    assert re.search(
        rf"data/scenarios\.yaml:{line}:\d+: \[scenarios\[\d+\]\.expected\.plan\] scénario "
        r"« Revendeur, en 2024 » \(au 1er juin 2024\) : plan : attendu 'pro', obtenu "
        r"'not_eligible'\. Si la modification des règles est voulue, mettez à jour ce "
        r"résultat attendu ; sinon, corrigez les règles", result.stderr), result.stderr
    assert "Traceback" not in result.stderr
    assert not (project / "site").exists()  # nothing published
    validate = cli(project, "validate")  # the support team's one command says it too
    assert validate.returncode == 2 and "« Revendeur, en 2024 »" in validate.stderr


# -------------------------------------------------------- one address per page --

def test_two_rules_whose_rendered_titles_give_one_address_are_refused(tmp_path: Path) -> None:
    text = edited(
        RULES_TEXT,
        ("    slug: charte-producteurs\n    number: 1\n    title: La charte producteurs\n",
         "    number: 1\n    title: Échéance {{ switch_deadline }}\n"),
        ("    slug: producteurs-deja-inscrits\n    number: 3\n"
         "    title: Les producteurs déjà inscrits et non formés\n",
         "    number: 3\n    title: Échéance {{ charter_review_end }}\n"))
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RulesError) as info:
        load_rules(path, "data/rules.yaml", DOCS_PATH)
    (problem,) = info.value.problems
    assert problem.field == "rules[2].title"
    assert problem.line == text[:text.index("Échéance {{ charter_review_end }}")].count("\n") + 1
    assert problem.message == (
        "la page de la règle « already_registered » serait publiée à l'adresse "
        "regles/echeance-31-decembre-2022/, déjà prise par la règle « charter » : changez le "
        "titre ou écrivez un autre « slug »")


def test_a_rule_may_not_take_an_old_address_that_redirects(tmp_path: Path) -> None:
    text = edited(RULES_TEXT, ("    slug: producteurs-formes\n", "    slug: coordinators\n"))
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RulesError, match=r"\[rules\[4\]\.slug\] .*regles/coordinators/, déjà "
                       r"prise par l'ancienne adresse de la règle « coordinators », qui "
                       r"redirige vers sa nouvelle adresse"):
        load_rules(path, "data/rules.yaml", DOCS_PATH)


# ---------------------------------------------------------- vocabulary as data --

NEW_PLAN = (
    ("  pro_payment_start:\n",
     "  solidarity_price_eur_ht_per_month:\n"
     "    label: Prix de la Formule SOLIDAIRE (par mois)\n"
     "    unit: eur_ht_per_month\n"
     "    value: 12\n"
     "  pro_payment_start:\n"),
    ("  - id: not_eligible\n",
     "  - id: solidarity\n"
     "    name: Formule SOLIDAIRE\n"
     "    annual_limit: unlimited\n"
     "    limit_label: Sans limite de ventes\n"
     "    price_yearly: solidarity_price_eur_ht_per_month\n"
     "    price: \"{{ solidarity_price_eur_ht_per_month }} (paiement annuel)\"\n"
     "    counts: Aucune limite de ventes.\n"
     "    how_to_get: Demandez-la à votre association partenaire.\n"
     "    summary: Vendre sans limite, avec une association partenaire.\n"
     "    sources: [wiki_rules]\n"
     "  - id: not_eligible\n"),
    ("      - value: trained\n",
     "      - value: partner\n"
     "        label: Je vends avec une association partenaire\n"
     "      - value: trained\n"),
    ("        explain: Avec la Formule PRO, vous vendez sans limite.\n",
     "        explain: Avec la Formule PRO, vous vendez sans limite.\n"
     "      - when:\n"
     "          equals: {account: partner}\n"
     "        plan: solidarity\n"
     "        explain: Votre association partenaire vous ouvre la Formule SOLIDAIRE.\n"),
)


@pytest.mark.build
def test_a_new_plan_shows_everywhere_with_no_code_change(tmp_path: Path) -> None:
    """A plan and the effect that grants it, in the YAML only: the plans page, the
    decision table, the diagram, the checker (CPython and Pyodide) and the impact."""
    from tests.impactcases import commit_rules

    text = edited(RULES_TEXT, *NEW_PLAN)
    project = make_project(tmp_path / "project", text)
    build = run_mkdocs(project)
    assert build.returncode == 0, build.stderr
    site = project / "site"
    plans = (site / "formules" / "index.html").read_text(encoding="utf-8")
    assert "Formule SOLIDAIRE" in plans and "144\u00a0€\u00a0HT par an" in plans
    for page in ("tableau-de-decision/index.html", "synthese/schema-de-decision.svg"):
        assert "Formule SOLIDAIRE" in (site / page).read_text(encoding="utf-8"), page
    book = load_rules(project / "data" / "rules.yaml")
    answers = {"role": "producer", "direct_seller": True, "account": "partner"}
    verdict = evaluate(book.compiled, answers, as_of="2023-06-01")
    assert (verdict["plan"], verdict["plan_name"]) == ("solidarity", "Formule SOLIDAIRE")
    shipped = next((site / "assets" / "checker").glob("rules.*.json"))
    assert json.loads(shipped.read_text(encoding="utf-8")) == json.loads(
        compiled_json(book.compiled))
    in_pyodide = pyodide_verdicts(tmp_path, book.compiled, [answers])
    assert json.loads(in_pyodide[0])["plan"] == "solidarity"
    repo = tmp_path / "repo"
    commit_rules(repo, working=text)
    impact = subprocess.run([*CLI, "impact", "--as-of", "2023-06-01"], cwd=repo,
                            capture_output=True, text=True, check=False)
    assert impact.returncode == 3, impact.stderr
    assert "Je vends avec une association partenaire" in impact.stdout
    assert "Formule SOLIDAIRE" in impact.stdout


def pyodide_verdicts(work: Path, compiled: CompiledRules, answers: list[dict],
                     days: list[str] | None = None) -> list[str]:
    """The verdicts of the checker zip the site ships, in the npm Pyodide under Node (on
    ``days``, one per answer set; 1 June 2023 by default)."""
    from sitegen.browser import checker_artefacts, pyodide_version
    from sitegen.build_cache import cache_root
    from sitegen.runtime import build_runtime, write_inputs
    from tests.conftest import ROOT

    pyodide = ROOT / "node_modules" / "pyodide"
    runtime = build_runtime(pyodide, compiled, compiled_json(compiled), cache_root(ROOT))
    artefacts = checker_artefacts(compiled, pyodide_version(pyodide), runtime)
    days = days or ["2023-06-01"] * len(answers)
    cases = [{"name": str(i), "as_of": day, "answers": a}
             for i, (a, day) in enumerate(zip(answers, days, strict=True))]
    inputs = write_inputs(work, pyodide, artefacts.checker_zip.content,
                          artefacts.rules.content.decode("utf-8"), cases)
    (work / "stdlib.zip").write_bytes(artefacts.stdlib.content)
    return inputs.run(work, work / "stdlib.zip")["verdicts"]


def test_audiences_and_the_checker_introduction_come_from_the_rules(book) -> None:
    assert {a.id: a.label for a in book.rules.audiences} == {
        "producer": "les producteurs", "coordinator": "les coordinateurs de groupe"}
    assert book.rules.meta.checker_intro.startswith("Répondez à quelques questions")
