"""The changelog of the rules (dated entries of the YAML), newest first."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from checker.french import format_long_date
from sitegen.context import SiteContext


def build(ctx: SiteContext, uri: str) -> dict[str, Any]:
    """The changelog's variables: one heading per date."""
    entries = sorted(ctx.rules.changelog, key=lambda e: e.date, reverse=True)
    return {"days": [{"date": format_long_date(day), "iso": day.isoformat(),
                      "texts": [ctx.book.render(e.text).strip() for e in group]}
                     for day, group in groupby(entries, key=lambda e: e.date)]}
