"""The decision table: the verdict of every representative profile, computed at
build time with ``checker.evaluate``; it is also the checker without JavaScript."""

from __future__ import annotations

from typing import Any

from rulebook.describe import answers_lines
from rulebook.formatting import format_long_date
from sitegen.pages import uris
from sitegen.pages.context import SiteContext
from sitegen.pages.preview import admonition
from sitegen.pages.render import relative, render_page
from sitegen.pages.rules import plan_link


def _row(ctx: SiteContext, decision: Any, skip: str) -> dict[str, Any]:
    """One table row; ``skip`` is the question already given by the table's heading."""
    verdict = decision.verdict
    shown = verdict["display"]
    uri = uris.DECISION_TABLE
    result = []
    if verdict["plan"]:
        result += [f"**{plan_link(ctx, verdict['plan'], uri)}**", shown["limit"]]
    result += [p["line"] for p in shown["permissions"]]
    rules = list(dict.fromkeys(r["rule"] for r in verdict["reasons"]))
    return {
        "situation": answers_lines(ctx.compiled, {k: v for k, v in decision.answers.items()
                                                   if k != skip}) or ["—"],
        "result": result or ["—"],
        "todo": shown["todo"] or [shown["nothing_to_do"]],
        "rules": [f"[{n}]({relative(uri, ctx.rule_uris[r])})"
                  for r, n in ((r, ctx.rule(r)["number"]) for r in rules)],
    }


def pages(ctx: SiteContext) -> dict[str, str]:
    """The decision table page, one table per answer to the first question."""
    first = ctx.compiled["questions"][0]
    groups: dict[Any, list[dict[str, Any]]] = {}
    for decision in ctx.decisions:
        groups.setdefault(decision.answers.get(first["id"]), []).append(
            _row(ctx, decision, first["id"]))
    labels = {c["value"]: c["label"] for c in first.get("choices", [])}
    tables = [{"title": labels.get(value, str(value)), "rows": rows}
              for value, rows in groups.items()]
    return {uris.DECISION_TABLE: render_page(
        "decision_table.md.j2", uris.DECISION_TABLE, uris=uris, tables=tables,
        as_of=format_long_date(ctx.as_of), has_checker=ctx.has_checker,
        count=len(ctx.decisions), preview=admonition(ctx.preview) if ctx.preview else "",
    )}
