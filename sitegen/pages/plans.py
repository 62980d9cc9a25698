"""Plans comparison: Découverte / PRO / MEMBRE (limit, what counts, prices, how to get it)."""

from __future__ import annotations

from typing import Any

from rulebook.formatting import format_eur_ht, format_eur_ht_per_month, yearly_total
from sitegen.pages import uris
from sitegen.pages.context import SiteContext
from sitegen.pages.render import one_line, relative, render_page


def price_lines(ctx: SiteContext, plan: dict[str, Any]) -> list[str]:
    """Prices with the yearly totals computed from the parameters, or the plan's price text."""
    params = ctx.book.data["parameters"]
    lines = []
    if plan.get("price_yearly"):
        monthly = params[plan["price_yearly"]]["value"]
        lines.append(f"{format_eur_ht_per_month(monthly)} en paiement annuel, soit "
                     f"**{format_eur_ht(yearly_total(monthly))} par an** payés en une fois")
    if plan.get("price_monthly"):
        monthly = params[plan["price_monthly"]]["value"]
        lines.append(f"{format_eur_ht_per_month(monthly)} en paiement mensuel, soit "
                     f"{format_eur_ht(yearly_total(monthly))} sur un an")
    return lines or [one_line(ctx.book.render(plan["price"]))]


def comparable_plans(ctx: SiteContext) -> list[dict[str, Any]]:
    """The plans that let a producer sell (those with a sales limit or unlimited)."""
    compiled = {p["id"]: p for p in ctx.compiled["plans"]}
    plans = []
    for plan in ctx.book.data["plans"]:
        c = compiled[plan["id"]]
        if not c["sells"]:
            continue
        plans.append({**c, "limit": c["limit_label"], "price_lines": price_lines(ctx, plan)})
    return plans


def pages(ctx: SiteContext) -> dict[str, str]:
    """The plans page."""
    plans = comparable_plans(ctx)
    plan_ids = {p["id"] for p in plans}
    rules = [r for r in ctx.book.data["rules"]
             if any(e.get("plan") in plan_ids for e in r["effects"])]
    links = [f"[{ctx.rule_label(r['id'])}]({relative(uris.PLANS, ctx.rule_uris[r['id']])})"
             for r in rules]
    return {uris.PLANS: render_page("plans.md.j2", uris.PLANS, plans=plans, rule_links=links)}
