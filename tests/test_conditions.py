"""Three-valued evaluation of declarative conditions."""

from __future__ import annotations

import pytest

from checker.conditions import condition_questions, evaluate_condition

PARAMS = {"limit": {"value": 1000}}


def cmp(op: str) -> dict:
    return {"compare": {"question": "x", "op": op, "parameter": "limit"}}


@pytest.mark.parametrize(
    ("cond", "answers", "expected"),
    [
        ({"equals": {"role": "producer"}}, {"role": "producer"}, True),
        ({"equals": {"role": "producer"}}, {"role": "coordinator"}, False),
        ({"equals": {"role": "producer"}}, {}, None),
        ({"one_of": {"account": ["a", "b"]}}, {"account": "b"}, True),
        ({"one_of": {"account": ["a", "b"]}}, {"account": "c"}, False),
        (cmp("greater_than"), {"x": 1000}, False),
        (cmp("greater_than"), {"x": 1000.5}, True),
        (cmp("at_least"), {"x": 1000}, True),
        (cmp("less_than"), {"x": 1000}, False),
        (cmp("at_most"), {"x": 1000}, True),
        (cmp("at_most"), {}, None),
        ({"not": {"equals": {"a": 1}}}, {"a": 1}, False),
        ({"not": {"equals": {"a": 1}}}, {}, None),
    ],
)
def test_leaf_conditions(cond: dict, answers: dict, expected: bool | None) -> None:
    assert evaluate_condition(cond, answers, PARAMS) is expected


def test_all_is_false_as_soon_as_one_part_is_false_even_if_others_unknown() -> None:
    cond = {"all": [{"equals": {"a": 1}}, {"equals": {"b": 2}}]}
    assert evaluate_condition(cond, {"a": 0}, PARAMS) is False
    assert evaluate_condition(cond, {"a": 1}, PARAMS) is None
    assert evaluate_condition(cond, {"a": 1, "b": 2}, PARAMS) is True


def test_any_is_true_as_soon_as_one_part_is_true_even_if_others_unknown() -> None:
    cond = {"any": [{"equals": {"a": 1}}, {"equals": {"b": 2}}]}
    assert evaluate_condition(cond, {"b": 2}, PARAMS) is True
    assert evaluate_condition(cond, {"a": 0}, PARAMS) is None
    assert evaluate_condition(cond, {"a": 0, "b": 0}, PARAMS) is False


def test_condition_questions_lists_every_question_read() -> None:
    cond = {"all": [{"equals": {"a": 1}}, {"not": {"one_of": {"b": [1]}}},
                    {"compare": {"question": "c", "op": "at_most", "parameter": "limit"}}]}
    assert condition_questions(cond) == {"a", "b", "c"}
