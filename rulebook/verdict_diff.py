"""One situation under two versions of the rules: what differs between its two
verdicts, as "avant → après" lines made of the verdicts' own strings.

A *decision* differs when the plan, the sales limit, a permission, the set of
actions or their deadlines differ (or whether the rules are in force, the
questions left, the answers refused); otherwise the *words* may differ: any
other text of the verdict (explanations, hints, titles, labels, prices).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from difflib import SequenceMatcher
from itertools import zip_longest
from typing import Any

from checker import evaluate
from checker.french import MONTHS, format_words
from checker.model import CompiledRules

Verdict = Mapping[str, Any]

DECISION, WORDS = "decision", "words"
HEADINGS = {
    "in_force": "Règles en vigueur",
    "missing": "Questions restantes",
    "errors": "Réponses refusées",
    "plan": "Formule",
    "limit": "Plafond",
    "permission": "",  # the verdict's line says it: "Vous pouvez : …"
    "action": "À faire",
}
WORD_HEADINGS = {
    "notices": "Avertissement",
    "plan": "Formule",
    "permissions": "Autorisation",
    "actions": "Action",
    "hints": "Bon à savoir",
    "reasons": "Explication",
    "prices": "Tarif",
}
ARROW = "→"
ABSENT = "—"
NO_DEADLINE = "sans échéance"
YES_NO = ("non", "oui")


@dataclass(frozen=True)
class Line:
    """One difference, "avant → après"; ``None`` when absent on that side."""

    field: str
    heading: str
    before: str | None
    after: str | None

    def text(self) -> str:
        """``Plafond : 1 000 € … → 1 500 € …``."""
        change = f"{self.before or ABSENT} {ARROW} {self.after or ABSENT}"
        return f"{self.heading} : {change}" if self.heading else change

    def short(self) -> str:
        """The words that change, when a sentence keeps the rest: ``Tarif : « 42 € HT/mois »
        au lieu de « 39 € HT/mois », dans « … ou 42 € HT/mois (paiement mensuel) »``;
        :meth:`text` when most of it changes."""
        if not self.before or not self.after:
            return self.text()
        was, now = _words(self.before), _words(self.after)
        start = 0
        while start < min(len(was), len(now)) and was[start] == now[start]:
            start += 1
        end = 0
        while (end < min(len(was), len(now)) - start
               and was[len(was) - 1 - end] == now[len(now) - 1 - end]):
            end += 1
        old, new = was[start:len(was) - end], now[start:len(now) - end]
        if not old or not new or 2 * max(len(old), len(new)) > max(len(was), len(now)):
            return self.text()
        change = (f"« {' '.join(new)} » au lieu de « {' '.join(old)} », "
                  f"dans « {self.after} »")
        return f"{self.heading} : {change}" if self.heading else change


# A date said in full is one word; figures keep their no-break spaces, so are one word too.
WORD = re.compile(rf"(?:1er|\d{{1,2}}) (?:{'|'.join(MONTHS)}) \d{{4}}|[^ ]+")


def _words(text: str) -> list[str]:
    return WORD.findall(text)


# --- one verdict against the other -------------------------------------------------------


def _decision_key(verdict: Verdict) -> tuple[Any, ...]:
    """What decides: equal keys mean the same decision, whatever the words."""
    return (verdict["in_force"], tuple(verdict["missing"]), tuple(sorted(verdict["errors"])),
            verdict["plan"], verdict["annual_limit_eur"], verdict["unlimited_sales"],
            verdict["unlimited_until"], tuple(sorted(verdict["permissions"].items())),
            tuple(sorted((a["id"], a["deadline"] or "", a["overdue"])
                         for a in verdict["actions"])))


def _texts(verdict: Verdict) -> dict[str, list[str]]:
    """Every text of the verdict, by part: the lines its layout shows
    (``checker.wording.layout``), the plan's heading on its own (it names the plan)."""
    texts: dict[str, list[str]] = {part: [] for part in WORD_HEADINGS}
    for section in verdict["display"]["sections"]:
        if section["id"] in texts:
            own = [section["heading"]] if section["id"] == "plan" else []
            texts[section["id"]] = [*own, *section["lead"],
                                    *(item["line"] for item in section["items"])]
    return texts


def _permission_lines(compiled: CompiledRules, verdict: Verdict) -> dict[str, str]:
    ids = [p.id for p in compiled.permissions if p.id in verdict["permissions"]]
    return {pid: p["line"] for pid, p in zip(ids, verdict["display"]["permissions"],
                                              strict=True)}


def _todo(verdict: Verdict) -> dict[str, tuple[str, Mapping[str, Any]]]:
    return {a["id"]: (todo, a)
            for todo, a in zip(verdict["display"]["todo"], verdict["actions"], strict=True)}


