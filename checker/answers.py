"""Validation of answers against the questions of the compiled rules.

Answers are a JSON object keyed by question id. A valid answer is kept, an
invalid one becomes an error message (in French) keyed by the question id and
is treated as unknown. Nothing here raises on bad input.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from checker.french import format_long_date, typeset
from checker.model import CompiledRules, Question

NOT_AN_OBJECT_KEY = "answers"

_SPACES = re.compile(r"[\s\u00a0\u202f']+")
_FRENCH_NUMBER = re.compile(r"^\d+(?:[.,]\d+)?$")


def _choice_list(question: Question) -> str:
    return ", ".join(f"« {c.value} » ({c.label})" for c in question.choices or ())


def _check_one(question: Question, value: Any) -> str | None:
    """Return a French error message for an invalid value, or ``None``."""
    kind = question.type
    if kind == "choice":
        if not isinstance(value, str) or value not in {c.value for c in question.choices or ()}:
            return f"Réponse non reconnue : choisissez parmi {_choice_list(question)}."
        return None
    if kind == "boolean":
        if not isinstance(value, bool):
            return "Réponse non reconnue : répondez par oui (true) ou non (false)."
        return None
    if kind == "amount":
        if isinstance(value, bool) or not isinstance(value, int | float):
            return "Indiquez un montant en euros, en chiffres (par exemple 850)."
        if not math.isfinite(value):
            return "Indiquez un montant en euros fini, en chiffres."
        if value < 0:
            return "Le montant ne peut pas être négatif."
        maximum = question.max
        if maximum is not None and value > maximum:
            return "Ce montant semble trop élevé : vérifiez le nombre de chiffres."
        return None
    return f"Type de question inconnu : {kind}."


def _not_yet(rules: CompiledRules, question: Question, value: Any, day: str) -> str | None:
    """A choice that means holding a plan, answered before that plan could be obtained."""
    choice = next((c for c in question.choices or () if c.value == value), None)
    plan = rules.plan(choice.plan) if choice and choice.plan else None
    if plan is None:
        return None
    start = plan.available_from
    if start and day < start:
        return (f"« {choice.label} » n'est possible qu'à partir du "
                f"{format_long_date(start)} : au {format_long_date(day)}, vérifiez votre "
                "réponse ou la date.")
    return None


def validate_answers(rules: CompiledRules, answers: Any,
                     day: str | None = None) -> tuple[dict[str, Any], dict[str, str]]:
    """Split ``answers`` into valid answers and French error messages by question id
    (``day``, ISO: a choice is refused before the plan it means could be obtained)."""
    if not isinstance(answers, Mapping):
        return {}, {NOT_AN_OBJECT_KEY: typeset("Les réponses doivent être un objet JSON "
                                               "(clé : valeur).")}
    questions = {q.id: q for q in rules.questions}
    valid: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for key, value in answers.items():
        if not isinstance(key, str) or key not in questions:
            known = ", ".join(questions)
            errors[str(key)] = typeset(f"Question inconnue : « {key} ». Questions possibles : "
                                       f"{known}.")
            continue
        if value is None:  # explicitly unanswered
            continue
        message = _check_one(questions[key], value)
        if message is None and day is not None and questions[key].type == "choice":
            message = _not_yet(rules, questions[key], value, day)
        if message is None:
            valid[key] = value
        else:
            errors[key] = typeset(message)
    return valid, errors


def _parse_amount(text: str) -> float | int | str:
    compact = _SPACES.sub("", text.strip()).removesuffix("€")
    if not _FRENCH_NUMBER.match(compact):
        return text
    number = float(compact.replace(",", "."))
    return int(number) if number.is_integer() else number


def parse_form_answers(rules: CompiledRules, form: Mapping[str, Any]) -> dict[str, Any]:
    """Turn form or URL strings into typed answers; unparsable text is kept as is.

    ``"true"``/``"false"`` become booleans for yes/no questions and French
    amounts such as ``"1 250,50"`` become numbers. Empty strings mean
    unanswered. What cannot be parsed is passed on unchanged so that
    :func:`validate_answers` reports it next to its field.
    """
    types = {q.id: q.type for q in rules.questions}
    typed: dict[str, Any] = {}
    for key, value in form.items():
        if not isinstance(value, str):
            typed[key] = value
            continue
        if value.strip() == "":
            continue
        kind = types.get(key)
        if kind == "boolean" and value in ("true", "false"):
            typed[key] = value == "true"
        elif kind == "amount":
            typed[key] = _parse_amount(value)
        else:
            typed[key] = value
    return typed
