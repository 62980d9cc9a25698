"""The rules toolchain's checks and dates at the edges the mutation run found untested
(see bench/mutation.py).

The bad-rules corpus is run here in-process as well: ``test_bad_rules`` runs the command
line in a subprocess (what a person runs), where no mutant can be seen; the same cases
and the same expected reports, checked through :func:`rulebook.validation.validate`,
make every message of the validator visible to the mutation run."""

from __future__ import annotations

from datetime import date
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest

from checker.model import CompiledRules
from rulebook import public_holidays, sessions
from rulebook.declaration import Session
from rulebook.errors import Problem, RulesError
from rulebook.loader import load_rules
from rulebook.scenarios import (
    ScenarioFile,
    file_problems,
    load_scenario_file,
    load_scenarios,
    run_scenario,
)
from rulebook.validation import validate
from tests.badrules import (
    DOCS,
    FILE_NAME,
    CaseOutdated,
    load_cases,
    materialise,
    read_golden,
    without_positions,
)
from tests.conftest import SCENARIOS_PATH

GOLDEN = read_golden()


@pytest.mark.parametrize("case", load_cases(), ids=lambda case: case["id"])
def test_the_validator_reports_each_bad_rules_case_in_process(case: dict,
                                                              tmp_path: Path) -> None:
    try:
        broken = materialise(case)
    except CaseOutdated as exc:
        pytest.skip(str(exc))  # test_bad_rules says so
    path = tmp_path / FILE_NAME
    path.write_bytes(broken.raw)
    result = validate(path, DOCS, tmp_path / "scenarios.yaml", display_name=FILE_NAME)
    assert result.error is not None
    assert without_positions(result.report().strip()) == GOLDEN[case["id"]]


# --- rulebook.public_holidays: the table the browser editor reads -------------------------

def test_the_holidays_table_holds_every_french_holiday_of_those_years_only() -> None:
    table = public_holidays.holidays_table(2026, 2027)
    assert len(table) == 22  # eleven national days a year
    assert list(table) == sorted(table)
    assert (table["2026-01-01"], table["2026-12-25"], table["2027-03-29"]) == (
        "Jour de l'an", "Noël", "Lundi de Pâques")
    assert "2025-12-25" not in table and "2028-01-01" not in table
    assert list(public_holidays.holidays_table(2027, 2027)) == [
        d for d in table if d.startswith("2027-")]


def test_once_given_a_table_the_holidays_are_read_from_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(public_holidays, "_table", None)
    assert public_holidays.holiday_name(date(2027, 7, 14)) == "Fête nationale"
    public_holidays.use_table({"2027-07-13": "Veille inventée", "2027-12-25": "Noël"})
    assert public_holidays.holiday_name(date(2027, 7, 13)) == "Veille inventée"
    assert public_holidays.holiday_name(date(2027, 7, 14)) is None  # not in the table
    assert public_holidays.holiday_name(date(2027, 12, 25)) == "Noël"
    assert public_holidays.holiday_name(date(2027, 12, 26)) is None


def test_the_holidays_library_version_is_named() -> None:
    assert public_holidays.holidays_version() == version("holidays")
    assert public_holidays.holidays_version()[0].isdigit()


# --- rulebook.sessions: the days a session is held ----------------------------------------

def _session(**fields: Any) -> Session:
    base: dict[str, Any] = {
        "id": "point-infos", "title": "Point Infos", "audience": "Tous",
        "topics": "Les règles.", "description": "Une visio.", "format": "Visioconférence",
        "start": "12:00", "end": "12:45", "timezone": "Europe/Paris", "sources": ("wiki",)}
    return Session(**{**base, **fields})


FRIDAYS = _session(days=("friday",), confirmed_from=date(2026, 12, 1),
                   confirmed_until=date(2027, 1, 15))
ONE_OFF = _session(date=date(2027, 1, 15))


