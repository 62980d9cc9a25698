"""A verdict read as a whole: checks over the whole answer space, on every period,
that no verdict contradicts itself nor asks for what cannot be done.

Each sentence a verdict shows is traced back to the text of ``rules.yaml`` it
comes from (an effect's explanation or hint, an action, a plan), or to the limit
model, so that a break is reported, in French, where it can be fixed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from checker import evaluate
from checker.conditions import predicate
from checker.dated import rules_on
from checker.french import format_long_date
from checker.model import CompiledRules, Parameter, Plan
from rulebook.answer_space import profiles_by_period
from rulebook.errors import FieldPath, Report

# "est bloqué", not "n'est bloqué" (negated) nor "seront bloquées" (to come).
PRESENT_BLOCKING = re.compile(r"(?<!n')\b(?:sont|est|restent|reste)\s+bloqué(?:e|s|es)?\b",
                              re.I)
ENOUGH = re.compile(r"\bvous suffit\b", re.I)
WARNING = re.compile(r"\bAttention\b|\bapproch\w*|\batteignent\b|(?<!n')\b(?:sont|est)\s+bloqu",
                     re.I)
OVER = re.compile(r"\b(?:s'est|est|sont|se sont)\s+terminée?s?\b", re.I)
NOW = re.compile(r"\bdès maintenant\b", re.I)
MADE_SALES = re.compile(r"\bvos ventes(?: hors AMAP)?(?: \([^)]*\))? (?:atteignent|restent|"
                        r"approchent|sont|ont atteint)\b", re.I)
DAYS_PER_MONTH = 30  # a lead time in months, counted short


def _origins(compiled: CompiledRules) -> dict[str, FieldPath]:
    """Each text of the rules a verdict may show -> where it is written."""
    found: dict[str, FieldPath] = {}
    for r, rule in enumerate(compiled.rules):
        for e, effect in enumerate(rule.effects):
            for key, text in (("explain", effect.explain), ("hint", effect.hint)):
                if text:
                    found.setdefault(text, ("rules", r, "effects", e, key))
    for i, action in enumerate(compiled.actions):
        for key, text in (("title", action.title), ("text", action.text)):
            found.setdefault(text, ("actions", i, key))
    for i, plan in enumerate(compiled.plans):
        for key in ("summary", "price", "counts", "how_to_get", "limit_label"):
            text = getattr(plan, key)
            if text:
                found.setdefault(text, ("plans", i, key))
    return found


def sentences(verdict: Mapping[str, Any]) -> Iterator[str]:
    """Every sentence the verdict shows a person (its words, not its labels)."""
    shown = verdict["display"]
    yield from shown["notices"]
    yield from (r["text"] for r in verdict["reasons"])
    yield from verdict["hints"]
    for action in verdict["actions"]:
        yield action["text"]
        if action["due"]:
            yield f"{action['title']} ({action['due']})"
    if shown["plan"]:
        yield shown["plan"]["summary"]
        yield from (fact["value"] for fact in shown["plan"]["facts"])


def _where(text: str, origins: Mapping[str, FieldPath]) -> FieldPath:
    """Where ``text`` comes from: its text in the rules, else the limit model."""
    if text in origins:
        return origins[text]
    found = next((path for source, path in origins.items() if source and source in text), None)
    return found or ("limit",)


def _profile(answers: Mapping[str, Any], day: date) -> str:
    return f"{json.dumps(answers, ensure_ascii=False)} au {format_long_date(day)}"


def _quote(text: str) -> str:
    return text if len(text) <= 90 else text[:87] + "…"


def _deadline_setters(compiled: CompiledRules, action_id: str, deadline: str) -> list[FieldPath]:
    """Where the effects that give ``action_id`` this ``deadline`` write it."""
    return [("rules", r, "effects", e, "deadline")
            for r, rule in enumerate(compiled.rules)
            for e, effect in enumerate(rule.effects)
            if effect.action == action_id and effect.deadline == deadline]


Break = tuple[str, str, "str | None"]
"""The sentence, what is wrong with it, and the words that show it (to locate them)."""


MARKS = {"blocking": PRESENT_BLOCKING, "enough": ENOUGH, "warning": WARNING, "over": OVER,
         "now": NOW, "made": MADE_SALES}


@lru_cache(maxsize=4096)  # bounded: a serve rebuilds with new texts
def _marks(text: str) -> dict[str, str]:
    """The words of ``text`` each check looks for, by mark (a sentence recurs across
    verdicts: it is read once)."""
    found = {mark: pattern.search(text) for mark, pattern in MARKS.items()}
    return {mark: match.group(0) for mark, match in found.items() if match}


def _breaks(compiled: CompiledRules, verdict: Mapping[str, Any], day: date,
            expected: bool) -> Iterator[Break]:
    """Each break of coherence in one verdict."""
    said = [(text, _marks(text)) for text in sentences(verdict)]
    if verdict["unlimited_sales"] is True or verdict["unlimited_until"]:
        for text, marks in said:
            if "blocking" in marks:
                yield text, ("dit des ventes bloquées alors qu'elles sont sans limite pour "
                             "ce profil à cette date"), marks["blocking"]
    if any("enough" in marks for _, marks in said):
        warning = next(((t, m) for t, m in said if "warning" in m), None)
        if warning:
            yield (warning[0], "avertit, alors que le même verdict dit « vous suffit »",
                   warning[1]["warning"])
    for text, marks in said:
        if "over" in marks and "now" in marks:
            yield text, ("dit d'une même chose qu'elle est terminée et qu'il faut la faire "
                         "« dès maintenant »"), marks["now"]
    if expected:
        for text, marks in said:
            if "made" in marks:
                yield text, ("parle de ventes faites, alors que ce profil n'en a pas encore "
                             "(le montant est une prévision)"), marks["made"]
    plans = {p.id: p for p in compiled.plans}
    offered = {a.id: a.plans or () for a in compiled.actions}
    parameters = compiled.parameters
    for action in verdict["actions"]:
        deadline = action["deadline"]
        if not deadline or action["overdue"]:
            continue
        for plan_id in offered[action["id"]]:
            plan = plans[plan_id]
            start = plan.available_from
            asks = f"« {action['title']} » demande « {plan.name} » au plus tard le " \
                   f"{format_long_date(deadline)}"
            if start and start > deadline:
                yield action["text"], (f"{asks}, mais elle n'est possible qu'à partir du "
                                       f"{format_long_date(start)}"), None
            lead = _lead_days(plan, parameters)
            if lead and date.fromisoformat(deadline) < day + timedelta(days=lead):
                yield action["text"], (f"{asks}, mais elle demande environ "
                                       f"{plan.lead_time} de délai"), None


def _lead_days(plan: Plan, parameters: Mapping[str, Parameter]) -> int:
    """A plan's lead time in days (months counted short), 0 when it has none."""
    months = next((p.value for p in parameters.values()
                   if p.unit == "months" and p.display == plan.lead_time), 0)
    return int(months * DAYS_PER_MONTH)


