"""``{{ parameter_id }}`` placeholders in the YAML's prose and in hand-written pages."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

from checker.limit import reached_text
from checker.model import CompiledRules
from rulebook.errors import Problem, RulesError

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
BRACES = re.compile(r"\{\{|\}\}")
# A figure that is not a fact (an article's number, a year in a title, how many items a
# list has), written as is on purpose: ``{{ "3" }}``. Figures only: an amount, a price, a
# length of time or a date is a parameter.
LITERAL = re.compile(r'\{\{\s*"([^"{}\n]*)"\s*\}\}')
LITERAL_CONTENT = re.compile(r"\d+(?:[ \u00a0\u202f.,/–-]+\d+)*")
# Placeholders the site computes for its publication date (page prose only), beside the
# parameters: what happens once the yearly limit is reached (``checker.limit``).
COMPUTED = ("limit_reached",)


def computed_displays(compiled: CompiledRules, day: date) -> dict[str, str]:
    """The :data:`COMPUTED` placeholders' texts for a site published on ``day``."""
    if compiled.limit is None:
        return {}
    return {"limit_reached": reached_text(compiled, day.isoformat())}


def as_written(text: str) -> str:
    """``text`` with each ``{{ "3" }}`` replaced by the figure it holds."""
    return LITERAL.sub(lambda m: m.group(1), text) if '"' in text else text


def render(text: str, displays: Mapping[str, str]) -> str:
    """Replace each placeholder by the parameter's French display string, and each figure
    written as is (``{{ "3" }}``) by that figure."""
    return PLACEHOLDER.sub(lambda m: displays[m.group(1)], as_written(text))


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group(0))


def render_page_placeholders(markdown: str, displays: Mapping[str, str], file: str) -> str:
    """:func:`render` for a hand-written page; an unknown name, or braces that make no
    placeholder (``{{ name }``, ``{{ }}``: published as they are otherwise), is a located
    French error."""
    problems = []

    def located(offset: int, message: str) -> Problem:
        line = markdown.count("\n", 0, offset) + 1
        return Problem(file, line, offset - markdown.rfind("\n", 0, offset), "", message)

    for match in PLACEHOLDER.finditer(markdown):
        if match.group(1) not in displays:
            problems.append(located(match.start(), (
                f"paramètre « {match.group(1)} » introuvable ; possibles : "
                f"{', '.join(displays)}")))
    rest = LITERAL.sub(_blank, PLACEHOLDER.sub(_blank, markdown))  # the offsets kept
    said: set[int] = set()  # lines with a stray brace reported: the first one says it
    for stray in BRACES.finditer(rest):
        line = markdown.count("\n", 0, stray.start())
        if line not in said:
            said.add(line)
            fragment = " ".join(markdown[stray.start():].split("\n")[0].split()[:3])
            problems.append(located(stray.start(), f"accolades mal formées dans « {fragment} » "
                                    ": écrivez {{ nom_du_parametre }}"))
    if problems:
        raise RulesError(problems, subject="La page")
    return render(markdown, displays)
