"""Validation of answers and parsing of form strings."""

from __future__ import annotations

import math

import pytest

from checker import parse_form_answers, validate_answers
from checker.model import CompiledRules


@pytest.mark.parametrize(
    ("answers", "bad"),
    [
        ({"role": "farmer"}, "role"),
        ({"role": 3}, "role"),
        ({"direct_seller": "true"}, "direct_seller"),
        ({"direct_seller": 1}, "direct_seller"),
        ({"sales_outside_amap_eur": -1}, "sales_outside_amap_eur"),
        ({"sales_outside_amap_eur": math.inf}, "sales_outside_amap_eur"),
        ({"sales_outside_amap_eur": math.nan}, "sales_outside_amap_eur"),
        ({"sales_outside_amap_eur": True}, "sales_outside_amap_eur"),
        ({"sales_outside_amap_eur": "12"}, "sales_outside_amap_eur"),
        ({"sales_outside_amap_eur": 1e12}, "sales_outside_amap_eur"),
        ({"unknown_question": 1}, "unknown_question"),
    ],
)
def test_invalid_answers_become_french_errors(
        compiled: CompiledRules, answers: dict, bad: str) -> None:
    valid, errors = validate_answers(compiled, answers)
    assert bad in errors
    assert bad not in valid
    assert errors[bad][0].isupper()  # a sentence, not a code


def test_valid_answers_are_kept(compiled: CompiledRules) -> None:
    answers = {"role": "producer", "direct_seller": False, "sales_outside_amap_eur": 12.5}
    valid, errors = validate_answers(compiled, answers)
    assert valid == answers
    assert errors == {}


def test_null_means_unanswered(compiled: CompiledRules) -> None:
    assert validate_answers(compiled, {"role": None}) == ({}, {})


def test_non_object_answers_are_an_error(compiled: CompiledRules) -> None:
    assert validate_answers(compiled, ["producer"])[1] == {
        "answers": "Les réponses doivent être un objet JSON (clé\u00a0: valeur)."
    }


@pytest.mark.parametrize(
    ("text", "value"),
    [("1200", 1200), ("1 200", 1200), ("1\u202f200,50", 1200.5), ("850 €", 850),
     ("0", 0), ("12.75", 12.75), ("douze", "douze"), ("-5", "-5")],
)
def test_french_amounts_from_the_form(compiled: CompiledRules, text: str, value: object) -> None:
    assert parse_form_answers(compiled, {"sales_outside_amap_eur": text}) == {
        "sales_outside_amap_eur": value
    }


def test_form_booleans_and_blanks(compiled: CompiledRules) -> None:
    typed = parse_form_answers(
        compiled, {"direct_seller": "true", "manages_other_producers": "false", "role": ""}
    )
    assert typed == {"direct_seller": True, "manages_other_producers": False}
    assert parse_form_answers(compiled, {"direct_seller": "oui"}) == {"direct_seller": "oui"}
