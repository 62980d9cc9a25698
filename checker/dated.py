"""Parameters whose value changes on a date (``changes:`` under a parameter).

A price or a threshold that changes does not rewrite history: the compiled rules keep
every value with the day it applies from, and :func:`rules_on` gives the rules as they
read on one day: each parameter's value in force, and every text citing such a
parameter with the value of that day. What is about to change, or has just changed, is
said once beside the texts, by :func:`cited_notes`: "Prix de la Formule PRO, paiement
mensuel (par mois) : 42 € HT/mois à partir du 1er janvier 2027 (au lieu de
39 € HT/mois)." — from the moment the change is written until :data:`RECENT_DAYS` after
it.

Rules without any change are returned as they are: nothing is copied.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import fields, is_dataclass, replace
from datetime import date
from typing import Any

from checker.french import format_long_date, typeset
from checker.model import CompiledRules, Parameter, Plan

RECENT_DAYS = 92  # about three months: how long a page recalls the value a change replaced
TOKEN = re.compile(r"\{\{([A-Za-z_][A-Za-z0-9_]*)\}\}")
"""Where a compiled text cites a parameter that changes (filled in by :func:`rules_on`)."""
AHEAD = "{label} : {next} à partir du {next_since} (au lieu de {now})."
REPLACED = "{label} : {now} depuis le {since} (au lieu de {before})."


def token(parameter: str) -> str:
    """The mark a compiled text holds in place of a parameter that changes."""
    return "{{" + parameter + "}}"


def values(parameter: Parameter) -> list[tuple[str | None, Any, str]]:
    """``(since, value, display)`` of each value in order; ``since`` is ``None`` for the
    first one (in force from the start)."""
    first = (None, parameter.value, parameter.display)
    return [first, *((c.since, c.value, c.display) for c in parameter.changes)]


def in_force(parameter: Parameter, day: str) -> int:
    """The index (in :func:`values`) of the value in force on ``day`` (ISO)."""
    index = 0
    for i, change in enumerate(parameter.changes, start=1):
        if change.since <= day:
            index = i
    return index


Value = tuple[str | None, Any, str]  # (since, value, display); since None: from the start


def ahead(parameter: Parameter, day: str) -> Value | None:
    """The next value of ``parameter`` after ``day``, if a change is planned."""
    listed, index = values(parameter), in_force(parameter, day)
    return listed[index + 1] if index + 1 < len(listed) else None


def replaced(parameter: Parameter, day: str) -> tuple[str, Value] | None:
    """When the value in force on ``day`` changed less than :data:`RECENT_DAYS` before:
    the day it changed and the value it replaced."""
    listed, index = values(parameter), in_force(parameter, day)
    since = listed[index][0]
    if since is None or (date.fromisoformat(day) - date.fromisoformat(since)).days >= RECENT_DAYS:
        return None
    return since, listed[index - 1]


def note(parameter: Parameter, day: str) -> str | None:
    """What a reader on ``day`` should know of ``parameter``'s changes: the next one, or
    the one that just happened (``None`` when neither)."""
    now = values(parameter)[in_force(parameter, day)][2]
    coming, recent = ahead(parameter, day), replaced(parameter, day)
    if coming is not None:
        return typeset(AHEAD.format(label=parameter.label, next=coming[2], now=now,
                                    next_since=format_long_date(str(coming[0]))))
    if recent is not None:
        return typeset(REPLACED.format(label=parameter.label, now=now, before=recent[1][2],
                                       since=format_long_date(recent[0])))
    return None


def cited_notes(rules: CompiledRules, day: str, text: str) -> list[str]:
    """The :func:`note` of each parameter that changes and whose value of ``day`` ``text``
    shows (a value is found whole: ``39 €`` is not read in ``139 €``)."""
    notes = []
    for parameter in original(rules).parameters.values():
        if not parameter.changes:
            continue
        shown = values(parameter)[in_force(parameter, day)][2]
        said = note(parameter, day)
        if said and re.search(rf"(?<![\d\u202f,.]){re.escape(shown)}", text):
            notes.append(said)
    return notes


def changes_anything(rules: CompiledRules) -> bool:
    """Whether some parameter of ``rules`` changes on a date."""
    return any(p.changes for p in rules.parameters.values())


def _period(rules: CompiledRules, day: str) -> tuple[tuple[str, int], ...]:
    """What distinguishes ``day`` for the rules: each changing parameter's value in force
    (the key of :func:`rules_on`'s cache)."""
    return tuple((pid, in_force(p, day)) for pid, p in rules.parameters.items() if p.changes)


def displays_on(rules: CompiledRules, day: str) -> dict[str, str]:
    """How a text says each parameter that changes, on ``day``: its value then."""
    return {pid: values(p)[in_force(p, day)][2] for pid, p in rules.parameters.items()
            if p.changes}


_views: dict[tuple[int, tuple[Any, ...]], tuple[CompiledRules, CompiledRules]] = {}
_origins: dict[int, tuple[CompiledRules, CompiledRules]] = {}  # a view -> its rules
KEPT_VIEWS = 16  # enough for every period of two rule sets compared (impact, site build)


def original(rules: CompiledRules) -> CompiledRules:
    """The rules a view of :func:`rules_on` was made from (``rules`` when not a view)."""
    origin = _origins.get(id(rules))
    return origin[1] if origin is not None and origin[0] is rules else rules


def rules_on(rules: CompiledRules, day: str) -> CompiledRules:
    """``rules`` as they read on ``day`` (ISO): values in force, texts filled in.

    The same object when no parameter changes; else a view made once per distinct
    reading (so that the conditions prepared for it are prepared once too). A view
    given again is read from the rules it was made from, for the new day.
    """
    rules = original(rules)
    if not changes_anything(rules):
        return rules
    period = _period(rules, day)
    kept = _views.get((id(rules), period))
    if kept is not None and kept[0] is rules:
        return kept[1]
    displays = displays_on(rules, day)
    parameters = {}
    for pid, parameter in rules.parameters.items():
        if parameter.changes:
            _, value, display = values(parameter)[in_force(parameter, day)]
            parameter = replace(parameter, value=value, display=display)
        parameters[pid] = parameter
    filled = {f.name: _filled(getattr(rules, f.name), displays) for f in fields(rules)
              if f.name not in ("parameters", "plans")}
    view = replace(rules, **filled, parameters=parameters,
                   plans=tuple(_with_limit(_filled(plan, displays), parameters)
                               for plan in rules.plans))
    if len(_views) >= KEPT_VIEWS:
        _, dropped = _views.pop(next(iter(_views)))
        _origins.pop(id(dropped), None)
    _views[(id(rules), period)] = (rules, view)
    _origins[id(view)] = (view, rules)
    return view


def _with_limit(plan: Plan, parameters: Mapping[str, Parameter]) -> Plan:
    """A plan whose yearly limit is a parameter that changes: the limit in force."""
    limit = plan.annual_limit_parameter
    if limit is None:
        return plan
    return replace(plan, annual_limit_eur=parameters[limit].value,
                   annual_limit_display=parameters[limit].display)


def _filled(value: Any, displays: Mapping[str, str]) -> Any:
    """``value`` (a model, its texts, or a tuple of them) with every :func:`token` replaced
    by its parameter's text: a copy. Conditions and permissions hold no text, so they are
    kept as they are."""
    if isinstance(value, str):
        return TOKEN.sub(lambda m: displays[m.group(1)], value) if "{{" in value else value
    if isinstance(value, tuple):
        return tuple(_filled(v, displays) for v in value)
    if is_dataclass(value) and not isinstance(value, type):
        return replace(value, **{f.name: _filled(getattr(value, f.name), displays)
                                 for f in fields(value)})
    return value
