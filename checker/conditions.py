"""Three-valued evaluation of the declarative ``when:`` conditions.

A condition is a one-key mapping:

- ``{"all": [cond, ...]}``, ``{"any": [cond, ...]}``, ``{"not": cond}``
- ``{"equals": {question_id: value}}``
- ``{"one_of": {question_id: [value, ...]}}``
- ``{"compare": {"question": id, "op": op, "parameter": parameter_id}}``
  with ``op`` one of ``greater_than``, ``at_least``, ``less_than``, ``at_most``.

The result is ``True``, ``False`` or ``None`` (unknown: an answer it depends
on is not given yet). Unknown answers are never read as "no" or 0.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

Condition = Mapping[str, Any]
Answers = Mapping[str, Any]
Parameters = Mapping[str, Mapping[str, Any]]

COMPARISONS = {
    "greater_than": lambda a, b: a > b,
    "at_least": lambda a, b: a >= b,
    "less_than": lambda a, b: a < b,
    "at_most": lambda a, b: a <= b,
}


def _all(results: list[bool | None]) -> bool | None:
    if any(r is False for r in results):
        return False
    return None if any(r is None for r in results) else True


def _any(results: list[bool | None]) -> bool | None:
    if any(r is True for r in results):
        return True
    return None if any(r is None for r in results) else False


def evaluate_condition(cond: Condition, answers: Answers, parameters: Parameters) -> bool | None:
    """Evaluate ``cond`` against known ``answers``; ``None`` means unknown."""
    (kind, arg), = cond.items()
    if kind == "all":
        return _all([evaluate_condition(c, answers, parameters) for c in arg])
    if kind == "any":
        return _any([evaluate_condition(c, answers, parameters) for c in arg])
    if kind == "not":
        inner = evaluate_condition(arg, answers, parameters)
        return None if inner is None else not inner
    if kind == "equals":
        (question, expected), = arg.items()
        if question not in answers:
            return None
        return answers[question] == expected
    if kind == "one_of":
        (question, expected), = arg.items()
        if question not in answers:
            return None
        return answers[question] in expected
    if kind == "compare":
        question = arg["question"]
        if question not in answers:
            return None
        threshold = parameters[arg["parameter"]]["value"]
        return COMPARISONS[arg["op"]](answers[question], threshold)
    raise ValueError(f"unknown condition kind: {kind!r}")


def condition_questions(cond: Condition) -> set[str]:
    """Return the ids of the questions a condition reads."""
    (kind, arg), = cond.items()
    if kind in ("all", "any"):
        return set().union(*(condition_questions(c) for c in arg))
    if kind == "not":
        return condition_questions(arg)
    if kind in ("equals", "one_of"):
        return set(arg)
    if kind == "compare":
        return {arg["question"]}
    raise ValueError(f"unknown condition kind: {kind!r}")
