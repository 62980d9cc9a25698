"""The verdict in words: every French string the checker shows, built once here.

The CLI, the site's pages and the browser only *place* these strings: none of
them formats a date or an amount, words a deadline or names a plan itself.
Texts written by the support team (explanations, action texts, plan facts)
come from the compiled rules; what is composed here is the grammar around
them, chosen for the evaluation date (a deadline ahead is "au plus tard le…",
a deadline passed is "dépassée", never a future tense about a past date).

The verdict's layout is decided here too (:func:`layout`): which parts show, in which
order, under which heading, and whether "À faire" says "Rien à faire.". The CLI's text,
the browser, the impact report and the site's pages all place those sections.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from checker.french import format_eur, format_long_date, format_words, lower_first, typeset
from checker.limit import LimitState, counts_text
from checker.model import CompiledRules, Plan, Question

HEADINGS = {key: typeset(text) for key, text in {
    "answers": "Vos réponses",
    "plan": "Votre formule",
    "permissions": "Ce que vous pouvez faire",
    "actions": "À faire",
    "hints": "Bon à savoir",
    "reasons": "Pourquoi ?",
    "prices": "Tarifs des formules",
    "errors": "Réponses à corriger",
    "missing": "Questions restantes",
}.items()}
NOTHING_TO_DO = "Rien à faire."
COLON = typeset("a :")[1:]  # the no-break space and the colon: lines join typeset parts
# Sentence templates, typeset once here (what fills them is typeset already).
SAY = {key: typeset(text) for key, text in {
    "overdue": "échéance du {when} dépassée : à faire dès maintenant",
    "lifted": "Sans limite jusqu'au {end} inclus ; ensuite : {limit}",
    "allowed": "Vous pouvez : {label}",
    "denied": "Vous ne pouvez plus : {label}",
    "not_in_force": "Les nouvelles règles ne sont pas encore en vigueur au {today} : elles "
                    "s'appliquent à partir du {start}. D'ici là, rien ne change pour vous.",
    "partial": "Résultat partiel : répondez encore à {names}.",
    "quoted": "« {text} »",
    "heading": "{heading} : {name}",
}.items()}
ALLOWED = ("Non autorisé", "Autorisé")
YES_NO = ("Non", "Oui")


def due_text(deadline: str, today: date) -> str:
    """When an action is due, as of ``today`` (the deadline day itself is not late)."""
    when = format_long_date(deadline)
    day = today.isoformat()
    if day < deadline:
        return f"au plus tard le {when}"
    if day == deadline:
        return f"au plus tard aujourd'hui, {when}"
    return SAY["overdue"].format(when=when)


def deadline_note(deadline: str, today: date) -> str:
    """A deadline on its own, as of ``today``: ``31 décembre 2022 (dépassée au 1er mars 2023)``."""
    day, when = today.isoformat(), format_long_date(deadline)
    if day < deadline:
        return f"{when} (à venir au {format_long_date(today)})"
    if day == deadline:  # "… au <the same day>" would say the date twice
        return f"{when} (c'est aujourd'hui)"
    return f"{when} (dépassée au {format_long_date(today)})"


def limit_text(plan: Plan, unlimited_until: str | None) -> str:
    """The sales limit of ``plan``, lifted until a date when an effect says so."""
    if unlimited_until:
        return SAY["lifted"].format(end=format_long_date(unlimited_until),
                                    limit=lower_first(plan.limit_label))
    return plan.limit_label


def answer_text(question: Question, value: Any) -> str:
    """One answer in words: the choice's label, ``Oui``/``Non`` or an amount in euros."""
    if question.type == "boolean":
        return YES_NO[bool(value)]
    if question.type == "amount":
        return format_eur(value)
    return next((c.label for c in question.choices or () if c.value == value), str(value))


def permission_line(label: str, allowed: bool) -> str:
    """``Vous pouvez : aider un producteur…`` / ``Vous ne pouvez plus : inscrire…``."""
    return SAY["allowed" if allowed else "denied"].format(label=lower_first(label))


