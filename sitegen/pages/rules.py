"""The rules: an index page and one page per rule."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from checker.french import format_long_date
from checker.wording import deadline_note
from rulebook.declaration import Rule
from rulebook.describe import condition_lines
from sitegen.context import SiteContext
from sitegen.pages.common import concerns_label, permission_lines, plan_link, verdict_summary
from sitegen.render import one_line


def build(ctx: SiteContext, uri: str) -> dict[str, Any]:
    """The rules index's variables."""
    render = ctx.book.render
    return {"rules": [{"uri": ctx.rule_uris[r.id], "number": r.number, "title": render(r.title),
                       "concerns": concerns_label(r.concerns), "summary": render(r.summary)}
                      for r in ctx.rules.rules]}


def children(ctx: SiteContext) -> list[tuple[str, str, Callable[[], dict[str, Any]]]]:
    """One page per rule: source URI, navigation title, its variables when rendered."""
    return [(ctx.rule_uris[r.id], ctx.rule_label(r.id).removeprefix("Règle "),
             partial(rule_page, ctx, r, ctx.rule_uris[r.id])) for r in ctx.rules.rules]


def _examples(ctx: SiteContext, rule_id: str, uri: str) -> list[dict[str, Any]]:
    """The golden scenarios whose verdict cites this rule."""
    return [{"name": scenario.name, "as_of": format_long_date(scenario.as_of),
             "situation": verdict["situation"],
             "result": verdict_summary(ctx, verdict, uri)}
            for scenario, verdict in ctx.examples_by_rule.get(rule_id, [])]


def rule_page(ctx: SiteContext, rule: Rule, uri: str) -> dict[str, Any]:
    """The variables of one rule's page."""
    book = ctx.book
    compiled_rule = ctx.compiled_rules[rule.id]
    cases, action_ids, deadlines = [], [], []
    for effect, written in zip(compiled_rule["effects"], rule.effects, strict=True):
        deadline = book.displays[written.deadline] if written.deadline else None
        note = deadline_note(effect["deadline"], ctx.as_of) if effect["deadline"] else None
        if note and note not in deadlines:
            deadlines.append(note)
        actions = []
        if effect["action"]:
            action_ids += [effect["action"]] if effect["action"] not in action_ids else []
            actions.append({**ctx.actions[effect["action"]], "deadline": deadline})
        cases.append({
            "conditions": condition_lines(ctx.compiled, effect["when"]),
            "plan": plan_link(ctx, effect["plan"], uri) if effect["plan"] else None,
            "actions": actions,
            "permissions": permission_lines(ctx, effect["permissions"]),
            "explain": effect["explain"],
        })
    return {
        "label": ctx.rule_label(rule.id),
        "summary": one_line(book.render(rule.summary)),
        "concerns": concerns_label(rule.concerns),
        "deadlines": deadlines,
        "body": book.render(rule.body).strip(),
        "cases": cases,
        "actions": [ctx.actions[a] for a in action_ids],
        "examples": _examples(ctx, rule.id, uri),
        "faq": ctx.faq_by_rule.get(rule.id, []),
        "more": ctx.complement(rule.more),
        "sources": [ctx.sources[s] for s in rule.sources],
    }
