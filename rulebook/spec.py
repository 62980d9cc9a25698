"""A small library of specs: one declaration of a YAML document's shape gives
its structural check (French messages, each at a path), its JSON Schema, and,
for mappings declared as dataclasses, typed objects built from checked data."""

from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from rulebook.errors import FieldPath, Report
from rulebook.suggest import suggest

ID_PATTERN = r"^[a-z][a-z0-9_-]*$"
TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"
# The characters of a URL (RFC 3986), no space, quote or angle bracket.
URL_PATTERN = r"^https?://[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+$"
# Control characters: never in a text (a lone carriage return in a calendar's name starts a
# new property for its reader); line breaks are refused too in a one-line field.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
NUMBER_HINT = (" : écrivez seulement les chiffres, sans espace ni « € », avec un point pour les "
               "décimales (par exemple 1000 ou 29.5)")
DATE_HINT = " : écrivez la date au format AAAA-MM-JJ (par exemple 2022-12-31)"


def describe_value(value: Any) -> str:
    """How a wrong value is named in a message: ``le nombre 3``, ``le texte « … »``…"""
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
    """A node of the declaration."""

    def check(self, value: Any, path: FieldPath, report: Report) -> None:
        """Report every problem of ``value`` (at ``path``), in French."""
        raise NotImplementedError

    def json_schema(self) -> dict[str, Any]:
        """The JSON Schema of this node."""
        raise NotImplementedError

    def build(self, value: Any) -> Any:
        """The typed value of checked data (the data itself, unless declared otherwise)."""
        return value


@dataclass
class Text(Spec):
    """A non-empty text, matching ``pattern`` when given."""

    pattern: str | None = None
    pattern_hint: str = ""
    min_length: int = 1
    description: str = ""
    one_line: bool = False
    """A title, a name, a label: no line break (it goes into calendars, tabs, lists)."""

    def check(self, value: Any, path: FieldPath, report: Report) -> None:
        if value is None:
            report(path, "valeur vide : ce champ doit être rempli")
        elif not isinstance(value, str):
            report(path, f"texte attendu, trouvé {describe_value(value)}")
        elif len(value.strip()) < self.min_length:
            report(path, "texte vide : ce champ doit être rempli")
        elif control := CONTROL.search(value):
            report(path, f"caractère de contrôle interdit (code U+{ord(control.group(0)):04X}) : "
                   "supprimez-le ou retapez le texte")
        elif (self.one_line or self.pattern) and "\n" in value:
            report(path, "retour à la ligne interdit dans ce champ d'une ligne : écrivez-le sur "
                   "une seule ligne, sans « | »")
        elif self.pattern and not re.fullmatch(self.pattern, value):
            report(path, f"valeur « {value} » invalide : {self.pattern_hint}")

    def json_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "string", "minLength": self.min_length}
        if self.pattern:
            schema["pattern"] = self.pattern
        elif self.one_line:
            schema["pattern"] = r"^[^\n\r]*$"
        return schema


def Id() -> Text:
    """An identifier: lowercase letters, digits, « _ » or « - »."""
    return Text(ID_PATTERN, "un identifiant s'écrit en minuscules, chiffres, « _ » ou « - »")


def Url() -> Text:
    """A web address."""
    return Text(URL_PATTERN, "une adresse commence par https:// (ou http://) et ne contient "
                "ni espace, ni guillemet, ni « < » ou « > »")


class Time(Text):
    """A time of day written ``"HH:MM"``."""

    def __init__(self) -> None:
        super().__init__(TIME_PATTERN, "heure attendue au format HH:MM, par exemple \"12:00\"")

    def check(self, value: Any, path: FieldPath, report: Report) -> None:
        if isinstance(value, int) and not isinstance(value, bool):
            # YAML 1.1 reads an unquoted 12:00 as the sexagesimal number 720.
            report(path, "heure à écrire entre guillemets, par exemple \"12:00\"")
            return
        super().check(value, path, report)


@dataclass
class Number(Spec):
    """A number at least ``minimum`` (whole when ``integer``)."""

    minimum: float = 0
    integer: bool = False

    def check(self, value: Any, path: FieldPath, report: Report) -> None:
        if isinstance(value, str) and re.fullmatch(r"\d+(\.\d+)?", value.strip()):
            report(path, f"nombre attendu, trouvé {describe_value(value)} : enlevez les guillemets")
        elif isinstance(value, str) and re.fullmatch(r"[\d\s\u00a0\u202f]+([.,]\d+)?\s*€?",
                                                     value.strip()):
            report(path, f"nombre attendu, trouvé {describe_value(value)}{NUMBER_HINT}")
        elif isinstance(value, bool) or not isinstance(value, int | float):
            report(path, f"nombre attendu, trouvé {describe_value(value)}")
        elif not math.isfinite(value) or value < self.minimum:
            report(path, f"nombre positif ou nul attendu, trouvé {value}")
        elif self.integer and not float(value).is_integer():
            report(path, f"nombre entier attendu, trouvé {value}")

    def json_schema(self) -> dict[str, Any]:
        return {"type": "integer" if self.integer else "number", "minimum": self.minimum}


class Date(Spec):
    """A date written ``AAAA-MM-JJ`` (YAML reads it as a date)."""

    def check(self, value: Any, path: FieldPath, report: Report) -> None:
        if not isinstance(value, date):
            report(path, f"date attendue, trouvé {describe_value(value)}{DATE_HINT}")

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "format": "date"}


