"""What an edit changes in the pages' texts, beside the verdicts: a FAQ question added, a
sentence of a rule's text rewritten, a session moved, a plan's description, the glossary,
the history.

Both versions are walked along the declaration: items of a list are matched by their
``id``, texts are compared sentence by sentence once their ``{{ parameters }}`` are
rendered with each version's values, so that one rewritten sentence shows as that
sentence, before → after. What the verdicts show (questions, actions, the effects' texts,
the limit model) is compared by :mod:`rulebook.impact`; the parameters by
:func:`value_changes`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from checker.dated import values as dated_values
from checker.french import format_long_date, typeset
from checker.model import CompiledRules
from rulebook.declaration import ROOT
from rulebook.spec import ListOf, MapOf, Obj, Spec

# The parts of the file shown on pages, in the order of the site, with the page they
# make; the others are what the checker's verdicts say (compared situation by situation).
PAGES = {"meta": "Présentation du site", "context": "Accueil", "rules": "Règles",
         "plans": "Formules", "faq": "Foire aux questions",
         "sessions": "Sessions d'information", "glossary": "Lexique",
         "audiences": "Publics des règles", "sources": "Sources",
         "changelog": "Historique"}
NOT_ON_PAGES = {("rules", "effects")}  # an effect's texts are the verdicts' words
NAME_KEYS = ("title", "question", "term", "name", "label")
SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n\s*\n")


@dataclass(frozen=True)
class TextChange:
    """One change of a page's text: ``what`` (the item and its field), and the sentences
    before and after (empty: added or removed)."""

    page: str
    what: str
    before: str
    after: str

    def text(self) -> str:
        """``what : « avant » → « après »``, or what was added or removed."""
        if not self.before:
            return typeset(f"{self.what} : ajouté « {self.after} »")
        if not self.after:
            return typeset(f"{self.what} : retiré « {self.before} »")
        return typeset(f"{self.what} : « {self.before} » → « {self.after} »")

    def as_dict(self) -> dict[str, str]:
        """The stable JSON form."""
        return {"page": self.page, "what": self.what, "before": self.before,
                "after": self.after, "text": self.text()}


@dataclass(frozen=True)
class ValueChange:
    """A parameter's value that changes: its label, and what it reads from a date on."""

    label: str
    before: str
    after: str
    since: date | None  # None: from the start (the value itself was edited)
    until: date | None = None  # the last day it differs (None: for good)

    def text(self) -> str:
        """``label : 42 € au lieu de 39 €, à partir du 1er janvier 2027``."""
        if self.since and self.until:
            when = (f", du {format_long_date(self.since)} au "
                    f"{format_long_date(self.until)}")
        elif self.until:
            when = f", jusqu'au {format_long_date(self.until)}"
        else:
            when = f", à partir du {format_long_date(self.since)}" if self.since else ""
        if not self.before:
            return typeset(f"{self.label} : {self.after}{when} (nouveau paramètre)")
        if not self.after:
            return typeset(f"{self.label} : {self.before} (paramètre retiré)")
        return typeset(f"{self.label} : {self.after} au lieu de {self.before}{when}")

    def as_dict(self) -> dict[str, Any]:
        """The stable JSON form."""
        return {"label": self.label, "before": self.before, "after": self.after,
                "since": self.since.isoformat() if self.since else None,
                "until": self.until.isoformat() if self.until else None, "text": self.text()}


Render = Callable[[str], str]


def text_changes(before: Mapping[str, Any], after: Mapping[str, Any], render_before: Render,
                 render_after: Render) -> list[TextChange]:
    """Every change of the pages' texts between two rules files' data, in page order."""
    found: list[TextChange] = []
    for key, page in PAGES.items():
        field = ROOT.fields[key]
        found += _walk(field.spec, before.get(key), after.get(key), (key,), page, "",
                       (render_before, render_after))
    return found


def _name(item: Mapping[str, Any], render: Render) -> str:
    for key in NAME_KEYS:
        if isinstance(item.get(key), str):
            return " ".join(render(item[key]).split())
    return str(item.get("id", ""))


