"""What ``cagette-rules scenarios`` says: each example that no longer holds, each break of
an invariant, what no example covers yet, and the counts (the command line's and the
browser editor's report)."""

from __future__ import annotations

from checker.model import CompiledRules
from rulebook.answer_space import periods
from rulebook.scenarios import (
    ScenarioFile,
    check_invariants,
    coverage,
    reachable_effect_periods,
    run_scenario,
)

COVERAGE_TITLES = {
    "plans": "formules",
    "actions": "actions",
    "effect_periods": "effets × périodes",
    "answers": "réponses",
    "deadline_sides": "échéances",
    "dates": "veille, jour et lendemain des dates",
    "thresholds": "seuils (−1 centime, pile, +1 centime)",
}


def scenario_report(compiled: CompiledRules, name: str,
                    loaded: ScenarioFile) -> tuple[str, bool]:
    """The report for the scenarios of ``loaded`` (a file called ``name``), and whether
    every example and invariant holds."""
    lines: list[str] = []
    failed = 0
    for scenario in loaded.scenarios:
        mismatches = run_scenario(compiled, scenario)
        if mismatches:
            failed += 1
            lines.append(f"ÉCHEC {name}:{scenario.line} {scenario.name}")
            lines += [f"    {m}" for m in mismatches]
    broken = check_invariants(compiled, loaded.invariants)
    lines += [f"ÉCHEC {failure}" for failure in broken]
    gaps = coverage(compiled, loaded.scenarios)
    lines += [f"Non couvert ({COVERAGE_TITLES[kind]}) : {', '.join(items)}"
              for kind, items in gaps.items() if items]
    pairs = sum(1 for _ in reachable_effect_periods(compiled))
    lines.append(f"Couverture : {len(periods(compiled))} périodes, {pairs} couples effet × "
                 f"période atteignables, {pairs - len(gaps['effect_periods'])} couverts par "
                 "les scénarios.")
    lines.append(f"{len(loaded.scenarios) - failed} scénario(s) conforme(s), {failed} en "
                 f"échec ; {len(loaded.invariants)} invariant(s), {len(broken)} écart(s)")
    return "\n".join(lines), not failed and not broken
