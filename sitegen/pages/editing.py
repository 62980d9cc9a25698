""""Modifier le contenu": the support team's guide to ``data/rules.yaml``."""

from __future__ import annotations

from datetime import date
from typing import Any

from checker.dated import RECENT_DAYS
from rulebook.declaration import ROOT, UNIT_MEANINGS, FaqEntry, Session, closed_lists
from rulebook.formatting import format_parameter
from rulebook.spec import Obj, obj_of
from sitegen.context import SiteContext

# A value of each unit, to show how it is written and displayed.
UNIT_SAMPLES: dict[str, Any] = {
    "eur": 1000, "eur_ht_per_month": 29, "count": 1200, "percent": 100, "hours": 21,
    "months": 2, "year": 2013, "date": date(2022, 12, 31),
    "text": "Développer sa vente directe en ligne"}


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
        "units": [{"id": unit, "meaning": meaning, "written": _written(UNIT_SAMPLES[unit]),
                   "display": format_parameter(unit, UNIT_SAMPLES[unit])}
                  for unit, meaning in UNIT_MEANINGS.items()],
        "closed_lists": closed_lists(),
        "recent_days": RECENT_DAYS,
    }


def _written(value: Any) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)
