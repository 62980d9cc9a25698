"""Three-valued evaluation of the declarative ``when:`` conditions.

A condition is a one-key mapping:

- ``{"all": [cond, ...]}``, ``{"any": [cond, ...]}``, ``{"not": cond}``
- ``{"equals": {question_id: value}}``
- ``{"one_of": {question_id: [value, ...]}}``
- ``{"compare": {"question": id, "op": op, "parameter": parameter_id}}``
  with ``op`` one of ``greater_than``, ``at_least``, ``less_than``, ``at_most``.
- ``{"date": {position: date_parameter_id, ...}}``: the evaluation date
  against date parameters, ``position`` one of ``before`` (strictly before),
  ``until`` (on or before), ``on_day``, ``from`` (on or after), ``after``
  (strictly after); several positions must all hold (a period).

The result is ``True``, ``False`` or ``None`` (unknown: an answer it depends
on is not given yet). Unknown answers are never read as "no" or 0; the date
is always known.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import date
from typing import Any

Condition = Mapping[str, Any]
Answers = Mapping[str, Any]
Parameters = Mapping[str, Mapping[str, Any]]

COMPARISONS: dict[str, Callable[[Any, Any], bool]] = {
    "greater_than": lambda a, b: a > b,
    "at_least": lambda a, b: a >= b,
    "less_than": lambda a, b: a < b,
    "at_most": lambda a, b: a <= b,
}
DATE_POSITIONS: dict[str, Callable[[str, str], bool]] = {
    "before": lambda day, bound: day < bound,
    "until": lambda day, bound: day <= bound,
    "on_day": lambda day, bound: day == bound,
    "from": lambda day, bound: day >= bound,
    "after": lambda day, bound: day > bound,
}
BRANCHES = ("all", "any", "not")


def _all(results: Iterator[bool | None]) -> bool | None:
    unknown = False
    for r in results:
        if r is False:
            return False
        unknown = unknown or r is None
    return None if unknown else True


def _any(results: Iterator[bool | None]) -> bool | None:
    unknown = False
    for r in results:
        if r is True:
            return True
        unknown = unknown or r is None
    return None if unknown else False


def evaluate_condition(cond: Condition, answers: Answers, parameters: Parameters,
                       today: date) -> bool | None:
    """Evaluate ``cond`` against known ``answers`` on ``today``; ``None`` means unknown."""
    (kind, arg), = cond.items()
    if kind == "all":
        return _all(evaluate_condition(c, answers, parameters, today) for c in arg)
    if kind == "any":
        return _any(evaluate_condition(c, answers, parameters, today) for c in arg)
    if kind == "not":
        inner = evaluate_condition(arg, answers, parameters, today)
        return None if inner is None else not inner
    if kind == "date":
        day = today.isoformat()  # ISO dates compare as text
        return all(DATE_POSITIONS[position](day, parameters[pid]["value"])
                   for position, pid in arg.items())
    if kind == "compare":
        question = arg["question"]
        if question not in answers:
            return None
        threshold = parameters[arg["parameter"]]["value"]
        return COMPARISONS[arg["op"]](answers[question], threshold)
    (question, expected), = arg.items()
    if question not in answers:
        return None
    if kind == "equals":
        return answers[question] == expected
    if kind == "one_of":
        return answers[question] in expected
    raise ValueError(f"unknown condition kind: {kind!r}")


def leaves(cond: Condition) -> Iterator[tuple[str, Any]]:
    """Every simple condition inside ``cond`` as ``(kind, argument)``, in writing order.

    The one walk over the condition tree for whoever needs its parts (the
    questions or parameters it reads, the thresholds and dates it compares with).
    """
    (kind, arg), = cond.items()
    if kind in ("all", "any"):
        for c in arg:
            yield from leaves(c)
    elif kind == "not":
        yield from leaves(arg)
    else:
        yield kind, arg
