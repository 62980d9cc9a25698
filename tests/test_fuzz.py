"""Property tests (Hypothesis) of the checker and of the rules loader.

The checker must never raise on any JSON-like answers, give exactly one plan to
every valid complete producer profile (none to coordinators), report every
answer outside the contract in ``errors``, and be deterministic; form strings
go through the same validation. The loader must turn any mangled copy of the
real ``rules.yaml`` into either valid rules or a ``RulesError`` whose problems
are located (line and column from 1) and worded in French.

Runs are derandomized (same examples on every run, no example database) and
sized to stay fast. The number of examples run per property is printed at the
end of the module; ``--hypothesis-show-statistics`` gives the details.
"""

from __future__ import annotations

import copy
import json
import math
import tempfile
from collections import Counter
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker import evaluate, parse_form_answers, validate_answers, verdict_json
from checker.conditions import evaluate_condition
from checker.model import CompiledRules, Question
from rulebook.errors import RulesError
from rulebook.loader import load_rules
from tests.badrules import ENGLISH
from tests.conftest import DOCS_PATH, RULES_PATH

RULES_TEXT = RULES_PATH.read_text(encoding="utf-8")
RULES_LINES = RULES_TEXT.split("\n")
AS_OF = date(2022, 6, 1)

FAST = settings(derandomize=True, database=None, deadline=None, max_examples=300,
                suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(FAST, max_examples=120)

RUNS: Counter[str] = Counter()
MINIMUM_RUNS = {"arbitrary_answers": 300, "complete_profiles": 300, "outside_contract": 300,
                "determinism": 300, "form_strings": 300, "form_round_trip": 300,
                "mutated_rules": 120}


@pytest.fixture(scope="module", autouse=True)
def example_counts(request: pytest.FixtureRequest) -> Iterator[None]:
    """Print how many examples each property ran, and check none ran short."""
    yield
    plugins = request.config.pluginmanager
    reporter, capture = plugins.get_plugin("terminalreporter"), plugins.get_plugin("capturemanager")
    names = [*MINIMUM_RUNS, "mutated_rules_rejected"]
    summary = ", ".join(f"{name}={RUNS[name]}" for name in names)
    if reporter is not None and capture is not None:
        with capture.global_and_fixture_disabled():
            total = sum(RUNS[name] for name in MINIMUM_RUNS)
            reporter.write_line(f"\nHypothesis examples run: {summary} (total {total})")
    short = [name for name, minimum in MINIMUM_RUNS.items() if 0 < RUNS[name] < minimum]
    assert not short, f"properties that ran fewer examples than expected: {short}"


def _rules() -> CompiledRules:
    return load_rules(RULES_PATH).compiled


COMPILED = _rules()
QUESTIONS = COMPILED.questions
QUESTION_IDS = [q.id for q in QUESTIONS]
PARAMETERS = COMPILED.parameters

# --- strategies --------------------------------------------------------------------

SCALARS = (st.none() | st.booleans() | st.integers(-10**20, 10**20)
           | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=20))
JSON_LIKE = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=4),
    max_leaves=12,
)
KEYS = st.sampled_from(QUESTION_IDS) | st.text(max_size=12)
ANSWER_OBJECTS = st.dictionaries(KEYS, JSON_LIKE, max_size=8)


def _valid_value(question: Question) -> st.SearchStrategy[Any]:
    if question.type == "choice":
        return st.sampled_from([c.value for c in question.choices or ()])
    if question.type == "boolean":
        return st.booleans()
    maximum = question.max or 10**9
    points = sorted({0, *(p for p in _thresholds() for p in (p - 1, p, p + 1) if p >= 1)})
    return (st.sampled_from(points) | st.integers(0, int(maximum))
            | st.floats(0, maximum, allow_nan=False, allow_infinity=False))


def _thresholds() -> list[int]:
    return [int(p.value) for p in PARAMETERS.values() if p.unit == "eur"]


@st.composite
def complete_profiles(draw: st.DrawFn) -> dict[str, Any]:
    """A valid complete answer set, answering exactly the questions that get asked."""
    answers: dict[str, Any] = {}
    for question in QUESTIONS:
        ask_when = question.ask_when
        if ask_when is None or evaluate_condition(ask_when, answers, PARAMETERS, AS_OF) is True:
            answers[question.id] = draw(_valid_value(question))
    return answers