def test_a_weekly_session_is_held_on_its_days_inside_its_period_except_holidays() -> None:
    assert list(sessions.held_days(FRIDAYS, date(2026, 12, 1))) == [
        date(2026, 12, 4), date(2026, 12, 11), date(2026, 12, 18), date(2027, 1, 8),
        date(2027, 1, 15)]  # neither Friday 25 December nor Friday 1 January
    assert list(sessions.held_days(FRIDAYS, date(2026, 12, 5), date(2026, 12, 18))) == [
        date(2026, 12, 11), date(2026, 12, 18)]  # ``until`` included
    assert list(sessions.held_days(FRIDAYS, date(2026, 12, 5), date(2026, 12, 17))) == [
        date(2026, 12, 11)]
    assert list(sessions.held_days(FRIDAYS, date(2026, 12, 1), backwards=True))[:2] == [
        date(2027, 1, 15), date(2027, 1, 8)]


def test_the_holidays_a_weekly_session_skips_are_named_from_since_to_until() -> None:
    assert sessions.skipped_holidays(FRIDAYS, date(2026, 12, 1), date(2027, 1, 15)) == [
        date(2026, 12, 25), date(2027, 1, 1)]
    assert sessions.skipped_holidays(FRIDAYS, date(2026, 12, 26), date(2027, 1, 15)) == [
        date(2027, 1, 1)]
    assert sessions.skipped_holidays(FRIDAYS, date(2026, 12, 1), date(2026, 12, 24)) == []


@pytest.mark.parametrize(("as_of", "first", "last"), [
    (date(2026, 11, 30), date(2026, 12, 4), date(2027, 1, 15)),  # before the period
    (date(2027, 1, 14), date(2027, 1, 15), date(2027, 1, 15)),   # the day before the last
    (date(2027, 1, 15), date(2027, 1, 15), date(2027, 1, 15)),   # the last day
    (date(2027, 1, 16), None, None),                             # the day after
])
def test_the_first_and_last_days_to_come_of_a_weekly_session(as_of: date, first: date | None,
                                                             last: date | None) -> None:
    assert sessions.first_to_come(FRIDAYS, as_of) == first
    assert sessions.last_to_come(FRIDAYS, as_of) == last


@pytest.mark.parametrize(("as_of", "held"), [
    (date(2027, 1, 14), [date(2027, 1, 15)]), (date(2027, 1, 15), [date(2027, 1, 15)]),
    (date(2027, 1, 16), [])])
def test_a_one_off_session_is_held_on_its_day_until_it_has_passed(as_of: date,
                                                                  held: list[date]) -> None:
    assert list(sessions.held_days(ONE_OFF, as_of)) == held
    assert sessions.last_to_come(ONE_OFF, as_of) == (held[0] if held else None)
    assert list(sessions.held_days(ONE_OFF, date(2027, 1, 1), date(2027, 1, 14))) == []
    assert list(sessions.held_days(ONE_OFF, date(2027, 1, 1), date(2027, 1, 15))) == [
        date(2027, 1, 15)]  # ``until`` included
    assert sessions.skipped_holidays(ONE_OFF, date(2027, 1, 1), date(2027, 1, 31)) == []


# --- rulebook.scenarios: the examples file, read inside a test ----------------------------

def test_the_examples_file_reads_into_dated_scenarios_that_all_hold(
        compiled: CompiledRules) -> None:
    """test_scenarios reads the file once at collection; read here, inside a test, every
    step of the reading (blocks, dates, answers, expected words) is checked as it runs."""
    raw = load_scenario_file(SCENARIOS_PATH)
    loaded = raw.resolved(compiled)
    assert (len(loaded.scenarios), len(loaded.invariants)) == (119, 16)
    first = loaded.scenarios[0]
    assert (first.name, first.as_of, first.line, first.index) == (
        "Avant l'entrée en vigueur — nouveau producteur, rien ne change encore",
        date(2021, 11, 2), 24, 0)
    assert first.answers == {"role": "producer", "direct_seller": True, "account": "none",
                             "sales_outside_amap_eur": 0}
    assert first.expected["plan"] is None and first.expected["in_force"] is False
    assert all(isinstance(s.as_of, date) for s in loaded.scenarios)
    assert len({s.name for s in loaded.scenarios}) == 119
    assert loaded.invariants[0].name == ("Avant l'entrée en vigueur, le verdict le dit et "
                                         "ne décide rien")
    assert file_problems(compiled, loaded) == []
    assert [s.name for s in loaded.scenarios if run_scenario(compiled, s)] == []