class Boolean(Spec):
    """``true`` or ``false``."""

    def check(self, value: Any, path: FieldPath, report: Report) -> None:
        if not isinstance(value, bool):
            report(path, f"true ou false attendu, trouvé {describe_value(value)}")

    def json_schema(self) -> dict[str, Any]:
        return {"type": "boolean"}


class Anything(Spec):
    """A value whose type depends on another field (checked semantically)."""

    def check(self, value: Any, path: FieldPath, report: Report) -> None:
        if value is None:
            report(path, "valeur manquante")

    def json_schema(self) -> dict[str, Any]:
        return {}


@dataclass
class Choice(Spec):
    """One of ``values`` (``meanings``: what each one means, in French, for the guide)."""

    values: list[str]
    meanings: dict[str, str] | None = None

    def check(self, value: Any, path: FieldPath, report: Report) -> None:
        if value not in self.values:
            report(path, f"{describe_value(value)} n'est pas permis{suggest(value, self.values)} ; "
                   f"valeurs possibles : {', '.join(self.values)}")

    def json_schema(self) -> dict[str, Any]:
        return {"enum": self.values}


@dataclass
class ListOf(Spec):
    """A list of ``item`` (typed: a tuple)."""

    item: Spec
    min_items: int = 1
    unique: bool = False

    def check(self, value: Any, path: FieldPath, report: Report) -> None:
        if not isinstance(value, list):
            report(path, "liste attendue (lignes commençant par « - »), trouvé "
                   f"{describe_value(value)}")
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

    def build(self, value: Any) -> tuple[Any, ...]:
        return tuple(self.item.build(item) for item in value)


def _without_missing(report: Report, keys: list[str]) -> Report:
    """``report`` that drops « clé obligatoire manquante » for ``keys`` (written elsewhere)."""
    if not keys:
        return report
    dropped = tuple(f"clé obligatoire « {k} » manquante" for k in keys)

    def filtered(where: FieldPath, message: str, needle: str | None = None) -> None:
        if not message.startswith(dropped):
            report(where, message, needle)
    return filtered


@dataclass
class MapOf(Spec):
    """A mapping of ids to ``value``."""

    value: Spec
    key_pattern: str = ID_PATTERN

    def check(self, value: Any, path: FieldPath, report: Report) -> None:
        if not isinstance(value, dict):
            report(path, f"bloc de clés attendu, trouvé {describe_value(value)}")
            return
        if not value:
            report(path, "bloc vide : au moins une entrée attendue")
        # A key of an entry written at the entries' level (indented too little) belongs
        # to the entry above: said there once, not also as a key that entry lacks.
        fields = self.value.fields if isinstance(self.value, Obj) else {}
        strays: dict[str, list[str]] = {}
        owner = None
        for key, item in value.items():
            if key in fields and not isinstance(item, dict) and owner is not None:
                strays[owner].append(key)
            else:
                owner = key
                strays[key] = []
        for key, item in value.items():
            if not re.fullmatch(self.key_pattern, key):
                report((*path, key),
                       f"identifiant « {key} » invalide : minuscules, chiffres, « _ »")
            if key not in strays:
                continue
            self.value.check(item, (*path, key), _without_missing(report, strays[key]))
            for stray in strays[key]:
                report((*path, stray), f"« {stray} » est une clé de « {key} » écrite un niveau "
                       f"trop à gauche : indentez-la comme les autres clés de « {key} », "
                       "au-dessus")

    def json_schema(self) -> dict[str, Any]:
        return {"type": "object", "minProperties": 1,
                "propertyNames": {"pattern": self.key_pattern},
                "additionalProperties": self.value.json_schema()}

    def build(self, value: Any) -> dict[str, Any]:
        return {key: self.value.build(item) for key, item in value.items()}


@dataclass
class Field:
    """One key of a mapping: its spec, whether it must be there, what it is (French)."""

    spec: Spec
    required: bool = True
    doc: str = ""


@dataclass
class Obj(Spec):
    """A mapping with known keys, in their order; built into ``model`` when given."""

    fields: dict[str, Field]
    doc: str = ""
    model: type | None = None

    def check(self, value: Any, path: FieldPath, report: Report) -> None:
        if not isinstance(value, dict):
            report(path, f"bloc de clés attendu, trouvé {describe_value(value)}")
            return
        missing = [k for k, f in self.fields.items() if f.required and k not in value]
        unknown = [k for k in value if k not in self.fields]
        explained: set[str] = set()  # missing keys an unknown key is most likely a typo of
        for key in unknown:
            suggestion = suggest(key, list(self.fields))
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

    def build(self, value: Any) -> Any:
        built = {k: self.fields[k].spec.build(v) for k, v in value.items() if k in self.fields}
        return self.model(**built) if self.model else built


def key(spec: Spec, doc: str, *, required: bool = True) -> Any:
    """A dataclass field declared as a key of the YAML mapping (absent: ``None``)."""
    metadata = {"spec": spec, "doc": doc}
    if required:
        return dataclasses.field(metadata=metadata)
    return dataclasses.field(default=None, metadata=metadata)


@cache
def obj_of(model: type) -> Obj:
    """The mapping declared by a dataclass of :func:`key` fields, in their order."""
    fields = {f.name: Field(f.metadata["spec"], f.default is dataclasses.MISSING,
                            f.metadata["doc"]) for f in dataclasses.fields(model)}
    return Obj(fields, getattr(model, "DOC", ""), model)