def _invalid_value(question: Question) -> st.SearchStrategy[Any]:
    others = st.booleans() | st.integers() | st.floats() | st.lists(SCALARS, max_size=2)
    if question.type == "choice":
        values = {c.value for c in question.choices or ()}
        return st.text(max_size=12).filter(lambda v: v not in values) | others
    if question.type == "boolean":
        return (st.text(max_size=6) | st.integers() | st.floats()
                | st.dictionaries(st.text(max_size=3), SCALARS, max_size=2))
    maximum = question.max or math.inf
    return (st.floats(max_value=-1e-9) | st.integers(max_value=-1)
            | st.sampled_from([math.nan, math.inf, -math.inf, True, False, maximum * 10])
            | st.text(max_size=10))


@st.composite
def outside_contract(draw: st.DrawFn) -> tuple[dict[str, Any], str]:
    """Valid answers plus one answer outside the contract; returns it and its key."""
    answers = draw(complete_profiles())
    if draw(st.booleans()):
        key = draw(st.text(max_size=15).filter(lambda k: k not in QUESTION_IDS))
        answers[key] = draw(JSON_LIKE)
    else:
        question = draw(st.sampled_from(QUESTIONS))
        key = question.id
        answers[key] = draw(_invalid_value(question))
    return answers, key


def _french_amount(value: float, style: str) -> str:
    text = format(Decimal(repr(value)), "f") if isinstance(value, float) else str(value)
    whole, _, decimals = text.partition(".")
    if style == "grouped":
        groups = []
        while len(whole) > 3:
            whole, groups = whole[:-3], [whole[-3:], *groups]
        whole = "\u202f".join([whole, *groups])
    text = f"{whole},{decimals}" if decimals else whole
    return text + (" €" if style == "euro" else "")


@st.composite
def form_of_profile(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, str]]:
    """A valid profile and the strings a form or URL would carry for it."""
    profile = draw(complete_profiles())
    form: dict[str, str] = {}
    for key, value in profile.items():
        if isinstance(value, bool):
            form[key] = "true" if value else "false"
        elif isinstance(value, int | float):
            form[key] = _french_amount(value, draw(st.sampled_from(["plain", "grouped", "euro"])))
        else:
            form[key] = value
    return profile, form


# --- the checker -----------------------------------------------------------------------


def _decided_plans(verdict: dict[str, Any]) -> list[str]:
    return [effect.plan for rule in COMPILED.rules for effect in rule.effects
            if effect.plan
            and evaluate_condition(effect.when, verdict["answers"], PARAMETERS, AS_OF) is True]


@FAST
@given(answers=JSON_LIKE | ANSWER_OBJECTS)
def test_arbitrary_json_answers_never_raise(answers: Any) -> None:
    RUNS["arbitrary_answers"] += 1
    verdict = evaluate(COMPILED, answers, as_of=AS_OF)
    json.loads(verdict_json(verdict))  # serialisable, with no NaN or infinity left in it
    assert set(verdict["answers"]) <= set(QUESTION_IDS)
    if not isinstance(answers, dict):
        assert verdict["errors"] and verdict["answers"] == {}


@FAST
@given(profile=complete_profiles())
def test_every_valid_complete_profile_gets_one_plan_if_producer(profile: dict[str, Any]) -> None:
    RUNS["complete_profiles"] += 1
    verdict = evaluate(COMPILED, profile, as_of=AS_OF)
    assert verdict["complete"] and not verdict["missing"] and not verdict["errors"]
    assert verdict["answers"] == profile
    plans = _decided_plans(verdict)
    if profile["role"] == "producer":
        assert len(plans) == 1 and verdict["plan"] == plans[0], (profile, plans)
    else:
        assert plans == [] and verdict["plan"] is None, (profile, plans)


@FAST
@given(case=outside_contract())
def test_answers_outside_the_contract_yield_errors(case: tuple[dict[str, Any], str]) -> None:
    RUNS["outside_contract"] += 1
    answers, key = case
    verdict = evaluate(COMPILED, answers, as_of=AS_OF)
    assert key in verdict["errors"]
    assert key not in verdict["answers"]
    message = verdict["errors"][key]
    # The unknown key is quoted in the message: only the message's own words must be French.
    assert isinstance(message, str) and not ENGLISH.search(message.replace(key, ""))


