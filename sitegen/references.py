"""Semantic checks of ``rules.yaml``: references, ids, conditions, placeholders.

Written to tolerate structurally broken input (the structural check reports
that), so that every problem of a file is listed in one run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sitegen.placeholders import has_stray_braces, placeholder_names
from sitegen.schema import _suggest
from sitegen.yamlload import Path_

Report = Callable[[Path_, str], None]
NUMERIC_UNITS = {"eur", "eur_ht_per_month", "count", "year"}


def _dicts(value: Any, path: Path_) -> Iterator[tuple[Path_, dict[str, Any]]]:
    if isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, dict):
                yield (*path, i), item


def _ids(data: dict[str, Any], key: str, report: Report, kind: str) -> dict[str, Path_]:
    """Collect ids of a top-level list, reporting duplicates."""
    seen: dict[str, Path_] = {}
    for path, item in _dicts(data.get(key), (key,)):
        ident = item.get("id")
        if not isinstance(ident, str):
            continue
        if ident in seen:
            report((*path, "id"), f"{kind} « {ident} » en double (identifiant déjà utilisé)")
        else:
            seen[ident] = path
    return seen


def faq_entries(data: dict[str, Any]) -> Iterator[tuple[Path_, dict[str, Any]]]:
    """Every FAQ entry with its path, in reading order."""
    for spath, section in _dicts(data.get("faq"), ("faq",)):
        yield from _dicts(section.get("entries"), (*spath, "entries"))
        for gpath, group in _dicts(section.get("groups"), (*spath, "groups")):
            yield from _dicts(group.get("entries"), (*gpath, "entries"))


def text_fields(data: Any, path: Path_ = ()) -> Iterator[tuple[Path_, str]]:
    """Every string of the document with its path (placeholders may stand in any)."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from text_fields(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from text_fields(value, (*path, i))
    elif isinstance(data, str):
        yield path, data


