"""Enumeration of every complete answer set, for static checks and the
decision table. Amounts are sampled at the boundaries of the parameters they
are compared with, so every branch of every condition is reached."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from checker.conditions import evaluate_condition


def _compare_points(compiled: dict[str, Any], question_id: str) -> list[float]:
    """Amounts that fall on each side of every threshold compared with ``question_id``."""
    thresholds: set[float] = set()

    def walk(cond: Any) -> None:
        (kind, arg), = cond.items()
        if kind in ("all", "any"):
            for c in arg:
                walk(c)
        elif kind == "not":
            walk(arg)
        elif kind == "compare" and arg["question"] == question_id:
            thresholds.add(compiled["parameters"][arg["parameter"]]["value"])

    for q in compiled["questions"]:
        if q.get("ask_when"):
            walk(q["ask_when"])
    for rule in compiled["rules"]:
        for effect in rule["effects"]:
            walk(effect["when"])
    points = {0.0}
    for t in thresholds:
        points.update({max(t - 1, 0), t, t + 1})
    return sorted(points)


def question_values(compiled: dict[str, Any], question: dict[str, Any]) -> list[Any]:
    """The representative values of one question."""
    if question["type"] == "choice":
        return [c["value"] for c in question["choices"]]
    if question["type"] == "boolean":
        return [True, False]
    return [int(v) if float(v).is_integer() else v
            for v in _compare_points(compiled, question["id"])]


def complete_profiles(compiled: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Yield every complete answer set, asking only relevant questions, in order."""
    questions = compiled["questions"]
    parameters = compiled["parameters"]

    def walk(index: int, answers: dict[str, Any]) -> Iterator[dict[str, Any]]:
        if index == len(questions):
            yield dict(answers)
            return
        question = questions[index]
        ask_when = question.get("ask_when")
        if ask_when is not None and evaluate_condition(ask_when, answers, parameters) is not True:
            yield from walk(index + 1, answers)
            return
        for value in question_values(compiled, question):
            answers[question["id"]] = value
            yield from walk(index + 1, answers)
            del answers[question["id"]]

    yield from walk(0, {})
