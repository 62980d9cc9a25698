"""The shape of ``rules.yaml``: one declaration drives both the structural
check (French messages with positions) and the published JSON Schema."""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from rulebook.yamlload import Path_

Report = Callable[[Path_, str], None]

ID_PATTERN = r"^[a-z][a-z0-9_-]*$"
SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"
URL_PATTERN = r"^https?://[^\s]+$"
DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
UNITS = ["eur", "eur_ht_per_month", "count", "percent", "hours", "months", "year", "date",
         "text"]
COMPARE_OPS = ["greater_than", "at_least", "less_than", "at_most"]
DATE_POSITIONS = ["before", "until", "on_day", "from", "after"]  # not "on": YAML reads it as true
NUMBER_HINT = (" : écrivez seulement les chiffres, sans espace ni « € », avec un point pour les "
               "décimales (par exemple 1000 ou 29.5)")
DATE_HINT = " : écrivez la date au format AAAA-MM-JJ (par exemple 2022-12-31)"
# French words a person may write for an English key or value of the file.
FRENCH_WORDS = {
    "lundi": "monday", "mardi": "tuesday", "mercredi": "wednesday", "jeudi": "thursday",
    "vendredi": "friday", "samedi": "saturday", "dimanche": "sunday",
    "aide": "help", "libellé": "label", "libelle": "label", "titre": "title",
    "texte": "text", "réponse": "answer", "reponse": "answer", "résumé": "summary",
    "resume": "summary", "corps": "body", "lien": "link", "liens": "sources",
    "valeur": "value", "unité": "unit", "unite": "unit", "numéro": "number",
    "numero": "number", "prix": "price", "formule": "plan", "droits": "permissions",
    "quand": "when", "échéance": "deadline", "echeance": "deadline", "début": "start",
    "debut": "start", "fin": "end", "jours": "days", "fuseau": "timezone",
    "producteur": "producer", "coordinateur": "coordinator", "boutique": "shop",
    "avant": "before", "jusqu'au": "until", "le": "on_day", "on": "on_day", "depuis": "from",
    "après": "after", "apres": "after",
}


def _describe(value: Any) -> str:
    if value is None:
        return "une valeur vide"
    if isinstance(value, bool):
        return f"le booléen {str(value).lower()}"
    if isinstance(value, int | float):
        return f"le nombre {value}"
    if isinstance(value, date):
        return f"la date {value.isoformat()}"
    if isinstance(value, str):
        short = value if len(value) <= 40 else value[:37] + "…"
        return f"le texte « {short} »"
    if isinstance(value, list):
        return "une liste"
    return "un bloc de clés"


class Spec:
    """A node of the schema."""

    def check(self, value: Any, path: Path_, report: Report) -> None:
        raise NotImplementedError

    def json_schema(self) -> dict[str, Any]:
        raise NotImplementedError


@dataclass
class Text(Spec):
    pattern: str | None = None
    pattern_hint: str = ""
    min_length: int = 1
    description: str = ""

    def check(self, value: Any, path: Path_, report: Report) -> None:
        if value is None:
            report(path, "valeur vide : ce champ doit être rempli")
        elif not isinstance(value, str):
            report(path, f"texte attendu, trouvé {_describe(value)}")
        elif len(value.strip()) < self.min_length:
            report(path, "texte vide : ce champ doit être rempli")
        elif self.pattern and not re.match(self.pattern, value):
            report(path, f"valeur « {value} » invalide : {self.pattern_hint}")

    def json_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "string", "minLength": self.min_length}
        if self.pattern:
            schema["pattern"] = self.pattern
        return schema


def Id() -> Text:
    return Text(ID_PATTERN, "un identifiant s'écrit en minuscules, chiffres, « _ » ou « - »")


def Url() -> Text:
    return Text(URL_PATTERN, "une adresse doit commencer par https:// (ou http://)")