def _walk(spec: Spec, old: Any, new: Any, path: tuple[str, ...], page: str, what: str,
          render: tuple[Render, Render]) -> Iterator[TextChange]:
    if old == new or (path[0], path[-1]) in NOT_ON_PAGES:
        return
    if isinstance(spec, Obj) and isinstance(old, dict) and isinstance(new, dict):
        for key, field in spec.fields.items():
            doc = field.doc.replace(" (Markdown)", "")
            label = f"{what}, {doc}" if what else doc
            yield from _walk(field.spec, old.get(key), new.get(key), (*path, key), page,
                             label, render)
    elif isinstance(spec, ListOf) and _keyed(old) and _keyed(new):
        yield from _items(spec, old or [], new or [], path, page, what, render)
    elif isinstance(spec, MapOf) and isinstance(old, dict) and isinstance(new, dict):
        for key in dict.fromkeys([*old, *new]):
            yield from _walk(spec.value, old.get(key), new.get(key), (*path, key), page,
                             f"{what} « {key} »", render)
    else:
        yield from _texts(old, new, page, what or page, render)


def _keyed(items: Any) -> bool:
    return items is None or (isinstance(items, list) and all(
        isinstance(i, dict) and "id" in i for i in items))


def _items(spec: ListOf, old: list[Any], new: list[Any], path: tuple[str, ...], page: str,
           what: str, render: tuple[Render, Render]) -> Iterator[TextChange]:
    """Items matched by id: each added or removed one is said once, by its name."""
    before = {i["id"]: i for i in old}
    after = {i["id"]: i for i in new}
    for ident in dict.fromkeys([*after, *before]):
        if ident not in before:
            yield TextChange(page, what or page, "", _name(after[ident], render[1]))
        elif ident not in after:
            yield TextChange(page, what or page, _name(before[ident], render[0]), "")
        else:
            name = f"« {_name(after[ident], render[1])} »"
            yield from _walk(spec.item, before[ident], after[ident], (*path, "item"), page,
                             f"{what} {name}".strip() if what else name, render)


def _texts(old: Any, new: Any, page: str, what: str,
           render: tuple[Render, Render]) -> Iterator[TextChange]:
    """The sentences of a text (or the items of a plain list, or a value) that differ."""
    if isinstance(old, list) or isinstance(new, list):
        old_items = [_shown(v, render[0]) for v in old or []]
        new_items = [_shown(v, render[1]) for v in new or []]
    else:
        old_items = _sentences(_shown(old, render[0])) if old is not None else []
        new_items = _sentences(_shown(new, render[1])) if new is not None else []
    matcher = difflib.SequenceMatcher(a=old_items, b=new_items, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        removed, added = old_items[i1:i2], new_items[j1:j2]
        for k in range(max(len(removed), len(added))):
            yield TextChange(page, what, removed[k] if k < len(removed) else "",
                             added[k] if k < len(added) else "")


def _shown(value: Any, render: Render) -> str:
    if isinstance(value, date):
        return format_long_date(value)
    if isinstance(value, dict):  # an item without id (a changelog entry)
        return " — ".join(_shown(v, render) for v in value.values())
    return " ".join(render(str(value)).split())


def _sentences(text: str) -> list[str]:
    return [s for s in SENTENCE_END.split(text) if s.strip()]


def value_changes(before: CompiledRules, after: CompiledRules) -> list[ValueChange]:
    """Each parameter whose values differ between two compiled rules: its first value
    edited, a change on a date added, moved or removed."""
    found = []
    old, new = before.parameters, after.parameters
    for pid in dict.fromkeys([*new, *old]):
        if pid not in old:
            found.append(ValueChange(new[pid].label, "", new[pid].display, None))
            continue
        if pid not in new:
            found.append(ValueChange(old[pid].label, old[pid].display, "", None))
            continue
        was, now = dated_values(old[pid]), dated_values(new[pid])
        days: list[str | None] = [None, *sorted({d for d, _, _ in [*was, *now] if d})]
        label = new[pid].label
        # Each stretch of days between two changes (of either version) where they differ,
        # stretches that differ the same way joined.
        stretches: list[tuple[str, str, str | None, str | None]] = []
        for day, following in zip(days, [*days[1:], None], strict=True):
            pair = (_on(was, day), _on(now, day))
            if pair[0] == pair[1]:
                continue
            if stretches and stretches[-1][:2] == pair and stretches[-1][3] == day:
                stretches[-1] = (*pair, stretches[-1][2], following)
            else:
                stretches.append((*pair, day, following))
        for before_shown, after_shown, since, end in stretches:
            last = date.fromisoformat(end) - timedelta(days=1) if end else None
            found.append(ValueChange(label, before_shown, after_shown,
                                     date.fromisoformat(since) if since else None, last))
    return found


def _on(listed: list[tuple[str | None, Any, str]], day: str | None) -> str:
    """The display of the value in force from ``day`` (the first one for ``None``)."""
    shown = listed[0][2]
    for since, _, display in listed[1:]:
        if day is not None and since is not None and since <= day:
            shown = display
    return shown
