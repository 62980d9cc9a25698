"""Every golden scenario and invariant of data/scenarios.yaml, and their coverage."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from checker.model import CompiledRules
from rulebook.loader import load_rules
from rulebook.scenarios import (
    Invariant,
    Scenario,
    check_invariants,
    coverage,
    load_scenario_file,
    run_scenario,
)
from tests.conftest import DOCS_PATH, RULES_PATH, SCENARIOS_PATH

LOADED = load_scenario_file(SCENARIOS_PATH).resolved(load_rules(RULES_PATH).compiled)
SCENARIOS = LOADED.scenarios


def test_there_are_enough_scenarios_and_invariants() -> None:
    assert len(SCENARIOS) >= 60
    assert len(LOADED.invariants) >= 10


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_scenario(compiled: CompiledRules, scenario: Scenario) -> None:
    assert run_scenario(compiled, scenario) == []


def test_every_invariant_holds_on_the_whole_answer_space(compiled: CompiledRules) -> None:
    assert check_invariants(compiled, LOADED.invariants) == []


def test_scenarios_cover_every_effect_on_every_period_and_every_boundary(
        compiled: CompiledRules) -> None:
    assert coverage(compiled, SCENARIOS) == {
        "plans": [], "actions": [], "effect_periods": [], "answers": [], "deadline_sides": [],
        "dates": [], "thresholds": [],
    }


def test_a_wrong_expectation_and_wrong_words_are_reported(compiled: CompiledRules) -> None:
    wrong = Scenario("revendeur", date(2022, 6, 1), {"role": "producer", "direct_seller": False},
                     {"plan": "pro", "actions": [], "says": ["Offre de lancement"],
                      "never_says": ["{{ discovery_annual_limit_eur }}"]}, 1)
    assert run_scenario(compiled, wrong) == [
        "plan : attendu 'pro', obtenu 'not_eligible'",
        "actions : attendu [], obtenu ['read_charter']",
        "ne dit pas « Offre de lancement »",
    ]
    pro = Scenario("pro", date(2022, 6, 1), {"role": "producer", "direct_seller": True,
                                             "account": "pro"},
                   {"never_says": ["Sans  limite\u00a0de ventes"]}, 1)  # any space matches any
    assert run_scenario(compiled, pro) == ["dit « Sans limite de ventes »"]


def test_an_invariant_catches_a_future_tense_about_a_past_date(tmp_path: Path) -> None:
    """The validator accepts the sentence (it is guarded by a period); the words don't."""
    text = RULES_PATH.read_text(encoding="utf-8")
    wrong = text.replace("la date limite du\n          {{ switch_deadline }} pour basculer sur un "
                         "compte Découverte est dépassée ;\n          ouvrez-le dès maintenant.",
                         "basculez sur un compte Découverte au plus tard le {{ switch_deadline }}.")
    assert wrong != text
    path = tmp_path / "rules.yaml"
    path.write_text(wrong, encoding="utf-8")
    broken = load_rules(path, docs_dir=DOCS_PATH).compiled
    failures = check_invariants(broken, LOADED.invariants)
    assert failures and all("Après l'échéance de bascule" in f for f in failures)
    assert any("'account': 'group_catalogue'" in f and "2023-01-01" in f for f in failures)


def test_an_invariant_that_matches_nothing_is_reported(compiled: CompiledRules) -> None:
    typo = Invariant("typo", {"equals": {"acount": "discovery"}}, [], ["a posteriori"])
    assert check_invariants(compiled, [typo]) == [
        "invariant « typo » : ne s'applique à aucun profil, à aucune date (condition à corriger)"]