def check_coherence(compiled: CompiledRules, report: Report) -> None:
    """Report, once per text, every verdict of the answer space × periods that
    contradicts itself or asks for what cannot be done by its deadline."""
    origins = _origins(compiled)
    model = compiled.limit
    expected = predicate(model.expected_when) if model and model.expected_when else None
    reported: set[tuple[FieldPath, str]] = set()
    for period, answers in profiles_by_period(compiled):
        day = period.sample
        verdict = evaluate(compiled, answers, as_of=day)
        if not verdict["in_force"]:
            continue
        view = rules_on(compiled, day.isoformat())  # the values and texts of that day
        forecast = expected is not None and expected(answers, view.parameters,
                                                     day.isoformat())
        deadlines = {a["text"]: _deadline_setters(compiled, a["id"], a["deadline"])
                     for a in verdict["actions"] if a["deadline"]}
        for text, problem, words in _breaks(view, verdict, day, forecast is True):
            setters = deadlines.get(text) if "au plus tard le" in problem else None
            where = setters[0] if setters else _where(text, origins)
            if (where, problem) in reported:
                continue
            reported.add((where, problem))
            shown = f" (« {words} »)" if words else ""
            report(where, f"incohérence : pour le profil {_profile(answers, day)}, le "
                   f"verdict « {_quote(text)} » {problem}{shown}", words)
