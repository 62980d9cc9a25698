"""The FAQ: the seed's three sections, one stable anchor per question."""

from __future__ import annotations

from string import ascii_uppercase
from typing import Any

from rulebook.declaration import FaqEntry
from sitegen.context import SiteContext
from sitegen.pages.common import rule_link


def _entry(ctx: SiteContext, entry: FaqEntry, uri: str) -> dict[str, Any]:
    return {"id": entry.id, "question": ctx.book.render(entry.question),
            "answer": ctx.markdown(entry.answer),
            "rules": [rule_link(ctx, r, uri) for r in entry.rules],
            "more": ctx.complement(entry.more)}


def build(ctx: SiteContext, uri: str) -> dict[str, Any]:
    """The FAQ page's variables."""
    return {"sections": [{
        "id": section.id, "title": ctx.book.render(section.title),
        "entries": [_entry(ctx, e, uri) for e in section.entries or ()],
        "groups": [{"id": g.id, "letter": ascii_uppercase[i], "title": ctx.book.render(g.title),
                    "entries": [_entry(ctx, e, uri) for e in g.entries]}
                   for i, g in enumerate(section.groups or ())],
    } for section in ctx.rules.faq]}
