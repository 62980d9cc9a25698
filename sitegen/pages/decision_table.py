"""The decision table: the verdict of every representative profile, computed at
build time with ``checker.evaluate``; it is also the checker without JavaScript."""

from __future__ import annotations

from typing import Any

from checker.wording import section
from rulebook.decisions import Decision
from sitegen.context import SiteContext
from sitegen.pages.common import bold_plan, rule_link
from sitegen.pages.impact_admonition import admonition


def _row(ctx: SiteContext, decision: Decision, skip: str, uri: str) -> dict[str, Any]:
    """One table row; ``skip`` is the question already given by the table's heading."""
    verdict = decision.verdict
    shown = verdict["display"]
    actions = section(shown, "actions")  # each action, or the nothing-to-do line
    result = []
    if verdict["plan"]:
        result += [bold_plan(ctx, verdict["plan"], uri), shown["limit"]]
    result += [p["line"] for p in shown["permissions"]]
    rules = dict.fromkeys(r["rule"] for r in verdict["reasons"])
    return {
        "situation": ctx.answers_lines({k: v for k, v in decision.answers.items()
                                        if k != skip}) or ["—"],
        "result": result or ["—"],
        "todo": [item["label"] for item in actions["items"]] + actions["lead"] or ["—"],
        "rules": [rule_link(ctx, r, uri, str(ctx.rule(r).number)) for r in rules],
    }


def build(ctx: SiteContext, uri: str) -> dict[str, Any]:
    """The decision table's variables: one table per answer to the first question."""
    first = ctx.compiled.questions[0]
    groups: dict[Any, list[dict[str, Any]]] = {}
    for decision in ctx.decisions:
        groups.setdefault(decision.answers.get(first.id), []).append(
            _row(ctx, decision, first.id, uri))
    labels = {c.value: c.label for c in first.choices or ()}
    return {"tables": [{"title": labels.get(value, str(value)), "rows": rows}
                       for value, rows in groups.items()],
            "count": len(ctx.decisions),
            "unpublished_impact": (admonition(ctx.unpublished_impact)
                                   if ctx.unpublished_impact else "")}