def _permission(label: str, allowed: bool) -> dict[str, Any]:
    return {"allowed": allowed, "status": ALLOWED[allowed], "label": label,
            "line": permission_line(label, allowed)}


def _notices(rules: CompiledRules, verdict: Mapping[str, Any], today: date) -> list[str]:
    notices = []
    if not verdict["in_force"]:
        start = format_long_date(rules.in_force_from)
        notices.append(SAY["not_in_force"].format(today=format_long_date(today), start=start))
    if verdict["missing"]:
        shorts = {q.id: q.short for q in rules.questions}
        names = format_words(SAY["quoted"].format(text=shorts[q]) for q in verdict["missing"])
        notices.append(SAY["partial"].format(names=names))
    return notices


def plan_counts(rules: CompiledRules, plan: Plan, day: str,
                offer_applies: bool = True) -> str | None:
    """What counts towards ``plan``'s limit: the limit model's words for the limited plan
    (dated: the launch offer while it runs), the plan's own text otherwise (``None`` for a
    plan that says nothing of it, such as no account at all)."""
    if rules.limit and plan.id == rules.limit.plan:
        return counts_text(rules, day, offer_applies)
    return plan.counts


def display(rules: CompiledRules, verdict: Mapping[str, Any], today: date,
            rule_labels: dict[str, str], limit_state: LimitState | None = None
            ) -> dict[str, Any]:
    """Ready-to-show French for every part of ``verdict`` that is not already text
    (``rule_labels``: :func:`rule_label` of each rule, by id; ``limit``: the limit's
    state for this person, when the plan is limited)."""
    questions = {q.id: q for q in rules.questions}
    plan = rules.plan(verdict["plan"])
    limit = limit_text(plan, verdict["unlimited_until"]) if plan else None
    plan_block = None
    if plan:
        counts = plan_counts(rules, plan, today.isoformat(),
                             offer_applies=bool(limit_state and limit_state.lifted_until))
        facts = [("Plafond de ventes", limit), ("Ce qui compte", counts),
                 ("Prix", plan.price), ("Comment l'obtenir", plan.how_to_get)]
        plan_block = {
            "name": plan.name,
            "heading": SAY["heading"].format(heading=HEADINGS["plan"], name=plan.name),
            "summary": plan.summary,
            "facts": [{"label": label, "value": value} for label, value in facts if value],
        }
    sells = plan is not None and plan.sells
    shown: dict[str, Any] = {
        "title": f"Résultat au {format_long_date(today)}",
        "notices": _notices(rules, verdict, today),
        "errors": [{"question": questions[q].short if q in questions else None,
                    "message": message} for q, message in verdict["errors"].items()],
        "answers": [{"label": q.short, "value": answer_text(q, verdict["answers"][q.id])}
                    for q in rules.questions if q.id in verdict["answers"]],
        "plan": plan_block,
        "limit": limit,
        # In the order the rules declare them (a dict's order differs once through JSON).
        "permissions": [_permission(p.label, verdict["permissions"][p.id])
                        for p in rules.permissions if p.id in verdict["permissions"]],
        "todo": [f"{a['title']} ({a['due']})" if a["due"] else a["title"]
                 for a in verdict["actions"]],
        "prices": [{"label": p.name, "value": p.price}
                   for p in rules.plans if p.sells and p.price] if sells else [],
        "rule_labels": rule_labels,
        "headings": HEADINGS,
    }
    shown["sections"] = layout(verdict, shown)
    return shown


def _item(label: str | None, value: str, **more: Any) -> dict[str, Any]:
    """One entry of a section: ``label : value`` as one line (``value`` alone without a
    label), with what a richer page places besides (``more``)."""
    line = f"{label}{COLON} {value}" if label else value
    return {"label": label, "value": value, "line": line, **more}


def _section(part: str, items: list[dict[str, Any]], lead: list[str] | None = None,
             line: str | None = None) -> dict[str, Any]:
    """A part under its heading of :data:`HEADINGS` (its line: the heading and a colon)."""
    heading = HEADINGS[part]
    return {"id": part, "heading": heading, "lead": lead or [], "items": items,
            "line": line or f"{heading}{COLON}"}