def _action_line(aid: str, was: tuple[str, Mapping[str, Any]] | None,
                 now: tuple[str, Mapping[str, Any]] | None) -> Line | None:
    """An action added, removed (its whole "À faire" line) or due otherwise (its ``due``)."""
    if was and now:
        (_, old), (_, new) = was, now
        if (old["deadline"], old["overdue"]) == (new["deadline"], new["overdue"]):
            return None
        if old["title"] == new["title"]:
            return Line(f"action:{aid}", f"{HEADINGS['action']} « {new['title']} »",
                        old["due"] or NO_DEADLINE, new["due"] or NO_DEADLINE)
    return Line(f"action:{aid}", HEADINGS["action"], was and was[0], now and now[0])


def _union(first: Iterable[str], second: Iterable[str]) -> list[str]:
    return list(dict.fromkeys([*first, *second]))


def _shorts(compiled: CompiledRules, ids: Iterable[str]) -> str | None:
    shorts = {q.id: q.short for q in compiled.questions}
    words = [f"« {shorts.get(i, i)} »" for i in ids]
    return format_words(words) if words else None


def decision_lines(before: CompiledRules, after: CompiledRules, old: Verdict,
                   new: Verdict) -> list[Line]:
    """The decision differences between two verdicts of one situation."""
    lines: list[Line] = []
    if old["in_force"] != new["in_force"]:
        lines.append(Line("in_force", HEADINGS["in_force"], YES_NO[old["in_force"]],
                          YES_NO[new["in_force"]]))
    if old["missing"] != new["missing"]:
        lines.append(Line("missing", HEADINGS["missing"], _shorts(before, old["missing"]),
                          _shorts(after, new["missing"])))
    if sorted(old["errors"]) != sorted(new["errors"]):
        lines.append(Line("errors", HEADINGS["errors"],
                          " ; ".join(old["errors"].values()) or None,
                          " ; ".join(new["errors"].values()) or None))
    if old["plan"] != new["plan"]:
        lines.append(Line("plan", HEADINGS["plan"], old["plan_name"], new["plan_name"]))
    limit = ("annual_limit_eur", "unlimited_sales", "unlimited_until")
    if any(old[k] != new[k] for k in limit):
        lines.append(Line("limit", HEADINGS["limit"], old["display"]["limit"],
                          new["display"]["limit"]))
    allowed_old, allowed_new = _permission_lines(before, old), _permission_lines(after, new)
    for pid in _union(new["permissions"], old["permissions"]):
        if old["permissions"].get(pid) != new["permissions"].get(pid):
            lines.append(Line(f"permission:{pid}", HEADINGS["permission"],
                              allowed_old.get(pid), allowed_new.get(pid)))
    todo_old, todo_new = _todo(old), _todo(new)
    for aid in _union(todo_new, todo_old):
        line = _action_line(aid, todo_old.get(aid), todo_new.get(aid))
        if line:
            lines.append(line)
    return lines


def words_lines(old: Verdict, new: Verdict) -> list[Line]:
    """The text differences between two verdicts, part by part, reworded texts paired."""
    lines: list[Line] = []
    texts_old, texts_new = _texts(old), _texts(new)
    for part, heading in WORD_HEADINGS.items():
        a, b = texts_old[part], texts_new[part]
        if a == b:
            continue
        for tag, i1, i2, j1, j2 in SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
            if tag != "equal":
                lines += [Line(f"words:{part}", heading, x, y)
                          for x, y in zip_longest(a[i1:i2], b[j1:j2])]
    return lines


@dataclass(frozen=True)
class Cell:
    """One profile on one day, under both files."""

    decision: tuple[Line, ...]
    words: tuple[Line, ...]
    key: str  # both verdicts, all that is shown: equal keys behave the same

    @property
    def change(self) -> tuple[str, tuple[Line, ...]] | None:
        """What the report shows: the decision change, else the words change, else nothing."""
        if self.decision:
            return DECISION, self.decision
        return (WORDS, self.words) if self.words else None


def _key(verdict: Verdict) -> str:
    return repr((_decision_key(verdict), sorted(_texts(verdict).items())))


def compare(before: CompiledRules, after: CompiledRules, answers: Mapping[str, Any],
            day: date) -> Cell:
    """Evaluate ``answers`` on ``day`` under both files."""
    old = evaluate(before, answers, as_of=day)
    new = evaluate(after, answers, as_of=day)
    return Cell(tuple(decision_lines(before, after, old, new)), tuple(words_lines(old, new)),
                _key(old) + _key(new))
