"""The evaluator against the real compiled rules (the verdict's stable contract)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

from checker import evaluate, verdict_json
from checker.conditions import evaluate_condition
from checker.engine import applying_effects, prepared
from checker.model import CompiledRules, Effect, Rule
from rulebook.answer_space import complete_profiles, periods

PRODUCER = {"role": "producer", "direct_seller": True}
CONTRACT_KEYS = {"complete", "missing", "errors", "plan", "annual_limit_eur", "permissions",
                 "actions", "explanation"}


def test_verdict_has_the_contract_fields(compiled: CompiledRules) -> None:
    verdict = evaluate(compiled, {}, as_of=date(2022, 6, 1))
    assert set(verdict) >= CONTRACT_KEYS
    json.loads(verdict_json(verdict))


def test_unknown_amount_is_never_read_as_zero(compiled: CompiledRules) -> None:
    verdict = evaluate(compiled, {**PRODUCER, "account": "discovery"}, as_of="2022-06-01")
    assert verdict["missing"] == ["sales_outside_amap_eur"]
    assert verdict["hints"] == []  # the "within the limit" branch needs a known amount
    assert all(a["id"] != "upgrade_for_unlimited" for a in verdict["actions"])


def test_explanation_sentences_cite_their_rule(compiled: CompiledRules) -> None:
    verdict = evaluate(compiled, {**PRODUCER, "account": "invited", "sales_outside_amap_eur": 5},
                       as_of="2022-06-01")
    titles = {r.id: r.title for r in compiled.rules}
    assert len(verdict["explanation"]) == len(verdict["reasons"])
    for sentence, reason in zip(verdict["explanation"], verdict["reasons"], strict=True):
        assert reason["text"] in sentence
        assert titles[reason["rule"]] in sentence


def test_counterfactual_hint_quotes_the_limit_and_the_plans_that_lift_it(
        compiled: CompiledRules) -> None:
    verdict = evaluate(compiled, {**PRODUCER, "account": "none", "sales_outside_amap_eur": 10},
                       as_of="2022-06-01")
    (hint,) = verdict["hints"]
    assert compiled.parameters["discovery_annual_limit_eur"].display in hint
    assert "(Formule PRO ou Formule MEMBRE)" in hint
    prices = {p["label"]: p["value"] for p in verdict["display"]["prices"]}
    assert compiled.parameters["pro_price_yearly_eur_ht_per_month"].display in \
        prices["Formule PRO"]


def test_deadline_is_date_aware(compiled: CompiledRules) -> None:
    answers = {**PRODUCER, "account": "trained", "manages_other_producers": True}
    before = evaluate(compiled, answers, as_of="2022-12-31")["actions"][0]
    after = evaluate(compiled, answers, as_of=date(2023, 1, 1))["actions"][0]
    assert (before["deadline"], before["overdue"]) == ("2022-12-31", False)
    assert (after["deadline"], after["overdue"]) == ("2022-12-31", True)


def test_default_as_of_is_today(compiled: CompiledRules) -> None:
    assert evaluate(compiled, {})["as_of"] == date.today().isoformat()


def test_changing_an_earlier_answer_drops_later_ones(compiled: CompiledRules) -> None:
    answers = {**PRODUCER, "account": "discovery", "sales_outside_amap_eur": 5000}
    verdict = evaluate(compiled, {**answers, "account": "pro"}, as_of="2022-06-01")
    assert verdict["ignored"] == ["sales_outside_amap_eur"]
    assert "sales_outside_amap_eur" not in verdict["answers"]
    assert verdict["actions"] == []


def test_threshold_comes_from_the_parameter(compiled: CompiledRules) -> None:
    answers = {**PRODUCER, "account": "discovery", "sales_outside_amap_eur": 1500}
    assert evaluate(compiled, answers, as_of="2022-06-01")["actions"][0]["id"] == (
        "upgrade_for_unlimited")
    key = "discovery_annual_limit_eur"
    raised = replace(compiled, parameters={**compiled.parameters,
                                           key: replace(compiled.parameters[key], value=2000)})
    assert evaluate(raised, answers, as_of="2022-06-01")["actions"] == []


def _every_effect_that_holds(compiled: CompiledRules, known: dict, day: date) -> list[tuple]:
    """The effects whose condition holds, by evaluating every one (no index)."""
    if day.isoformat() < compiled.in_force_from:
        return []
    return [(rule, effect) for rule in compiled.rules for effect in rule.effects
            if evaluate_condition(effect.when, known, compiled.parameters, day) is True]


def test_indexed_effects_are_exactly_those_that_hold(compiled: CompiledRules) -> None:
    partial = [{}, {"role": "producer"}, {"role": "producer", "account": "none"},
               {"role": "coordinator"}, {"account": "trained", "direct_seller": True}]
    checked = 0
    for period in periods(compiled):
        day = period.sample
        for known in [*complete_profiles(compiled, day), *partial]:
            expected = _every_effect_that_holds(compiled, known, day)
            assert applying_effects(compiled, known, day) == expected, (known, day)
            checked += bool(expected)
    assert checked > 100  # profiles with effects, not an empty loop


def test_an_answer_that_cannot_be_indexed_falls_back_to_every_effect(
        compiled: CompiledRules) -> None:
    ready = prepared(compiled)
    everything = list(range(len(ready.effects)))
    assert ready.candidates({"account": ["none"]}) == everything
    assert set(ready.candidates({"account": "none"})) < set(everything)


def test_a_condition_on_an_unhashable_value_is_tried_on_every_verdict(
        compiled: CompiledRules) -> None:
    odd_rule = Rule(id="odd", title="Odd", number=99, slug="odd", effects=(
        Effect(when={"one_of": {"account": [["none"], "pro"]}}, explain="x"),))
    rules = replace(compiled, rules=(*compiled.rules, odd_rule))
    ready = prepared(rules)
    odd = len(ready.effects) - 1
    assert odd in ready.unguarded
    assert ready.candidates({"account": "pro"})[-1] == odd
