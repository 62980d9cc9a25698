"""Semantic checks of ``rules.yaml``: references, ids, conditions, placeholders.

Written to tolerate structurally broken input (the structural check reports
that), so that every problem of a file is listed in one run.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from rulebook.compile import IN_FORCE
from rulebook.declaration import UNITS
from rulebook.placeholders import BRACES, PLACEHOLDER
from rulebook.slugs import slugify
from rulebook.spec import DATE_HINT, NUMBER_HINT
from rulebook.suggest import suggest
from rulebook.yamlload import Path_

Report = Callable[..., None]  # (path, message[, needle]): needle locates a text inside the value
NUMERIC_UNITS = {"eur", "eur_ht_per_month", "count", "percent", "hours", "months", "year"}

# Fields holding prose that people read (where a figure must be a {{ parameter }}).
PROSE_KEYS = {"title", "site_name", "description", "intro", "goals", "label", "short", "help",
              "summary", "body", "price", "counts", "how_to_get", "limit_label", "text",
              "explain", "hint", "question", "answer", "audience", "topics", "format"}
PROSE_SECTIONS = {"meta", "context", "questions", "plans", "permissions", "actions", "rules",
                  "faq", "sessions"}  # not parameters (values), sources or changelog (citations)
URLS = re.compile(r"https?://\S+|\]\([^)]*\)")
FIGURE = re.compile(r"(?<![\w{])\d+(?:[.,\u00a0\u202f ]\d+)*(?:\s?%)?")
RULE_NUMBER = re.compile(r"(?:règles?|points?)\s$", re.IGNORECASE)
# Texts the checker shows whatever the date: they may not cite a date that will pass.
TIMELESS = (("actions", ("title", "text")),
            ("plans", ("name", "summary", "price", "counts", "how_to_get", "limit_label")),
            ("permissions", ("label",)),
            ("questions", ("label", "short", "help")))
SINGLE_BRACES = re.compile(r"(?<!\{)\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}(?!\})")


def _dicts(value: Any, path: Path_) -> Iterator[tuple[Path_, dict[str, Any]]]:
    if isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, dict):
                yield (*path, i), item


def _ids(data: dict[str, Any], key: str, report: Report, kind: str) -> dict[str, Path_] | None:
    """Collect ids of a top-level list, reporting duplicates (``None``: no such list)."""
    if not isinstance(data.get(key), list):
        return None
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
        self.dangling: set[str] = set()  # kinds with a broken reference: no "unused" report
        self.used_questions: set[str] = set()
        self.used_params: set[str] = set()
        self.used_actions: set[str] = set()
        self.used_permissions: set[str] = set()
        self.used_sources: set[str] = set()
        self.question_defs: dict[str, dict[str, Any]] = {}
        for _, question in _dicts(data.get("questions"), ()):
            if isinstance(question.get("id"), str):  # the first of duplicates is the one used
                self.question_defs.setdefault(question["id"], question)

    # references -----------------------------------------------------------
    def ref(self, value: Any, path: Path_, known: dict[str, Any] | None, kind: str,
            needle: str | None = None) -> bool:
        if not isinstance(value, str):
            self.dangling.add(kind)
            return False
        if known is None:  # the list itself is missing or broken: reported already
            return False
        if value not in known:
            self.dangling.add(kind)
            names = ", ".join(known) or "aucun"
            self.report(path, f"{kind} « {value} » introuvable{suggest(value, list(known))} ; "
                        f"possibles : {names}", needle)
            return False
        return True

    def param(self, value: Any, path: Path_, units: set[str], role: str) -> None:
        """Check a parameter reference; ``role`` completes "ne peut pas servir …"."""
        if self.ref(value, path, self.parameters, "paramètre"):
            self.used_params.add(value)
            unit = self.parameters[value].get("unit")
            if unit in UNITS and unit not in units:
                self.report(path, f"le paramètre « {value} » (unité {unit}) ne peut pas servir "
                            f"{role}")

    # parameters -------------------------------------------------------------
    def check_parameters(self) -> None:
        for key, param in self.parameters.items():
            value, unit = param.get("value"), param.get("unit")
            path = ("parameters", key, "value")
            if value is None:
                continue  # reported by the structural check
            if unit == "date" and not isinstance(value, date):
                self.report(path, f"date attendue pour un paramètre d'unité date, trouvé "
                            f"« {value} »{DATE_HINT}")
            elif unit in NUMERIC_UNITS and (
                isinstance(value, bool) or not isinstance(value, int | float)
                or not math.isfinite(value) or value < 0
            ):
                hint = NUMBER_HINT if isinstance(value, str) else ""
                self.report(path, f"nombre positif attendu, trouvé « {value} »{hint}")
            elif unit == "text" and not isinstance(value, str):
                self.report(path, f"texte attendu, trouvé « {value} »")
        if IN_FORCE not in self.parameters:
            self.report(("parameters", "effective_date"), "paramètre « effective_date » (unité "
                        "date) obligatoire : date d'entrée en vigueur des règles")
        effective = self.parameters.get(IN_FORCE, {}).get("value")
        if not isinstance(effective, date):
            return
        deadlines = {effect.get("deadline")
                     for path, rule in _dicts(self.data.get("rules"), ("rules",))
                     for _, effect in _dicts(rule.get("effects"), (*path, "effects"))}
        for key, param in self.parameters.items():
            deadline = param.get("value")
            if key in deadlines and isinstance(deadline, date) and deadline <= effective:
                self.report(("parameters", key, "value"),
                            f"l'échéance {deadline.isoformat()} tombe avant l'entrée en "
                            f"vigueur des règles ({effective.isoformat()}, « effective_date »)")

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
        elif kind == "date" and isinstance(arg, dict):
            for position, pid in arg.items():
                self.param(pid, (*sub, position), {"date"}, "de date de période")
        elif kind == "compare" and isinstance(arg, dict):
            qid = arg.get("question")
            if (self.question_ref(qid, (*sub, "question"), allowed)
                    and self.question_defs[qid].get("type") != "amount"):
                self.report((*sub, "question"), "« compare » s'applique à une question de "
                            f"montant, pas à « {qid} »")
            self.param(arg.get("parameter"), (*sub, "parameter"), NUMERIC_UNITS, "de seuil")

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
                            f"{suggest(value, [v for v in values if isinstance(v, str)])} ; "
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
                self.param(limit, (*path, "annual_limit"), {"eur"}, "de plafond")
            for key in ("price_yearly", "price_monthly"):
                if key in plan:
                    self.param(plan[key], (*path, key), {"eur_ht_per_month"}, "de prix")

    def check_rules(self) -> None:
        self.condition(self.data.get("plan_required_when"), ("plan_required_when",))
        numbers: dict[Any, Any] = {}
        for path, rule in _dicts(self.data.get("rules"), ("rules",)):
            number = rule.get("number")
            if isinstance(number, int) and not isinstance(number, bool):
                if number in numbers:
                    self.report((*path, "number"), f"numéro de règle {number} en double (déjà "
                                f"pris par la règle « {numbers[number]} »)")
                numbers.setdefault(number, rule.get("id"))
            sources = rule.get("sources")
            if not isinstance(sources, list):
                self.dangling.add("source")
            for i, source in enumerate(sources if isinstance(sources, list) else []):
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
                    self.param(effect["deadline"], (*epath, "deadline"), {"date"},
                               "d'échéance")
                    if "action" not in effect:
                        self.report((*epath, "deadline"), "une échéance va avec une « action »")
                if "unlimited_until" in effect:
                    self.param(effect["unlimited_until"], (*epath, "unlimited_until"), {"date"},
                               "de fin de période sans limite")
                self.check_dated_texts(effect, epath)
                perms = effect.get("permissions")
                if perms is not None and not isinstance(perms, dict):
                    self.dangling.add("droit")
                for key in perms if isinstance(perms, dict) else {}:
                    if self.ref(key, (*epath, "permissions", key), self.permissions, "droit"):
                        self.used_permissions.add(key)

    def check_more(self, complements: dict[str, str] | None) -> None:
        """``more:`` points to a hand-written page that exists."""
        if complements is None:
            return
        items = [*(_dicts(self.data.get("rules"), ("rules",))), *faq_entries(self.data)]
        for path, item in items:
            target = item.get("more")
            if isinstance(target, str) and target not in complements:
                pages = ", ".join(complements) or "aucune"
                self.report((*path, "more"), f"page « {target} » introuvable dans docs/ "
                            f"(pages écrites à la main : {pages})")

    def check_slugs(self) -> None:
        """Two rules may not share a page address (written, or derived from the title)."""
        seen: dict[str, Any] = {}
        for path, rule in _dicts(self.data.get("rules"), ("rules",)):
            written = rule.get("slug")
            slug = written if isinstance(written, str) else (
                slugify(rule["title"]) if isinstance(rule.get("title"), str) else None)
            if not slug:
                continue
            if slug in seen:
                where = (*path, "slug") if isinstance(written, str) else (*path, "title")
                self.report(where, f"adresse de page « {slug} » déjà prise par la règle "
                            f"« {seen[slug]} » : changez le titre ou écrivez un « slug »")
            seen.setdefault(slug, rule.get("id"))

    def check_faq(self) -> None:
        groups: set[str] = set()
        for spath, section in _dicts(self.data.get("faq"), ("faq",)):
            for gpath, group in _dicts(section.get("groups"), (*spath, "groups")):
                ident = group.get("id")
                if isinstance(ident, str) and ident in groups:
                    self.report((*gpath, "id"), f"sous-partie de FAQ « {ident} » en double "
                                "(l'ancre doit être unique)")
                groups.add(ident)
        seen: dict[str, Path_] = {}
        for path, entry in faq_entries(self.data):
            ident = entry.get("id")
            if isinstance(ident, str):
                if ident in seen:
                    self.report((*path, "id"), f"question de FAQ « {ident} » en double "
                                "(l'ancre doit être unique)")
                seen[ident] = path
            rules = entry.get("rules")
            for i, rule in enumerate(rules if isinstance(rules, list) else []):
                self.ref(rule, (*path, "rules", i), self.rules, "règle")
            sources = entry.get("sources")
            if not isinstance(sources, list):
                self.dangling.add("source")
            for i, source in enumerate(sources if isinstance(sources, list) else []):
                if self.ref(source, (*path, "sources", i), self.sources, "source"):
                    self.used_sources.add(source)
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

    def date_parameters(self, text: Any) -> Iterator[str]:
        """The date parameters a text cites, except the date the rules apply from."""
        if not isinstance(text, str):
            return
        for match in PLACEHOLDER.finditer(text):
            name = match.group(1)
            if name != IN_FORCE and self.parameters.get(name, {}).get("unit") == "date":
                yield name

    def check_dated_texts(self, effect: dict[str, Any], path: Path_) -> None:
        """A sentence citing a date is true on one side of it only: the effect must say which."""
        guarded = set(_period_parameters(effect.get("when")))
        if any(self.parameters.get(name, {}).get("unit") != "date" for name in guarded):
            return  # a period against an unknown or non-date parameter: reported already
        for key in ("explain", "hint"):
            for name in self.date_parameters(effect.get(key)):
                if name not in guarded:
                    self.report((*path, key), f"cette phrase cite la date {{{{ {name} }}}} sans "
                                "dire de quel côté de cette date elle est vraie : ajoutez à "
                                f"« when » une condition « date: {{until: {name}}} » (ou after, "
                                "before, from) et écrivez un autre effet pour l'autre période",
                                f"{{{{ {name} }}}}")

    def check_timeless_texts(self) -> None:
        """Texts shown at any date may not cite a date that will pass (or has passed)."""
        for section, keys in TIMELESS:
            for path, item in _dicts(self.data.get(section), (section,)):
                texts = [(key, item.get(key)) for key in keys]
                texts += [(("choices", i, "label"), c.get("label"))
                          for i, c in enumerate(item.get("choices") or [])
                          if isinstance(c, dict)]
                for key, text in texts:
                    for name in self.date_parameters(text):
                        where = (*path, *key) if isinstance(key, tuple) else (*path, key)
                        self.report(where, f"ce texte est montré par le vérificateur à toute "
                                    f"date : il ne peut pas citer {{{{ {name} }}}}, qui sera "
                                    "un jour passée ; écrivez l'échéance dans « deadline » ou "
                                    "la phrase dans l'« explain » d'un effet limité à une période",
                                    f"{{{{ {name} }}}}")

    def check_figures(self) -> None:
        """Every figure of the prose is a parameter, so that it is written once."""
        for path, text in text_fields(self.data):
            if not path or path[0] not in PROSE_SECTIONS:
                continue
            key = path[-2] if isinstance(path[-1], int) else path[-1]
            if key not in PROSE_KEYS:
                continue
            plain = URLS.sub(lambda m: " " * len(m.group(0)), PLACEHOLDER.sub(
                lambda m: " " * len(m.group(0)), text))
            for match in FIGURE.finditer(plain):
                figure = match.group(0).strip()
                if figure == "0" or RULE_NUMBER.search(plain[:match.start()]):
                    continue
                self.report(path, f"chiffre « {figure} » écrit dans le texte : déclarez-le une "
                            "fois sous « parameters » et écrivez {{ nom_du_parametre }} à sa "
                            "place (un chiffre écrit deux fois finit par se contredire)", figure)

    def check_placeholders(self) -> None:
        for path, text in text_fields(self.data):
            if path and path[0] == "parameters":
                continue
            for match in PLACEHOLDER.finditer(text):
                if self.ref(match.group(1), path, self.parameters, "paramètre", match.group(0)):
                    self.used_params.add(match.group(1))
            rest = PLACEHOLDER.sub(lambda m: " " * len(m.group(0)), text)
            stray = BRACES.search(rest)
            if stray:
                self.dangling.add("paramètre")
                tail = text[stray.start():].split("\n")[0]
                fragment = " ".join(tail.split()[:3])
                self.report(path, f"accolades mal formées dans « {fragment} » : écrivez "
                            "{{ nom_du_parametre }}", tail[:30])
            for match in SINGLE_BRACES.finditer(rest):
                if match.group(1) in self.parameters:
                    self.dangling.add("paramètre")
                    self.report(path, f"accolades simples « {match.group(0)} » : écrivez "
                                f"{{{{ {match.group(1)} }}}}", match.group(0))

    def check_unused(self) -> None:
        """Ids nothing refers to (skipped for a kind with a broken reference: the typo
        already explains it)."""
        unused = [
            ("question", self.questions, self.used_questions, "question jamais utilisée"),
            ("action", self.actions, self.used_actions, "action jamais déclenchée"),
            ("droit", self.permissions, self.used_permissions, "droit jamais attribué"),
            ("source", self.sources, self.used_sources,
             "source citée par aucune règle ni question de FAQ"),
        ]
        for kind, known, used, message in unused:
            if kind in self.dangling:
                continue
            for ident, path in (known or {}).items():
                if ident not in used:
                    self.report((*path, "id"), f"{message} : « {ident} »")
        if "paramètre" in self.dangling:
            return
        for ident in self.parameters:
            if ident not in self.used_params:
                self.report(("parameters", ident), f"paramètre jamais utilisé : « {ident} »")


def _period_parameters(cond: Any) -> Iterator[str]:
    """The date parameters that ``date:`` conditions inside ``cond`` compare with."""
    if isinstance(cond, dict):
        for kind, arg in cond.items():
            if kind == "date" and isinstance(arg, dict):
                yield from (v if isinstance(v, str) else repr(v) for v in arg.values())
            else:
                yield from _period_parameters(arg)
    elif isinstance(cond, list):
        for item in cond:
            yield from _period_parameters(item)


def check_references(data: Any, report: Report, *, lint: bool = True,
                     complements: dict[str, str] | None = None) -> None:
    """Report every semantic problem of a structurally parsed document.

    ``lint`` adds the ids nothing uses; the loader asks for it only once the
    structure is sound, since a broken block hides the references it holds.
    ``complements`` lists the hand-written pages ``more:`` may point to.
    """
    if not isinstance(data, dict):
        return
    checker = _Checker(data, report)
    checker.check_parameters()
    checker.check_questions()
    checker.check_plans()
    checker.check_rules()
    checker.check_slugs()
    checker.check_more(complements)
    checker.check_faq()
    checker.check_sessions()
    checker.check_placeholders()
    checker.check_timeless_texts()
    checker.check_figures()
    if lint:
        checker.check_unused()
