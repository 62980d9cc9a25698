"""Strict YAML reading with the position of every value.

PyYAML's safe loader silently keeps the last of two duplicate keys and gives
no positions once the data is built; here the node tree is walked by hand so
that duplicate keys are errors and every value keeps its ``line:column``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from sitegen.errors import Problem, RulesError

MAX_BYTES = 4_000_000  # about 130 times the real file: anything larger is a mistake

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Position:
    """1-based line and column of a value in the file."""

    line: int
    column: int


@dataclass
class LoadedYaml:
    """Plain data plus the position of each value, keyed by its path."""

    file: str
    data: Any
    positions: dict[Path_, Position]

    def where(self, path: Path_) -> Position:
        """Position of ``path``, or of its closest located parent."""
        while path not in self.positions and path:
            path = path[:-1]
        return self.positions.get(path, Position(1, 1))

    def problem(self, path: Path_, message: str) -> Problem:
        """A problem located at ``path``."""
        pos = self.where(path)
        return Problem(self.file, pos.line, pos.column, format_path(path), message)


def format_path(path: Path_) -> str:
    """``("rules", 2, "effects")`` -> ``rules[2].effects``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


_MESSAGES = [
    (re.compile(r"found character '\\t' that cannot start any token"),
     "tabulation interdite : indentez avec des espaces"),
    (re.compile(r"found duplicate anchor"), "ancre YAML en double"),
    (re.compile(r"found undefined alias"), "alias YAML inconnu (aucune ancre de ce nom)"),
    (re.compile(r"mapping values are not allowed here"),
     "« : » inattendu : vérifiez l'indentation, ou mettez le texte entre guillemets"),
    (re.compile(r"expected <block end>, but found"),
     "indentation incohérente : cette ligne n'est pas alignée avec les précédentes"),
    (re.compile(r"could not find expected ':'"),
     "« : » attendu après une clé : vérifiez l'indentation et les guillemets"),
    (re.compile(r"found unexpected end of stream|found unknown escape|while scanning a quoted"),
     "guillemets non refermés ou séquence d'échappement invalide"),
    (re.compile(r"while parsing a block collection"),
     "liste mal formée : vérifiez l'indentation des tirets"),
    (re.compile(r"while parsing a flow"), "crochets ou accolades non refermés"),
]


def _translate(exc: yaml.MarkedYAMLError) -> str:
    raw = f"{exc.context or ''} {exc.problem or ''}"
    for pattern, message in _MESSAGES:
        if pattern.search(raw):
            return f"syntaxe YAML invalide : {message}"
    return f"syntaxe YAML invalide ({(exc.problem or exc.context or '').strip()})"


def _decode(file: str, raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise RulesError([Problem(
            file, line, column, "",
            "le fichier n'est pas encodé en UTF-8 : enregistrez-le en UTF-8 "
            f"(octet {raw[exc.start]:#04x} illisible)",
        )]) from None


class _Builder:
    """Turns a composed node tree into plain data, recording positions."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.positions: dict[Path_, Position] = {}
        self.problems: list[Problem] = []
        self._scalars = yaml.SafeLoader("")

    def _at(self, node: yaml.Node, path: Path_, message: str) -> None:
        mark = node.start_mark
        self.problems.append(
            Problem(self.file, mark.line + 1, mark.column + 1, format_path(path), message))

    def build(self, node: yaml.Node, path: Path_) -> Any:
        self.positions[path] = Position(node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        return self._scalar(node, path)

    def _mapping(self, node: yaml.MappingNode, path: Path_) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self._at(key_node, path, "clé invalide : une clé doit être un simple mot")
                continue
            key = str(self._scalar(key_node, path))
            if key in result:
                first = self.positions.get((*path, key))
                where = f" (déjà définie ligne {first.line})" if first else ""
                self._at(key_node, (*path, key), f"clé « {key} » en double{where}")
                continue
            result[key] = self.build(value_node, (*path, key))
            self.positions[(*path, key)] = Position(
                key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        return result

    def _scalar(self, node: yaml.ScalarNode, path: Path_) -> Any:
        constructor = self._scalars.yaml_constructors.get(node.tag)
        if constructor is None:
            self._at(node, path, f"étiquette YAML non prise en charge : {node.tag}")
            return None
        try:
            return constructor(self._scalars, node)
        except (ValueError, yaml.YAMLError) as exc:
            if node.tag.endswith(":timestamp"):
                self._at(node, path, f"date invalide « {node.value} » ({exc}) : "
                         "écrivez AAAA-MM-JJ avec une date qui existe")
            else:
                self._at(node, path, f"valeur invalide « {node.value} »")
            return None


def load_yaml(path: Path, display_name: str | None = None) -> LoadedYaml:
    """Read ``path`` strictly; raise :class:`RulesError` listing syntax problems."""
    file = display_name or str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        message = f"lecture impossible : {exc.strerror}"
        raise RulesError([Problem(file, 1, 1, "", message)]) from None
    if len(raw) > MAX_BYTES:
        raise RulesError([Problem(
            file, 1, 1, "",
            f"fichier trop volumineux ({len(raw)} octets, au plus {MAX_BYTES}) : "
            "est-ce bien le fichier de règles ?")])
    text = _decode(file, raw)
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise RulesError([Problem(file, line, column, "", _translate(exc))]) from None
    except yaml.YAMLError as exc:
        raise RulesError([Problem(file, 1, 1, "", f"syntaxe YAML invalide ({exc})")]) from None
    except RecursionError:
        raise RulesError([Problem(file, 1, 1, "", "imbrication trop profonde")]) from None
    if node is None:
        raise RulesError([Problem(file, 1, 1, "", "le fichier est vide")])
    builder = _Builder(file)
    data = builder.build(node, ())
    if builder.problems:
        raise RulesError(builder.problems)
    return LoadedYaml(file, data, builder.positions)
