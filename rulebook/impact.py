"""What a rules edit changes: every situation, on every period, under a baseline
and under the working copy.

Both compiled rules are evaluated with ``checker.evaluate`` on the union of
their answer spaces: the complete profiles of either file, amounts sampled at
the thresholds of both files (a threshold moving from 1 000 € to 1 500 € makes
1 200 € a situation of its own), on every period cut by the dates of both files.

A *situation* is a profile whose amounts are merged into ranges that behave
the same under both files on every period. Its change is a *decision* change
(plan, sales limit, permissions, the set of actions and their deadlines,
whether the rules are in force, questions left or answers refused) or, with
identical decisions, a *words* change (other texts). The report's changes
merge adjacent amounts, adjacent periods and the answers of a question that
change the same way; every "avant" and "après" is a string of the verdicts'
own ``display`` (or their explanation and hints): nothing is worded twice.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from itertools import pairwise, product
from typing import Any

from checker.french import format_eur, format_long_date, format_words
from checker.model import CompiledRules, Question
from rulebook.answer_space import (
    Period,
    boundary_dates,
    complete_profiles,
    periods_between,
)
from rulebook.answer_space import question_values as sampled_values
from rulebook.content_diff import TextChange, ValueChange, value_changes
from rulebook.describe import AmountRange, answer_label
from rulebook.verdict_diff import DECISION, WORDS, Cell, Line, compare

FORMAT_VERSION = 1
ANY_ANSWER = "Quelles que soient les autres réponses"
KIND_TITLES = {DECISION: "Décisions qui changent", WORDS: "Mêmes décisions, autres mots"}
VALUES_TITLE = "Valeurs qui changent"
TEXTS_TITLE = "Textes des pages qui changent"


# --- the answer space of both files ------------------------------------------------------


def _questions(before: CompiledRules, after: CompiledRules) -> dict[str, Question]:
    """Every question of either file in asking order, the working copy's wording first;
    a choice only the baseline has keeps its label there."""
    merged: dict[str, Question] = {}
    for q in [*after.questions, *before.questions]:
        known = merged.get(q.id)
        if known is None:
            merged[q.id] = q
        elif known.choices and q.choices:
            values = {c.value for c in known.choices}
            extra = [c for c in q.choices if c.value not in values]
            merged[q.id] = replace(known, choices=(*known.choices, *extra))
    return merged


def _amount_points(before: CompiledRules, after: CompiledRules, qid: str) -> list[float]:
    """The amounts sampled around the thresholds of both files."""
    points: set[float] = set()
    for compiled in (before, after):
        for q in compiled.questions:
            if q.id == qid and q.type == "amount":
                points.update(sampled_values(compiled, q))
    return sorted(points)


Base = tuple[tuple[str, Any], ...]  # a profile, amounts left out (value None)


def _bases(before: CompiledRules, after: CompiledRules, amount_ids: set[str],
           day: date) -> list[Base]:
    bases: dict[Base, None] = {}
    for compiled in (before, after):
        for profile in complete_profiles(compiled, day):
            bases[tuple((k, None if k in amount_ids else v) for k, v in profile.items())] = None
    return list(bases)


@dataclass
class _Grid:
    """Cells of one base profile: period index -> amounts -> cell."""

    amounts: list[str]
    cells: dict[int, dict[tuple[float, ...], Cell]] = field(default_factory=dict)


def _grid(before: CompiledRules, after: CompiledRules,
          all_periods: Sequence[Period]) -> dict[Base, _Grid]:
    questions = _questions(before, after)
    amount_ids = {qid for qid, q in questions.items() if q.type == "amount"}
    points = {qid: _amount_points(before, after, qid) for qid in amount_ids}
    grid: dict[Base, _Grid] = {}
    for index, period in enumerate(all_periods):
        day = period.sample
        for base in _bases(before, after, amount_ids, day):
            amounts = [k for k, _ in base if k in amount_ids]
            cells = grid.setdefault(base, _Grid(amounts)).cells.setdefault(index, {})
            for values in product(*(points[k] for k in amounts)):
                answers = {**dict(base), **dict(zip(amounts, values, strict=True))}
                cells[values] = compare(before, after, answers, day)
    return grid


# --- situations and changes --------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """Situations that change the same way over a period: the report's unit.

    ``answers`` maps each question asked to a tuple of values (several when
    merged), an :class:`AmountRange` or an amount.
    """

    kind: str
    answers: tuple[tuple[str, Any], ...]
    period: Period
    lines: tuple[Line, ...]
    example: dict[str, Any]
    order: tuple[int, ...]


def _runs(keys: Sequence[Any]) -> list[list[int]]:
    """Indices of consecutive equal keys."""
    runs: list[list[int]] = []
    for i, key in enumerate(keys):
        if runs and keys[runs[-1][-1]] == key:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def _situations(grid: Mapping[Base, _Grid], count: int
                ) -> tuple[list[str | None], Counter[Line]]:
    """The kind of change of every situation (``None``: unchanged), and in how many
    situations each "avant → après" line shows (on some period)."""
    kinds: list[str | None] = []
    lines: Counter[Line] = Counter()
    for entry in grid.values():
        amounts = sorted({a for cells in entry.cells.values() for a in cells})
        columns = [[entry.cells.get(i, {}).get(a) for i in range(count)] for a in amounts]
        groups = (_runs([tuple(c.key if c else None for c in col) for col in columns])
                  if len(entry.amounts) == 1 else [[i] for i in range(len(columns))])
        for group in groups:
            cells = [c for i in group for c in columns[i] if c]
            kinds.append(DECISION if any(c.decision for c in cells)
                         else WORDS if any(c.words for c in cells) else None)
            lines.update({line for c in cells if c.change for line in c.change[1]})
    return kinds, lines


def _boundary(before: CompiledRules, after: CompiledRules, base: Base, qid: str, below: float,
              above: float, day: date) -> tuple[tuple[str, float], tuple[str, float]]:
    """Where the change between two sampled amounts happens, asking both files in between."""
    answers = dict(base)
    middle = compare(before, after, {**answers, qid: (below + above) / 2}, day).change
    low_side = compare(before, after, {**answers, qid: below}, day).change
    if middle == low_side:
        return ("lt", above), ("ge", above)
    return ("le", below), ("gt", below)


def _amount_changes(before: CompiledRules, after: CompiledRules, base: Base, entry: _Grid,
                    index: int, day: date
                    ) -> Iterator[tuple[dict[str, Any], int, tuple[str, Any], dict]]:
    """(answers, first amount index, change, example) of one base profile on one period."""
    cells = entry.cells[index]
    amounts = sorted(cells)
    answers = dict(base)
    if len(entry.amounts) != 1:
        for i, values in enumerate(amounts):
            change = cells[values].change
            if change:
                exact = dict(zip(entry.amounts, values, strict=True))
                yield {**answers, **exact}, i, change, {**answers, **exact}
        return
    (qid,) = entry.amounts
    runs = _runs([cells[a].change for a in amounts])
    bounds: list[tuple[str, float] | None] = [None]
    for previous, current in pairwise(runs):
        bounds += _boundary(before, after, base, qid, amounts[previous[-1]][0],
                            amounts[current[0]][0], day)
    bounds.append(None)
    for n, run in enumerate(runs):
        change = cells[amounts[run[0]]].change
        if change:
            ranged = AmountRange(bounds[2 * n], bounds[2 * n + 1])
            yield ({**answers, qid: ranged}, run[0], change,
                   {**answers, qid: amounts[run[0]][0]})


def _changes(before: CompiledRules, after: CompiledRules, grid: Mapping[Base, _Grid],
             all_periods: Sequence[Period]) -> list[Change]:
    """Changes with amounts and periods merged (one base profile at a time)."""
    merged: dict[tuple[Any, ...], list[tuple[int, dict[str, Any], tuple[int, ...]]]] = {}
    for b, (base, entry) in enumerate(grid.items()):
        for index in sorted(entry.cells):
            day = all_periods[index].sample
            for answers, first, change, example in _amount_changes(before, after, base, entry,
                                                                  index, day):
                key = (tuple(answers.items()), change)
                merged.setdefault(key, []).append((index, example, (b, first)))
    changes = []
    for (answers, (kind, lines)), seen in merged.items():
        for run in _runs_of_periods([s[0] for s in seen]):
            first, last = all_periods[run[0]], all_periods[run[-1]]
            index, example, order = seen[[s[0] for s in seen].index(run[0])]
            values = tuple((k, v if isinstance(v, AmountRange | float | int) and
                            not isinstance(v, bool) else (v,)) for k, v in answers)
            changes.append(Change(kind, values, Period(first.first, last.last), lines,
                                  {"answers": example, "as_of": first.sample.isoformat()},
                                  (*order, index)))
    return sorted(changes, key=lambda c: c.order)


def _runs_of_periods(indices: list[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for i in sorted(indices):
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def _merge_choices(changes: list[Change], questions: Mapping[str, Question],
                   keep: str) -> list[Change]:
    """Merge changes that differ only by the answer to one question, question by question."""
    for qid, q in questions.items():
        if qid == keep or q.type == "amount":
            continue
        groups: dict[tuple[Any, ...], list[Change]] = {}
        for change in changes:
            answers = dict(change.answers)
            if qid not in answers:
                groups[("alone", id(change))] = [change]
                continue
            rest = tuple((k, v if k != qid else None) for k, v in change.answers)
            groups.setdefault((rest, change.kind, change.period, change.lines), []).append(change)
        changes = []
        for key, group in groups.items():
            if key[0] == "alone":
                changes += group
                continue
            values = tuple(dict.fromkeys(v for c in group for v in dict(c.answers)[qid]))
            answers = tuple((k, values if k == qid else v) for k, v in group[0].answers)
            changes.append(replace(min(group, key=lambda c: c.order), answers=answers))
        changes.sort(key=lambda c: c.order)
    return changes


# --- the report ---------------------------------------------------------------------------


@dataclass
class Situated:
    """A situation a change applies to: its role, its other answers, its periods."""

    role: str
    text: str
    periods: list[Period]


@dataclass
class LineGroup:
    """One change ("avant → après") and every situation it applies to, once."""

    line: Line
    situations: list[Situated]
    total: int  # the situations it shows in (as the summary counts them)

    def shared_periods(self) -> list[Period] | None:
        """The periods, when every situation has the same ones (said once, then)."""
        first = self.situations[0].periods
        return first if all(s.periods == first for s in self.situations) else None

    def roles(self) -> dict[str, list[Situated]]:
        """The situations by role, in order."""
        found: dict[str, list[Situated]] = {}
        for situated in self.situations:
            found.setdefault(situated.role, []).append(situated)
        return found

    def count(self) -> str:
        """``sur 15 situations`` (``pour 1 situation``)."""
        count = self.total
        return "pour 1 situation" if count == 1 else f"sur {count} situations"


@dataclass
class Section:
    """Decision changes, or words-only changes: each change once, with its situations."""

    title: str
    groups: list[LineGroup]


def periods_label(periods: list[Period]) -> str:
    """``du 3 novembre 2021 au 1er février 2022 ; à partir du 2 février 2022``."""
    return " ; ".join(p.label() for p in periods)


@dataclass
class Impact:
    """Every change between two versions of the rules, with its French summary."""

    baseline: str
    working: str
    as_of: date | None
    periods: list[Period]
    situations: int
    decisions: int
    words: int
    changes: list[Change]
    questions: dict[str, Question]
    one_sided: set[str] = field(default_factory=set)  # questions only one version asks
    values: list[ValueChange] = field(default_factory=list)
    texts: list[TextChange] = field(default_factory=list)
    line_counts: dict[Line, int] = field(default_factory=dict)  # situations per line

    @property
    def changed(self) -> bool:
        """Whether anything changes: a value, a page's text, a situation's decision or
        words."""
        return bool(self.decisions or self.words or self.values or self.texts)

    def scope(self) -> str:
        """``à toute date (11 périodes comparées)`` or ``au 15 janvier 2023``."""
        if self.as_of is not None:
            return f"au {format_long_date(self.as_of)}"
        return f"à toute date ({len(self.periods)} périodes comparées)"

    def title(self) -> str:
        """What is compared with what."""
        return (f"Impact de {self.working} (version de travail) par rapport à {self.baseline} "
                f"(référence), {self.scope()}.")

    def summary(self) -> str:
        """``4 situations sur 14 changent de décision, et 2 autres seulement de mots.``,
        after what changes in the values and the pages' texts."""
        total, decisions, words = self.situations, self.decisions, self.words
        if not decisions and not words:
            verdicts = f"Aucune des {total} situations ne change."
        elif not decisions:
            verdicts = (f"Aucune décision ne change ; {_count(words, total)} "
                        f"{'change' if words == 1 else 'changent'} seulement de mots.")
        else:
            verdicts = (f"{_count(decisions, total)} "
                        f"{'change' if decisions == 1 else 'changent'} de décision")
            if words:
                other = "autre" if words == 1 else "autres"
                verdicts += f", et {words} {other} seulement de mots"
            verdicts += "."
        if not self.values and not self.texts:
            return verdicts
        parts = []
        if self.values:
            count = len(self.values)
            parts.append(f"{count} valeur{'s' if count > 1 else ''} "
                         f"{'changent' if count > 1 else 'change'}")
        if self.texts:
            count = len(self.texts)
            pages = format_words(dict.fromkeys(t.page for t in self.texts))
            parts.append(f"{count} passage{'s' if count > 1 else ''} des pages "
                         f"{'changent' if count > 1 else 'change'} ({pages})")
        said = " ; ".join(parts)
        return f"{said[:1].upper()}{said[1:]}. Dans le vérificateur : {_lower(verdicts)}"

    def role_label(self, change: Change) -> str:
        """The answer to the first question (the role), which groups the report."""
        qid, values = change.answers[0]
        return format_words(answer_label(self.questions[qid], v) for v in values)

    def situation(self, change: Change) -> tuple[list[str], list[str]]:
        """The other answers as ``Short : label``: the choices, then the amounts.

        A question whose every answer is merged says nothing and is left out.
        """
        choices, amounts = [], []
        for qid, value in change.answers[1:]:
            q = self.questions[qid]
            label = _value_label(q, value, qid in self.one_sided)
            if label is not None:
                (choices if isinstance(value, tuple) else amounts).append(f"{q.short} : {label}")
        return choices, amounts

    def outline(self) -> list[Section]:
        """Changes grouped for reading: kind, then each "avant → après" line once, with
        the situations it applies to (role, other answers, amounts) and their periods."""
        sections = []
        for kind in (DECISION, WORDS):
            groups: dict[Line, dict[tuple[str, str], list[Period]]] = {}
            for change in (c for c in self.changes if c.kind == kind):
                choices, amounts = self.situation(change)
                situation = " ; ".join([*choices, *amounts]) or ANY_ANSWER
                for line in change.lines:
                    periods = groups.setdefault(line, {}).setdefault(
                        (self.role_label(change), situation), [])
                    periods.append(change.period)
            if groups:
                sections.append(Section(KIND_TITLES[kind], [
                    LineGroup(line, [Situated(role, text, _merged(periods))
                                     for (role, text), periods in situations.items()],
                              self.line_counts.get(line, len(situations)))
                    for line, situations in groups.items()]))
        return sections

    def as_dict(self) -> dict[str, Any]:
        """The stable JSON structure (``cagette-rules impact --json``)."""
        return {
            "format": FORMAT_VERSION,
            "baseline": self.baseline,
            "working": self.working,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "periods": [_period_dict(p) for p in self.periods],
            "situations": self.situations,
            "changed": {"decisions": self.decisions, "words": self.words,
                        "values": len(self.values), "texts": len(self.texts)},
            "values": [v.as_dict() for v in self.values],
            "texts": [t.as_dict() for t in self.texts],
            "title": self.title(),
            "summary": self.summary(),
            "changes": [self._change_dict(c) for c in self.changes],
        }

    def _change_dict(self, change: Change) -> dict[str, Any]:
        situation = []
        for qid, value in change.answers:
            q = self.questions[qid]
            item: dict[str, Any] = {"question": qid, "short": q.short,
                                    "label": _value_label(q, value, qid in self.one_sided)}
            if isinstance(value, AmountRange):
                item["range"] = {"low": list(value.low) if value.low else None,
                                 "high": list(value.high) if value.high else None}
            elif isinstance(value, tuple):
                item["values"] = list(value)
            else:
                item["amount"] = value
            situation.append(item)
        return {
            "kind": change.kind,
            "role": self.role_label(change),
            "situation": situation,
            "period": _period_dict(change.period),
            "lines": [{"field": line.field, "heading": line.heading, "before": line.before,
                       "after": line.after, "text": line.text()} for line in change.lines],
            "example": change.example,
        }


