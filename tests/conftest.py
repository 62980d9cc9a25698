"""Shared fixtures: the real rules file, loaded once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.loader import RulesBook, load_rules

ROOT = Path(__file__).resolve().parent.parent
RULES_PATH = ROOT / "data" / "rules.yaml"
SCENARIOS_PATH = ROOT / "data" / "scenarios.yaml"


@pytest.fixture(scope="session")
def book() -> RulesBook:
    """The validated real rules."""
    return load_rules(RULES_PATH)


@pytest.fixture(scope="session")
def compiled(book: RulesBook) -> dict:
    """The compiled rules, as the checker and the browser see them."""
    return book.compiled
