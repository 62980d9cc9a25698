"""Conditions and answers in plain French, from the questions' ``short`` labels
and choice labels of the compiled rules (what the rule pages and the decision
table show). The lines are Markdown (``*Short* : label``): ``text`` is how a text of
the rules is written into them (the site escapes it as a plain text)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from checker.conditions import fold
from checker.model import CompiledRules, Question
from rulebook.formatting import format_eur, format_words

DATE_WORDS = {
    "before": "avant le {}",
    "until": "jusqu'au {} inclus",
    "on_day": "le {}",
    "from": "à partir du {}",
    "after": "après le {}",
}
HEADS = {"any": "- l'une des situations suivantes :", "not": "- il n'est pas vrai que :"}
Text = Callable[[str], str]
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


def question(compiled: CompiledRules, question_id: str) -> Question:
    """The compiled question with this id."""
    return next(q for q in compiled.questions if q.id == question_id)


def answer_label(q: Question, value: Any) -> str:
    """The French label of one answer: choice label, ``oui``/``non``, amount or range."""
    if isinstance(value, AmountRange):
        return value.label()
    if q.type == "choice":
        return next(c.label for c in q.choices or () if c.value == value)
    if q.type == "boolean":
        return "oui" if value else "non"
    return format_eur(value)


def clause(compiled: CompiledRules, cond: Mapping[str, Any], text: Text = str) -> str:
    """One simple condition (equals, one_of, compare, date) as ``*Short* : value``."""
    (kind, arg), = cond.items()
    if kind == "date":
        days = [DATE_WORDS[position].format(text(compiled.parameters[pid].display))
                for position, pid in arg.items()]
        return f"*Date* : {' et '.join(days)}"
    if kind == "compare":
        q = question(compiled, arg["question"])
        bound = text(compiled.parameters[arg["parameter"]].display)
        return f"*{text(q.short)}* : {COMPARISON_WORDS[arg['op']].format(bound)}"
    (question_id, expected), = arg.items()
    q = question(compiled, question_id)
    if kind == "equals":
        return f"*{text(q.short)}* : {text(answer_label(q, expected))}"
    labels = [f"« {text(answer_label(q, v))} »" for v in expected]
    return f"*{text(q.short)}* : {format_words(labels, 'ou')}"


def condition_lines(compiled: CompiledRules, cond: Mapping[str, Any], indent: int = 0,
                    text: Text = str) -> list[str]:
    """A condition as Markdown bullet lines; the top-level bullets must all hold."""

    def leaf(kind: str, arg: Any) -> tuple[str, list[str]]:
        return kind, [f"- {clause(compiled, {kind: arg}, text)}"]

    def nested(part: tuple[str, list[str]]) -> list[str]:
        """A part of ``any``/``not``: an ``all`` becomes one bullet holding its parts."""
        kind, lines = part
        inner = [" " * 4 + line for line in lines]
        return ["- toutes ces conditions :", *inner] if kind == "all" else lines

    def branch(kind: str, parts: list[tuple[str, list[str]]]) -> tuple[str, list[str]]:
        if kind == "all":
            return kind, [line for _, lines in parts for line in lines]
        head = HEADS[kind]
        return kind, [head, *(" " * 4 + line for part in parts for line in nested(part))]

    _, lines = fold(cond, leaf, branch)
    return [" " * indent + line for line in lines]


def answers_lines(compiled: CompiledRules, answers: Mapping[str, Any],
                  text: Text = str) -> list[str]:
    """Each answer as ``*Short* : label``, in the questions' order."""
    return [f"*{text(q.short)}* : {text(answer_label(q, answers[q.id]))}"
            for q in compiled.questions if q.id in answers]
