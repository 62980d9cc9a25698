"""The whole answer space: every complete answer set, on every period.

Amounts are sampled at the boundaries of the parameters they are compared
with, and dates at the boundaries of the date parameters the rules read
(periods, deadlines, the date they apply from), so that every branch of every
condition is reached: the static checks, the decision table and the scenario
coverage all enumerate this space.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from checker import leaves
from checker.dated import RECENT_DAYS, rules_on
from checker.dated import values as dated_values
from checker.engine import prepared
from checker.french import format_long_date
from checker.model import CompiledRules, Question

DAY = timedelta(days=1)
RECENT = timedelta(days=RECENT_DAYS)


def _conditions(compiled: CompiledRules) -> Iterator[Mapping[str, Any]]:
    """Every condition of the rules: questions, plan requirement, effects, limit model."""
    yield from (q.ask_when for q in compiled.questions if q.ask_when)
    yield compiled.plan_required_when
    yield from (e.when for r in compiled.rules for e in r.effects)
    if compiled.limit is not None:
        yield from (c for c in compiled.limit.conditions.values() if c)


def thresholds(compiled: CompiledRules) -> set[tuple[str, float]]:
    """(question, amount) of every threshold an answer is compared with: by a condition,
    or by the limit model (its limit and its alert); every value of a parameter that
    changes on a date."""
    parameters = compiled.parameters
    compared = {(arg["question"], arg["parameter"])
                for cond in _conditions(compiled) for kind, arg in leaves(cond)
                if kind == "compare"}
    model = compiled.limit
    if model:
        compared.update((model.question, p) for p in (model.amount, model.alert) if p)
    return {(question, value) for question, pid in compared
            for _, value, _ in dated_values(parameters[pid])}


def _compare_points(compiled: CompiledRules, question_id: str) -> list[float]:
    """Amounts that fall on each side of every threshold compared with ``question_id``."""
    points = {0.0}
    thresholds_ = {t for q, t in thresholds(compiled) if q == question_id}
    for t in thresholds_:
        points.update({max(t - 1, 0), t, t + 1})
    return sorted(points)


def question_values(compiled: CompiledRules, question: Question) -> list[Any]:
    """The representative values of one question: all of a closed one, and for an amount
    the points around each threshold it is compared with."""
    every = question.closed_values
    if every is not None:
        return every
    return [int(v) if float(v).is_integer() else v
            for v in _compare_points(compiled, question.id)]


def complete_profiles(compiled: CompiledRules, today: date,
                      values: list[list[Any]] | None = None) -> Iterator[dict[str, Any]]:
    """Yield every complete answer set on ``today``, asking only relevant questions, in order
    (``values``: each question's :func:`question_values`, when already computed)."""
    if values is None:
        values = [question_values(compiled, question) for question in compiled.questions]
    compiled = rules_on(compiled, today.isoformat())  # the values in force that day
    questions = compiled.questions
    parameters, day = compiled.parameters, today.isoformat()
    asked_when = prepared(compiled).ask_when

    starts = {p.id: p.available_from for p in compiled.plans}
    not_yet = {(q.id, c.value) for q in questions for c in q.choices or ()
               if c.plan and (starts.get(c.plan) or "") > day}

    def walk(index: int, answers: dict[str, Any]) -> Iterator[dict[str, Any]]:
        if index == len(questions):
            yield dict(answers)
            return
        question, ask_when = questions[index], asked_when[index]
        if ask_when is not None and ask_when(answers, parameters, day) is not True:
            yield from walk(index + 1, answers)
            return
        for value in values[index]:
            if (question.id, value) in not_yet:  # an answer refused on this day
                continue
            answers[question.id] = value
            yield from walk(index + 1, answers)
            del answers[question.id]

    yield from walk(0, {})


def profiles_by_period(compiled: CompiledRules) -> Iterator[tuple[Period, dict[str, Any]]]:
    """Every complete answer set on every period of the rules, with its period (each
    question's values found once, not once per period: they do not depend on the day)."""
    values = [question_values(compiled, question) for question in compiled.questions]
    for period in periods(compiled):
        for answers in complete_profiles(compiled, period.sample, values):
            yield period, answers


def boundary_dates(compiled: CompiledRules) -> list[date]:
    """Every date at which some verdict may change, in order."""
    parameters = compiled.parameters
    found = {compiled.in_force_from}
    for parameter in parameters.values():  # a change, and the day its texts stop recalling
        for change in parameter.changes:  # the value it replaced
            since = date.fromisoformat(change.since)
            found.update({since.isoformat(), (since + RECENT).isoformat()})
    for cond in _conditions(compiled):
        found.update(parameters[pid].value for kind, arg in leaves(cond) if kind == "date"
                     for pid in arg.values())
    for rule in compiled.rules:
        for effect in rule.effects:
            found.update(v for v in (effect.deadline,) if v)
    found.update(p.available_from for p in compiled.plans if p.available_from)
    offer = compiled.limit.launch_offer if compiled.limit else None
    if offer:
        found.add(offer.until)
    return sorted(date.fromisoformat(d) for d in found)


@dataclass(frozen=True)
class Period:
    """Days on which every date condition, deadline and date of the rules reads the same.

    Each boundary date is a period of its own (a deadline's day is not late
    yet); ``first``/``last`` are ``None`` for the open ends.
    """

    first: date | None
    last: date | None

    @property
    def sample(self) -> date:
        """A day of the period: its first, or its last when it has no start."""
        day = self.first or self.last
        assert day is not None
        return day

    def contains(self, day: date) -> bool:
        """Whether ``day`` falls in this period."""
        return (self.first is None or day >= self.first) and (self.last is None or day <= self.last)

    def label(self) -> str:
        """``le 31 décembre 2022``, ``du … au …``, ``jusqu'au …``, ``à partir du …``
        (``à toute date`` when both ends are open)."""
        if self.first is None and self.last is None:
            return "à toute date"
        if self.first is None and self.last is not None:
            return f"jusqu'au {format_long_date(self.last)}"
        if self.last is None and self.first is not None:
            return f"à partir du {format_long_date(self.first)}"
        if self.first == self.last and self.first is not None:
            return f"le {format_long_date(self.first)}"
        assert self.first is not None and self.last is not None
        return f"du {format_long_date(self.first)} au {format_long_date(self.last)}"


def periods(compiled: CompiledRules) -> list[Period]:
    """The periods of the rules, in order: before the first boundary, each boundary
    day, the days between two boundaries, after the last one."""
    return periods_between(boundary_dates(compiled))


def periods_between(boundaries: Iterable[date]) -> list[Period]:
    """The periods cut by ``boundaries`` (several rules files compared: their union)."""
    bounds = sorted(set(boundaries))
    if not bounds:
        return [Period(None, None)]
    result = [Period(None, bounds[0] - DAY)]
    for day, following in zip(bounds, [*bounds[1:], None], strict=True):
        result.append(Period(day, day))
        if following is None:
            result.append(Period(day + DAY, None))
        elif following - day > DAY:
            result.append(Period(day + DAY, following - DAY))
    return result


def period_of(all_periods: list[Period], day: date) -> Period:
    """The period ``day`` falls in."""
    return next(p for p in all_periods if p.contains(day))
