"""What every page generator receives: the validated rules and the build facts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from sitegen.loader import RulesBook
from sitegen.pages.decisions import Decision, decisions
from sitegen.scenarios import Scenario


@dataclass
class SiteContext:
    """The rules, the build date (deadlines, next sessions) and optional extras."""

    book: RulesBook
    as_of: date
    scenarios: list[Scenario] = field(default_factory=list)
    has_checker: bool = False

    @property
    def compiled(self) -> dict[str, Any]:
        """The checker's view of the rules."""
        return self.book.compiled

    @cached_property
    def decisions(self) -> list[Decision]:
        """Verdicts of the representative profiles, computed once per build."""
        return decisions(self.compiled, self.as_of)

    def rule(self, rule_id: str) -> dict[str, Any]:
        """The YAML data of one rule."""
        return next(r for r in self.book.data["rules"] if r["id"] == rule_id)

    def rule_label(self, rule_id: str) -> str:
        """``Règle 2 — Le compte producteur en Formule Découverte``."""
        rule = self.rule(rule_id)
        return f"Règle {rule['number']} — {self.book.render(rule['title'])}"
