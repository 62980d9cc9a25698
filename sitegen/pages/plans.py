"""Plans comparison: Découverte / PRO / MEMBRE (limit, what counts, prices, how to get it)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from checker.limit import availability
from checker.wording import plan_counts
from rulebook.declaration import Plan
from rulebook.formatting import format_eur_ht, format_eur_ht_per_month, yearly_total
from sitegen.context import SiteContext
from sitegen.markdown_text import Markdown
from sitegen.pages.common import rule_link
from sitegen.render import one_line


def price_lines(ctx: SiteContext, plan: Plan) -> list[str]:
    """Prices with the yearly totals computed from the parameters (their values on the
    publication day; the yearly price in bold: Markdown), or the plan's price text."""
    params = ctx.compiled.parameters
    lines = []
    if plan.price_yearly:
        monthly = params[plan.price_yearly].value
        lines.append(Markdown(f"{format_eur_ht_per_month(monthly)} en paiement annuel, soit "
                              f"**{format_eur_ht(yearly_total(monthly))} par an** payés en "
                              "une fois"))
    if plan.price_monthly:
        monthly = params[plan.price_monthly].value
        lines.append(f"{format_eur_ht_per_month(monthly)} en paiement mensuel, soit "
                     f"{format_eur_ht(yearly_total(monthly))} sur un an")
    if plan.price:
        return lines or [one_line(ctx.book.render(plan.price))]
    return lines  # none: the template says the sources give no price


def build(ctx: SiteContext, uri: str) -> dict[str, Any]:
    """The plans page's variables: the plans that let a producer sell, side by side."""
    day = ctx.as_of.isoformat()
    plans = []
    for written in ctx.rules.plans:
        plan = ctx.plans[written.id]
        if plan.sells:
            plans.append({**asdict(plan), "counts": plan_counts(ctx.compiled, plan, day) or "—",
                          "when": availability(plan, day) or "—",
                          "price_lines": price_lines(ctx, written),
                          "sources": [ctx.sources[s] for s in written.sources]})
    shown = {p["id"] for p in plans}
    rules = [r.id for r in ctx.rules.rules if any(e.plan in shown for e in r.effects)]
    sources = list({s.id: s for p in plans for s in p["sources"]}.values())
    return {"plans": plans, "rule_links": [rule_link(ctx, r, uri) for r in rules],
            "sources": sources}
