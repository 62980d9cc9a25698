"""French formatting and the verdict's wording, built once in checker/."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from babel.dates import format_date
from babel.numbers import format_decimal

from checker import as_text, evaluate
from checker.french import format_eur, format_long_date, format_number, format_words
from checker.model import CompiledRules
from checker.wording import NOTHING_TO_DO, deadline_note, due_text, layout, section

PRODUCER = {"role": "producer", "direct_seller": True}


@pytest.mark.parametrize("value", [0, 5, 999, 1000, 12345, 1_000_000, 100_000_000])
def test_whole_numbers_are_grouped_as_cldr_does(value: int) -> None:
    assert format_number(value) == format_decimal(value, locale="fr_FR")


def test_euros_keep_cents_and_never_break() -> None:
    assert format_eur(1000) == "1\u202f000\u00a0€"
    assert format_eur(1250.5) == "1\u202f250,50\u00a0€"
    assert format_eur(999.99) == "999,99\u00a0€"
    assert format_eur(0.01) == "0,01\u00a0€"


@pytest.mark.parametrize("day", [date(2022, 12, 31), date(2022, 2, 1), date(2021, 11, 3),
                                 date(2024, 8, 15)])
def test_long_dates_match_cldr_with_1er(day: date) -> None:
    expected = format_date(day, format="d MMMM y", locale="fr_FR")
    expected = "1er" + expected[1:] if day.day == 1 else expected
    assert format_long_date(day) == format_long_date(day.isoformat()) == expected


def test_lists_join_with_et_or_ou() -> None:
    assert format_words(["a"]) == "a"
    assert format_words(["a", "b", "c"]) == "a, b et c"
    assert format_words(["a", "b"], "ou") == "a ou b"


def test_a_deadline_is_worded_for_the_day_before_of_and_after_it() -> None:
    assert due_text("2022-12-31", date(2022, 12, 30)) == "au plus tard le 31 décembre 2022"
    assert due_text("2022-12-31", date(2022, 12, 31)) == (
        "au plus tard aujourd'hui, 31 décembre 2022")
    assert due_text("2022-12-31", date(2023, 1, 1)) == (
        "échéance du 31 décembre 2022 dépassée\u00a0: à faire dès maintenant")
    assert deadline_note("2022-12-31", date(2022, 12, 30)) == (
        "31 décembre 2022 (à venir au 30 décembre 2022)")
    assert deadline_note("2022-12-31", date(2022, 12, 31)) == (
        "31 décembre 2022 (c'est aujourd'hui)")  # not "à venir" nor late
    assert deadline_note("2022-12-31", date(2023, 1, 1)) == (
        "31 décembre 2022 (dépassée au 1er janvier 2023)")
    assert deadline_note("2022-12-31", date(2022, 6, 1)) == (
        "31 décembre 2022 (à venir au 1er juin 2022)")


def test_before_the_rules_apply_nothing_is_decided_and_the_verdict_says_why(
        compiled: CompiledRules) -> None:
    answers = {**PRODUCER, "account": "group_catalogue", "sales_outside_amap_eur": 5000}
    verdict = evaluate(compiled, answers, as_of=date(2021, 11, 2))
    assert verdict["in_force"] is False and verdict["complete"] is True
    assert (verdict["plan"], verdict["actions"], verdict["permissions"]) == (None, [], {})
    assert verdict["display"]["notices"] == [
        "Les nouvelles règles ne sont pas encore en vigueur au 2 novembre 2021\u00a0: elles "
        "s'appliquent à partir du 3 novembre 2021. D'ici là, rien ne change pour vous."]
    assert evaluate(compiled, answers, as_of=date(2021, 11, 3))["in_force"] is True


def test_every_string_a_page_places_comes_with_the_verdict(compiled: CompiledRules) -> None:
    verdict = evaluate(compiled, {**PRODUCER, "account": "invited",
                                  "sales_outside_amap_eur": 1250.5}, as_of=date(2023, 1, 1))
    shown = verdict["display"]
    assert shown["title"] == "Résultat au 1er janvier 2023"
    assert {"label": "Ventes hors AMAP sur un an", "value": "1\u202f250,50\u00a0€"} in (
        shown["answers"])
    assert shown["limit"] == "1\u202f000\u00a0€ de ventes par an, hors ventes en AMAP"
    assert shown["plan"]["heading"] == "Votre formule\u00a0: Compte Découverte"
    todo = dict(zip([a["id"] for a in verdict["actions"]], shown["todo"], strict=True))
    assert todo["open_discovery_account"] == (
        "Ouvrir votre compte Découverte (échéance du 31 décembre 2022 dépassée\u00a0: "
        "à faire dès maintenant)")
    assert todo["upgrade_for_unlimited"] == (
        "Choisir la Formule PRO ou la Formule MEMBRE pour vendre sans limite")
    assert [p["label"] for p in shown["prices"]] == ["Formule PRO", "Formule MEMBRE"]
    text = as_text(verdict)
    assert all(line in text for line in shown["todo"])
    assert "2023-01-01" not in text and "2022-12-31" not in text  # dates the French way


def test_permissions_keep_the_declared_order_whatever_the_dict_order(
        compiled: CompiledRules) -> None:
    verdict = evaluate(compiled, {"role": "coordinator", "group_mode": "amap"},
                       as_of=date(2022, 6, 1))
    declared = [p.label for p in compiled.permissions if p.id in verdict["permissions"]]
    assert [p["label"] for p in verdict["display"]["permissions"]] == declared
    assert verdict["display"]["permissions"][0] == {
        "allowed": False, "status": "Non autorisé",
        "label": "Inscrire un producteur sur Cagette.net",
        "line": "Vous ne pouvez plus\u00a0: inscrire un producteur sur Cagette.net"}


# --- the layout: one structure, placed by the CLI, the browser, the report and the pages

NB = "\u00a0"
TODO = f"À faire{NB}:"


def ids(verdict: dict) -> list[str]:
    return [s["id"] for s in verdict["display"]["sections"]]


def placed(verdict: dict) -> str:
    """The text the layout gives when each section is placed as the CLI places it."""
    lines = [f"{verdict['display']['title']}."]
    for part in verdict["display"]["sections"]:
        bullet = "" if part["line"] is None else "  - "
        lines += [part["line"]] if part["line"] is not None else []
        lines += [bullet + item["line"] for item in part["items"]]
    return "\n".join(lines)


def test_a_verdict_with_actions_lays_them_out_under_a_to_do_heading(
        compiled: CompiledRules) -> None:
    verdict = evaluate(compiled, {**PRODUCER, "account": "trained",
                                  "manages_other_producers": True}, as_of=date(2022, 6, 1))
    shown = verdict["display"]
    assert ids(verdict) == ["answers", "plan", "permissions", "actions", "reasons", "prices"]
    assert shown["sections"] == layout(verdict, shown)  # what display() made, made again
    actions = section(shown, "actions")
    assert actions == {
        "id": "actions", "heading": "À faire", "lead": [], "line": TODO,
        "items": [{
            "label": "Ne plus gérer les catalogues d'autres producteurs (au plus tard le "
                     "31 décembre 2022)",
            "value": "Demandez aux producteurs que vous avez invités dans votre compte "
                     "d'ouvrir leur propre compte Découverte et d'y transférer leur catalogue.",
            "line": "Ne plus gérer les catalogues d'autres producteurs (au plus tard le "
                    f"31 décembre 2022){NB}: Demandez aux producteurs que vous avez invités "
                    "dans votre compte d'ouvrir leur propre compte Découverte et d'y "
                    "transférer leur catalogue.",
            "id": "stop_managing_other_producers", "link": None,
            "rules": ["trained_producers"], "deadline": "2022-12-31", "overdue": False}]}
    assert [item["label"] for item in actions["items"]] == shown["todo"]
    answers = section(shown, "answers")
    assert (answers["heading"], answers["lead"], answers["line"]) == (
        "Vos réponses", [], f"Vos réponses{NB}:")
    assert answers["items"][0] == {"label": "Rôle", "value": "Producteur ou productrice",
                                   "line": f"Rôle{NB}: Producteur ou productrice"}
    plan = section(shown, "plan")
    assert plan["heading"] == f"Votre formule{NB}: Formule MEMBRE"
    assert plan["lead"] == [shown["plan"]["summary"]]
    assert plan["line"] == f"{plan['heading']}. {shown['plan']['summary']}"
    assert [i["label"] for i in plan["items"]] == [f["label"] for f in shown["plan"]["facts"]]
    assert section(shown, "permissions")["items"] == shown["permissions"]
    assert section(shown, "permissions")["line"] == f"Ce que vous pouvez faire{NB}:"
    reasons = section(shown, "reasons")
    assert reasons["line"] == reasons["heading"] == "Pourquoi\u202f?"  # a question: no colon
    assert [i["line"] for i in reasons["items"]] == verdict["explanation"]
    assert [(i["text"], i["rule"]) for i in reasons["items"]] == [
        (r["text"], r["rule"]) for r in verdict["reasons"]]
    assert reasons["items"][0]["label"] is None
    assert reasons["items"][0]["value"] == verdict["explanation"][0]
    assert section(shown, "prices")["line"] == f"Tarifs des formules{NB}:"
    assert as_text(verdict) == placed(verdict)
    assert NOTHING_TO_DO not in as_text(verdict)


def test_with_nothing_to_do_the_layout_says_so_under_the_to_do_heading(
        compiled: CompiledRules) -> None:
    verdict = evaluate(compiled, {**PRODUCER, "account": "pro"}, as_of=date(2022, 6, 1))
    assert verdict["actions"] == [] and verdict["complete"] and verdict["in_force"]
    assert ids(verdict) == ["answers", "plan", "actions", "reasons", "prices"]
    assert section(verdict["display"], "actions") == {
        "id": "actions", "heading": "À faire", "lead": ["Rien à faire."], "items": [],
        "line": f"{TODO} Rien à faire."}
    assert f"\n{TODO} Rien à faire.\nPourquoi" in as_text(verdict)
    assert as_text(verdict) == placed(verdict)


def test_before_the_rules_apply_only_the_notice_and_the_answers_are_laid_out(
        compiled: CompiledRules) -> None:
    answers = {**PRODUCER, "account": "group_catalogue", "sales_outside_amap_eur": 5000}
    verdict = evaluate(compiled, answers, as_of=date(2021, 11, 2))
    shown = verdict["display"]
    assert verdict["complete"] and not verdict["in_force"] and verdict["actions"] == []
    assert ids(verdict) == ["notices", "answers"]  # no "Rien à faire.": nothing applies yet
    notice = shown["notices"][0]
    assert shown["sections"][0] == {"id": "notices", "heading": None, "lead": [], "line": None,
                                    "items": [{"label": None, "value": notice, "line": notice}]}
    assert section(shown, "actions") == {"id": "actions", "heading": None, "lead": [],
                                         "items": [], "line": None}
    assert as_text(verdict).split("\n")[1] == notice  # a notice stands alone, no bullet
    assert as_text(verdict) == placed(verdict)


def test_an_incomplete_profile_never_says_there_is_nothing_to_do(compiled: CompiledRules) -> None:
    verdict = evaluate(compiled, PRODUCER, as_of=date(2022, 6, 1))
    assert not verdict["complete"] and verdict["actions"] == []
    assert ids(verdict) == ["notices", "answers"]
    assert section(verdict["display"], "actions")["lead"] == []
    assert TODO not in as_text(verdict)


def test_an_answer_refused_is_laid_out_with_its_question_or_alone(compiled: CompiledRules) -> None:
    verdict = evaluate(compiled, {"role": "farmer", "unknown": 1}, as_of=date(2022, 6, 1))
    errors = section(verdict["display"], "errors")
    assert ids(verdict) == ["notices", "errors"]
    assert errors["line"] == f"Réponses à corriger{NB}:"
    by_label = {item["label"]: item for item in errors["items"]}
    message = verdict["errors"]["role"]
    assert by_label["Rôle"] == {"label": "Rôle", "value": message, "line": f"Rôle{NB}: {message}"}
    alone = by_label[None]
    assert alone["line"] == alone["value"] == verdict["errors"]["unknown"]
    assert as_text(verdict) == placed(verdict)


CHECKER_ASSETS = Path(__file__).resolve().parent.parent / "docs" / "assets" / "checker"
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre")


def test_the_browser_code_only_places_the_verdicts_words(compiled: CompiledRules) -> None:
    """No month name, number formatting or plan id in the page's scripts and styles: the
    verdict carries every word (checker.wording), the browser places them."""
    plan_ids = [p.id for p in compiled.plans]
    assets = sorted(CHECKER_ASSETS.iterdir())
    assert {"checker-ui.mjs", "checker-worker.mjs", "checker.css"} <= {p.name for p in assets}
    for path in assets:
        text = path.read_text(encoding="utf-8")
        found = [w for w in ("toLocale", "Intl.", "toFixed", "NumberFormat") if w in text]
        found += [w for w in (*MONTHS, *plan_ids) if re.search(rf"\b{w}\b", text)]
        found += [w for w in (NOTHING_TO_DO,) if w in text]  # the layout's, from Python
        assert found == [], (path.name, found)


def test_no_verdict_phrasing_outside_checker() -> None:
    """The site's builders and the CLI place the verdict's strings; the deadline and
    permission wording lives in checker.wording only."""
    root = Path(__file__).resolve().parent.parent
    phrases = ("avant le", "au plus tard", "dépassée", "échéance passée", "Vous pouvez",
               "ne pouvez plus", "peut :", "Votre formule", "Rien à faire")
    builders = sorted((root / "sitegen" / "pages").glob("*.py"))
    assert {"rules.py", "synthesis.py", "sessions.py", "plans.py"} <= {p.name for p in builders}
    for path in [*builders, root / "rulebook/cli.py"]:
        text = path.read_text(encoding="utf-8")
        assert [p for p in phrases if p in text] == [], path.name


def test_a_plan_that_says_nothing_of_what_counts_shows_no_such_line(
        compiled: CompiledRules) -> None:
    """Not a direct seller: "Pas de compte producteur" has no limit to count towards, so
    its facts say nothing of what counts (it once read « Ce qui compte : None »)."""
    verdict = evaluate(compiled, {"role": "producer", "direct_seller": False},
                       as_of=date(2023, 1, 1))
    facts = verdict["display"]["plan"]["facts"]
    assert [f["label"] for f in facts] == ["Plafond de ventes", "Comment l'obtenir"]
    assert "Ce qui compte" not in as_text(verdict) and "None" not in as_text(verdict)
    discovery = evaluate(compiled, {**PRODUCER, "account": "discovery",
                                    "sales_outside_amap_eur": 10}, as_of=date(2023, 1, 1))
    assert "Ce qui compte" in [f["label"] for f in discovery["display"]["plan"]["facts"]]