def _merged(periods: list[Period]) -> list[Period]:
    """Periods in order, those that follow each other joined."""
    merged: list[Period] = []
    for period in sorted(periods, key=lambda p: (p.first is not None, p.first or date.min)):
        last = merged[-1] if merged else None
        if last is not None and last.last is not None and period.first is not None \
                and (period.first - last.last).days == 1:
            merged[-1] = Period(last.first, period.last)
        else:
            merged.append(period)
    return merged


def pages_of(result: Impact) -> dict[str, list[TextChange]]:
    """The text changes of ``result``, by page, in the order of the site."""
    pages: dict[str, list[TextChange]] = {}
    for change in result.texts:
        pages.setdefault(change.page, []).append(change)
    return pages


def _lower(text: str) -> str:
    """A sentence made to follow a colon (its first letter lowered, but not a figure's)."""
    return text[:1].lower() + text[1:]


def _count(count: int, total: int) -> str:
    return f"{count} situation{'s' if count > 1 else ''} sur {total}"


def _value_label(q: Question, value: Any, always: bool = False) -> str | None:
    """An answer, a range or several answers in words; ``None`` when it says nothing
    (every answer of a question both versions ask, unless ``always``)."""
    if isinstance(value, AmountRange):
        return None if value.low is None and value.high is None else value.label()
    if not isinstance(value, tuple):
        return format_eur(value)
    every = q.closed_values
    if every is not None and set(every) <= set(value) and not always:
        return None
    if len(value) == 1:
        return answer_label(q, value[0])
    return format_words([f"« {answer_label(q, v)} »" for v in value], "ou")


