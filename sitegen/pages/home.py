"""Home page: "Nouvelles règles" (context, goals, the changes with links)."""

from __future__ import annotations

from typing import Any

from sitegen.context import SiteContext
from sitegen.pages.common import concerns_label
from sitegen.render import one_line


def build(ctx: SiteContext, uri: str) -> dict[str, Any]:
    """The home page's variables."""
    rules, render = ctx.rules, ctx.book.render
    return {
        "title": render(rules.meta.title),
        "description": one_line(render(rules.meta.description)),
        "source_page": rules.meta.source_page,
        "context": {"title": render(rules.context.title),
                    "intro": ctx.markdown(rules.context.intro),
                    "goals": [one_line(render(g)) for g in rules.context.goals]},
        "rules": [{"number": r.number, "title": render(r.title), "uri": ctx.rule_uris[r.id],
                   "summary": one_line(render(r.summary)),
                   "concerns": concerns_label(ctx, r.concerns)}
                  for r in rules.rules],
    }
