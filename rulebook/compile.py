"""Compile validated rules into the JSON the checker reads (and the browser)."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

from checker.dated import token
from checker.french import typeset
from checker.model import (
    Action,
    Change,
    Choice,
    CompiledRules,
    Effect,
    Groups,
    LaunchOffer,
    Parameter,
    Permission,
    Plan,
    Question,
    Rule,
    to_json,
)
from checker.model import Limit as LimitModel
from rulebook.declaration import Limit, Rules
from rulebook.formatting import format_parameter
from rulebook.placeholders import render
from rulebook.slugs import rule_slug

FORMAT_VERSION = 4  # 4: the model's fields at their default are left out
IN_FORCE = "effective_date"  # the parameter giving the date the rules apply from


def parameter_displays(rules: Rules) -> dict[str, str]:
    """French display string of every parameter's first value (``1 000 €``,
    ``31 décembre 2022``)."""
    return {k: format_parameter(p.unit, p.value) for k, p in rules.parameters.items()}


def _compiled_parameter(rules: Rules, key: str, displays: dict[str, str],
                        text: Any) -> Parameter:
    p = rules.parameters[key]
    return Parameter(value=_value(p.value), unit=p.unit, label=text(p.label),
                     display=displays[key],
                     changes=tuple(Change(since=c.since.isoformat(), value=_value(c.value),
                                          display=format_parameter(p.unit, c.value))
                                   for c in p.changes or ()))


def _value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def compile_rules(rules: Rules) -> CompiledRules:
    """The checker's model of validated rules: texts rendered, parameters resolved.

    Deterministic: the same YAML always gives the same JSON.
    """
    displays = parameter_displays(rules)
    params = rules.parameters
    # A parameter that changes on a date is cited by a token, filled in for the day asked
    # (``checker.dated.rules_on``); the others are written in.
    cited = {k: token(k) if p.changes else displays[k] for k, p in params.items()}

    def date_value(parameter: str | None) -> str | None:
        return _value(params[parameter].value) if parameter else None

    def text(value: str | None) -> str | None:
        return None if value is None else typeset(render(value, cited).strip())

    questions = tuple(Question(
        id=q.id, type=q.type, label=text(q.label), short=text(q.short), help=text(q.help),
        ask_when=q.ask_when,
        choices=tuple(Choice(value=c.value, label=text(c.label), plan=c.plan)
                      for c in q.choices or ()) if q.type == "choice" else None,
        max=q.max if q.type == "amount" else None,
    ) for q in rules.questions)

    plans = []
    for p in rules.plans:
        limit = p.annual_limit
        limited = limit not in (None, "unlimited")
        plans.append(Plan(
            id=p.id, name=p.name, summary=text(p.summary), price=text(p.price),
            counts=text(p.counts), how_to_get=text(p.how_to_get),
            annual_limit_eur=params[limit].value if limit and limited else None,
            annual_limit_display=displays[limit] if limit and limited else None,
            annual_limit_parameter=limit if limited and params[limit].changes else None,
            unlimited=limit == "unlimited",
            sells=limit is not None,
            limit_label=text(p.limit_label),
            available_from=date_value(p.available_from),
            lead_time=cited[p.lead_time] if p.lead_time else None,
        ))

    compiled_rules = tuple(Rule(
        id=r.id, number=r.number, title=text(r.title),
        slug=rule_slug(r.slug, render(r.title, displays)),
        effects=tuple(Effect(
            when=e.when, plan=e.plan, permissions=e.permissions or {}, action=e.action,
            deadline=date_value(e.deadline), explain=text(e.explain), hint=text(e.hint),
        ) for e in r.effects),
    ) for r in rules.rules)

    return CompiledRules(
        format=FORMAT_VERSION,
        title=text(rules.meta.title),
        in_force_from=date_value(IN_FORCE),
        parameters={k: _compiled_parameter(rules, k, displays, text) for k in params},
        questions=questions,
        plan_required_when=rules.plan_required_when,
        plans=tuple(plans),
        permissions=tuple(Permission(id=p.id, label=text(p.label)) for p in rules.permissions),
        actions=tuple(Action(id=a.id, title=text(a.title), text=text(a.text), link=a.link,
                             plans=tuple(a.plans) if a.plans else None)
                      for a in rules.actions),
        limit=_limit(rules.limit, text, date_value) if rules.limit else None,
        rules=compiled_rules,
    )


def _limit(model: Limit, text: Any, date_value: Any) -> LimitModel:
    """The limit model as the checker reads it (``checker.limit``)."""
    offer, groups = model.launch_offer, model.groups
    return LimitModel(
        rule=model.rule, plan=model.plan, question=model.question,
        amount=model.amount, alert=model.alert, expected_when=model.expected_when,
        counts=text(model.counts), blocked=text(model.blocked),
        until_reset=text(model.until_reset), unaffected=text(model.unaffected),
        launch_offer=LaunchOffer(until=date_value(offer.until), when=offer.when)
        if offer else None,
        groups=Groups(rule=groups.rule, when=groups.when) if groups else None,
        upgrade=model.upgrade,
    )


def compiled_json(compiled: CompiledRules) -> str:
    """Canonical JSON text of compiled rules (stable bytes, hence stable hashes)."""
    return json.dumps(to_json(compiled), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def content_hash(data: bytes) -> str:
    """Short content hash used in artefact file names."""
    return hashlib.sha256(data).hexdigest()[:12]