class Time(Text):
    def __init__(self) -> None:
        super().__init__(TIME_PATTERN, "heure attendue au format HH:MM, par exemple \"12:00\"")

    def check(self, value: Any, path: Path_, report: Report) -> None:
        if isinstance(value, int) and not isinstance(value, bool):
            # YAML 1.1 reads an unquoted 12:00 as the sexagesimal number 720.
            report(path, "heure à écrire entre guillemets, par exemple \"12:00\"")
            return
        super().check(value, path, report)


@dataclass
class Number(Spec):
    minimum: float = 0
    integer: bool = False

    def check(self, value: Any, path: Path_, report: Report) -> None:
        if isinstance(value, str) and re.fullmatch(r"\d+(\.\d+)?", value.strip()):
            report(path, f"nombre attendu, trouvé {_describe(value)} : enlevez les guillemets")
        elif isinstance(value, str) and re.fullmatch(r"[\d\s\u00a0\u202f]+([.,]\d+)?\s*€?",
                                                     value.strip()):
            report(path, f"nombre attendu, trouvé {_describe(value)}{NUMBER_HINT}")
        elif isinstance(value, bool) or not isinstance(value, int | float):
            report(path, f"nombre attendu, trouvé {_describe(value)}")
        elif not math.isfinite(value) or value < self.minimum:
            report(path, f"nombre positif ou nul attendu, trouvé {value}")
        elif self.integer and not float(value).is_integer():
            report(path, f"nombre entier attendu, trouvé {value}")

    def json_schema(self) -> dict[str, Any]:
        return {"type": "integer" if self.integer else "number", "minimum": self.minimum}


class Date(Spec):
    def check(self, value: Any, path: Path_, report: Report) -> None:
        if not isinstance(value, date):
            report(path, f"date attendue, trouvé {_describe(value)}{DATE_HINT}")

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "format": "date"}


class Boolean(Spec):
    def check(self, value: Any, path: Path_, report: Report) -> None:
        if not isinstance(value, bool):
            report(path, f"true ou false attendu, trouvé {_describe(value)}")

    def json_schema(self) -> dict[str, Any]:
        return {"type": "boolean"}


class Anything(Spec):
    """A value whose type depends on another field (checked semantically)."""

    def check(self, value: Any, path: Path_, report: Report) -> None:
        if value is None:
            report(path, "valeur manquante")

    def json_schema(self) -> dict[str, Any]:
        return {}


@dataclass
class Choice(Spec):
    values: list[str]

    def check(self, value: Any, path: Path_, report: Report) -> None:
        if value not in self.values:
            report(path, f"{_describe(value)} n'est pas permis{_suggest(value, self.values)} ; "
                   f"valeurs possibles : {', '.join(self.values)}")

    def json_schema(self) -> dict[str, Any]:
        return {"enum": self.values}


@dataclass
class ListOf(Spec):
    item: Spec
    min_items: int = 1
    unique: bool = False

    def check(self, value: Any, path: Path_, report: Report) -> None:
        if not isinstance(value, list):
            report(path, f"liste attendue (lignes commençant par « - »), trouvé {_describe(value)}")
            return
        if len(value) < self.min_items:
            report(path, f"liste vide : au moins {self.min_items} élément attendu")
        seen: set[Any] = set()
        for i, item in enumerate(value):
            self.item.check(item, (*path, i), report)
            if self.unique and isinstance(item, str | int):
                if item in seen:
                    report((*path, i), f"« {item} » figure deux fois dans la liste")
                seen.add(item)

    def json_schema(self) -> dict[str, Any]:
        schema = {"type": "array", "items": self.item.json_schema(), "minItems": self.min_items}
        if self.unique:
            schema["uniqueItems"] = True
        return schema


