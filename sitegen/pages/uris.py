"""Stable French addresses of the generated pages (source URIs inside docs/)."""

from __future__ import annotations

HOME = "index.md"
CHECKER = "verificateur/index.md"
RULES_INDEX = "regles/index.md"
PLANS = "formules.md"
FAQ = "faq/index.md"
SESSIONS = "sessions.md"
SYNTHESIS = "synthese.md"
DIAGRAM = "synthese/schema-de-decision.svg"
DECISION_TABLE = "tableau-de-decision.md"
EDITING = "modifier-le-contenu.md"
CHANGELOG = "historique.md"


def rule_page_uri(slug: str) -> str:
    """Source URI of a rule page from its address: ``charte-producteurs`` ->
    ``regles/charte-producteurs.md`` (URL ``regles/charte-producteurs/``)."""
    return f"regles/{slug}.md"


def session_calendar_uri(session_id: str) -> str:
    """``point-infos`` -> ``sessions/point-infos.ics``."""
    return f"sessions/{session_id}.ics"


def faq_entry_uri(entry_id: str) -> str:
    """Link target of one FAQ entry: its stable anchor on the FAQ page."""
    return f"{FAQ}#{entry_id}"
