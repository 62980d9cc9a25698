"""Ids of ``rules.yaml`` and what refers to them: the shared index of the semantic
checks (a reference to an unknown id is reported with a suggestion; an id that
nothing uses is reported at the end, unless a broken reference explains it).

Tolerant of structurally broken input: the structural check reports that.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from rulebook.declaration import UNITS
from rulebook.errors import FieldPath, Report
from rulebook.suggest import suggest

# Lists of the file whose items have an id, and what an item is called in a message.
KINDS = {"questions": "question", "plans": "formule", "permissions": "droit",
         "actions": "action", "rules": "règle", "sources": "source", "sessions": "session",
         "faq": "partie de FAQ", "glossary": "notion du lexique", "audiences": "public"}
# Ids reported when nothing uses them: list, what the message says.
UNUSED = {"questions": "question jamais utilisée", "actions": "action jamais déclenchée",
          "audiences": "public concerné par aucune règle",
          "permissions": "droit jamais attribué",
          "sources": "source citée nulle part"}


def dicts(value: Any, path: FieldPath) -> Iterator[tuple[FieldPath, dict[str, Any]]]:
    """The mappings of a list, with their paths (anything else is skipped)."""
    if isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, dict):
                yield (*path, i), item


def faq_entries(data: dict[str, Any]) -> Iterator[tuple[FieldPath, dict[str, Any]]]:
    """Every FAQ entry with its path, in reading order."""
    for spath, section in dicts(data.get("faq"), ("faq",)):
        yield from dicts(section.get("entries"), (*spath, "entries"))
        for gpath, group in dicts(section.get("groups"), (*spath, "groups")):
            yield from dicts(group.get("entries"), (*gpath, "entries"))


class Refs:
    """The ids of the document (duplicates reported) and the references to them."""

    def __init__(self, data: dict[str, Any], report: Report) -> None:
        self.report = report
        params = data.get("parameters")
        self.parameters: dict[str, dict[str, Any]] = {
            k: v for k, v in params.items() if isinstance(v, dict)
        } if isinstance(params, dict) else {}
        self.items: dict[FieldPath, dict[str, Any]] = {}
        self.ids = {key: self._ids(data, key, kind) for key, kind in KINDS.items()}
        self.used: dict[str, set[str]] = {key: set() for key in [*KINDS, "parameters"]}
        self.dangling: set[str] = set()  # lists with a broken reference: no "unused" report
        self.questions: dict[str, dict[str, Any]] = {}
        for _, question in dicts(data.get("questions"), ()):
            if isinstance(question.get("id"), str):  # the first of duplicates is the one used
                self.questions.setdefault(question["id"], question)

    def _ids(self, data: dict[str, Any], key: str, kind: str) -> dict[str, FieldPath] | None:
        """Ids of a top-level list, reporting duplicates (``None``: no such list)."""
        if not isinstance(data.get(key), list):
            return None
        seen: dict[str, FieldPath] = {}
        for path, item in dicts(data.get(key), (key,)):
            ident = item.get("id")
            if not isinstance(ident, str):
                continue
            if ident in seen:
                self.report((*path, "id"), f"{kind} « {ident} » en double (identifiant déjà "
                            "utilisé)")
            else:
                seen[ident] = path
                self.items[path] = item
        return seen

    def by_id(self, key: str, ident: str) -> dict[str, Any] | None:
        """The item of the list ``key`` with this id (``None`` when unknown)."""
        path = (self.ids[key] or {}).get(ident)
        return None if path is None else self.items[path]

    def ref(self, value: Any, path: FieldPath, key: str, needle: str | None = None) -> bool:
        """Whether ``value`` is an id of the list ``key`` (reported when not); counts the use."""
        known = self.parameters if key == "parameters" else self.ids[key]
        kind = "paramètre" if key == "parameters" else KINDS[key]
        if not isinstance(value, str):
            self.dangling.add(key)
            return False
        if known is None:  # the list itself is missing or broken: reported already
            return False
        if value not in known:
            self.dangling.add(key)
            names = ", ".join(known) or "aucun"
            self.report(path, f"{kind} « {value} » introuvable{suggest(value, list(known))} ; "
                        f"possibles : {names}", needle)
            return False
        self.used[key].add(value)
        return True

    def param(self, value: Any, path: FieldPath, units: set[str], role: str) -> None:
        """A reference to a parameter of one of ``units``; ``role`` ends "ne peut pas servir…"."""
        if self.ref(value, path, "parameters"):
            unit = self.parameters[value].get("unit")
            if unit in UNITS and unit not in units:
                self.report(path, f"le paramètre « {value} » (unité {unit}) ne peut pas servir "
                            f"{role}")

    def check_unused(self) -> None:
        """Ids nothing refers to (skipped for a list with a broken reference: the typo
        already explains it)."""
        for key, message in UNUSED.items():
            if key in self.dangling:
                continue
            for ident, path in (self.ids[key] or {}).items():
                if ident not in self.used[key]:
                    self.report((*path, "id"), f"{message} : « {ident} »")
        if "parameters" in self.dangling:
            return
        for ident in self.parameters:
            if ident not in self.used["parameters"]:
                self.report(("parameters", ident), f"paramètre jamais utilisé : « {ident} »")
