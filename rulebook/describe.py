"""Conditions and answers in plain French, from the questions' ``short`` labels
and choice labels of the compiled rules (what the rule pages and the decision
table show)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from rulebook.formatting import format_eur, format_words

Compiled = Mapping[str, Any]

DATE_WORDS = {
    "before": "avant le {}",
    "until": "jusqu'au {} inclus",
    "on_day": "le {}",
    "from": "à partir du {}",
    "after": "après le {}",
}
COMPARISON_WORDS = {
    "greater_than": "plus de {}",
    "at_least": "au moins {}",
    "less_than": "moins de {}",
    "at_most": "au plus {}",
}


@dataclass(frozen=True)
class AmountRange:
    """A range of amounts that all lead to the same verdict.

    ``low`` is ``None`` (from 0) or ``("gt" | "ge", bound)``; ``high`` is
    ``None`` (no upper bound) or ``("lt" | "le", bound)``.
    """

    low: tuple[str, float] | None = None
    high: tuple[str, float] | None = None

    def label(self) -> str:
        """``jusqu'à 1 000 €``, ``plus de 1 000 €``…"""
        parts = []
        if self.low is not None:
            op, bound = self.low
            parts.append(f"plus de {format_eur(bound)}" if op == "gt"
                         else f"{format_eur(bound)} ou plus")
        if self.high is not None:
            op, bound = self.high
            parts.append(f"jusqu'à {format_eur(bound)}" if op == "le"
                         else f"moins de {format_eur(bound)}")
        return " et ".join(parts) if parts else "quel que soit le montant"


def question(compiled: Compiled, question_id: str) -> Mapping[str, Any]:
    """The compiled question with this id."""
    return next(q for q in compiled["questions"] if q["id"] == question_id)


def answer_label(q: Mapping[str, Any], value: Any) -> str:
    """The French label of one answer: choice label, ``oui``/``non``, amount or range."""
    if isinstance(value, AmountRange):
        return value.label()
    if q["type"] == "choice":
        return next(c["label"] for c in q["choices"] if c["value"] == value)
    if q["type"] == "boolean":
        return "oui" if value else "non"
    return format_eur(value)


def clause(compiled: Compiled, cond: Mapping[str, Any]) -> str:
    """One simple condition (equals, one_of, compare, date) as ``*Short* : value``."""
    (kind, arg), = cond.items()
    if kind == "date":
        days = [DATE_WORDS[position].format(compiled["parameters"][pid]["display"])
                for position, pid in arg.items()]
        return f"*Date* : {' et '.join(days)}"
    if kind == "compare":
        q = question(compiled, arg["question"])
        bound = compiled["parameters"][arg["parameter"]]["display"]
        return f"*{q['short']}* : {COMPARISON_WORDS[arg['op']].format(bound)}"
    (question_id, expected), = arg.items()
    q = question(compiled, question_id)
    if kind == "equals":
        return f"*{q['short']}* : {answer_label(q, expected)}"
    labels = [f"« {answer_label(q, v)} »" for v in expected]
    return f"*{q['short']}* : {format_words(labels, 'ou')}"


def condition_lines(compiled: Compiled, cond: Mapping[str, Any], indent: int = 0) -> list[str]:
    """A condition as Markdown bullet lines; the top-level bullets must all hold."""
    pad = " " * indent
    (kind, arg), = cond.items()
    if kind == "all":
        return [line for c in arg for line in condition_lines(compiled, c, indent)]
    if kind == "any":
        lines = [f"{pad}- l'une des situations suivantes :"]
        for c in arg:
            lines += _nested(compiled, c, indent + 4)
        return lines
    if kind == "not":
        return [f"{pad}- il n'est pas vrai que :", *_nested(compiled, arg, indent + 4)]
    return [f"{pad}- {clause(compiled, cond)}"]


def _nested(compiled: Compiled, cond: Mapping[str, Any], indent: int) -> list[str]:
    """Sub-conditions of ``any``/``not``: an ``all`` becomes one bullet with its parts."""
    (kind, arg), = cond.items()
    if kind != "all":
        return condition_lines(compiled, cond, indent)
    pad = " " * indent
    lines = [f"{pad}- toutes ces conditions :"]
    for c in arg:
        lines += condition_lines(compiled, c, indent + 4)
    return lines


def answers_lines(compiled: Compiled, answers: Mapping[str, Any]) -> list[str]:
    """Each answer as ``*Short* : label``, in the questions' order."""
    return [f"*{q['short']}* : {answer_label(q, answers[q['id']])}"
            for q in compiled["questions"] if q["id"] in answers]
