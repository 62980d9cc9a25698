"""The changelog of the rules (dated entries of the YAML), newest first."""

from __future__ import annotations

from itertools import groupby

from rulebook.formatting import format_long_date
from sitegen.pages import uris
from sitegen.pages.context import SiteContext
from sitegen.pages.render import render_page


def pages(ctx: SiteContext) -> dict[str, str]:
    """The changelog page, one heading per date."""
    entries = sorted(ctx.book.data["changelog"], key=lambda e: e["date"], reverse=True)
    days = [{"date": format_long_date(day), "iso": day.isoformat(),
             "texts": [ctx.book.render(e["text"]).strip() for e in group]}
            for day, group in groupby(entries, key=lambda e: e["date"])]
    return {uris.CHANGELOG: render_page("changelog.md.j2", uris.CHANGELOG, days=days)}
