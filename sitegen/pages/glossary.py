"""The glossary: one name per concept, each defined once (``glossary:`` of the rules)."""

from __future__ import annotations

from typing import Any

from sitegen.context import SiteContext
from sitegen.render import one_line


def build(ctx: SiteContext, uri: str) -> dict[str, Any]:
    """The glossary's variables: the terms in alphabetical order, with their sources."""
    terms = sorted(ctx.rules.glossary or (), key=lambda t: t.term.casefold())
    return {"terms": [{"id": t.id, "term": ctx.book.render(t.term),
                       "definition": one_line(ctx.book.render(t.definition)),
                       "sources": [ctx.sources[s] for s in t.sources]} for t in terms]}
