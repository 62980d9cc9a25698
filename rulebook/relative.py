"""Values written relative to the rules' parameters, for the golden scenarios: a
scenario that probes a boundary names the parameter it probes, so that an edit of
that parameter moves the scenario with it.

- ``{parameter: P}``: the value of ``P`` (an amount, a date…);
- ``{day_before: P}`` / ``{day_after: P}``: the day before or after the date ``P``;
- ``{cent_below: P}`` / ``{cent_above: P}``: one cent below or above the amount ``P``.

In a scenario's texts (its name, ``says``, ``never_says``), ``{{ P }}`` is the
parameter's French display, and ``{{ P | day_after }}`` (or any form above) the
display of the value it gives: ``{{ launch_offer_end | day_after }}`` is
« 2 février 2022 ».
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from checker.model import Parameter
from rulebook.errors import FieldPath
from rulebook.formatting import format_parameter
from rulebook.suggest import suggest

SHIFTS: dict[str, tuple[float, set[str] | None]] = {
    "parameter": (0, None),
    "day_before": (-1, {"date"}),
    "day_after": (1, {"date"}),
    "cent_below": (-0.01, {"eur", "eur_ht_per_month"}),
    "cent_above": (0.01, {"eur", "eur_ht_per_month"}),
}
FORMS = ", ".join(SHIFTS)
PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:\|\s*([a-z_]+)\s*)?\}\}")
BRACES = re.compile(r"\{\{|\}\}")
Parameters = Mapping[str, Parameter]


class RelativeError(ValueError):
    """A relative value that names no parameter, or one of the wrong kind (French)."""


def is_relative(value: Any) -> bool:
    """Whether ``value`` is written ``{form: parameter}``."""
    return isinstance(value, dict) and len(value) == 1 and next(iter(value)) in SHIFTS


def shape_problem(value: Any) -> str | None:
    """What is wrong with how a relative value is written (before any rules are read)."""
    (form, name), = value.items()
    if not isinstance(name, str):
        return f"« {form} » attend le nom d'un paramètre, par exemple {form}: switch_deadline"
    return None


def resolve(form: str, name: str, parameters: Parameters) -> tuple[Any, str]:
    """The value ``form`` gives from the parameter ``name`` (ISO text for a date), and the
    parameter's unit; :class:`RelativeError` when it cannot."""
    if form not in SHIFTS:
        raise RelativeError(f"forme « {form} » inconnue{suggest(form, list(SHIFTS))} ; "
                            f"formes possibles : {FORMS}")
    if name not in parameters:
        raise RelativeError(f"paramètre « {name} » introuvable"
                            f"{suggest(name, list(parameters))}")
    shift, units = SHIFTS[form]
    unit, value = parameters[name].unit, parameters[name].value
    if units is not None and unit not in units:
        raise RelativeError(f"« {form} » ne s'applique pas au paramètre « {name} » (unité "
                            f"{unit}) ; il attend un paramètre d'unité {' ou '.join(units)}")
    if unit == "date":
        return (date.fromisoformat(value) + timedelta(days=int(shift))).isoformat(), unit
    if shift:
        moved = round(value + shift, 2)
        return (int(moved) if float(moved).is_integer() else moved), unit
    return value, unit


def resolve_all(data: Any, parameters: Parameters, path: FieldPath = ()
                ) -> tuple[Any, list[tuple[FieldPath, str]]]:
    """``data`` with every relative value replaced by what it gives, and the problems
    (path, French message) of those that cannot be."""
    if is_relative(data):
        (form, name), = data.items()
        try:
            return resolve(form, str(name), parameters)[0], []
        except RelativeError as error:
            return None, [((*path, form), str(error))]
    problems: list[tuple[FieldPath, str]] = []
    if isinstance(data, dict):
        resolved = {}
        for key, item in data.items():
            resolved[key], found = resolve_all(item, parameters, (*path, key))
            problems += found
        return resolved, problems
    if isinstance(data, list):
        items = []
        for i, item in enumerate(data):
            value, found = resolve_all(item, parameters, (*path, i))
            items.append(value)
            problems += found
        return items, problems
    return data, []


def render_text(text: str, parameters: Parameters) -> str:
    """``text`` with each ``{{ P }}`` or ``{{ P | form }}`` replaced by its French display
    (:class:`RelativeError` when one cannot be)."""
    def display(match: re.Match[str]) -> str:
        value, unit = resolve(match.group(2) or "parameter", match.group(1), parameters)
        return format_parameter(unit, value)

    return PLACEHOLDER.sub(display, text)


def text_problems(text: str, parameters: Parameters) -> list[str]:
    """Why each placeholder of ``text`` cannot be rendered (none when all can), and braces
    that make no placeholder (``{{ P }``: a text the verdict would never show, so that
    a ``never_says`` holding it would prove nothing)."""
    problems = []
    for match in PLACEHOLDER.finditer(text):
        try:
            resolve(match.group(2) or "parameter", match.group(1), parameters)
        except RelativeError as error:
            problems.append(f"{match.group(0)} : {error}")
    stray = BRACES.search(PLACEHOLDER.sub(lambda m: " " * len(m.group(0)), text))
    if stray:
        fragment = " ".join(text[stray.start():].split()[:3])
        problems.append(f"accolades mal formées dans « {fragment} » : écrivez {{{{ P }}}} ou "
                        f"{{{{ P | forme }}}} (formes : {FORMS})")
    return problems
