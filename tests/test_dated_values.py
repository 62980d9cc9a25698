"""A parameter whose value changes on a date (``changes:``): the older value stays true
before that date, in the checker (CPython and Pyodide), the pages, the history and the
impact of the edit. Dates are tested the day before, on and after each boundary."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from checker import as_text, evaluate
from checker.dated import RECENT_DAYS, cited_notes, in_force, note, rules_on
from checker.model import Change, CompiledRules, Parameter
from rulebook.errors import RulesError
from rulebook.loader import load_rules
from tests.conftest import RULES_PATH
from tests.sitebuild import as_built_on, make_project, run_mkdocs
from tests.test_one_edit import data_copy, pyodide_verdicts

RULES_TEXT = RULES_PATH.read_text(encoding="utf-8")
MONTHLY = "    unit: eur_ht_per_month\n    value: 39\n"
PRICE_42 = (MONTHLY, MONTHLY + "    changes:\n      - since: 2027-01-01\n        value: 42\n")
LIMIT = "    unit: eur\n    value: 1000\n"
LIMIT_1500 = (LIMIT, LIMIT + "    changes:\n      - since: 2027-01-01\n        value: 1500\n")
PRO = {"role": "producer", "direct_seller": True, "account": "pro"}
NBSP, NNBSP = "\u00a0", "\u202f"


def edited(*edits: tuple[str, str]) -> str:
    text = RULES_TEXT
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def spaced(text: str) -> str:
    return re.sub(r"[\u00a0\u202f]", " ", text)


@pytest.fixture(scope="module")
def price_42(tmp_path_factory: pytest.TempPathFactory) -> dict:
    rules = data_copy(tmp_path_factory.mktemp("price"), edited(PRICE_42))
    return load_rules(rules).compiled


# ------------------------------------------------------------------ the value of a day --

PARAMETER = Parameter(value=39, display="39 € HT/mois", unit="eur_ht_per_month", label="Prix",
                      changes=(Change(since="2027-01-01", value=42, display="42 € HT/mois"),))


@pytest.mark.parametrize(("day", "index"), [("2026-12-31", 0), ("2027-01-01", 1),
                                             ("2027-01-02", 1)])
def test_the_value_in_force_changes_on_its_day(day: str, index: int) -> None:
    assert in_force(PARAMETER, day) == index


PRICE_NOTE = "Prix : 42 € HT/mois à partir du 1er janvier 2027 (au lieu de 39 € HT/mois)."
PRICE_CHANGED = "Prix : 42 € HT/mois depuis le 1er janvier 2027 (au lieu de 39 € HT/mois)."


@pytest.mark.parametrize(("day", "said"), [
    ("2021-11-03", PRICE_NOTE), ("2026-12-31", PRICE_NOTE),
    ("2027-01-01", PRICE_CHANGED), ("2027-01-02", PRICE_CHANGED), ("2027-04-02", PRICE_CHANGED),
    ("2027-04-03", None),  # 92 days on: the old price is history
])
def test_a_note_says_the_change_ahead_and_recalls_a_recent_one(day: str,
                                                               said: str | None) -> None:
    assert RECENT_DAYS == 92
    found = note(PARAMETER, day)
    assert (spaced(found) if found else None) == said


def test_the_next_change_is_said_when_one_just_happened_too() -> None:
    twice = replace(PARAMETER, changes=(*PARAMETER.changes,
                                        Change(since="2027-02-01", value=45,
                                               display="45 € HT/mois")))
    assert spaced(note(twice, "2027-01-15")) == (
        "Prix : 45 € HT/mois à partir du 1er février 2027 (au lieu de 42 € HT/mois).")


def test_a_note_goes_with_a_text_that_shows_the_value_whole(compiled: CompiledRules) -> None:
    rules = replace(compiled, parameters={"price": PARAMETER})
    assert cited_notes(rules, "2026-12-31", "ou 39 € HT/mois (paiement mensuel)") != []
    assert cited_notes(rules, "2026-12-31", "ou 139 € HT/mois") == []
    assert cited_notes(rules, "2026-12-31", "ou 42 € HT/mois") == []  # not the value then
    assert cited_notes(rules, "2027-06-01", "ou 42 € HT/mois") == []  # nothing to note


def test_rules_without_a_change_are_read_as_they_are(compiled: CompiledRules) -> None:
    assert rules_on(compiled, "2027-01-01") is compiled


def test_a_view_read_on_another_day_is_read_from_its_rules(price_42: dict) -> None:
    before = rules_on(price_42, "2026-12-31")
    after = rules_on(before, "2027-01-01")
    assert before.parameters["pro_price_monthly_eur_ht_per_month"].value == 39
    assert after.parameters["pro_price_monthly_eur_ht_per_month"].value == 42
    assert after is rules_on(price_42, "2027-01-02")  # one view per reading


# ------------------------------------------------------------------------- the checker --

MONTHLY_NOTE = ("Prix de la Formule PRO, paiement mensuel (par mois) : 42 € HT/mois à partir "
                "du 1er janvier 2027 (au lieu de 39 € HT/mois).")
MONTHLY_CHANGED = ("Prix de la Formule PRO, paiement mensuel (par mois) : 42 € HT/mois depuis le "
                   "1er janvier 2027 (au lieu de 39 € HT/mois).")


@pytest.mark.parametrize(("day", "price", "notices"), [
    ("2026-12-31", "ou 39 € HT/mois (paiement mensuel)", [MONTHLY_NOTE]),
    ("2027-01-01", "ou 42 € HT/mois (paiement mensuel)", [MONTHLY_CHANGED]),
    ("2027-04-02", "ou 42 € HT/mois (paiement mensuel)", [MONTHLY_CHANGED]),
    ("2027-04-03", "ou 42 € HT/mois (paiement mensuel)", []),
])
def test_the_checker_gives_the_price_of_the_day_asked(price_42: dict, day: str, price: str,
                                                      notices: list[str]) -> None:
    verdict = evaluate(price_42, PRO, as_of=day)
    facts = {f["label"]: f["value"] for f in verdict["display"]["plan"]["facts"]}
    assert price in spaced(facts["Prix"])
    assert [spaced(n) for n in verdict["display"]["notices"]] == notices
    # The notes are laid out with the other notices: the CLI's text and the page say them.
    laid_out = [s["items"] for s in verdict["display"]["sections"] if s["id"] == "notices"]
    assert [[spaced(i["line"]) for i in items] for items in laid_out] == (
        [notices] if notices else [])
    assert all(note in spaced(as_text(verdict)) for note in notices)


def test_a_verdict_that_shows_no_changing_figure_has_no_note(price_42: dict) -> None:
    coordinator = {"role": "coordinator", "manages_other_producers": False,
                   "group_mode": "amap"}
    verdict = evaluate(price_42, coordinator, as_of="2026-12-31")
    assert "39" not in spaced(json.dumps(verdict["display"], ensure_ascii=False))
    assert verdict["display"]["notices"] == []


@pytest.mark.parametrize(("day", "sales", "blocked"), [
    ("2026-12-31", 1200, True), ("2027-01-01", 1200, False), ("2027-01-02", 1499.99, False),
    ("2027-01-01", 1500, True),
])
def test_a_threshold_that_changes_decides_with_the_value_of_the_day(
        tmp_path: Path, day: str, sales: float, blocked: bool) -> None:
    compiled = load_rules(data_copy(tmp_path, edited(LIMIT_1500))).compiled
    answers = {"role": "producer", "direct_seller": True, "account": "discovery",
               "sales_outside_amap_eur": sales}
    verdict = evaluate(compiled, answers, as_of=day)
    limit = 1000 if day < "2027-01-01" else 1500
    assert verdict["annual_limit_eur"] == limit
    said = spaced(as_text(verdict))
    assert f"dans la limite de {limit:,} € de ventes par an".replace(",", " ") in said
    assert (f"atteignent le plafond de {limit:,} €".replace(",", " ") in said) is blocked


def test_pyodide_gives_the_same_verdicts_on_both_sides_of_the_change(
        tmp_path: Path, price_42: dict) -> None:
    days = ["2026-12-31", "2027-01-01"]
    shipped = pyodide_verdicts(tmp_path, price_42, [PRO, PRO], days)
    for day, verdict in zip(days, shipped, strict=True):
        assert json.loads(verdict) == json.loads(json.dumps(evaluate(price_42, PRO, as_of=day)))


# -------------------------------------------------------------------------- validation --

@pytest.mark.parametrize(("change", "message"), [
    ("      - since: 2021-11-03\n        value: 42\n",
     "le 2021-11-03 ne vient pas après l'entrée en vigueur des règles (2021-11-03)"),
    ("      - since: 2027-01-01\n        value: 42\n      - since: 2026-06-01\n        value: 45\n",
     "le 2026-06-01 ne vient pas après le changement précédent (2027-01-01)"),
    ("      - since: 2027-01-01\n        value: 39\n",
     "même valeur qu'avant (39) : ce changement ne change rien, supprimez-le"),
    ("      - since: 2027-01-01\n        value: 42 €\n", "nombre positif attendu, trouvé « 42 € »"),
    ("      - since: 2027-13-01\n        value: 42\n", "il n'y a pas de mois 13"),
])
def test_a_wrong_change_is_refused_in_french(tmp_path: Path, change: str, message: str) -> None:
    rules = data_copy(tmp_path, edited((MONTHLY, MONTHLY + "    changes:\n" + change)))
    with pytest.raises(RulesError) as error:
        load_rules(rules)
    assert message in error.value.report()


def test_a_date_does_not_change_on_a_date(tmp_path: Path) -> None:
    deadline = "(ce jour compte encore)\n    unit: date\n    value: 2022-12-31\n"
    later = "    changes:\n      - since: 2023-01-01\n        value: 2023-03-31\n"
    rules = data_copy(tmp_path, edited((deadline, deadline + later)))
    with pytest.raises(RulesError) as error:
        load_rules(rules)
    assert ("[parameters.switch_deadline.changes] une date ne change pas à une date : modifiez "
            "sa valeur (« value ») et notez-le dans « changelog »") in error.value.report()


def test_validate_and_the_examples_pass_with_a_change(tmp_path: Path) -> None:
    rules = data_copy(tmp_path, edited(PRICE_42))
    result = subprocess.run([sys.executable, "-m", "rulebook.cli", "validate", str(rules)],
                            cwd=tmp_path, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "exemples" in result.stdout


# ------------------------------------------------------------- pages, history, impact --

@pytest.mark.build
def test_the_pages_and_the_history_say_the_change_from_its_date(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", edited(PRICE_42))
    built = run_mkdocs(project, env=as_built_on(date(2026, 12, 4)))
    assert built.returncode == 0, built.stderr
    site = project / "site"
    plans = spaced((site / "formules" / "index.html").read_text(encoding="utf-8"))
    assert "39 € HT/mois en paiement mensuel, soit 468 € HT sur un an" in plans
    assert plans.count(MONTHLY_NOTE) == 1  # under the title
    assert plans.index(MONTHLY_NOTE) < plans.index("468 € HT sur un an")
    faq = spaced((site / "faq" / "index.html").read_text(encoding="utf-8"))
    assert ("39 € HT/mois" in faq) is (MONTHLY_NOTE in faq)
    history = spaced((site / "historique" / "index.html").read_text(encoding="utf-8"))
    assert "1er janvier 2027 (à venir)" in history
    assert ("Prix de la Formule PRO, paiement mensuel (par mois) : 42 € HT/mois au lieu de "
            "39 € HT/mois.") in history
    assert history.index("1er janvier 2027 (à venir)") < history.index("27 novembre 2026")


def test_the_impact_of_the_change_starts_on_its_date(tmp_path: Path) -> None:
    from tests.impactcases import commit_rules

    repo = tmp_path / "repo"
    commit_rules(repo, working=edited(PRICE_42))
    result = subprocess.run([sys.executable, "-m", "rulebook.cli", "impact"], cwd=repo,
                            capture_output=True, text=True, check=False)
    report = spaced(result.stdout)
    assert result.returncode == 3, result.stderr
    assert report.splitlines()[1] == (
        "1 valeur change. Dans le vérificateur : aucune décision ne change ; 15 situations "
        "sur 18 changent seulement de mots.")
    assert ("Valeurs qui changent\n  • Prix de la Formule PRO, paiement mensuel (par mois) : "
            "42 € HT/mois au lieu de 39 € HT/mois, à partir du 1er janvier 2027\n") in report
    # The note before the change, then the note just after it, then the price alone.
    assert f"Avertissement : — → {MONTHLY_NOTE}\n    sur 15 situations :" in report
    assert (f"Avertissement : — → {MONTHLY_CHANGED}\n    sur 15 situations, du 1er janvier "
            "2027 au 2 avril 2027 :") in report
    assert ("Tarif : « 42 € HT/mois » au lieu de « 39 € HT/mois », dans « Formule PRO : "
            "29 € HT/mois (paiement annuel en une fois) ou 42 € HT/mois (paiement mensuel) »\n"
            "    sur 15 situations, à partir du 1er janvier 2027 :") in report
