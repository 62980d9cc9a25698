"""Semantic checks of ``rules.yaml``: parameters, conditions, references between
parts, anchors and addresses, sessions; then the prose (:mod:`rulebook.prose`).

Written to tolerate structurally broken input (the structural check reports
that), so that every problem of a file is listed in one run.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from checker.conditions import walk
from rulebook.compile import IN_FORCE
from rulebook.errors import FieldPath, Report
from rulebook.prose import (
    check_blocking,
    check_dated_texts,
    check_figures,
    check_names,
    check_placeholders,
    check_timeless_texts,
)
from rulebook.refs import Refs, dicts, faq_entries
from rulebook.sessions import check_session
from rulebook.spec import DATE_HINT, NUMBER_HINT
from rulebook.suggest import suggest

NUMERIC_UNITS = {"eur", "eur_ht_per_month", "count", "percent", "hours", "months", "year"}


def _unit_problem(unit: Any, value: Any) -> str | None:
    """Why ``value`` does not fit ``unit`` (``None`` when it does)."""
    if unit == "date" and not isinstance(value, date):
        return f"date attendue pour un paramètre d'unité date, trouvé « {value} »{DATE_HINT}"
    if unit in NUMERIC_UNITS and (
        isinstance(value, bool) or not isinstance(value, int | float)
        or not math.isfinite(value) or value < 0
    ):
        hint = NUMBER_HINT if isinstance(value, str) else ""
        return f"nombre positif attendu, trouvé « {value} »{hint}"
    if unit == "text" and not isinstance(value, str):
        return f"texte attendu, trouvé « {value} »"
    return None


UNDATED_UNITS = {"date": "une date", "year": "une année"}  # a later value is an edit


def check_changes(key: str, param: dict[str, Any], effective: Any, refs: Refs) -> None:
    """A parameter's ``changes``: values of its unit, on dates after the rules' start, in
    order, each different from the value before it."""
    changes = param.get("changes")
    if not isinstance(changes, list):
        return  # absent, or reported by the structural check
    unit = param.get("unit")
    if unit in UNDATED_UNITS or key == IN_FORCE:
        refs.report(("parameters", key, "changes"),
                    f"{UNDATED_UNITS.get(unit, 'cette date')} ne change pas à une date : "
                    "modifiez sa valeur (« value ») et notez-le dans « changelog »")
        return
    previous, last_day = param.get("value"), effective if isinstance(effective, date) else None
    for i, change in enumerate(changes):
        if not isinstance(change, dict):
            continue
        since, value = change.get("since"), change.get("value")
        path: FieldPath = ("parameters", key, "changes", i)
        problem = None if value is None else _unit_problem(unit, value)
        if problem:
            refs.report((*path, "value"), problem)
        elif value is not None and value == previous:
            refs.report((*path, "value"), f"même valeur qu'avant ({value}) : ce changement "
                        "ne change rien, supprimez-le")
        if isinstance(since, date) and last_day is not None and since <= last_day:
            before = ("l'entrée en vigueur des règles" if last_day == effective
                      else "le changement précédent")
            refs.report((*path, "since"), f"le {since.isoformat()} ne vient pas après "
                        f"{before} ({last_day.isoformat()}) : les changements se suivent "
                        "dans l'ordre des dates")
        if isinstance(since, date):
            last_day = since
        if value is not None:
            previous = value


def check_parameters(data: dict[str, Any], refs: Refs) -> None:
    """Values fit their unit; the rules' start date exists; deadlines come after it;
    values that change do so after it, in order."""
    for key, param in refs.parameters.items():
        value, unit = param.get("value"), param.get("unit")
        problem = None if value is None else _unit_problem(unit, value)
        if problem:  # (no value: reported by the structural check)
            refs.report(("parameters", key, "value"), problem)
    if IN_FORCE not in refs.parameters:
        refs.report(("parameters", IN_FORCE), f"paramètre « {IN_FORCE} » (unité date) "
                    "obligatoire : date d'entrée en vigueur des règles")
    effective = refs.parameters.get(IN_FORCE, {}).get("value")
    for key, param in refs.parameters.items():
        check_changes(key, param, effective, refs)
    if not isinstance(effective, date):
        return
    deadlines = {effect.get("deadline") for path, rule in dicts(data.get("rules"), ("rules",))
                 for _, effect in dicts(rule.get("effects"), (*path, "effects"))}
    for key, param in refs.parameters.items():
        deadline = param.get("value")
        if key in deadlines and isinstance(deadline, date) and deadline <= effective:
            when = "avant" if deadline < effective else "le jour même de"
            refs.report(("parameters", key, "value"),
                        f"l'échéance {deadline.isoformat()} tombe {when} l'entrée en vigueur "
                        f"des règles ({effective.isoformat()}, « {IN_FORCE} ») : elle doit "
                        "venir après")


def check_condition(cond: Any, path: FieldPath, refs: Refs,
                    allowed: set[str] | None = None) -> None:
    """The references of a condition; ``allowed`` limits the questions it may read."""
    for at, kind, arg in walk(cond):
        sub = (*path, *at, kind)
        if kind in ("equals", "one_of") and isinstance(arg, dict) and len(arg) == 1:
            (qid, expected), = arg.items()
            if _question(qid, (*sub, qid), refs, allowed):
                values = expected if kind == "one_of" and isinstance(expected, list) else [expected]
                for value in values:
                    _answer_value(qid, value, (*sub, qid), refs)
        elif kind == "date" and isinstance(arg, dict):
            for position, pid in arg.items():
                refs.param(pid, (*sub, position), {"date"}, "de date de période")
        elif kind == "compare" and isinstance(arg, dict):
            qid = arg.get("question")
            if (_question(qid, (*sub, "question"), refs, allowed)
                    and refs.questions[qid].get("type") != "amount"):
                refs.report((*sub, "question"), "« compare » s'applique à une question de "
                            f"montant, pas à « {qid} »")
            refs.param(arg.get("parameter"), (*sub, "parameter"), NUMERIC_UNITS, "de seuil")


def _question(qid: Any, path: FieldPath, refs: Refs, allowed: set[str] | None) -> bool:
    if not refs.ref(qid, path, "questions"):
        return False
    if allowed is not None and qid not in allowed:
        refs.report(path, f"la question « {qid} » n'est pas posée avant celle-ci : une "
                    "condition « ask_when » ne peut lire que les questions précédentes "
                    "(sinon les questions dépendraient les unes des autres en boucle)")
        return False
    return True


def _answer_value(qid: str, value: Any, path: FieldPath, refs: Refs) -> None:
    question = refs.questions[qid]
    kind = question.get("type")
    if kind == "boolean" and not isinstance(value, bool):
        refs.report(path, f"la question « {qid} » attend true ou false, pas « {value} »")
    elif kind == "choice":
        values = [c.get("value") for _, c in dicts(question.get("choices"), ())]
        if values and value not in values:  # (no choices at all: said of the question)
            refs.report(path, f"« {value} » n'est pas un choix de la question « {qid} »"
                        f"{suggest(value, [v for v in values if isinstance(v, str)])} ; "
                        f"choix possibles : {', '.join(map(str, values))}")
    elif kind == "amount":
        refs.report(path, f"la question « {qid} » est un montant : utilisez « compare »")


def check_questions(data: dict[str, Any], refs: Refs) -> None:
    """Choices fit the type; a question is asked only after those it depends on."""
    earlier: set[str] = set()
    for path, question in dicts(data.get("questions"), ("questions",)):
        kind, qid = question.get("type"), question.get("id")
        if kind == "choice" and not question.get("choices"):
            refs.report(path, "une question de type choice doit lister ses « choices »")
        if kind != "choice" and "choices" in question:
            refs.report((*path, "choices"), f"« choices » ne va qu'avec le type choice, "
                        f"pas {kind}")
        values = [c.get("value") for _, c in dicts(question.get("choices"), ())]
        for i, value in enumerate(values):
            if value in values[:i]:
                refs.report((*path, "choices", i, "value"), f"choix « {value} » en double")
        if "ask_when" in question:
            check_condition(question["ask_when"], (*path, "ask_when"), refs, set(earlier))
        if isinstance(qid, str):
            earlier.add(qid)


def check_plans(data: dict[str, Any], refs: Refs) -> None:
    """A plan's limit, prices, first day and lead time are parameters of the right unit;
    an action or an answer may only name known plans."""
    for path, plan in dicts(data.get("plans"), ("plans",)):
        limit = plan.get("annual_limit")
        if limit is not None and limit != "unlimited":
            refs.param(limit, (*path, "annual_limit"), {"eur"}, "de plafond")
        for key in ("price_yearly", "price_monthly"):
            if key in plan:
                refs.param(plan[key], (*path, key), {"eur_ht_per_month"}, "de prix")
        if "available_from" in plan:
            refs.param(plan["available_from"], (*path, "available_from"), {"date"},
                       "de date de début")
        if "lead_time" in plan:
            refs.param(plan["lead_time"], (*path, "lead_time"), {"months"}, "de délai")
        _sources(plan, path, refs)
    for path, action in dicts(data.get("actions"), ("actions",)):
        for i, plan_id in enumerate(action.get("plans") or []):
            refs.ref(plan_id, (*path, "plans", i), "plans")
    for path, question in dicts(data.get("questions"), ("questions",)):
        for cpath, choice in dicts(question.get("choices"), (*path, "choices")):
            if "plan" in choice:
                refs.ref(choice["plan"], (*cpath, "plan"), "plans")


def check_limit(data: dict[str, Any], refs: Refs) -> None:
    """The limit model names known rules, plans, questions, parameters and actions."""
    model = data.get("limit")
    if not isinstance(model, dict):
        return
    path = ("limit",)
    refs.ref(model.get("rule"), (*path, "rule"), "rules")
    if refs.ref(model.get("plan"), (*path, "plan"), "plans"):
        plan = refs.by_id("plans", model["plan"])
        limit = None if plan is None else plan.get("annual_limit")
        if limit in refs.parameters and limit != model.get("amount"):
            refs.report((*path, "plan"), f"la formule « {model['plan']} » doit avoir pour "
                        f"« annual_limit » le paramètre du plafond « {model.get('amount')} »")
    qid = model.get("question")
    if refs.ref(qid, (*path, "question"), "questions") and \
            refs.questions[qid].get("type") != "amount":
        refs.report((*path, "question"), f"la question « {qid} » doit être un montant")
    refs.param(model.get("amount"), (*path, "amount"), {"eur"}, "de plafond")
    if "alert" in model:
        refs.param(model["alert"], (*path, "alert"), {"eur"}, "de seuil d'alerte")
    if "expected_when" in model:
        check_condition(model["expected_when"], (*path, "expected_when"), refs)
    offer = model.get("launch_offer")
    if isinstance(offer, dict):
        refs.param(offer.get("until"), (*path, "launch_offer", "until"), {"date"},
                   "de fin d'offre")
        check_condition(offer.get("when"), (*path, "launch_offer", "when"), refs)
    groups = model.get("groups")
    if isinstance(groups, dict):
        refs.ref(groups.get("rule"), (*path, "groups", "rule"), "rules")
        check_condition(groups.get("when"), (*path, "groups", "when"), refs)
    if refs.ref(model.get("upgrade"), (*path, "upgrade"), "actions"):
        action = refs.by_id("actions", model["upgrade"])
        if action is not None and not action.get("plans"):
            refs.report((*path, "upgrade"), f"l'action « {model['upgrade']} » doit lister "
                        "les formules qu'elle propose (« plans »)")
    _sources(model, path, refs)


def check_glossary(data: dict[str, Any], refs: Refs) -> None:
    """Every term cites its sources."""
    for path, term in dicts(data.get("glossary"), ("glossary",)):
        _sources(term, path, refs)


def _sources(item: dict[str, Any], path: FieldPath, refs: Refs) -> None:
    sources = item.get("sources")
    if not isinstance(sources, list):
        refs.dangling.add("sources")
    for i, source in enumerate(sources if isinstance(sources, list) else []):
        refs.ref(source, (*path, "sources", i), "sources")


def check_rules(data: dict[str, Any], refs: Refs) -> None:
    """Numbers, sources and every effect's references; dated sentences guarded."""
    check_condition(data.get("plan_required_when"), ("plan_required_when",), refs)
    numbers: dict[Any, Any] = {}
    for path, rule in dicts(data.get("rules"), ("rules",)):
        number = rule.get("number")
        if isinstance(number, int) and not isinstance(number, bool):
            if number in numbers:
                refs.report((*path, "number"), f"numéro de règle {number} en double (déjà "
                            f"pris par la règle « {numbers[number]} »)")
            numbers.setdefault(number, rule.get("id"))
        _sources(rule, path, refs)
        concerns = rule.get("concerns")
        for i, audience in enumerate(concerns if isinstance(concerns, list) else []):
            refs.ref(audience, (*path, "concerns", i), "audiences")
        for epath, effect in dicts(rule.get("effects"), (*path, "effects")):
            _effect(effect, epath, refs)


