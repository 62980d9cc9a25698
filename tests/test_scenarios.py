"""Every golden scenario of data/scenarios.yaml, and their coverage."""

from __future__ import annotations

import pytest

from sitegen.scenarios import Scenario, coverage, load_scenarios, run_scenario
from tests.conftest import SCENARIOS_PATH

SCENARIOS = load_scenarios(SCENARIOS_PATH)


def test_there_are_enough_scenarios() -> None:
    assert len(SCENARIOS) >= 25


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_scenario(compiled: dict, scenario: Scenario) -> None:
    assert run_scenario(compiled, scenario) == []


def test_scenarios_cover_every_plan_action_effect_answer_and_deadline_side(compiled: dict) -> None:
    assert coverage(compiled, SCENARIOS) == {
        "plans": [], "actions": [], "effects": [], "answers": [], "deadline_sides": []
    }


def test_a_wrong_expectation_is_reported(compiled: dict) -> None:
    scenario = SCENARIOS[0]
    wrong = Scenario(scenario.name, scenario.as_of, scenario.answers,
                     {"plan": "pro", "actions": []}, scenario.line)
    assert run_scenario(compiled, wrong) == [
        "plan : attendu 'pro', obtenu 'not_eligible'",
        "actions : attendu [], obtenu ['read_charter']",
    ]
