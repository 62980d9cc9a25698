"""Eligibility checker for the Cagette.net rules of 3 November 2021.

Standard library only: the same code runs in CPython (CLI, tests, site build)
and in Pyodide (the browser). It reads the *compiled* rules, a plain dict
produced from ``data/rules.yaml`` by the build side, never YAML.
"""

from checker.answers import parse_form_answers, validate_answers
from checker.conditions import evaluate_condition
from checker.engine import evaluate, verdict_json

__all__ = [
    "evaluate",
    "evaluate_condition",
    "parse_form_answers",
    "validate_answers",
    "verdict_json",
]
