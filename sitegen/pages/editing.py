""""Modifier le contenu": the support team's guide to ``data/rules.yaml``."""

from __future__ import annotations

from typing import Any

from rulebook.declaration import ROOT, FaqEntry, Session
from rulebook.spec import Obj, obj_of
from sitegen.context import SiteContext


def _fields(obj: Obj) -> list[dict[str, Any]]:
    return [{"key": k, "doc": f.doc, "required": f.required} for k, f in obj.fields.items()]


def build(ctx: SiteContext, uri: str) -> dict[str, Any]:
    """The editing guide's variables: the key lists come from the declaration, where each
    part shows from the page registry (``ctx.shown_on``), the figures from the data."""
    params = ctx.rules.parameters
    example_id = next((k for k, p in params.items() if p.unit == "eur"), next(iter(params)))
    example = params[example_id]
    return {
        "sections": [{"key": key, "doc": field.doc, "pages": ctx.shown_on.get(key, [])}
                     for key, field in ROOT.fields.items()],
        "parameters": [{"id": pid, "label": p.label, "display": ctx.book.displays[pid]}
                       for pid, p in params.items()],
        "example": {"id": example_id, "label": example.label, "unit": example.unit,
                    "value": example.value, "display": ctx.book.displays[example_id]},
        "session_fields": _fields(obj_of(Session)),
        "faq_fields": _fields(obj_of(FaqEntry)),
        "rules_file": ctx.rules_file,
        "scenarios_file": ctx.scenarios_file,
        "rule_ids": [r.id for r in ctx.rules.rules],
        "question_ids": [q.id for q in ctx.rules.questions],
    }
