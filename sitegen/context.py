"""What every page builder receives: the validated rules, as written, the build facts
and look-ups indexed once per build (by rule, by FAQ reference, by scenario)."""

from __future__ import annotations

import posixpath
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from checker import evaluate
from checker.dated import displays_on, rules_on
from checker.model import Action, CompiledRules, Plan
from checker.model import Rule as CompiledRule
from rulebook.decisions import Decision, decisions
from rulebook.declaration import FaqEntry, Rule, Rules, Source
from rulebook.describe import answers_lines, condition_lines
from rulebook.loader import RulesBook
from rulebook.placeholders import computed_displays, render
from rulebook.scenarios import Scenario
from sitegen.markdown_fields import markdown_html
from sitegen.markdown_text import Markdown, escape_text

if TYPE_CHECKING:  # the impact is computed only by the preview
    from rulebook.impact import Impact

Verdict = dict[str, Any]
EXAMPLE_PARTS = ("answers", "plan", "display")  # what a rule page shows of an example


def rule_page_uri(rules_index: str, slug: str) -> str:
    """The one place a rule page's source URI is made: ``regles/<slug>.md``, in the
    folder of the rules' list ``rules_index`` (its slug: ``rulebook.slugs.rule_slug``)."""
    return posixpath.join(posixpath.dirname(rules_index), f"{slug}.md")


