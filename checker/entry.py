"""The one entry point of the browser: what the worker, the Node parity harness
and the tests call, so that the page runs exactly the code that is tested.

A request is a JSON object: ``{"form": {question_id: "text"}, "as_of": "YYYY-MM-DD"}``
(strings as the form and the address send them, parsed by
:func:`checker.answers.parse_form_answers`) or ``{"answers": {...}, "as_of": ...}``
(typed answers, as the CLI reads them). The answer is the verdict's JSON text.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from checker.answers import parse_form_answers
from checker.engine import evaluate, verdict_json
from checker.model import CompiledRules, compiled_rules


def _day(value: Any) -> date | None:
    """An ISO date, or ``None`` (today) when absent or unreadable."""
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def evaluate_request(rules: CompiledRules, request: Mapping[str, Any]) -> str:
    """Evaluate one request (form strings or typed answers) into verdict JSON text."""
    if "form" in request:
        form = request["form"]
        answers = parse_form_answers(rules, form) if isinstance(form, Mapping) else form
    else:
        answers = request.get("answers")
    return verdict_json(evaluate(rules, answers, as_of=_day(request.get("as_of"))))


def make_evaluator(rules_json: str) -> Callable[[str], str]:
    """Read the compiled rules once; return ``request JSON text -> verdict JSON text``."""
    rules = compiled_rules(json.loads(rules_json))

    def run(request_json: str) -> str:
        return evaluate_request(rules, json.loads(request_json))

    return run
