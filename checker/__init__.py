"""Eligibility checker for the Cagette.net rules of 3 November 2021.

Standard library only: the same code runs in CPython (CLI, tests, site build)
and in Pyodide (the browser). It reads the *compiled* rules, the model of
:mod:`checker.model` built from ``data/rules.yaml`` by the build side (and sent to
the browser as its JSON), never YAML.
"""

from checker.answers import parse_form_answers, validate_answers
from checker.conditions import evaluate_condition, leaves
from checker.engine import evaluate, verdict_json
from checker.wording import as_text

__all__ = [
    "as_text",
    "evaluate",
    "evaluate_condition",
    "leaves",
    "parse_form_answers",
    "validate_answers",
    "verdict_json",
]
