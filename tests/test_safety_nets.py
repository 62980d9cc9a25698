"""The safety nets tested themselves: ``coverage()`` finds what a set of scenarios leaves
out (the real scenarios leave nothing, so their own test never sees a gap found), and
``cagette-rules scenarios`` says it.

Each test drops the scenarios that cover one thing (a date, an amount at a threshold, a
plan, an answer, a deadline's far side) and expects exactly that, and what only those
scenarios covered, to be reported.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from checker import evaluate
from rulebook.answer_space import boundary_dates
from rulebook.loader import load_rules
from rulebook.scenario_report import scenario_report
from rulebook.scenarios import (
    Scenario,
    ScenarioFile,
    coverage,
    load_scenario_file,
    reachable_deadline_sides,
    reachable_effect_periods,
)
from tests.conftest import RULES_PATH, SCENARIOS_PATH

COMPILED = load_rules(RULES_PATH).compiled
SCENARIOS = load_scenario_file(SCENARIOS_PATH).resolved(COMPILED).scenarios
VERDICTS = {s.name: evaluate(COMPILED, s.answers, as_of=s.as_of) for s in SCENARIOS}
Drop = Callable[[Scenario, dict[str, Any]], bool]


def gaps_without(drop: Drop) -> dict[str, list[str]]:
    """What the real scenarios leave uncovered once those ``drop`` picks are gone (the
    kinds with a gap only); some must be dropped, some kept."""
    kept = [s for s in SCENARIOS if not drop(s, VERDICTS[s.name])]
    assert 0 < len(kept) < len(SCENARIOS)
    return {kind: items for kind, items in coverage(COMPILED, kept).items() if items}


def test_no_scenario_leaves_everything_uncovered() -> None:
    gaps = coverage(COMPILED, [])
    assert gaps["plans"] == ["discovery", "pro", "member", "not_eligible"]
    assert gaps["actions"] == [a.id for a in COMPILED.actions]
    assert len(gaps["actions"]) == 7
    reachable = reachable_effect_periods(COMPILED)
    assert len(gaps["effect_periods"]) == len(reachable) > 50
    assert gaps["effect_periods"][0] == ("already_registered.effects[0] (du 2 février 2022 "
                                         "au 30 décembre 2022)")
    assert gaps["deadline_sides"] == [
        "hand_over_catalogues (avant l'échéance)", "open_discovery_account (avant l'échéance)",
        "open_discovery_account (après l'échéance)",
        "stop_managing_other_producers (avant l'échéance)",
        "stop_managing_other_producers (après l'échéance)",
        "transfer_catalogues (avant l'échéance)"]
    assert len(gaps["deadline_sides"]) == len(reachable_deadline_sides(COMPILED))
    assert boundary_dates(COMPILED) == [date(2021, 11, 3), date(2022, 2, 1),
                                        date(2022, 12, 31)]
    assert gaps["dates"] == ["2021-11-02", "2021-11-03", "2021-11-04", "2022-01-31",
                             "2022-02-01", "2022-02-02", "2022-12-30", "2022-12-31",
                             "2023-01-01"]
    assert "role=producer" in gaps["answers"] and "sales_outside_amap_eur" in gaps["answers"]
    amounts = ("799.99", "800", "800.01", "999.99", "1000", "1000.01")
    accounts = ("discovery", "group_catalogue", "invited", "none")
    assert sorted(gaps["thresholds"]) == sorted(
        f"sales_outside_amap_eur={amount} (role=producer, direct_seller=true, "
        f"account={account})" for amount in amounts for account in accounts)


def test_a_boundary_day_no_scenario_is_on_is_reported() -> None:
    assert gaps_without(lambda s, v: s.as_of == date(2022, 2, 2)) == {"dates": ["2022-02-02"]}
    # The switch deadline is a period of its own (one day): every effect reached on it.
    on_the_deadline = sorted(f"{effect} ({period})" for effect, period
                             in reachable_effect_periods(COMPILED)
                             if period == "le 31 décembre 2022")
    assert len(on_the_deadline) == 16
    assert gaps_without(lambda s, v: s.as_of == date(2022, 12, 31)) == {
        "dates": ["2022-12-31"], "effect_periods": on_the_deadline}


def test_an_amount_exactly_at_a_threshold_is_reported_for_each_situation() -> None:
    assert gaps_without(lambda s, v: v["answers"].get("sales_outside_amap_eur") == 1000) == {
        "thresholds": [f"sales_outside_amap_eur=1000 (role=producer, direct_seller=true, "
                       f"account={account})"
                       for account in ("discovery", "group_catalogue", "invited", "none")]}


def test_a_deadline_never_seen_passed_is_reported() -> None:
    gaps = gaps_without(lambda s, v: any(a["overdue"] for a in v["actions"]))
    assert gaps == {
        "effect_periods": ["already_registered.effects[1] (à partir du 1er janvier 2023)",
                           "already_registered.effects[3] (à partir du 1er janvier 2023)",
                           "trained_producers.effects[2] (à partir du 1er janvier 2023)"],
        "deadline_sides": ["open_discovery_account (après l'échéance)",
                           "stop_managing_other_producers (après l'échéance)"]}


def test_a_plan_an_action_and_an_answer_no_scenario_reaches_are_reported() -> None:
    members = gaps_without(lambda s, v: v["plan"] == "member")
    assert members["plans"] == ["member"]
    assert members["actions"] == ["stop_managing_other_producers"]
    assert members["answers"] == ["account=trained", "manages_other_producers=true",
                                  "manages_other_producers=false"]
    shops = gaps_without(lambda s, v: v["answers"].get("group_mode") == "shop")
    assert (shops["answers"], shops["actions"]) == (["group_mode=shop"],
                                                    ["hand_over_catalogues"])
    assert shops["deadline_sides"] == ["hand_over_catalogues (avant l'échéance)"]
    assert "plans" not in shops and "dates" not in shops
    unasked = gaps_without(lambda s, v: "sales_outside_amap_eur" in v["answers"])
    assert "sales_outside_amap_eur" in unasked["answers"]  # an amount never answered


def test_the_scenarios_report_says_each_gap_and_counts_what_is_covered() -> None:
    kept = [s for s in SCENARIOS if s.as_of != date(2022, 2, 2)]
    text, ok = scenario_report(COMPILED, "scenarios.yaml", ScenarioFile(kept))
    assert ok  # a gap is no failure: the examples that remain all hold
    lines = text.splitlines()
    assert lines[0] == "Non couvert (veille, jour et lendemain des dates) : 2022-02-02"
    pairs = len(reachable_effect_periods(COMPILED))
    assert lines[-2] == (f"Couverture : 7 périodes, {pairs} couples effet × période "
                         f"atteignables, {pairs} couverts par les scénarios.")
    assert lines[-1] == (f"{len(kept)} scénario(s) conforme(s), 0 en échec ; 0 invariant(s), "
                         "0 écart(s)")
    none = scenario_report(COMPILED, "vide.yaml", ScenarioFile([]))[0].splitlines()
    assert none[-2] == (f"Couverture : 7 périodes, {pairs} couples effet × période "
                        "atteignables, 0 couverts par les scénarios.")
    assert [line.split(" : ")[0] for line in none[:-2]] == [
        "Non couvert (formules)", "Non couvert (actions)", "Non couvert (effets × périodes)",
        "Non couvert (réponses)", "Non couvert (échéances)",
        "Non couvert (veille, jour et lendemain des dates)",
        "Non couvert (seuils (−1 centime, pile, +1 centime))"]

