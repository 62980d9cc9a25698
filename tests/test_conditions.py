"""Three-valued evaluation of declarative conditions."""

from __future__ import annotations

from datetime import date

import pytest

from checker.conditions import evaluate_condition, leaves
from checker.model import Parameter


def _parameter(value: object) -> Parameter:
    return Parameter(value=value, unit="eur", label="x", display=str(value))


PARAMS = {"limit": _parameter(1000), "deadline": _parameter("2022-12-31"),
          "start": _parameter("2021-11-03")}
DAY = date(2022, 6, 1)


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
    assert evaluate_condition(cond, answers, PARAMS, DAY) is expected


def test_all_is_false_as_soon_as_one_part_is_false_even_if_others_unknown() -> None:
    cond = {"all": [{"equals": {"a": 1}}, {"equals": {"b": 2}}]}
    assert evaluate_condition(cond, {"a": 0}, PARAMS, DAY) is False
    assert evaluate_condition(cond, {"a": 1}, PARAMS, DAY) is None
    assert evaluate_condition(cond, {"a": 1, "b": 2}, PARAMS, DAY) is True


def test_any_is_true_as_soon_as_one_part_is_true_even_if_others_unknown() -> None:
    cond = {"any": [{"equals": {"a": 1}}, {"equals": {"b": 2}}]}
    assert evaluate_condition(cond, {"b": 2}, PARAMS, DAY) is True
    assert evaluate_condition(cond, {"a": 0}, PARAMS, DAY) is None
    assert evaluate_condition(cond, {"a": 0, "b": 0}, PARAMS, DAY) is False


@pytest.mark.parametrize(
    ("position", "day", "expected"),
    [
        ("before", "2022-12-30", True), ("before", "2022-12-31", False),
        ("until", "2022-12-31", True), ("until", "2023-01-01", False),
        ("on_day", "2022-12-31", True), ("on_day", "2022-12-30", False),
        ("on_day", "2023-01-01", False),
        ("from", "2022-12-31", True), ("from", "2022-12-30", False),
        ("after", "2023-01-01", True), ("after", "2022-12-31", False),
    ],
)
def test_date_positions_around_the_day_itself(position: str, day: str, expected: bool) -> None:
    cond = {"date": {position: "deadline"}}
    assert evaluate_condition(cond, {}, PARAMS, date.fromisoformat(day)) is expected


def test_a_period_is_every_position_at_once_and_the_date_is_never_unknown() -> None:
    period = {"date": {"from": "start", "until": "deadline"}}
    assert evaluate_condition(period, {}, PARAMS, date(2021, 11, 3)) is True
    assert evaluate_condition(period, {}, PARAMS, date(2021, 11, 2)) is False
    assert evaluate_condition(period, {}, PARAMS, date(2023, 1, 1)) is False
    mixed = {"all": [{"equals": {"a": 1}}, {"date": {"after": "deadline"}}]}
    assert evaluate_condition(mixed, {}, PARAMS, date(2022, 6, 1)) is False  # date decides
    assert evaluate_condition(mixed, {}, PARAMS, date(2023, 6, 1)) is None  # answer unknown


def test_leaves_walks_every_simple_condition_in_order() -> None:
    cond = {"all": [{"equals": {"a": 1}}, {"not": {"one_of": {"b": [1]}}},
                    {"any": [{"compare": {"question": "c", "op": "at_most", "parameter": "limit"}},
                             {"date": {"after": "deadline"}}]}]}
    assert [kind for kind, _ in leaves(cond)] == ["equals", "one_of", "compare", "date"]