def _effect(effect: dict[str, Any], path: FieldPath, refs: Refs) -> None:
    check_condition(effect.get("when"), (*path, "when"), refs)
    if "plan" in effect:
        refs.ref(effect["plan"], (*path, "plan"), "plans")
    if "action" in effect:
        refs.ref(effect["action"], (*path, "action"), "actions")
    if "deadline" in effect:
        refs.param(effect["deadline"], (*path, "deadline"), {"date"}, "d'échéance")
        if "action" not in effect:
            refs.report((*path, "deadline"), "une échéance va avec une « action »")
    check_dated_texts(effect, path, refs)
    permissions = effect.get("permissions")
    if permissions is not None and not isinstance(permissions, dict):
        refs.dangling.add("permissions")
    for key in permissions if isinstance(permissions, dict) else {}:
        refs.ref(key, (*path, "permissions", key), "permissions")


def check_more(data: dict[str, Any], refs: Refs, complements: dict[str, str] | None) -> None:
    """``more:`` points to a hand-written page that exists."""
    if complements is None:
        return
    for path, item in [*dicts(data.get("rules"), ("rules",)), *faq_entries(data)]:
        target = item.get("more")
        if isinstance(target, str) and target not in complements:
            pages = ", ".join(complements) or "aucune"
            refs.report((*path, "more"), f"page « {target} » introuvable dans docs/ "
                        f"(pages écrites à la main : {pages})")