@dataclass
class SiteContext:
    """The rules, the build date (deadlines, next sessions) and optional extras.

    ``book`` is the rules as written: the pages, the verdicts they show, the calendars
    and the diagram all read it; a plain text is escaped where it is put into a page
    (:mod:`sitegen.markdown_text`). ``addresses`` maps each page's key to its source
    URI (the registry's); ``present`` holds the keys of optional pages that are built
    (the checker). ``unpublished_impact``, set only by a preview build (``make serve``,
    ``mkdocs serve``), is the impact of the uncommitted edit, shown on the decision
    table. ``shown_on`` says on which pages each part of the rules file shows (for the
    editing guide).
    """

    book: RulesBook
    as_of: date
    addresses: dict[str, str]
    scenarios: list[Scenario] = field(default_factory=list)
    present: frozenset[str] = frozenset()
    unpublished_impact: Impact | None = None
    rules_file: str = "data/rules.yaml"
    scenarios_file: str = "data/scenarios.yaml"
    shown_on: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    cache: Path | None = None

    def __post_init__(self) -> None:
        """The texts computed for the day the pages are published ({{ limit_reached }}),
        and the parameters that change on a date as they read that day."""
        self.book.displays.update(computed_displays(self.book.compiled, self.as_of))
        self.book.displays.update(displays_on(self.book.compiled, self.as_of.isoformat()))

    @property
    def rules(self) -> Rules:
        """The typed rules the pages show."""
        return self.book.rules

    @property
    def compiled(self) -> CompiledRules:
        """The checker's view of the rules as they read on the day the pages are published
        (to evaluate on another day, give ``book.compiled`` to ``evaluate``)."""
        return rules_on(self.book.compiled, self.as_of.isoformat())

    @property
    def has_checker(self) -> bool:
        """Whether the in-browser checker page is built."""
        return "checker" in self.present

    def uri(self, key: str) -> str:
        """The source URI of the page ``key``."""
        return self.addresses[key]

    @cached_property
    def decisions(self) -> list[Decision]:
        """Verdicts of the representative profiles (the decision table, the synthesis'
        diagram and tree), computed once per build."""
        return decisions(self.book.compiled, self.as_of)

    @cached_property
    def markdown_displays(self) -> dict[str, str]:
        """What a ``{{ parameter }}`` becomes inside Markdown (a rules' Markdown field, a
        hand-written page): its display escaped as a plain text (a ``text`` parameter's
        value is not Markdown)."""
        return {name: escape_text(shown) for name, shown in self.book.displays.items()}

    def markdown(self, text: str) -> Markdown:
        """A Markdown field of the rules (``body``, ``answer``, ``intro``) as the page's
        HTML: placeholders rendered (:attr:`markdown_displays`), then Markdown rendered
        and cleaned (:func:`sitegen.markdown_fields.markdown_html`)."""
        return Markdown(markdown_html(render(text, self.markdown_displays)))

    def condition_lines(self, cond: Mapping[str, Any], indent: int = 0) -> list[Markdown]:
        """A condition as Markdown bullet lines (``rulebook.describe``), texts escaped."""
        lines = condition_lines(self.compiled, cond, indent, escape_text)
        return [Markdown(line) for line in lines]

    def answers_lines(self, answers: Mapping[str, Any]) -> list[Markdown]:
        """Each answer as ``*Short* : label`` Markdown (``rulebook.describe``), texts
        escaped."""
        return [Markdown(line) for line in answers_lines(self.compiled, answers, escape_text)]

    @cached_property
    def rule_uris(self) -> dict[str, str]:
        """Source URI of each rule's page (in the rules section's folder), by rule id."""
        return {r.id: rule_page_uri(self.uri("rules"), r.slug) for r in self.compiled.rules}

    @cached_property
    def compiled_rules(self) -> dict[str, CompiledRule]:
        """The compiled rules, by id."""
        return {r.id: r for r in self.compiled.rules}

    @cached_property
    def _rules(self) -> dict[str, Rule]:
        return {r.id: r for r in self.rules.rules}

    def rule(self, rule_id: str) -> Rule:
        """One rule, typed."""
        return self._rules[rule_id]

    def rule_label(self, rule_id: str) -> str:
        """``Règle 2 — Le compte producteur en Formule Découverte`` (the checker's words)."""
        label = self.compiled_rules[rule_id].label
        return label[:1].upper() + label[1:]

    @cached_property
    def plans(self) -> dict[str, Plan]:
        """The compiled plans, by id."""
        return {p.id: p for p in self.compiled.plans}

    @cached_property
    def actions(self) -> dict[str, Action]:
        """The compiled actions, by id."""
        return {a.id: a for a in self.compiled.actions}

    @cached_property
    def permission_labels(self) -> dict[str, str]:
        """Each permission's label, by id."""
        return {p.id: p.label for p in self.compiled.permissions}

    @cached_property
    def sources(self) -> dict[str, Source]:
        """The sources, by id."""
        return {s.id: s for s in self.rules.sources}

    @cached_property
    def faq_by_rule(self) -> dict[str, list[FaqEntry]]:
        """The FAQ entries explaining each rule, in reading order."""
        found: dict[str, list[FaqEntry]] = defaultdict(list)
        for entry in self.rules.faq_entries():
            for rule_id in entry.rules:
                found[rule_id].append(entry)
        return found

    @cached_property
    def examples_by_rule(self) -> dict[str, list[tuple[Scenario, Verdict]]]:
        """Golden scenarios (complete, valid) with their verdict (the parts pages show:
        :data:`EXAMPLE_PARTS`, and the answers in words as ``situation``), by each rule
        they cite; each computed once per build."""
        found: dict[str, list[tuple[Scenario, Verdict]]] = defaultdict(list)
        for scenario in self.scenarios:
            verdict = evaluate(self.book.compiled, scenario.answers, as_of=scenario.as_of)
            if verdict["errors"] or not verdict["complete"]:
                continue
            kept = {key: verdict[key] for key in EXAMPLE_PARTS}  # not every reason, held
            kept["situation"] = self.answers_lines(verdict["answers"])
            for rule_id in dict.fromkeys(r["rule"] for r in verdict["reasons"]):
                found[rule_id].append((scenario, kept))
        return found

    def complement(self, uri: str | None) -> dict[str, str] | None:
        """A hand-written page ``more:`` points to: its source URI and title."""
        return {"uri": uri, "title": self.book.complements[uri]} if uri else None
