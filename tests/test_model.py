"""The compiled rules' model (``checker/model.py``): what the browser receives is the model
the compiler built, read back whole; a field at its default is left out of the JSON."""

from __future__ import annotations

import json

import pytest

from checker.model import (
    Action,
    Change,
    Choice,
    CompiledRules,
    Effect,
    Parameter,
    Permission,
    Plan,
    Question,
    Rule,
    compiled_rules,
    to_json,
)
from rulebook.compile import compiled_json
from rulebook.loader import load_rules
from tests.test_dated_values import PRICE_42, edited
from tests.test_one_edit import data_copy


@pytest.fixture(scope="module")
def price_42(tmp_path_factory: pytest.TempPathFactory) -> CompiledRules:
    """The real rules, the monthly PRO price changing on 1 January 2027."""
    return load_rules(data_copy(tmp_path_factory.mktemp("price"), edited(PRICE_42))).compiled


def _read_back(model: CompiledRules) -> CompiledRules:
    return compiled_rules(json.loads(compiled_json(model)))


def test_the_real_rules_come_back_whole_from_their_json(compiled: CompiledRules) -> None:
    again = _read_back(compiled)
    assert again == compiled
    assert compiled_json(again) == compiled_json(compiled)
    assert isinstance(again.rules[0].effects[0], Effect)
    assert isinstance(again.questions, tuple) and isinstance(again.rules[0].effects, tuple)


def test_dated_values_and_listed_ids_come_back_as_the_model_s(
        price_42: CompiledRules) -> None:
    again = _read_back(price_42)
    assert again == price_42
    price = again.parameters["pro_price_monthly_eur_ht_per_month"]
    shown = "42\u00a0€\u00a0HT/mois"
    assert price.changes == (Change(since="2027-01-01", value=42, display=shown),)
    upgrade = next(a for a in again.actions if a.plans)
    assert isinstance(upgrade.plans, tuple) and upgrade.plans == ("pro", "member")


def test_a_field_at_its_default_is_left_out_and_any_other_value_kept() -> None:
    written = {"summary": "S", "how_to_get": "H", "limit_label": "L"}
    assert to_json(Plan(id="none", name="Aucun", **written)) == {
        "id": "none", "name": "Aucun", **written}
    assert to_json(Plan(id="pro", name="PRO", unlimited=True, sells=True,
                        annual_limit_eur=0, **written)) == {
        "id": "pro", "name": "PRO", "unlimited": True, "sells": True, "annual_limit_eur": 0,
        **written}
    assert to_json(Effect(when={"equals": {"q": False}}, explain="x")) == {
        "when": {"equals": {"q": False}}, "explain": "x"}
    assert to_json(Effect(when={}, explain="x", permissions={"p": False})) == {
        "when": {}, "explain": "x", "permissions": {"p": False}}
    assert to_json(Question(id="a", type="amount", label="L", short="S", max=0)) == {
        "id": "a", "type": "amount", "label": "L", "short": "S", "max": 0}
    assert to_json(Question(id="c", type="choice", label="L", short="S", choices=())) == {
        "id": "c", "type": "choice", "label": "L", "short": "S", "choices": []}
    assert to_json(Parameter(value=1, unit="eur", label="L", display="1 €")) == {
        "value": 1, "unit": "eur", "label": "L", "display": "1 €"}


def test_what_is_left_out_comes_back_as_its_default() -> None:
    assert compiled_rules({
        "format": 4, "title": "T", "in_force_from": "2021-11-03",
        "parameters": {"p": {"value": 1, "unit": "eur", "label": "L", "display": "1 €",
                             "changes": [{"since": "2027-01-01", "value": 2,
                                          "display": "2 €"}]}},
        "questions": [{"id": "c", "type": "choice", "label": "L", "short": "S",
                       "choices": [{"value": "v", "label": "V"}]}],
        "plan_required_when": {"not": {"equals": {"c": "v"}}},
        "plans": [{"id": "none", "name": "Aucun", "summary": "S", "how_to_get": "H",
                   "limit_label": "L"}], "permissions": [],
        "actions": [{"id": "a", "title": "A", "text": "T", "plans": ["none"]}],
        "rules": [{"id": "r", "number": 1, "title": "R", "slug": "r",
                   "effects": [{"when": {"equals": {"c": "v"}}, "explain": "E"}]}],
    }) == CompiledRules(
        format=4, title="T", in_force_from="2021-11-03",
        parameters={"p": Parameter(value=1, unit="eur", label="L", display="1 €",
                                   changes=(Change(since="2027-01-01", value=2,
                                                   display="2 €"),))},
        questions=(Question(id="c", type="choice", label="L", short="S",
                            choices=(Choice(value="v", label="V"),)),),
        plan_required_when={"not": {"equals": {"c": "v"}}},
        plans=(Plan(id="none", name="Aucun", summary="S", how_to_get="H", limit_label="L"),),
        permissions=(),
        actions=(Action(id="a", title="A", text="T", plans=("none",)),),
        limit=None,
        rules=(Rule(id="r", number=1, title="R", slug="r",
                    effects=(Effect(when={"equals": {"c": "v"}}, explain="E"),)),))


def test_a_closed_question_lists_its_answers_in_order_an_amount_none() -> None:
    choices = (Choice(value="b", label="B"), Choice(value="a", label="A"))
    assert Question(id="c", type="choice", label="L", short="S",
                    choices=choices).closed_values == ["b", "a"]
    assert Question(id="c", type="choice", label="L", short="S").closed_values == []
    assert Question(id="y", type="boolean", label="L", short="S").closed_values == [True, False]
    assert Question(id="m", type="amount", label="L", short="S").closed_values is None


def test_a_rule_is_named_once_by_its_number_and_title(compiled: CompiledRules) -> None:
    rule = Rule(id="r", number=2, title="Le compte Découverte", slug="r")
    assert rule.number_title == "2 — Le compte Découverte"
    assert rule.label == "règle 2 — Le compte Découverte"
    assert compiled.plan("pro") is next(p for p in compiled.plans if p.id == "pro")
    assert compiled.plan("unknown") is None and compiled.plan(None) is None


def test_a_model_is_frozen_compared_by_its_fields_and_shown_whole() -> None:
    from dataclasses import FrozenInstanceError, replace

    choice = Choice(value="v", label="V")
    with pytest.raises(FrozenInstanceError, match="cannot assign to field 'label'"):
        choice.label = "W"  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError, match="cannot delete field 'label'"):
        del choice.label  # type: ignore[misc]
    assert choice.label == "V"
    changed = replace(choice, label="W")
    assert changed == Choice(value="v", label="W") != choice
    with pytest.raises(FrozenInstanceError):
        changed.plan = "pro"  # type: ignore[misc]
    assert choice != Permission(id="v", label="V") and choice != ("v", "V", None)
    assert hash(choice) == hash(Choice(value="v", label="V")) != hash(changed)
    assert len({choice, Choice(value="v", label="V"), changed}) == 2
    assert repr(choice) == "Choice(value='v', label='V', plan=None)"
