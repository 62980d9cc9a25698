"""Checks over the whole answer space, on every period: exactly one plan for
every profile that needs one, and no effect or question that no profile can
ever reach on any day."""

from __future__ import annotations

import json
from typing import Any

from checker.dated import rules_on
from checker.engine import applying_effects, prepared
from checker.model import CompiledRules
from rulebook.answer_space import profiles_by_period
from rulebook.errors import FieldPath, Report


def _profile(answers: dict[str, Any], period: str) -> str:
    return f"{json.dumps(answers, ensure_ascii=False)} ({period})"


def check_answer_space(compiled: CompiledRules, report: Report) -> None:
    """Report plan conflicts, plan gaps and unreachable effects or questions."""
    reached: set[tuple[int, int]] = set()
    asked: set[str] = set()
    reported_gap = reported_conflict = False
    misplaced: set[FieldPath] = set()  # plans decided for a profile that gets none, once each
    # Each distinct reading of the rules (values that change on a date) with the position
    # of each of its effects; held here, so that an id is not reused.
    views: dict[int, tuple[Any, dict[int, tuple[int, int]]]] = {}
    for period, answers in profiles_by_period(compiled):
        day = period.sample
        view = rules_on(compiled, day.isoformat())
        if id(view) not in views:
            views[id(view)] = (view, {id(e): (r, i) for r, rule in enumerate(view.rules)
                                      for i, e in enumerate(rule.effects)})
        positions = views[id(view)][1]
        parameters, plan_required = view.parameters, prepared(view).plan_required
        in_force = day.isoformat() >= compiled.in_force_from
        asked.update(answers)
        decided: list[tuple[str, FieldPath]] = []
        for _, effect in applying_effects(view, answers, day):
            r, e = positions[id(effect)]
            reached.add((r, e))
            if effect.plan:
                decided.append((effect.plan, ("rules", r, "effects", e, "plan")))
        required = in_force and plan_required(answers, parameters, day.isoformat())
        if required and not decided and not reported_gap:
            reported_gap = True
            report(("plan_required_when",), "aucune formule n'est décidée pour le profil "
                   f"{_profile(answers, period.label())}")
        elif required and len(decided) > 1 and not reported_conflict:
            reported_conflict = True
            plans = ", ".join(plan for plan, _ in decided)
            report(decided[1][1], f"plusieurs formules ({plans}) sont décidées pour le "
                   f"profil {_profile(answers, period.label())} : les conditions doivent "
                   "s'exclure")
        elif not required and decided and decided[0][1] not in misplaced:
            misplaced.add(decided[0][1])
            report(decided[0][1], "une formule est décidée pour le profil "
                   f"{_profile(answers, period.label())}, qui n'en reçoit pas d'après "
                   "« plan_required_when »")
    for r, rule in enumerate(compiled.rules):
        for e, _ in enumerate(rule.effects):
            if (r, e) not in reached:
                report(("rules", r, "effects", e, "when"),
                       "effet inatteignable : aucun profil complet ne remplit cette condition, "
                       "à aucune date")
    for i, question in enumerate(compiled.questions):
        if question.id not in asked:
            report(("questions", i, "ask_when"),
                   f"question « {question.id} » jamais posée : sa condition n'est "
                   "jamais remplie")
