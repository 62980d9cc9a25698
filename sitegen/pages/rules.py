"""The rules: an index page and one page per rule."""

from __future__ import annotations

from typing import Any

from checker.wording import deadline_note, permission_line
from rulebook.describe import answers_lines, condition_lines
from rulebook.formatting import format_long_date, format_words
from rulebook.references import faq_entries
from sitegen.pages import uris
from sitegen.pages.context import SiteContext
from sitegen.pages.render import one_line, relative, render_page

AUDIENCES = {"producer": "les producteurs", "coordinator": "les coordinateurs de groupe"}


def concerns_label(concerns: list[str]) -> str:
    """``[producer, coordinator]`` -> ``les producteurs et les coordinateurs de groupe``."""
    return format_words([AUDIENCES[c] for c in concerns])


def permission_lines(ctx: SiteContext, permissions: dict[str, bool]) -> list[str]:
    """The verdict's wording of each permission an effect sets."""
    labels = {p["id"]: p["label"] for p in ctx.compiled["permissions"]}
    return [permission_line(labels[pid], allowed) for pid, allowed in permissions.items()]


def plan_link(ctx: SiteContext, plan_id: str, page_uri: str) -> str:
    """The plan's name, linked to its column of the comparison when it has one."""
    plan = next(p for p in ctx.compiled["plans"] if p["id"] == plan_id)
    if not plan["sells"]:
        return plan["name"]
    return f"[{plan['name']}]({relative(page_uri, f'{uris.PLANS}#{plan_id}')})"


def verdict_summary(ctx: SiteContext, verdict: dict[str, Any], page_uri: str) -> list[str]:
    """A verdict in short lines, as it words itself: the plan, then what to do."""
    shown = verdict["display"]
    lines = [f"**{plan_link(ctx, verdict['plan'], page_uri)}**"] if verdict["plan"] else []
    return lines + (shown["todo"] or [shown["nothing_to_do"]])


def _examples(ctx: SiteContext, rule_id: str, page_uri: str) -> list[dict[str, Any]]:
    """Scenarios whose verdict cites this rule (complete and valid answers only)."""
    examples = []
    for scenario, verdict in ctx.scenario_verdicts:
        if verdict["errors"] or not verdict["complete"]:
            continue
        if rule_id not in {r["rule"] for r in verdict["reasons"]}:
            continue
        examples.append({
            "name": scenario.name,
            "as_of": format_long_date(scenario.as_of),
            "situation": answers_lines(ctx.compiled, verdict["answers"]),
            "result": verdict_summary(ctx, verdict, page_uri),
        })
    return examples


def rule_page(ctx: SiteContext, rule: dict[str, Any]) -> str:
    """The Markdown page of one rule."""
    book, compiled = ctx.book, ctx.compiled
    uri = ctx.rule_uris[rule["id"]]
    compiled_rule = next(r for r in compiled["rules"] if r["id"] == rule["id"])
    actions_by_id = {a["id"]: a for a in compiled["actions"]}
    cases, action_ids, deadlines = [], [], []
    for effect, data_effect in zip(compiled_rule["effects"], rule["effects"], strict=True):
        deadline = book.displays[data_effect["deadline"]] if data_effect.get("deadline") else None
        note = deadline_note(effect["deadline"], ctx.as_of) if effect["deadline"] else None
        if note and note not in deadlines:
            deadlines.append(note)
        actions = []
        if effect["action"]:
            action_ids += [effect["action"]] if effect["action"] not in action_ids else []
            actions.append({**actions_by_id[effect["action"]], "deadline": deadline})
        cases.append({
            "conditions": condition_lines(compiled, effect["when"]),
            "plan": plan_link(ctx, effect["plan"], uri) if effect["plan"] else None,
            "actions": actions,
            "permissions": permission_lines(ctx, effect["permissions"]),
            "explain": effect["explain"],
        })
    sources = {s["id"]: s for s in book.data["sources"]}
    faq = [entry for _, entry in faq_entries(ctx.book.data) if rule["id"] in entry["rules"]]
    return render_page(
        "rule.md.j2", uri, uris=uris, has_checker=ctx.has_checker,
        label=ctx.rule_label(rule["id"]),
        summary=one_line(book.render(rule["summary"])),
        effective_date=book.displays.get("effective_date"),
        concerns=concerns_label(rule["concerns"]),
        deadlines=deadlines,
        body=book.render(rule["body"]).strip(),
        cases=cases,
        actions=[actions_by_id[a] for a in action_ids],
        examples=_examples(ctx, rule["id"], uri),
        faq=faq,
        more=ctx.complement(rule.get("more")),
        sources=[sources[s] for s in rule["sources"]],
    )


def pages(ctx: SiteContext) -> dict[str, str]:
    """The rules index and one page per rule."""
    data = ctx.book.data
    result = {uris.RULES_INDEX: render_page(
        "rules_index.md.j2", uris.RULES_INDEX, uris=uris,
        effective_date=ctx.book.displays.get("effective_date"),
        rules=[{"uri": ctx.rule_uris[r["id"]], "number": r["number"],
                "title": ctx.book.render(r["title"]),
                "concerns": concerns_label(r["concerns"]),
                "summary": ctx.book.render(r["summary"])} for r in data["rules"]],
    )}
    for rule in data["rules"]:
        result[ctx.rule_uris[rule["id"]]] = rule_page(ctx, rule)
    return result
