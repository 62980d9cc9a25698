"""The FAQ: the seed's three sections, one stable anchor per question."""

from __future__ import annotations

from string import ascii_uppercase
from typing import Any

from sitegen.pages import uris
from sitegen.pages.context import SiteContext
from sitegen.pages.render import relative, render_page


def _entry(ctx: SiteContext, entry: dict[str, Any]) -> dict[str, Any]:
    rules = [f"[{ctx.rule_label(r)}]({relative(uris.FAQ, ctx.rule_uris[r])})"
             for r in entry["rules"]]
    return {"id": entry["id"], "question": ctx.book.render(entry["question"]),
            "answer": ctx.book.render(entry["answer"]).strip(), "rules": rules,
            "more": ctx.complement(entry.get("more"))}


def pages(ctx: SiteContext) -> dict[str, str]:
    """The FAQ page."""
    sections = []
    for section in ctx.book.data["faq"]:
        sections.append({
            "id": section["id"], "title": ctx.book.render(section["title"]),
            "entries": [_entry(ctx, e) for e in section.get("entries") or []],
            "groups": [{"id": g["id"], "letter": ascii_uppercase[i],
                        "title": ctx.book.render(g["title"]),
                        "entries": [_entry(ctx, e) for e in g["entries"]]}
                       for i, g in enumerate(section.get("groups") or [])],
        })
    return {uris.FAQ: render_page("faq.md.j2", uris.FAQ, sections=sections)}