def layout(verdict: Mapping[str, Any], shown: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The verdict's layout, decided once (``shown``: its :func:`display`): the parts that
    show, in the order every reader places them (the title comes first, on its own).

    Each section has its ``id`` (``notices``, ``errors``, ``answers``, ``plan``,
    ``permissions``, ``actions``, ``hints``, ``reasons``, ``prices``), its ``heading``
    (``None`` for the notices, which stand alone), the ``lead`` sentences said under the
    heading (the plan's summary; "Rien à faire."), its ``items`` and ``line``: the heading
    as one line of text (with the lead when it is said on it). Every item has its
    ``line`` (the item as one line of text); what else it carries depends on the part:
    ``label`` and ``value``; a permission's ``allowed`` and ``status``; an action's ``id``,
    ``link``, ``rules``, ``deadline`` and ``overdue`` (its ``label``: what to do and by
    when, its ``value``: how); a reason's ``text`` and ``rule``.

    A part with nothing to show is left out. "À faire" says "Rien à faire." when, and only
    when, the verdict is complete, in force and asks for no action: a question left may
    still bring one, and before the rules apply the notice says that nothing changes yet.
    """
    plan = shown["plan"]
    nothing = not verdict["actions"] and verdict["complete"] and verdict["in_force"]
    found = [
        {"id": "notices", "heading": None, "lead": [], "line": None,
         "items": [_item(None, notice) for notice in shown["notices"]]},
        _section("errors", [_item(e["question"], e["message"]) for e in shown["errors"]]),
        _section("answers", [_item(a["label"], a["value"]) for a in shown["answers"]]),
    ]
    if plan:
        found.append({"id": "plan", "heading": plan["heading"], "lead": [plan["summary"]],
                      "line": f"{plan['heading']}. {plan['summary']}",
                      "items": [_item(f["label"], f["value"]) for f in plan["facts"]]})
    found += [
        _section("permissions", [dict(p) for p in shown["permissions"]]),
        _section("actions", [_item(todo, a["text"], id=a["id"], link=a["link"],
                                   rules=a["rules"], deadline=a["deadline"],
                                   overdue=a["overdue"])
                             for todo, a in zip(shown["todo"], verdict["actions"], strict=True)],
                 lead=[NOTHING_TO_DO] if nothing else None,
                 line=f"{HEADINGS['actions']}{COLON} {NOTHING_TO_DO}" if nothing else None),
        _section("hints", [_item(None, hint) for hint in verdict["hints"]]),
        _section("reasons", [_item(None, sentence, text=r["text"], rule=r["rule"])
                             for r, sentence in zip(verdict["reasons"], verdict["explanation"],
                                                    strict=True)],
                 line=HEADINGS["reasons"]),  # a question: no colon after it
        _section("prices", [_item(p["label"], p["value"]) for p in shown["prices"]]),
    ]
    return [section for section in found if section["items"] or section["lead"]]


def section(shown: Mapping[str, Any], part: str) -> Mapping[str, Any]:
    """The section ``part`` of a verdict's layout (``shown``: its display); an empty one
    (no heading, no lead, no item) when the layout leaves it out."""
    return next((s for s in shown["sections"] if s["id"] == part),
                {"id": part, "heading": None, "lead": [], "items": [], "line": None})


def as_text(verdict: Mapping[str, Any]) -> str:
    """The verdict as plain French text (the CLI's output, what the scenarios read): its
    title, then each section of its :func:`layout`, the heading's line above its items."""
    shown = verdict["display"]
    lines = [f"{shown['title']}."]
    for part in shown["sections"]:
        if part["line"] is None:  # no heading: the items stand alone
            lines += [item["line"] for item in part["items"]]
        else:
            lines.append(part["line"])
            lines += [f"  - {item['line']}" for item in part["items"]]
    return "\n".join(lines)
