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
from typing import Any, TypeVar

T = TypeVar("T")
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


def _all(results: list[bool | None]) -> bool | None:
    if any(r is False for r in results):
        return False
    return None if any(r is None for r in results) else True


def _any(results: list[bool | None]) -> bool | None:
    if any(r is True for r in results):
        return True
    return None if any(r is None for r in results) else False


def fold(cond: Condition, leaf: Callable[[str, Any], T],
         branch: Callable[[str, list[T]], T]) -> T:
    """Reduce a condition bottom-up: ``leaf(kind, argument)`` for each simple condition,
    ``branch(kind, results)`` for ``all``/``any``/``not`` (the one way down the tree the
    evaluator and the plain French description take)."""
    (kind, arg), = cond.items()
    if kind in ("all", "any"):
        return branch(kind, [fold(c, leaf, branch) for c in arg])
    if kind == "not":
        return branch(kind, [fold(arg, leaf, branch)])
    return leaf(kind, arg)


def walk(cond: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str, Any]]:
    """Every node of a condition, depth first, as ``(path, kind, argument)``; the path
    goes through the kinds and list indexes. Tolerant: a malformed node (not a
    one-key mapping) is skipped, so the validator can walk what it has not checked."""
    if not isinstance(cond, Mapping) or len(cond) != 1:
        return
    (kind, arg), = cond.items()
    yield path, kind, arg
    if kind in ("all", "any") and isinstance(arg, list):
        for i, item in enumerate(arg):
            yield from walk(item, (*path, kind, i))
    elif kind == "not":
        yield from walk(arg, (*path, kind))


def leaves(cond: Condition) -> Iterator[tuple[str, Any]]:
    """Every simple condition inside ``cond`` as ``(kind, argument)``, in writing order."""
    return ((kind, arg) for _, kind, arg in walk(cond) if kind not in BRANCHES)


def evaluate_condition(cond: Condition, answers: Answers, parameters: Parameters,
                       today: date) -> bool | None:
    """Evaluate ``cond`` against known ``answers`` on ``today``; ``None`` means unknown."""
    day = today.isoformat()  # ISO dates compare as text

    def leaf(kind: str, arg: Any) -> bool | None:
        if kind == "date":
            return all(DATE_POSITIONS[position](day, parameters[pid]["value"])
                       for position, pid in arg.items())
        if kind == "compare":
            if arg["question"] not in answers:
                return None
            threshold = parameters[arg["parameter"]]["value"]
            return COMPARISONS[arg["op"]](answers[arg["question"]], threshold)
        (question, expected), = arg.items()
        if question not in answers:
            return None
        if kind == "equals":
            return answers[question] == expected
        if kind == "one_of":
            return answers[question] in expected
        raise ValueError(f"unknown condition kind: {kind!r}")

    def branch(kind: str, results: list[bool | None]) -> bool | None:
        if kind == "not":
            return None if results[0] is None else not results[0]
        return _all(results) if kind == "all" else _any(results)

    return fold(cond, leaf, branch)