@dataclass
class MapOf(Spec):
    value: Spec
    key_pattern: str = ID_PATTERN

    def check(self, value: Any, path: Path_, report: Report) -> None:
        if not isinstance(value, dict):
            report(path, f"bloc de clés attendu, trouvé {_describe(value)}")
            return
        if not value:
            report(path, "bloc vide : au moins une entrée attendue")
        for key, item in value.items():
            if not re.match(self.key_pattern, key):
                report((*path, key),
                       f"identifiant « {key} » invalide : minuscules, chiffres, « _ »")
            self.value.check(item, (*path, key), report)

    def json_schema(self) -> dict[str, Any]:
        return {"type": "object", "minProperties": 1,
                "propertyNames": {"pattern": self.key_pattern},
                "additionalProperties": self.value.json_schema()}


@dataclass
class Field:
    spec: Spec
    required: bool = True
    doc: str = ""


@dataclass
class Obj(Spec):
    fields: dict[str, Field]
    doc: str = ""

    def check(self, value: Any, path: Path_, report: Report) -> None:
        if not isinstance(value, dict):
            report(path, f"bloc de clés attendu, trouvé {_describe(value)}")
            return
        missing = [k for k, f in self.fields.items() if f.required and k not in value]
        unknown = [k for k in value if k not in self.fields]
        explained: set[str] = set()  # missing keys an unknown key is most likely a typo of
        for key in unknown:
            suggestion = _suggest(key, list(self.fields))
            if not suggestion and len(unknown) == 1 and len(missing) == 1:
                suggestion = f" (est-ce la clé obligatoire « {missing[0]} », absente ?)"
            explained.update(k for k in missing if f"« {k} »" in suggestion)
            report((*path, key), f"clé inconnue « {key} »{suggestion} ; "
                   f"clés permises ici : {', '.join(self.fields)}")
        for key, item in value.items():
            if key in self.fields:
                self.fields[key].spec.check(item, (*path, key), report)
        for key in missing:
            if key not in explained:
                report((*path, key), f"clé obligatoire « {key} » manquante "
                       f"({self.fields[key].doc})")

    def json_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                k: {**f.spec.json_schema(), "description": f.doc} if f.doc else f.spec.json_schema()
                for k, f in self.fields.items()
            },
            "required": [k for k, f in self.fields.items() if f.required],
        }
        if self.doc:
            schema["description"] = self.doc
        return schema


class Condition(Spec):
    """A ``when:`` condition: exactly one of all / any / not / equals / one_of / compare."""

    KINDS: ClassVar[list[str]] = ["all", "any", "not", "equals", "one_of", "compare", "date"]

    def check(self, value: Any, path: Path_, report: Report) -> None:
        if not isinstance(value, dict) or len(value) != 1:
            if isinstance(value, dict) and value:
                found = f"trouvé {' et '.join(map(str, value))} ensemble : combinez plusieurs " \
                        "conditions avec « all » (toutes) ou « any » (au moins une)"
            else:
                found = f"trouvé {_describe(value)}"
            report(path, f"condition attendue : un seul mot parmi {', '.join(self.KINDS)} ; "
                   f"{found}")
            return
        (kind, arg), = value.items()
        sub = (*path, kind)
        if kind in ("all", "any"):
            ListOf(self).check(arg, sub, report)
        elif kind == "not":
            self.check(arg, sub, report)
        elif kind in ("equals", "one_of"):
            if not isinstance(arg, dict) or len(arg) != 1:
                report(sub, f"« {kind} » attend une seule paire question: valeur")
            elif kind == "one_of":
                ListOf(Anything()).check(next(iter(arg.values())), (*sub, next(iter(arg))), report)
        elif kind == "compare":
            COMPARE.check(arg, sub, report)
        elif kind == "date":
            PERIOD.check(arg, sub, report)
        else:
            report(sub, f"type de condition inconnu « {kind} »{_suggest(kind, self.KINDS)} ; "
                   f"types possibles : {', '.join(self.KINDS)}")

    def json_schema(self) -> dict[str, Any]:
        ref = {"$ref": "#/$defs/condition"}
        single = {"type": "object", "minProperties": 1, "maxProperties": 1}
        return {"$ref": "#/$defs/condition"} if self is not CONDITION_DEF else {
            "oneOf": [
                {"type": "object", "required": ["all"], "additionalProperties": False,
                 "properties": {"all": {"type": "array", "items": ref, "minItems": 1}}},
                {"type": "object", "required": ["any"], "additionalProperties": False,
                 "properties": {"any": {"type": "array", "items": ref, "minItems": 1}}},
                {"type": "object", "required": ["not"], "additionalProperties": False,
                 "properties": {"not": ref}},
                {"type": "object", "required": ["equals"], "additionalProperties": False,
                 "properties": {"equals": single}},
                {"type": "object", "required": ["one_of"], "additionalProperties": False,
                 "properties": {"one_of": {**single, "additionalProperties": {"type": "array"}}}},
                {"type": "object", "required": ["compare"], "additionalProperties": False,
                 "properties": {"compare": COMPARE.json_schema()}},
                {"type": "object", "required": ["date"], "additionalProperties": False,
                 "properties": {"date": PERIOD.json_schema()}},
            ]
        }