@FAST
@given(answers=ANSWER_OBJECTS | complete_profiles())
def test_evaluation_is_deterministic_and_leaves_answers_alone(answers: dict[str, Any]) -> None:
    RUNS["determinism"] += 1
    before = copy.deepcopy(answers)
    first = verdict_json(evaluate(COMPILED, answers, as_of=AS_OF))
    assert verdict_json(evaluate(COMPILED, copy.deepcopy(before), as_of=AS_OF)) == first
    assert repr(answers) == repr(before)  # repr: NaN != NaN, but prints the same


@FAST
@given(form=st.dictionaries(KEYS, st.text(max_size=25), max_size=8))
def test_form_strings_never_raise_and_are_validated_like_typed_answers(
    form: dict[str, str],
) -> None:
    RUNS["form_strings"] += 1
    typed = parse_form_answers(COMPILED, form)
    valid, errors = validate_answers(COMPILED, typed)
    verdict = evaluate(COMPILED, typed, as_of=AS_OF)
    assert verdict["errors"] == errors
    for key, value in form.items():
        if value.strip():  # nothing typed is silently dropped: kept or reported
            assert key in valid or key in errors, (key, value)
        else:
            assert key not in typed


@FAST
@given(case=form_of_profile())
def test_form_strings_of_a_profile_give_the_same_verdict(
    case: tuple[dict[str, Any], dict[str, str]],
) -> None:
    RUNS["form_round_trip"] += 1
    profile, form = case
    typed = parse_form_answers(COMPILED, form)
    assert typed.keys() == profile.keys()
    for key, value in profile.items():
        assert typed[key] == pytest.approx(value, rel=1e-9) if isinstance(value, float) \
            else typed[key] == value
    assert evaluate(COMPILED, typed, as_of=AS_OF)["plan"] == \
        evaluate(COMPILED, profile, as_of=AS_OF)["plan"]


# --- the loader --------------------------------------------------------------------------

JUNK = st.sampled_from([":", ": ", "- ", "-", "{", "}", "[", "]", "{{", "}}", "*", "&", "!",
                        "%", "@", "`", "|", ">", "'", '"', "#", "\t", "\\", ",", "?",
                        "\x0b", "\x00", "\ufeff", "é", "—", "  ", "\n", "---", "..."])
JUNK_TEXT = JUNK | st.text(max_size=6)


@st.composite
def mutated_rules(draw: st.DrawFn) -> str:
    """The real rules text with one to three realistic slips of the keyboard."""
    lines = list(RULES_LINES)
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, len(lines) - 1))
        kind = draw(st.sampled_from(["delete", "duplicate", "indent", "dedent", "swap", "tab",
                                     "junk", "truncate"]))
        line = lines[i]
        if kind == "delete":
            del lines[i]
        elif kind == "duplicate":
            lines.insert(i, line)
        elif kind == "indent":
            lines[i] = " " * draw(st.integers(1, 4)) + line
        elif kind == "dedent":
            lines[i] = line[draw(st.integers(1, 4)):]
        elif kind == "swap" and len(line) > 1:
            j = draw(st.integers(0, len(line) - 2))
            lines[i] = line[:j] + line[j + 1] + line[j] + line[j + 2:]
        elif kind == "tab":
            lines[i] = "\t" + line.lstrip(" ")
        elif kind == "junk":
            j = draw(st.integers(0, len(line)))
            lines[i] = line[:j] + draw(JUNK_TEXT) + line[j:]
        elif kind == "truncate":
            lines[i] = line[:draw(st.integers(0, len(line)))]
            if draw(st.booleans()):
                lines = lines[: i + 1]
    return "\n".join(lines)


@pytest.fixture(scope="module")
def scratch() -> Iterator[Path]:
    """A folder for the mutated files (Hypothesis reuses it across examples)."""
    with tempfile.TemporaryDirectory() as folder:
        yield Path(folder)


@SLOW
@given(text=mutated_rules())
def test_mutated_rules_give_rules_or_located_french_problems(text: str, scratch: Path) -> None:
    RUNS["mutated_rules"] += 1
    path = scratch / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        book = load_rules(path, display_name="rules.yaml", docs_dir=DOCS_PATH)
    except RulesError as error:
        RUNS["mutated_rules_rejected"] += 1
        assert error.problems
        line_count = text.count("\n") + 1
        for problem in error.problems:
            assert 1 <= problem.line <= line_count + 1, problem
            assert problem.column >= 1 and problem.field, problem
            assert not ENGLISH.search(problem.message), problem
        assert error.report().startswith("Le fichier de règles contient ")
    else:
        assert book.compiled.questions
