"""Links and phrases several pages share (the verdict's own words come from
``checker.wording``; these only place them or name a page). A function that returns
:class:`~sitegen.markdown_text.Markdown` escapes the plain texts it puts into it; the
others return plain texts, which the templates escape."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from checker.french import format_words
from checker.wording import permission_line, section
from sitegen.context import SiteContext
from sitegen.markdown_text import Markdown, escape_text
from sitegen.render import relative


def concerns_label(ctx: SiteContext, concerns: Iterable[str]) -> str:
    """``[producer, coordinator]`` -> ``les producteurs et les coordinateurs de groupe``
    (the audiences' labels, from the rules)."""
    labels = {a.id: ctx.book.render(a.label) for a in ctx.rules.audiences}
    return format_words([labels[c] for c in concerns])


def permission_lines(ctx: SiteContext, permissions: dict[str, bool]) -> list[str]:
    """The verdict's wording of each permission an effect sets."""
    return [permission_line(ctx.permission_labels[p], allowed)
            for p, allowed in permissions.items()]


def plan_link(ctx: SiteContext, plan_id: str, page_uri: str) -> Markdown:
    """The plan's name, linked to its column of the comparison when it has one."""
    plan = ctx.plans[plan_id]
    if not plan.sells:
        return escape_text(plan.name)
    target = f"{ctx.uri('plans')}#{plan_id}"
    return Markdown(f"[{escape_text(plan.name)}]({relative(page_uri, target)})")


def rule_link(ctx: SiteContext, rule_id: str, page_uri: str,
              text: str | None = None) -> Markdown:
    """A Markdown link to a rule's page (its label unless ``text`` is given)."""
    label = escape_text(text or ctx.rule_label(rule_id))
    return Markdown(f"[{label}]({relative(page_uri, ctx.rule_uris[rule_id])})")


def bold_plan(ctx: SiteContext, plan_id: str, page_uri: str) -> Markdown:
    """The plan a verdict gives, in bold (linked as :func:`plan_link`)."""
    return Markdown(f"**{plan_link(ctx, plan_id, page_uri)}**")


def verdict_summary(ctx: SiteContext, verdict: dict[str, Any], page_uri: str) -> list[str]:
    """A verdict in short lines, as it words itself: the plan (Markdown), then what to do
    (plain texts: each action, or the nothing-to-do line when the verdict's layout says
    it)."""
    actions = section(verdict["display"], "actions")
    lines = [bold_plan(ctx, verdict["plan"], page_uri)] if verdict["plan"] else []
    return lines + [item["label"] for item in actions["items"]] + actions["lead"]
