"""The checker's behaviour at the edges the mutation run found untested (see
bench/mutation.py): each test states what a person sees — French texts, dates, amounts —
on, before and after a boundary."""

from __future__ import annotations

import json
from datetime import date

import pytest

from checker import limit, parse_form_answers, validate_answers
from checker.conditions import walk
from checker.dated import in_force, note, rules_on
from checker.engine import evaluate, verdict_json
from checker.entry import evaluate_request, make_evaluator
from checker.french import typeset
from checker.model import CompiledRules, Parameter
from checker.wording import deadline_note
from rulebook.compile import compiled_json
from rulebook.loader import load_rules

NBSP, NNBSP = "\u00a0", "\u202f"


# --- checker.answers -------------------------------------------------------------------

def test_an_unknown_choice_lists_every_choice_with_its_label(compiled: CompiledRules) -> None:
    _, errors = validate_answers(compiled, {"role": "farmer"})
    assert errors == {"role": (
        f"Réponse non reconnue{NBSP}: choisissez parmi «{NBSP}producer{NBSP}» (Producteur ou "
        f"productrice), «{NBSP}coordinator{NBSP}» (Coordinateur ou coordinatrice de groupe).")}


def test_a_whole_amount_from_the_form_stays_a_whole_number_in_the_verdict(
        compiled: CompiledRules) -> None:
    """``1 200`` is 1200, not 1200.0: the verdict's JSON (compared byte for byte with
    Pyodide's) and the answers shown must not grow a decimal part."""
    typed = parse_form_answers(compiled, {"sales_outside_amap_eur": "1 200"})
    assert typed == {"sales_outside_amap_eur": 1200}
    assert type(typed["sales_outside_amap_eur"]) is int
    assert type(parse_form_answers(compiled, {"sales_outside_amap_eur": "1 200,5"})
                ["sales_outside_amap_eur"]) is float
    raw = evaluate_request(compiled, {
        "form": {"role": "producer", "direct_seller": "true", "account": "discovery",
                 "sales_outside_amap_eur": "1 200"}, "as_of": "2023-03-01"})
    assert '"sales_outside_amap_eur": 1200\n' in raw
    verdict = json.loads(raw)
    assert f"1{chr(0x202f)}200{NBSP}€" in [a["value"] for a in verdict["display"]["answers"]]


def test_form_values_that_are_not_text_pass_through_and_the_rest_is_still_read(
        compiled: CompiledRules) -> None:
    """A typed value (JSON ``true``) is kept as it is, a blank field is unanswered, and
    neither stops the fields after it from being read."""
    typed = parse_form_answers(compiled, {
        "role": "producer", "direct_seller": True, "account": " ",
        "sales_outside_amap_eur": "850 €", "manages_other_producers": "false"})
    assert typed == {"role": "producer", "direct_seller": True,
                     "sales_outside_amap_eur": 850, "manages_other_producers": False}


# --- checker.entry ---------------------------------------------------------------------

PRODUCER_FORM = {"role": "producer", "direct_seller": "true", "account": "discovery",
                 "sales_outside_amap_eur": "850"}


def _request(compiled: CompiledRules, request: dict) -> dict:
    return json.loads(evaluate_request(compiled, request))


def test_a_request_reads_its_day_and_falls_back_to_today(compiled: CompiledRules) -> None:
    today = date.today().isoformat()
    on = _request(compiled, {"form": PRODUCER_FORM, "as_of": "2022-01-31"})
    assert on["as_of"] == "2022-01-31"
    assert on["display"]["title"] == "Résultat au 31 janvier 2022"
    for unreadable in ("2022-02-30", "31/01/2022", 20220131, None, ""):
        assert _request(compiled, {"form": PRODUCER_FORM, "as_of": unreadable})["as_of"] == today
    assert _request(compiled, {"form": PRODUCER_FORM})["as_of"] == today


def test_a_request_takes_form_strings_or_typed_answers(compiled: CompiledRules) -> None:
    typed = {"role": "producer", "direct_seller": True, "account": "discovery",
             "sales_outside_amap_eur": 850}
    from_form = _request(compiled, {"form": PRODUCER_FORM, "as_of": "2023-03-01"})
    from_answers = _request(compiled, {"answers": typed, "as_of": "2023-03-01"})
    assert from_form == from_answers
    assert from_form["answers"] == typed
    assert from_form["plan_name"] == "Compte Découverte"
    # Form strings given as typed answers are refused, not parsed.
    as_answers = _request(compiled, {"answers": PRODUCER_FORM, "as_of": "2023-03-01"})
    assert set(as_answers["errors"]) == {"direct_seller", "sales_outside_amap_eur"}


def test_a_request_without_an_object_of_answers_says_so_in_french(compiled: CompiledRules) -> None:
    expected = {"answers": f"Les réponses doivent être un objet JSON (clé{NBSP}: valeur)."}
    for request in ({"form": ["producer"]}, {"answers": "producer"}, {}):
        verdict = _request(compiled, {**request, "as_of": "2023-03-01"})
        assert verdict["errors"] == expected
        assert verdict["missing"] == ["role"]


def test_the_evaluator_reads_the_rules_once_and_answers_json_text(compiled: CompiledRules) -> None:
    run = make_evaluator(compiled_json(compiled))
    text = run(json.dumps({"form": PRODUCER_FORM, "as_of": "2023-03-01"}))
    assert text == evaluate_request(compiled, {"form": PRODUCER_FORM, "as_of": "2023-03-01"})
    assert json.loads(text)["plan"] == "discovery"
    assert run('{"answers": {"role": "coordinator"}, "as_of": "2023-03-01"}') != text


