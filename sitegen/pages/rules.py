"""The rules: an index page and one page per rule."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from functools import partial
from typing import Any

from checker.french import format_long_date
from checker.limit import reached_text
from checker.wording import deadline_note
from rulebook.declaration import Rule
from sitegen.context import SiteContext
from sitegen.markdown_text import escape_text
from sitegen.pages.common import concerns_label, permission_lines, plan_link, verdict_summary
from sitegen.render import one_line


def build(ctx: SiteContext, uri: str) -> dict[str, Any]:
    """The rules index's variables."""
    render = ctx.book.render
    return {"rules": [{"uri": ctx.rule_uris[r.id], "number": r.number, "title": render(r.title),
                       "concerns": concerns_label(ctx, r.concerns), "summary": render(r.summary)}
                      for r in ctx.rules.rules]}


def children(ctx: SiteContext) -> list[tuple[str, str, Callable[[], dict[str, Any]]]]:
    """One page per rule: source URI, navigation title (escaped: the theme writes it into
    the page as it is), its variables when rendered."""
    return [(ctx.rule_uris[r.id], escape_text(ctx.compiled_rules[r.id].number_title),
             partial(rule_page, ctx, r, ctx.rule_uris[r.id])) for r in ctx.rules.rules]


def _examples(ctx: SiteContext, rule_id: str, uri: str) -> list[dict[str, Any]]:
    """The golden scenarios whose verdict cites this rule."""
    return [{"name": scenario.name, "as_of": format_long_date(scenario.as_of),
             "situation": verdict["situation"],
             "result": verdict_summary(ctx, verdict, uri)}
            for scenario, verdict in ctx.examples_by_rule.get(rule_id, [])]


def limit_model(ctx: SiteContext) -> dict[str, Any]:
    """What the rule page of the limit says of it (worded by its template): the alert and
    the limit, what happens at the limit on the build's day, the upgrade action, and to
    whom the launch offer and the forecast wording apply."""
    compiled = ctx.compiled
    model = compiled.limit
    assert model is not None  # called for the rule of the limit
    parameters = compiled.parameters
    offer = model.launch_offer
    return {
        "cap": parameters[model.amount].display,
        "alert": parameters[model.alert].display if model.alert else None,
        "reached": reached_text(compiled, ctx.as_of.isoformat()),
        "upgrade": ctx.actions[model.upgrade],
        "offer_end": format_long_date(offer.until) if offer else None,
        "offer_for": ctx.condition_lines(offer.when, indent=4) if offer else [],
        "expected_for": (ctx.condition_lines(model.expected_when, indent=4)
                         if model.expected_when else []),
    }


def rule_page(ctx: SiteContext, rule: Rule, uri: str) -> dict[str, Any]:
    """The variables of one rule's page."""
    book = ctx.book
    compiled_rule = ctx.compiled_rules[rule.id]
    cases, action_ids, deadlines = [], [], []
    limit = ctx.compiled.limit
    if limit and limit.rule == rule.id:
        action_ids.append(limit.upgrade)
    for effect, written in zip(compiled_rule.effects, rule.effects, strict=True):
        deadline = book.displays[written.deadline] if written.deadline else None
        note = deadline_note(effect.deadline, ctx.as_of) if effect.deadline else None
        if note and note not in deadlines:
            deadlines.append(note)
        actions = []
        if effect.action:
            action_ids += [effect.action] if effect.action not in action_ids else []
            actions.append({**asdict(ctx.actions[effect.action]), "deadline": deadline})
        cases.append({
            "conditions": ctx.condition_lines(effect.when),
            "plan": plan_link(ctx, effect.plan, uri) if effect.plan else None,
            "actions": actions,
            "permissions": permission_lines(ctx, effect.permissions),
            "explain": effect.explain,
        })
    return {
        "label": ctx.rule_label(rule.id),
        "summary": one_line(book.render(rule.summary)),
        "concerns": concerns_label(ctx, rule.concerns),
        "deadlines": deadlines,
        "body": ctx.markdown(rule.body),
        "cases": cases,
        "actions": [ctx.actions[a] for a in action_ids],
        "examples": _examples(ctx, rule.id, uri),
        "limit": limit_model(ctx) if limit and limit.rule == rule.id else None,
        "faq": [{"id": e.id, "question": book.render(e.question)}
                for e in ctx.faq_by_rule.get(rule.id, [])],
        "more": ctx.complement(rule.more),
        "sources": [ctx.sources[s] for s in rule.sources],
    }
