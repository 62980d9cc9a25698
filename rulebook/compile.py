"""Compile validated rules into the JSON the checker reads (and the browser)."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

from rulebook.formatting import format_parameter
from rulebook.placeholders import render
from rulebook.slugs import slugify

FORMAT_VERSION = 2
IN_FORCE = "effective_date"  # the parameter giving the date the rules apply from


def parameter_displays(data: dict[str, Any]) -> dict[str, str]:
    """French display string of every parameter (``1 000 €``, ``31 décembre 2022``)."""
    return {k: format_parameter(p["unit"], p["value"]) for k, p in data["parameters"].items()}


def _value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def compile_rules(data: dict[str, Any]) -> dict[str, Any]:
    """The checker's view of validated rules: texts rendered, parameters resolved.

    Deterministic: the same YAML always gives the same JSON.
    """
    displays = parameter_displays(data)
    params = data["parameters"]

    def date_value(parameter: str | None) -> str | None:
        return _value(params[parameter]["value"]) if parameter else None

    def text(value: str | None) -> str | None:
        return None if value is None else render(value, displays).strip()

    questions = []
    for q in data["questions"]:
        compiled: dict[str, Any] = {
            "id": q["id"], "type": q["type"], "label": text(q["label"]),
            "short": text(q["short"]), "help": text(q.get("help")),
            "ask_when": q.get("ask_when"),
        }
        if q["type"] == "choice":
            compiled["choices"] = [{"value": c["value"], "label": text(c["label"])}
                                   for c in q["choices"]]
        if q["type"] == "amount":
            compiled["max"] = q.get("max")
        questions.append(compiled)

    plans = []
    for p in data["plans"]:
        limit = p.get("annual_limit")
        limited = limit not in (None, "unlimited")
        plans.append({
            "id": p["id"], "name": p["name"], "summary": text(p["summary"]),
            "price": text(p["price"]), "counts": text(p["counts"]),
            "how_to_get": text(p["how_to_get"]),
            "annual_limit_eur": params[limit]["value"] if limited else None,
            "annual_limit_display": displays[limit] if limited else None,
            "unlimited": limit == "unlimited",
            "sells": limit is not None,
            "limit_label": text(p["limit_label"]),
        })

    rules = []
    for r in data["rules"]:
        effects = []
        for e in r["effects"]:
            effects.append({
                "when": e["when"],
                "plan": e.get("plan"),
                "permissions": e.get("permissions") or {},
                "action": e.get("action"),
                "deadline": date_value(e.get("deadline")),
                "unlimited_until": date_value(e.get("unlimited_until")),
                "explain": text(e["explain"]),
                "hint": text(e.get("hint")),
            })
        rules.append({"id": r["id"], "number": r["number"], "title": text(r["title"]),
                      "slug": r.get("slug") or slugify(render(r["title"], displays)),
                      "effects": effects})

    return {
        "format": FORMAT_VERSION,
        "title": text(data["meta"]["title"]),
        "in_force_from": date_value(IN_FORCE),
        "parameters": {
            k: {"value": _value(p["value"]), "unit": p["unit"], "label": text(p["label"]),
                "display": displays[k]}
            for k, p in params.items()
        },
        "questions": questions,
        "plan_required_when": data["plan_required_when"],
        "plans": plans,
        "permissions": [{"id": p["id"], "label": text(p["label"])} for p in data["permissions"]],
        "actions": [{"id": a["id"], "title": text(a["title"]), "text": text(a["text"]),
                     "link": a.get("link")} for a in data["actions"]],
        "rules": rules,
    }


def compiled_json(compiled: dict[str, Any]) -> str:
    """Canonical JSON text of compiled rules (stable bytes, hence stable hashes)."""
    return json.dumps(compiled, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def content_hash(data: bytes) -> str:
    """Short content hash used in artefact file names."""
    return hashlib.sha256(data).hexdigest()[:12]
