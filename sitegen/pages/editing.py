""""Modifier le contenu": the support team's guide to ``data/rules.yaml``."""

from __future__ import annotations

from typing import Any

from rulebook.declaration import ROOT, FaqEntry, Session
from rulebook.spec import Obj, obj_of
from sitegen.pages import uris
from sitegen.pages.context import SiteContext
from sitegen.pages.render import render_page

# Where each part of the file shows on the site.
SHOWN_ON = {
    "meta": [uris.HOME],
    "context": [uris.HOME],
    "questions": [uris.CHECKER, uris.DECISION_TABLE, uris.SYNTHESIS],
    "plan_required_when": [uris.CHECKER, uris.DECISION_TABLE],
    "plans": [uris.PLANS],
    "permissions": [uris.RULES_INDEX, uris.DECISION_TABLE],
    "actions": [uris.RULES_INDEX, uris.DECISION_TABLE],
    "rules": [uris.RULES_INDEX, uris.SYNTHESIS],
    "sources": [uris.RULES_INDEX],
    "faq": [uris.FAQ],
    "sessions": [uris.SESSIONS],
    "changelog": [uris.CHANGELOG],
}
TITLES = {
    uris.HOME: "Accueil", uris.CHECKER: "Vérificateur", uris.DECISION_TABLE: "Tableau de décision",
    uris.PLANS: "Les formules", uris.RULES_INDEX: "Les règles", uris.SYNTHESIS: "Synthèse",
    uris.FAQ: "FAQ", uris.SESSIONS: "Sessions", uris.CHANGELOG: "Historique",
}


def _fields(obj: Obj) -> list[dict[str, Any]]:
    return [{"key": k, "doc": f.doc, "required": f.required} for k, f in obj.fields.items()]


def pages(ctx: SiteContext, rules_file: str = "data/rules.yaml",
          scenarios_file: str = "data/scenarios.yaml") -> dict[str, str]:
    """The editing guide; the key lists come from the schema, the figures from the data."""
    sections = [{"key": key, "doc": field.doc,
                 "pages": [(TITLES[u], u) for u in SHOWN_ON.get(key, [])
                           if u != uris.CHECKER or ctx.has_checker]}
                for key, field in ROOT.fields.items()]
    parameters = [{"id": pid, "label": p["label"], "display": ctx.book.displays[pid]}
                  for pid, p in ctx.book.data["parameters"].items()]
    params = ctx.book.data["parameters"]
    example_id = next((k for k, p in params.items() if p["unit"] == "eur"), next(iter(params)))
    example = {**params[example_id], "id": example_id, "display": ctx.book.displays[example_id]}
    return {uris.EDITING: render_page(
        "editing.md.j2", uris.EDITING, uris=uris, sections=sections, parameters=parameters,
        session_fields=_fields(obj_of(Session)), faq_fields=_fields(obj_of(FaqEntry)),
        example=example, rules_file=rules_file, scenarios_file=scenarios_file,
        rule_ids=[r["id"] for r in ctx.book.data["rules"]],
        question_ids=[q["id"] for q in ctx.compiled["questions"]],
    )}