def _suggest(word: Any, options: list[str]) -> str:
    if not isinstance(word, str):
        return ""
    translated = FRENCH_WORDS.get(word.strip().lower())
    if translated in options:
        return f" (vouliez-vous dire « {translated} » ?)"
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f" (vouliez-vous dire « {close[0]} » ?)" if close else ""


COMPARE = Obj({
    "question": Field(Id(), doc="question dont la réponse est un montant"),
    "op": Field(Choice(COMPARE_OPS), doc="comparaison"),
    "parameter": Field(Id(), doc="paramètre auquel comparer"),
})

@dataclass
class Period(Spec):
    """``date:`` of a condition: one or two positions of the day against date parameters."""

    def check(self, value: Any, path: Path_, report: Report) -> None:
        positions = ", ".join(DATE_POSITIONS)
        if not isinstance(value, dict) or not 1 <= len(value) <= 2:
            report(path, "« date » attend une ou deux positions par rapport à un paramètre "
                   f"date, par exemple {{until: switch_deadline}} ; positions : {positions}")
            return
        for key, item in value.items():
            if key not in DATE_POSITIONS:
                report((*path, key), f"position « {key} » inconnue{_suggest(key, DATE_POSITIONS)}"
                       f" ; positions possibles : {positions}")
            elif isinstance(item, date):
                report((*path, key), f"écrivez le nom d'un paramètre de date (par exemple "
                       f"switch_deadline), pas la date {item.isoformat()} elle-même : chaque "
                       "date est écrite une seule fois, sous « parameters »")
            else:
                Id().check(item, (*path, key), report)

    def json_schema(self) -> dict[str, Any]:
        return {"type": "object", "minProperties": 1, "maxProperties": 2,
                "additionalProperties": False,
                "properties": {k: {"type": "string", "pattern": ID_PATTERN}
                               for k in DATE_POSITIONS}}


PERIOD = Period()
CONDITION = Condition()
CONDITION_DEF = Condition()

MARKDOWN = Text(description="Markdown")
PAGE = Text(r"^(rules|faq)/[a-z0-9][a-z0-9_-]*\.md$",
            "écrivez le chemin d'une page de docs/, par exemple faq/plafond-annuel.md")
MORE_DOC = "page écrite à la main qui va plus loin, dans docs/rules/ ou docs/faq/"
PARAMETER = Obj({
    "label": Field(Text(), doc="ce que représente la valeur, en français"),
    "unit": Field(Choice(UNITS), doc="unité : règle le format d'affichage"),
    "value": Field(Anything(), doc="la valeur, écrite une seule fois ici"),
    "description": Field(Text(), required=False, doc="précisions"),
})
CHOICE_OPTION = Obj({"value": Field(Id(), doc="valeur du contrat"),
                     "label": Field(Text(), doc="libellé affiché")})
