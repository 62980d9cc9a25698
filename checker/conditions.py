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

from checker.model import Condition, Parameter

T = TypeVar("T")
Answers = Mapping[str, Any]
Parameters = Mapping[str, Parameter]
Predicate = Callable[[Answers, Parameters, str], "bool | None"]

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


def _leaf_predicate(kind: str, arg: Any) -> Predicate:
    if kind == "date":
        checks = [(DATE_POSITIONS[position], pid) for position, pid in arg.items()]
        return lambda answers, parameters, day: all(
            holds(day, parameters[pid].value) for holds, pid in checks)
    if kind == "compare":
        question, holds, pid = arg["question"], COMPARISONS[arg["op"]], arg["parameter"]
        return lambda answers, parameters, day: (
            None if question not in answers
            else holds(answers[question], parameters[pid].value))
    (question, expected), = arg.items()
    if kind == "equals":
        return lambda answers, parameters, day: (
            None if question not in answers else answers[question] == expected)
    if kind == "one_of":
        return lambda answers, parameters, day: (
            None if question not in answers else answers[question] in expected)
    raise ValueError(f"unknown condition kind: {kind!r}")


def _branch_predicate(kind: str, parts: list[Predicate]) -> Predicate:
    if kind == "not":
        (part,) = parts

        def negated(answers: Answers, parameters: Parameters, day: str) -> bool | None:
            result = part(answers, parameters, day)
            return None if result is None else not result
        return negated
    decisive = kind == "any"  # the result that ends the loop: True for any, False for all

    def combined(answers: Answers, parameters: Parameters, day: str) -> bool | None:
        unknown = False
        for part in parts:  # a plain loop: this runs for every effect of every verdict
            result = part(answers, parameters, day)
            if result is decisive:
                return decisive
            unknown = unknown or result is None
        return None if unknown else not decisive
    return combined


def predicate(cond: Condition) -> Predicate:
    """``cond`` made into a function of ``(answers, parameters, ISO day)`` -> ``True``,
    ``False`` or ``None`` (unknown). Built once, it evaluates a condition many times
    without walking it again; parameters are read at each call."""
    return fold(cond, _leaf_predicate, _branch_predicate)


def evaluate_condition(cond: Condition, answers: Answers, parameters: Parameters,
                       today: date) -> bool | None:
    """Evaluate ``cond`` against known ``answers`` on ``today``; ``None`` means unknown."""
    return predicate(cond)(answers, parameters, today.isoformat())  # ISO dates compare as text
