"""What every page generator receives: the validated rules and the build facts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from checker import evaluate
from rulebook.decisions import Decision, decisions
from rulebook.impact import Impact
from rulebook.loader import RulesBook
from rulebook.scenarios import Scenario
from sitegen.pages import uris


@dataclass
class SiteContext:
    """The rules, the build date (deadlines, next sessions) and optional extras.

    ``book`` is what the Markdown pages show (see ``sitegen.pages.escape``);
    ``source``, when set, is the rules as written, for non-HTML files (calendars).
    ``preview``, set only under ``mkdocs serve``, is the impact of the unpublished
    edit, shown on the decision table.
    """

    book: RulesBook
    as_of: date
    scenarios: list[Scenario] = field(default_factory=list)
    has_checker: bool = False
    source: RulesBook | None = None
    preview: Impact | None = None

    @property
    def source_book(self) -> RulesBook:
        """The rules as written (``book`` when no separate source was given)."""
        return self.source or self.book

    @property
    def compiled(self) -> dict[str, Any]:
        """The checker's view of the rules."""
        return self.book.compiled

    @cached_property
    def decisions(self) -> list[Decision]:
        """Verdicts of the representative profiles, computed once per build."""
        return decisions(self.compiled, self.as_of)

    @cached_property
    def scenario_verdicts(self) -> list[tuple[Scenario, dict[str, Any]]]:
        """Each golden scenario with its verdict, computed once per build (not per page)."""
        return [(s, evaluate(self.compiled, s.answers, as_of=s.as_of)) for s in self.scenarios]

    @cached_property
    def rule_uris(self) -> dict[str, str]:
        """Source URI of each rule's page, by rule id."""
        return {r["id"]: uris.rule_page_uri(r["slug"]) for r in self.compiled["rules"]}

    def complement(self, uri: str | None) -> dict[str, str] | None:
        """A hand-written page ``more:`` points to: its source URI and title."""
        return {"uri": uri, "title": self.book.complements[uri]} if uri else None

    def rule(self, rule_id: str) -> dict[str, Any]:
        """The YAML data of one rule."""
        return next(r for r in self.book.data["rules"] if r["id"] == rule_id)

    def rule_label(self, rule_id: str) -> str:
        """``Règle 2 — Le compte producteur en Formule Découverte``."""
        rule = self.rule(rule_id)
        return f"Règle {rule['number']} — {self.book.render(rule['title'])}"