QUESTION = Obj({
    "id": Field(Id(), doc="identifiant stable (contrat du vérificateur)"),
    "type": Field(Choice(["choice", "boolean", "amount"]), doc="type de réponse"),
    "label": Field(Text(), doc="la question posée"),
    "short": Field(Text(), doc="libellé court, pour les conditions"),
    "help": Field(Text(), required=False, doc="aide affichée sous la question"),
    "choices": Field(ListOf(CHOICE_OPTION), required=False, doc="choix (type choice)"),
    "max": Field(Number(), required=False, doc="montant maximum plausible (type amount)"),
    "ask_when": Field(CONDITION, required=False, doc="quand poser la question"),
})
PLAN = Obj({
    "id": Field(Choice(["discovery", "pro", "member", "not_eligible"]), doc="identifiant"),
    "name": Field(Text(), doc="nom affiché"),
    "annual_limit": Field(
        Id(), required=False,
        doc="paramètre du plafond annuel, ou « unlimited » ; absent : pas de vente"),
    "limit_label": Field(Text(), doc="le plafond de ventes, en clair (vérificateur et site)"),
    "price": Field(Text(), doc="prix, en clair"),
    "price_yearly": Field(Id(), required=False, doc="paramètre du prix mensuel payé à l'année"),
    "price_monthly": Field(Id(), required=False, doc="paramètre du prix payé au mois"),
    "counts": Field(Text(), doc="ce qui compte dans le plafond"),
    "how_to_get": Field(Text(), doc="comment l'obtenir"),
    "summary": Field(Text(), doc="résumé"),
})
EFFECT = Obj({
    "when": Field(CONDITION, doc="condition d'application"),
    "plan": Field(Id(), required=False, doc="formule décidée"),
    "permissions": Field(MapOf(Boolean()), required=False, doc="droits accordés ou retirés"),
    "action": Field(Id(), required=False, doc="action à faire"),
    "deadline": Field(Id(), required=False, doc="paramètre date : échéance de l'action"),
    "unlimited_until": Field(Id(), required=False,
                             doc="paramètre date : ventes sans limite jusqu'à cette date incluse"),
    "explain": Field(Text(), doc="phrase d'explication"),
    "hint": Field(Text(), required=False, doc="piste : ce qui changerait la réponse"),
})
RULE = Obj({
    "id": Field(Id(), doc="identifiant stable (contrat du vérificateur)"),
    "slug": Field(Text(SLUG_PATTERN, "une adresse s'écrit en minuscules sans accents, mots "
                       "séparés par « - » (par exemple compte-decouverte)"), required=False,
                  doc="adresse de la page (par défaut : tirée du titre)"),
    "number": Field(Number(minimum=1, integer=True), doc="numéro d'ordre"),
    "title": Field(Text(), doc="titre"),
    "concerns": Field(ListOf(Choice(["producer", "coordinator"]), unique=True), doc="public"),
    "summary": Field(Text(), doc="résumé d'une phrase"),
    "body": Field(MARKDOWN, doc="texte de la règle (Markdown)"),
    "sources": Field(ListOf(Id(), unique=True), doc="sources (ids)"),
    "more": Field(PAGE, required=False, doc=MORE_DOC),
    "effects": Field(ListOf(EFFECT), doc="effets (conditions et conséquences)"),
})
FAQ_ENTRY = Obj({
    "id": Field(Id(), doc="ancre stable"),
    "question": Field(Text(), doc="la question"),
    "answer": Field(MARKDOWN, doc="la réponse (Markdown)"),
    "rules": Field(ListOf(Id(), unique=True), doc="règles expliquées (ids)"),
    "sources": Field(ListOf(Id(), unique=True), doc="sources de la réponse (ids)"),
    "more": Field(PAGE, required=False, doc=MORE_DOC),
})
FAQ_GROUP = Obj({
    "id": Field(Id(), doc="ancre"),
    "title": Field(Text(), doc="titre"),
    "entries": Field(ListOf(FAQ_ENTRY), doc="questions"),
})
FAQ_SECTION = Obj({
    "id": Field(Id(), doc="ancre"),
    "title": Field(Text(), doc="titre"),
    "entries": Field(ListOf(FAQ_ENTRY), required=False, doc="questions"),
    "groups": Field(ListOf(FAQ_GROUP), required=False, doc="sous-parties"),
})
SESSION = Obj({
    "id": Field(Id(), doc="identifiant (nom du fichier .ics)"),
    "title": Field(Text(), doc="titre"),
    "audience": Field(Text(), doc="pour qui"),
    "topics": Field(Text(), doc="sujets"),
    "description": Field(Text(), doc="description"),
    "format": Field(Text(), doc="format (visio…)"),
    "days": Field(ListOf(Choice(DAYS), unique=True), doc="jours de la semaine"),
    "start": Field(Time(), doc="heure de début, \"HH:MM\""),
    "end": Field(Time(), required=False, doc="heure de fin, \"HH:MM\" (une heure si absente)"),
    "timezone": Field(Text(), doc="fuseau horaire, Europe/Paris"),
    "registration_url": Field(Url(), required=False,
                              doc="lien d'inscription (absent : la page dit comment s'inscrire)"),
})
ROOT = Obj({
    "meta": Field(Obj({
        "title": Field(Text(), doc="titre du site"),
        "site_name": Field(Text(), doc="nom court"),
        "description": Field(Text(), doc="description"),
        "source_page": Field(Url(), doc="page d'origine"),
    }), doc="titre et description"),
    "parameters": Field(MapOf(PARAMETER), doc="les chiffres et dates, une seule fois"),
    "context": Field(Obj({
        "title": Field(Text(), doc="titre"),
        "intro": Field(MARKDOWN, doc="introduction (Markdown)"),
        "goals": Field(ListOf(Text()), doc="objectifs"),
    }), doc="contexte"),
    "questions": Field(ListOf(QUESTION), doc="questions du vérificateur, dans l'ordre"),
    "plan_required_when": Field(CONDITION, doc="profils qui reçoivent exactement une formule"),
    "plans": Field(ListOf(PLAN), doc="formules"),
    "permissions": Field(ListOf(Obj({"id": Field(Id(), doc="identifiant"),
                                     "label": Field(Text(), doc="libellé")})), doc="droits"),
    "actions": Field(ListOf(Obj({
        "id": Field(Id(), doc="identifiant (contrat du vérificateur)"),
        "title": Field(Text(), doc="titre"),
        "text": Field(Text(), doc="ce qu'il faut faire"),
        "link": Field(Url(), required=False, doc="lien utile"),
    })), doc="actions"),
    "rules": Field(ListOf(RULE), doc="les règles"),
    "faq": Field(ListOf(FAQ_SECTION), doc="foire aux questions"),
    "sessions": Field(ListOf(SESSION), doc="sessions d'information"),
    "sources": Field(ListOf(Obj({"id": Field(Id(), doc="identifiant"),
                                 "title": Field(Text(), doc="titre"),
                                 "url": Field(Url(), doc="adresse")})), doc="sources"),
    "changelog": Field(ListOf(Obj({"date": Field(Date(), doc="date"),
                                   "text": Field(Text(), doc="ce qui a changé")})),
                       doc="historique des changements"),
}, doc="Règles Cagette.net du 3 novembre 2021 : source unique du site et du vérificateur")


def check_structure(data: Any, report: Report) -> None:
    """Report every structural problem of the whole document."""
    ROOT.check(data, (), report)


def json_schema() -> dict[str, Any]:
    """The JSON Schema of ``rules.yaml`` (for editors' completion)."""
    schema = ROOT.json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "rules.schema.json",
        "title": "rules.yaml",
        **schema,
        "$defs": {"condition": CONDITION_DEF.json_schema()},
    }

