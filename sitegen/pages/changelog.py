"""The changelog of the rules, newest first: the dated entries of the YAML, and every
value a parameter takes on a date (``changes:``), written from that one edit."""

from __future__ import annotations

from datetime import date
from itertools import groupby, pairwise
from typing import Any

from checker.dated import values as dated_values
from checker.french import format_long_date
from sitegen.context import SiteContext

VALUE_CHANGE = "{label} : {now} au lieu de {before}."
AHEAD = " (à venir)"


def value_changes(ctx: SiteContext) -> list[tuple[date, str]]:
    """(day, sentence) of every parameter change, in the words the pages use."""
    found = []
    for pid, parameter in ctx.compiled.parameters.items():
        listed = dated_values(ctx.book.compiled.parameters[pid])
        for (_, _, before), (since, _, now) in pairwise(listed):
            found.append((date.fromisoformat(str(since)), VALUE_CHANGE.format(
                label=parameter.label, now=now, before=before)))
    return found


def build(ctx: SiteContext, uri: str) -> dict[str, Any]:
    """The changelog's variables: one heading per date (a date still to come says so)."""
    entries = [(e.date, ctx.book.render(e.text).strip()) for e in ctx.rules.changelog]
    entries = sorted([*entries, *value_changes(ctx)], key=lambda e: e[0], reverse=True)
    return {"days": [{"date": format_long_date(day) + (AHEAD if day > ctx.as_of else ""),
                      "iso": day.isoformat(), "texts": [text for _, text in group]}
                     for day, group in groupby(entries, key=lambda e: e[0])]}