def _period_dict(period: Period) -> dict[str, Any]:
    return {"first": period.first.isoformat() if period.first else None,
            "last": period.last.isoformat() if period.last else None,
            "label": period.label()}


def impact(before: CompiledRules, after: CompiledRules, *, baseline: str = "référence",
           working: str = "version de travail", as_of: date | None = None,
           texts: Sequence[TextChange] = ()) -> Impact:
    """Compare the verdicts of every situation under ``before`` and ``after``, and their
    parameters' values; ``texts``: what changes in the pages' texts
    (:func:`rulebook.content_diff.text_changes`)."""
    if as_of is not None:
        all_periods = [Period(as_of, as_of)]
    else:
        all_periods = periods_between([*boundary_dates(before), *boundary_dates(after)])
    questions = _questions(before, after)
    grid = _grid(before, after, all_periods)
    kinds, line_counts = _situations(grid, len(all_periods))
    changes = _changes(before, after, grid, all_periods)
    changes = _merge_choices(changes, questions, keep=next(iter(questions)))
    return Impact(baseline, working, as_of, all_periods, len(kinds), kinds.count(DECISION),
                  kinds.count(WORDS), changes, questions,
                  {q.id for q in before.questions} ^ {q.id for q in after.questions},
                  value_changes(before, after), list(texts), dict(line_counts))