def check_faq(data: dict[str, Any], refs: Refs) -> None:
    """Anchors unique; every entry explains known rules and cites known sources."""
    groups: set[str] = set()
    for spath, section in dicts(data.get("faq"), ("faq",)):
        if not section.get("entries") and not section.get("groups"):
            refs.report(spath, "une partie de FAQ doit avoir des « entries » ou des « groups »")
        for gpath, group in dicts(section.get("groups"), (*spath, "groups")):
            ident = group.get("id")
            if isinstance(ident, str) and ident in groups:
                refs.report((*gpath, "id"), f"sous-partie de FAQ « {ident} » en double "
                            "(l'ancre doit être unique)")
            groups.add(ident)
    seen: set[str] = set()
    for path, entry in faq_entries(data):
        ident = entry.get("id")
        if isinstance(ident, str):
            if ident in seen:
                refs.report((*path, "id"), f"question de FAQ « {ident} » en double "
                            "(l'ancre doit être unique)")
            seen.add(ident)
        rules = entry.get("rules")
        for i, rule in enumerate(rules if isinstance(rules, list) else []):
            refs.ref(rule, (*path, "rules", i), "rules")
        _sources(entry, path, refs)


def check_sessions(data: dict[str, Any], refs: Refs) -> None:
    """A known time zone; a session ends after it starts; one-off or weekly, with what
    each kind needs (:mod:`rulebook.sessions`)."""
    for path, session in dicts(data.get("sessions"), ("sessions",)):
        check_session(session, path, refs.report)
        tz = session.get("timezone")
        if isinstance(tz, str):
            try:
                ZoneInfo(tz)
            except (ZoneInfoNotFoundError, ValueError):
                refs.report((*path, "timezone"), f"fuseau horaire inconnu « {tz} » "
                            "(par exemple Europe/Paris)")
        _sources(session, path, refs)
        start, end = session.get("start"), session.get("end")
        if isinstance(start, str) and isinstance(end, str) and end <= start:
            refs.report((*path, "end"), f"l'heure de fin {end} doit suivre l'heure de début "
                        f"{start}")


def check_references(data: Any, report: Report, *, lint: bool = True,
                     complements: dict[str, str] | None = None) -> None:
    """Report every semantic problem of a structurally parsed document.

    ``lint`` adds the ids nothing uses; the loader asks for it only once the
    structure is sound, since a broken block hides the references it holds.
    ``complements`` lists the hand-written pages ``more:`` may point to.
    """
    if not isinstance(data, dict):
        return
    refs = Refs(data, report)
    for check in (check_parameters, check_questions, check_plans, check_limit, check_rules,
                  check_faq, check_sessions, check_glossary, check_placeholders,
                  check_timeless_texts, check_figures, check_blocking, check_names):
        check(data, refs)
    check_more(data, refs, complements)
    if lint:
        refs.check_unused()
