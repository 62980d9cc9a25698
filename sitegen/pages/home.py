"""Home page: "Nouvelles règles" (context, goals, the changes with links)."""

from __future__ import annotations

from sitegen.pages import uris
from sitegen.pages.context import SiteContext
from sitegen.pages.render import one_line, render_page
from sitegen.pages.rules import concerns_label


def pages(ctx: SiteContext) -> dict[str, str]:
    """The home page."""
    data = ctx.book.data
    return {uris.HOME: render_page(
        "home.md.j2", uris.HOME, uris=uris, r=ctx.book.render, has_checker=ctx.has_checker,
        meta={k: ctx.book.render(v) for k, v in data["meta"].items()},
        description=one_line(ctx.book.render(data["meta"]["description"])),
        context=data["context"], rules=data["rules"],
        concerns={r["id"]: concerns_label(r["concerns"]) for r in data["rules"]},
        effective_date=ctx.book.displays.get("effective_date"), rule_uris=ctx.rule_uris,
    )}