class _Checker:
    def __init__(self, data: dict[str, Any], report: Report) -> None:
        self.data = data
        self.report = report
        params = data.get("parameters")
        self.parameters: dict[str, dict[str, Any]] = {
            k: v for k, v in params.items() if isinstance(v, dict)
        } if isinstance(params, dict) else {}
        self.questions = _ids(data, "questions", report, "question")
        self.plans = _ids(data, "plans", report, "formule")
        self.permissions = _ids(data, "permissions", report, "droit")
        self.actions = _ids(data, "actions", report, "action")
        self.rules = _ids(data, "rules", report, "règle")
        self.sources = _ids(data, "sources", report, "source")
        _ids(data, "sessions", report, "session")
        _ids(data, "faq", report, "partie de FAQ")
        self.used_questions: set[str] = set()
        self.used_params: set[str] = set()
        self.used_actions: set[str] = set()
        self.used_permissions: set[str] = set()
        self.used_sources: set[str] = set()
        self.question_defs = {
            q["id"]: q for _, q in _dicts(data.get("questions"), ()) if isinstance(q.get("id"), str)
        }

    # references -----------------------------------------------------------
    def ref(self, value: Any, path: Path_, known: dict[str, Any], kind: str) -> bool:
        if not isinstance(value, str):
            return False
        if value not in known:
            names = ", ".join(known) or "aucun"
            self.report(path, f"{kind} « {value} » introuvable{_suggest(value, list(known))} ; "
                        f"possibles : {names}")
            return False
        return True

    def param(self, value: Any, path: Path_, units: set[str], kind: str) -> None:
        if self.ref(value, path, self.parameters, "paramètre"):
            self.used_params.add(value)
            unit = self.parameters[value].get("unit")
            if unit not in units:
                self.report(path, f"le paramètre « {value} » (unité {unit}) ne peut pas servir "
                            f"de {kind}")

    # parameters -------------------------------------------------------------
    def check_parameters(self) -> None:
        for key, param in self.parameters.items():
            value, unit = param.get("value"), param.get("unit")
            path = ("parameters", key, "value")
            if unit == "date" and not isinstance(value, date):
                self.report(path, f"date attendue (AAAA-MM-JJ) pour un paramètre d'unité date, "
                            f"trouvé « {value} »")
            elif unit in NUMERIC_UNITS and (
                isinstance(value, bool) or not isinstance(value, int | float) or value < 0
            ):
                hint = ""
                if isinstance(value, str) and any(c in value for c in " ,\u00a0\u202f"):
                    hint = " : écrivez les chiffres sans espace, avec un point décimal"
                self.report(path, f"nombre positif attendu, trouvé « {value} »{hint}")
            elif unit == "text" and not isinstance(value, str):
                self.report(path, f"texte attendu, trouvé « {value} »")
        effective = self.parameters.get("effective_date", {}).get("value")
        if not isinstance(effective, date):
            self.report(("parameters",), "paramètre « effective_date » (unité date) obligatoire : "
                        "date d'entrée en vigueur des règles")
            return
        for path, rule in _dicts(self.data.get("rules"), ("rules",)):
            for epath, effect in _dicts(rule.get("effects"), (*path, "effects")):
                deadline = self.parameters.get(effect.get("deadline"), {}).get("value")
                if isinstance(deadline, date) and deadline <= effective:
                    self.report((*epath, "deadline"),
                                f"l'échéance {deadline.isoformat()} tombe avant l'entrée en "
                                f"vigueur des règles ({effective.isoformat()})")

    # conditions -------------------------------------------------------------
    def condition(self, cond: Any, path: Path_, allowed: set[str] | None = None) -> None:
        """Check references of a condition; ``allowed`` limits the questions it may read."""
        if not isinstance(cond, dict) or len(cond) != 1:
            return
        (kind, arg), = cond.items()
        sub = (*path, kind)
        if kind in ("all", "any") and isinstance(arg, list):
            for i, item in enumerate(arg):
                self.condition(item, (*sub, i), allowed)
        elif kind == "not":
            self.condition(arg, sub, allowed)
        elif kind in ("equals", "one_of") and isinstance(arg, dict) and len(arg) == 1:
            (qid, expected), = arg.items()
            if self.question_ref(qid, (*sub, qid), allowed):
                values = expected if kind == "one_of" and isinstance(expected, list) else [expected]
                for value in values:
                    self.answer_value(qid, value, (*sub, qid))
        elif kind == "compare" and isinstance(arg, dict):
            qid = arg.get("question")
            if self.question_ref(qid, (*sub, "question"), allowed):
                if self.question_defs[qid].get("type") != "amount":
                    self.report((*sub, "question"),
                                f"« compare » s'applique à une question de montant, pas à « {qid} »")
            self.param(arg.get("parameter"), (*sub, "parameter"), NUMERIC_UNITS, "seuil")

    def question_ref(self, qid: Any, path: Path_, allowed: set[str] | None) -> bool:
        if not self.ref(qid, path, self.questions, "question"):
            return False
        self.used_questions.add(qid)
        if allowed is not None and qid not in allowed:
            self.report(path, f"la question « {qid} » n'est pas posée avant celle-ci : une "
                        "condition « ask_when » ne peut lire que les questions précédentes "
                        "(sinon les questions dépendraient les unes des autres en boucle)")
            return False
        return True

    def answer_value(self, qid: str, value: Any, path: Path_) -> None:
        question = self.question_defs[qid]
        kind = question.get("type")
        if kind == "boolean" and not isinstance(value, bool):
            self.report(path, f"la question « {qid} » attend true ou false, pas « {value} »")
        elif kind == "choice":
            values = [c.get("value") for _, c in _dicts(question.get("choices"), ())]
            if value not in values:
                self.report(path, f"« {value} » n'est pas un choix de la question « {qid} »"
                            f"{_suggest(value, [v for v in values if isinstance(v, str)])} ; "
                            f"choix possibles : {', '.join(map(str, values))}")
        elif kind == "amount":
            self.report(path, f"la question « {qid} » est un montant : utilisez « compare »")

    # sections -----------------------------------------------------------------
    def check_questions(self) -> None:
        earlier: set[str] = set()
        for path, question in _dicts(self.data.get("questions"), ("questions",)):
            kind, qid = question.get("type"), question.get("id")
            if kind == "choice" and not question.get("choices"):
                self.report(path, "une question de type choice doit lister ses « choices »")
            if kind != "choice" and "choices" in question:
                self.report((*path, "choices"), f"« choices » ne va qu'avec le type choice, "
                            f"pas {kind}")
            values = [c.get("value") for _, c in _dicts(question.get("choices"), ())]
            for i, value in enumerate(values):
                if value in values[:i]:
                    self.report((*path, "choices", i, "value"), f"choix « {value} » en double")
            if "ask_when" in question:
                self.condition(question["ask_when"], (*path, "ask_when"), set(earlier))
            if isinstance(qid, str):
                earlier.add(qid)

    def check_plans(self) -> None:
        for path, plan in _dicts(self.data.get("plans"), ("plans",)):
            limit = plan.get("annual_limit")
            if limit is not None and limit != "unlimited":
                self.param(limit, (*path, "annual_limit"), {"eur"}, "plafond")
            for key in ("price_yearly", "price_monthly"):
                if key in plan:
                    self.param(plan[key], (*path, key), {"eur_ht_per_month"}, "prix")

    def check_rules(self) -> None:
        self.condition(self.data.get("plan_required_when"), ("plan_required_when",))
        for path, rule in _dicts(self.data.get("rules"), ("rules",)):
            for i, source in enumerate(rule.get("sources") or []):
                if self.ref(source, (*path, "sources", i), self.sources, "source"):
                    self.used_sources.add(source)
            for epath, effect in _dicts(rule.get("effects"), (*path, "effects")):
                self.condition(effect.get("when"), (*epath, "when"))
                if "plan" in effect:
                    self.ref(effect["plan"], (*epath, "plan"), self.plans, "formule")
                if "action" in effect and self.ref(
                    effect["action"], (*epath, "action"), self.actions, "action"
                ):
                    self.used_actions.add(effect["action"])
                if "deadline" in effect:
                    self.param(effect["deadline"], (*epath, "deadline"), {"date"}, "échéance")
                    if "action" not in effect:
                        self.report((*epath, "deadline"), "une échéance va avec une « action »")
                perms = effect.get("permissions")
                for key in perms if isinstance(perms, dict) else {}:
                    if self.ref(key, (*epath, "permissions", key), self.permissions, "droit"):
                        self.used_permissions.add(key)

    def check_faq(self) -> None:
        seen: dict[str, Path_] = {}
        for path, entry in faq_entries(self.data):
            ident = entry.get("id")
            if isinstance(ident, str):
                if ident in seen:
                    self.report((*path, "id"), f"question de FAQ « {ident} » en double "
                                "(l'ancre doit être unique)")
                seen[ident] = path
            for i, rule in enumerate(entry.get("rules") or []):
                self.ref(rule, (*path, "rules", i), self.rules, "règle")
        for path, section in _dicts(self.data.get("faq"), ("faq",)):
            if not section.get("entries") and not section.get("groups"):
                self.report(path, "une partie de FAQ doit avoir des « entries » ou des « groups »")

    def check_sessions(self) -> None:
        for path, session in _dicts(self.data.get("sessions"), ("sessions",)):
            tz = session.get("timezone")
            if isinstance(tz, str):
                try:
                    ZoneInfo(tz)
                except (ZoneInfoNotFoundError, ValueError):
                    self.report((*path, "timezone"), f"fuseau horaire inconnu « {tz} » "
                                "(par exemple Europe/Paris)")
            start, end = session.get("start"), session.get("end")
            if isinstance(start, str) and isinstance(end, str) and end <= start:
                self.report((*path, "end"), f"l'heure de fin {end} doit suivre l'heure de début "
                            f"{start}")

    def check_placeholders(self) -> None:
        for path, text in text_fields(self.data):
            if path and path[0] == "parameters":
                continue
            for name in placeholder_names(text):
                if self.ref(name, path, self.parameters, "paramètre"):
                    self.used_params.add(name)
            if has_stray_braces(text):
                self.report(path, "accolades mal formées : écrivez {{ nom_du_parametre }}")

    def check_unused(self) -> None:
        unused = [
            ("questions", self.questions, self.used_questions, "question jamais utilisée"),
            ("actions", self.actions, self.used_actions, "action jamais déclenchée"),
            ("permissions", self.permissions, self.used_permissions, "droit jamais attribué"),
            ("sources", self.sources, self.used_sources, "source citée par aucune règle"),
        ]
        for _, known, used, message in unused:
            for ident, path in known.items():
                if ident not in used:
                    self.report((*path, "id"), f"{message} : « {ident} »")
        for ident in self.parameters:
            if ident not in self.used_params:
                self.report(("parameters", ident), f"paramètre jamais utilisé : « {ident} »")


def check_references(data: Any, report: Report) -> None:
    """Report every semantic problem of a structurally parsed document."""
    if not isinstance(data, dict):
        return
    checker = _Checker(data, report)
    checker.check_parameters()
    checker.check_questions()
    checker.check_plans()
    checker.check_rules()
    checker.check_faq()
    checker.check_sessions()
    checker.check_placeholders()
    checker.check_unused()