def test_the_holidays_table_makes_the_library_compute_every_year_asked(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """On a calendar that has computed no year yet (as in the site build's process), the
    table still holds each year asked, the last one included."""
    public_holidays._french_holidays.cache_clear()
    monkeypatch.setattr(public_holidays, "_table", None)
    table = public_holidays.holidays_table(2061, 2063)
    assert len(table) == 33
    assert [d for d in table if d.endswith("-12-25")] == [
        "2061-12-25", "2062-12-25", "2063-12-25"]
    public_holidays._french_holidays.cache_clear()


def test_the_answer_space_is_checked_on_each_period_of_a_value_that_changes(
        tmp_path: Path) -> None:
    """A limit that changes on 1 January 2027: every profile is checked before and after
    that day, and the rules are valid on both (one plan each, every effect reached)."""
    from tests.test_dated_values import LIMIT_1500, edited
    from tests.test_one_edit import data_copy

    result = validate(data_copy(tmp_path, edited(LIMIT_1500)), DOCS)
    assert result.error is None, result.report()
    assert result.book is not None
    limit = result.book.compiled.parameters["discovery_annual_limit_eur"]
    assert [c.since for c in limit.changes] == ["2027-01-01"]


# --------------------------------------------- the scenario file's own reports --

WRONG_SCENARIO = """\
scenarios:
  - name: Découverte à {{ discovery_annual_limit_eur }}, formule attendue fausse
    as_of: 2027-01-01
    note: Un exemple faux exprès.
    answers: {role: producer, direct_seller: true, account: discovery, sales_outside_amap_eur: 500}
    expected:
      plan: pro
      says: ["{{ discovery_annual_limit_eur }} de ventes par an"]
      never_says: [Compte Découverte, 1 000 € de ventes par an]  # the limit before

  - name: La veille, Découverte à {{ discovery_annual_limit_eur }}
    as_of: 2026-12-31
    answers: {role: producer, direct_seller: true, account: discovery, sales_outside_amap_eur: 500}
    expected:
      says: ["{{ discovery_annual_limit_eur }} de ventes par an"]

invariants:
  - name: Un compte PRO ne lit jamais « Formule PRO »
    when: {equals: {account: pro}}
    says: [Formule PRO offerte]
    never_says: [Formule PRO]

  - name: Un compte Découverte lit le plafond du jour
    when:
      all:
        - equals: {account: discovery}
        - date: {from: effective_date}
    says: ["{{ discovery_annual_limit_eur }} de ventes par an"]
"""


def test_a_wrong_scenario_and_a_broken_invariant_are_said_where_they_are_written(
        tmp_path: Path) -> None:
    """With a limit raised to 1 500 € from 1 January 2027, scenarios of that day and of the
    day before: their names and words take their day's values; what one gets wrong is
    reported at the expected field's own line, and a broken invariant at the invariant's;
    an invariant citing the limit holds on every period, with the value of each."""
    from tests.test_dated_values import LIMIT_1500, edited
    rules = tmp_path / "rules.yaml"
    rules.write_text(edited(LIMIT_1500), encoding="utf-8")
    compiled = load_rules(rules).compiled
    path = tmp_path / "scenarios.yaml"
    path.write_text(WRONG_SCENARIO, encoding="utf-8")
    raw = load_scenario_file(path, "scenarios.yaml")
    loaded = raw.resolved(compiled)
    assert loaded.loaded is raw.loaded and loaded.invariants == raw.invariants
    assert [(s.name, s.as_of, s.line, s.index) for s in loaded.scenarios] == [
        ("Découverte à 1\u202f500\u00a0€, formule attendue fausse", date(2027, 1, 1), 2, 0),
        ("La veille, Découverte à 1\u202f000\u00a0€", date(2026, 12, 31), 11, 1)]
    assert [(v.name, v.index) for v in loaded.invariants] == [
        ("Un compte PRO ne lit jamais « Formule PRO »", 0),
        ("Un compte Découverte lit le plafond du jour", 1)]
    problems = file_problems(compiled, loaded)
    said = ("scénario « Découverte à 1\u202f500\u00a0€, formule attendue fausse » (au 1er "
            "janvier 2027) : {}. Si la modification des règles est voulue, mettez à jour ce "
            "résultat attendu ; sinon, corrigez les règles")
    assert problems[:2] == [
        Problem("scenarios.yaml", 7, 7, "scenarios[0].expected.plan",
                said.format("plan : attendu 'pro', obtenu 'discovery'")),
        Problem("scenarios.yaml", 9, 7, "scenarios[0].expected.never_says",
                said.format("dit « Compte Découverte »"))]
    invariant = problems[2:]
    assert invariant and {(p.line, p.column, p.field) for p in invariant} == {
        (18, 5, "invariants[0]")}
    assert invariant[0].message.startswith(
        "invariant « Un compte PRO ne lit jamais « Formule PRO » » : le verdict du ")
    endings = {p.message.rsplit(" : ", 1)[1].split(" pour ", 1)[1].split("} ", 1)[1]
               for p in invariant}
    assert endings == {"ne dit pas « Formule PRO offerte »", "dit « Formule PRO »"}
    assert [run_scenario(compiled, s) for s in loaded.scenarios] == [
        ["plan : attendu 'pro', obtenu 'discovery'", "dit « Compte Découverte »"], []]


def test_a_scenario_file_made_in_code_places_its_problems_at_its_first_line() -> None:
    """Without positions (a file made by a program, such as coverage's subsets)."""
    assert ScenarioFile([]).problem(("scenarios", 3, "name"), "nom manquant") == Problem(
        "scénarios", 1, 1, "", "nom manquant")


def test_a_scenario_file_with_too_many_problems_says_its_reading_stopped(
        tmp_path: Path) -> None:
    path = tmp_path / "scenarios.yaml"
    path.write_text("scenarios: []\n" + "x: 1\n" * 250, encoding="utf-8")
    with pytest.raises(RulesError) as raised:
        load_scenario_file(path, "scenarios.yaml")
    assert (raised.value.subject, raised.value.stopped, len(raised.value.problems)) == (
        "Le fichier des scénarios", "lecture", 200)
    assert raised.value.report().endswith(
        "Lecture arrêtée après 200 problèmes : corrigez ceux-ci, puis relancez la "
        "vérification.")


def test_the_scenarios_are_read_resolved_in_one_call(compiled: CompiledRules) -> None:
    assert load_scenarios(SCENARIOS_PATH, compiled) == (
        load_scenario_file(SCENARIOS_PATH).resolved(compiled).scenarios)
    assert len(load_scenarios(SCENARIOS_PATH, compiled)) == 119


def test_a_plan_required_from_a_date_is_checked_with_that_days_values(
        tmp_path: Path) -> None:
    """``plan_required_when`` reading a date parameter: the answer-space check evaluates it
    with each period's day and parameters (the same profiles need a plan as before)."""
    from tests.test_dated_values import edited
    from tests.test_one_edit import data_copy

    dated = ("plan_required_when:\n  equals: {role: producer}\n",
             "plan_required_when:\n  all:\n    - equals: {role: producer}\n"
             "    - date: {from: effective_date}\n")
    result = validate(data_copy(tmp_path, edited(dated)), DOCS)
    assert result.error is None, result.report()
    assert result.book is not None
    assert result.book.compiled.plan_required_when == {"all": [
        {"equals": {"role": "producer"}}, {"date": {"from": "effective_date"}}]}