# --- checker.conditions: the tolerant walk the validator reads --------------------------

def test_the_walk_gives_each_node_its_path_through_kinds_and_indexes() -> None:
    cond = {"all": [{"equals": {"role": "producer"}},
                    {"not": {"one_of": {"account": ["pro", "trained"]}}}]}
    assert [(path, kind) for path, kind, _ in walk(cond)] == [
        ((), "all"), (("all", 0), "equals"), (("all", 1), "not"),
        (("all", 1, "not"), "one_of")]
    assert list(walk({"not": {"equals": {"role": "producer"}}}, ("rules", 3, "when"))) == [
        (("rules", 3, "when"), "not", {"equals": {"role": "producer"}}),
        (("rules", 3, "when", "not"), "equals", {"role": "producer"})]


def test_the_walk_skips_what_is_not_a_condition_and_never_enters_a_leaf() -> None:
    for broken in (None, "role", ["equals"], [{"equals": {"role": "producer"}}],
                   {"equals": {"role": "producer"}, "one_of": {"role": ["producer"]}}, {}):
        assert list(walk(broken)) == []
    # A leaf whose argument is a list is one node: its items are answers, not conditions.
    leaf = {"one_of": [{"equals": {"role": "producer"}}]}
    assert list(walk(leaf)) == [((), "one_of", [{"equals": {"role": "producer"}}])]
    assert [kind for _, kind, _ in walk({"any": [None, {"equals": {"role": "x"}}, "x"]})] == [
        "any", "equals"]


# --- checker.dated ------------------------------------------------------------------------

PRICE = Parameter(value=39, display="39 € HT/mois", unit="eur_ht_per_month", label="Prix")


def test_a_parameter_that_never_changes_is_always_its_first_value() -> None:
    for day in ("2021-11-03", "2027-01-01", "2099-12-31"):
        assert in_force(PRICE, day) == 0
        assert note(PRICE, day) is None


@pytest.fixture(scope="module")
def limit_1500(tmp_path_factory: pytest.TempPathFactory) -> dict:
    from tests.test_dated_values import LIMIT_1500, edited
    from tests.test_one_edit import data_copy
    return load_rules(data_copy(tmp_path_factory.mktemp("limit"), edited(LIMIT_1500))).compiled


def test_a_limited_plan_shows_the_limit_of_the_day(limit_1500: dict) -> None:
    for day, cap, shown in (("2027-01-02", 1500, f"1{NNBSP}500{NBSP}€"),
                              ("2027-01-01", 1500, f"1{NNBSP}500{NBSP}€"),
                              ("2026-12-31", 1000, f"1{NNBSP}000{NBSP}€")):
        plans = {p.id: p for p in rules_on(limit_1500, day).plans}
        assert (plans["discovery"].annual_limit_eur,
                plans["discovery"].annual_limit_display) == (cap, shown), day
        assert plans["pro"] == limit_1500.plan("pro")


# --- checker.engine: the verdict's JSON, compared byte for byte with Pyodide's -----------

def test_the_verdict_json_is_sorted_indented_by_two_and_keeps_french_letters(
        compiled: CompiledRules) -> None:
    answers = {"sales_outside_amap_eur": 850, "account": "discovery", "direct_seller": True,
               "role": "producer"}
    text = verdict_json(evaluate(compiled, answers, as_of="2023-03-01"))
    assert text.startswith('{\n  "actions": [],\n  "annual_limit_eur": 1000,\n  "answers": {\n'
                           '    "account": "discovery",\n    "direct_seller": true,\n'
                           '    "role": "producer",\n    "sales_outside_amap_eur": 850\n  },\n'
                           '  "as_of": "2023-03-01",\n')
    assert '"title": "Résultat au 1er mars 2023"' in text  # not \u00e9
    assert f'"value": "850{NBSP}€"' in text
    top = [line[3:].partition('"')[0] for line in text.splitlines()
           if line.startswith('  "')]
    assert top == sorted(top) and len(top) == len(json.loads(text))
    # The same answers in another order: the same bytes.
    assert verdict_json(evaluate(compiled, dict(reversed(answers.items())),
                                 as_of="2023-03-01")) == text


# --- checker.limit ------------------------------------------------------------------------

def test_the_limits_sentence_templates_are_typeset_once_made() -> None:
    """The templates are made at import; made again, they get French spacing (the values
    that fill them are typeset already, so a verdict typesets nothing itself)."""
    made = limit._french(offer="Offre de lancement : {which} ; le plafond « {cap} »")
    assert made == {"offer": f"Offre de lancement{NBSP}: {{which}}{NNBSP}; le plafond "
                             f"«{NBSP}{{cap}}{NBSP}»"}
    assert all(typeset(text) == text for text in limit.SAY.values())


# --- checker.wording ----------------------------------------------------------------------

@pytest.mark.parametrize(("today", "note_text"), [
    (date(2022, 12, 30), "31 décembre 2022 (à venir au 30 décembre 2022)"),
    (date(2022, 12, 31), "31 décembre 2022 (c'est aujourd'hui)"),
    (date(2023, 1, 1), "31 décembre 2022 (dépassée au 1er janvier 2023)"),
])
def test_a_deadline_alone_is_to_come_today_or_passed(today: date, note_text: str) -> None:
    assert deadline_note("2022-12-31", today) == note_text
