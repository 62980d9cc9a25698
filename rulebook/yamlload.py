"""Strict YAML reading with the position of every value.

PyYAML's safe loader silently keeps the last of two duplicate keys and gives
no positions once the data is built; here the node tree is walked by hand so
that duplicate keys are errors and every value keeps its ``line:column``.
"""

from __future__ import annotations

import calendar
import errno
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from rulebook.errors import Path_, Problem, RulesError

MAX_BYTES = 4_000_000  # about 130 times the real file: anything larger is a mistake


_OS_ERRORS = {
    errno.ENOENT: "fichier introuvable (vérifiez le chemin)",
    errno.EISDIR: "c'est un dossier, pas un fichier",
    errno.EACCES: "accès refusé",
    errno.EPERM: "accès refusé",
}

FILE_FIELD = "fichier"
"""Field shown for a problem of the whole file (encoding, size, syntax at top level)."""


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
    text: str = ""
    spans: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    """Problems found while reading (duplicate keys, bad dates), when not raised."""

    def where(self, path: Path_) -> Position:
        """Position of ``path``, or of its closest located parent."""
        while path not in self.positions and path:
            path = path[:-1]
        return self.positions.get(path, Position(1, 1))

    def problem(self, path: Path_, message: str, needle: str | None = None) -> Problem:
        """A problem located at ``path``; at ``needle`` inside its text when given and found."""
        pos = self.where(path)
        span = self.spans.get(path)
        if needle and span:
            found = self.text.find(needle, span[0], span[1])
            if found >= 0:
                line = self.text.count("\n", 0, found) + 1
                pos = Position(line, found - (self.text.rfind("\n", 0, found) + 1) + 1)
        return Problem(self.file, pos.line, pos.column, format_path(path), message)


def format_path(path: Path_) -> str:
    """``("rules", 2, "effects")`` -> ``rules[2].effects``; ``()`` -> the whole file."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or FILE_FIELD


_MESSAGES = [
    (re.compile(r"found character '\\t' that cannot start any token"),
     "tabulation interdite : indentez avec des espaces"),
    (re.compile(r"found duplicate anchor"), "ancre YAML en double"),
    (re.compile(r"expected a single document"),
     "un seul document attendu : retirez la ligne « --- » (ou « ... ») en trop"),
    (re.compile(r"found undefined alias|expected alphabetic or numeric character"),
     "un texte ne peut pas commencer par « * » ou « & » (YAML y lit un alias ou une "
     "ancre) : mettez le texte entre guillemets"),
    (re.compile(r"found character '[@`]' that cannot start any token"),
     "un texte ne peut pas commencer par « @ » ou « ` » : mettez-le entre guillemets"),
    (re.compile(r"mapping values are not allowed here"),
     "« : » inattendu : vérifiez l'indentation, ou mettez le texte entre guillemets"),
    (re.compile(r"expected <block end>, but found"),
     "indentation incohérente : cette ligne n'est pas alignée avec les précédentes"),
    (re.compile(r"could not find expected ':'"),
     "« : » attendu après une clé : vérifiez l'indentation et les guillemets"),
    (re.compile(r"found unknown escape"),
     "séquence d'échappement invalide après « \\\\ » : doublez la barre oblique inverse ou "
     "utilisez des guillemets simples"),
    (re.compile(r"found unexpected end of stream|while scanning a quoted"),
     "guillemets ouverts ici et jamais refermés"),
    (re.compile(r"while parsing a block collection"),
     "liste mal formée : vérifiez l'indentation des tirets"),
    (re.compile(r"while parsing a flow|while scanning a flow"),
     "crochet [ ou accolade { ouvert ici et mal refermé ; un texte qui commence par [ ou { "
     "doit être mis entre guillemets"),
    (re.compile(r"while parsing a block mapping"),
     "indentation incohérente : cette ligne n'est pas alignée avec les précédentes"),
    (re.compile(r"while scanning a simple key"),
     "« : » attendu après une clé : vérifiez l'indentation et les guillemets"),
    (re.compile(r"found character .* that cannot start any token"),
     "caractère inattendu en début de valeur : mettez le texte entre guillemets"),
]

# What PyYAML's reader refuses (YAML 1.1 printable set, complemented).
_NON_PRINTABLE = re.compile(
    "[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]")

# Errors better shown where the unclosed construct starts than where the file ends.
_AT_CONTEXT = re.compile(r"while scanning a quoted|while parsing a flow|while scanning a flow")


def _translate(exc: yaml.MarkedYAMLError) -> str:
    raw = f"{exc.context or ''} {exc.problem or ''}"
    for pattern, message in _MESSAGES:
        if pattern.search(raw):
            return f"syntaxe YAML invalide : {message}"
    return ("syntaxe YAML invalide : vérifiez l'indentation, les guillemets et les « : » "
            "de cette ligne")


def _syntax_problem(file: str, text: str, exc: yaml.MarkedYAMLError) -> Problem:
    """A French problem for a PyYAML syntax error, with the field being read."""
    mark = exc.problem_mark or exc.context_mark
    if exc.context_mark and _AT_CONTEXT.search(exc.context or ""):
        mark = exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    message = _translate(exc)
    source = text.splitlines()[line - 1] if 0 < line <= len(text.splitlines()) else ""
    value = re.match(r"\s*(?:- )?(?:[\w-]+:\s+)?(.*)$", source)
    start = value.group(1)[:1] if value else ""
    if _AFTER_VALUE.search(f"{exc.context or ''} {exc.problem or ''}"):
        if start in ("[", "{") and {"[": "]", "{": "}"}[start] not in source:
            message = (f"syntaxe YAML invalide : « {start} » ouvert sur cette ligne et jamais "
                       "refermé")
        elif start in ("[", "{"):
            message = ("syntaxe YAML invalide : un texte qui commence par [ ou { doit être mis "
                       "entre guillemets")
        elif start in ('"', "'"):
            message = ("syntaxe YAML invalide : du texte suit les guillemets fermants : mettez "
                       "tout le texte entre guillemets (doublez ' ou écrivez \\\" à l'intérieur)")
    return Problem(file, line, column, format_path(path_before(text, line, column)), message)


# A value ended (a closing quote or bracket) and text follows on the same line.
_AFTER_VALUE = re.compile(r"expected <block end>|did not find expected key|"
                          r"expected ',' or|while parsing a block mapping")


def path_before(text: str, line: int, column: int) -> Path_:
    """Best-effort path of the field being read at ``line:column`` (for syntax errors).

    Parses events up to that position (or up to the error), then keeps the
    blocks indented no deeper than ``column`` and the key or item holding it.
    """
    # Each frame: is a mapping, current key or index, awaiting a key, column, end line
    # of the current value.
    frames: list[list[Any]] = []
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            mark = event.start_mark
            at = (mark.line + 1, mark.column + 1)
            ending = isinstance(event, yaml.CollectionEndEvent)
            if at > (line, column) or (at == (line, column) and not ending):
                break
            if ending:
                if frames:
                    frames.pop()
                if frames:  # a block ends where the next line starts: count the line before
                    end = event.end_mark
                    frames[-1][4] = end.line + (1 if end.column else 0)
                continue
            if not isinstance(event, yaml.NodeEvent):
                continue
            if frames:
                top = frames[-1]
                if top[0] and top[2]:
                    top[1] = event.value if isinstance(event, yaml.ScalarEvent) else None
                    top[2] = False
                else:
                    if top[0]:
                        top[2] = True
                    else:
                        top[1] = 0 if top[1] is None else top[1] + 1
                    top[4] = event.end_mark.line + 1
            if isinstance(event, yaml.CollectionStartEvent):
                frames.append([isinstance(event, yaml.MappingStartEvent), None, True,
                               mark.column + 1, 0])
    except yaml.YAMLError:
        pass
    deeper = [i for i, frame in enumerate(frames) if frame[3] > column]
    kept = frames[:deeper[0]] if deeper else frames
    path: list[str | int] = []
    for depth, (is_mapping, key, awaiting_key, _, value_end) in enumerate(kept):
        inner = depth < len(kept) - 1 or len(kept) < len(frames)
        pending = is_mapping and not awaiting_key
        if key is not None and (inner or pending or value_end >= line):
            path.append(key)
    return tuple(path)


def _decode(file: str, raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        start_of_line = before.rfind(b"\n") + 1
        column = len(before[start_of_line:].decode("utf-8", errors="replace")) + 1
        text = raw.decode("utf-8", errors="replace")
        raise RulesError([Problem(
            file, line, column, format_path(path_before(text, line, column)),
            "le fichier n'est pas encodé en UTF-8 : enregistrez-le en UTF-8 "
            f"(octet {raw[exc.start]:#04x} illisible)",
        )]) from None


class _Builder:
    """Turns a composed node tree into plain data, recording positions."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.positions: dict[Path_, Position] = {}
        self.spans: dict[Path_, tuple[int, int]] = {}
        self.problems: list[Problem] = []
        self._scalars = yaml.SafeLoader("")
        self._collections: set[int] = set()

    def _at(self, node: yaml.Node, path: Path_, message: str) -> None:
        mark = node.start_mark
        self.problems.append(
            Problem(self.file, mark.line + 1, mark.column + 1, format_path(path), message))

    def build(self, node: yaml.Node, path: Path_, key: yaml.Node | None = None) -> Any:
        self.positions[path] = Position(node.start_mark.line + 1, node.start_mark.column + 1)
        self.spans[path] = (node.start_mark.index, node.end_mark.index)
        if isinstance(node, yaml.CollectionNode):
            if id(node) in self._collections:  # an alias: copies would multiply the data
                self._at(key or node, path, "alias YAML (*nom) d'un bloc non pris en charge : "
                         "recopiez le bloc à cet endroit")
                return None
            self._collections.add(id(node))
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
            value = self._scalar(key_node, path)
            # A key is a word as written: YAML 1.1 would read on/no/yes as booleans.
            key = key_node.value if isinstance(value, bool) else str(value)
            if key in result:
                first = self.positions.get((*path, key))
                where = f" (déjà définie ligne {first.line})" if first else ""
                self._at(key_node, (*path, key), f"clé « {key} » en double{where}")
                continue
            result[key] = self.build(value_node, (*path, key), key_node)
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
        except (ValueError, OverflowError, yaml.YAMLError):
            if node.tag.endswith(":timestamp"):
                self._at(node, path, f"date invalide « {node.value} » : {_date_reason(node.value)}"
                         " ; écrivez AAAA-MM-JJ avec une date qui existe")
            else:
                self._at(node, path, f"valeur invalide « {node.value} »")
            return None


def _date_reason(text: str) -> str:
    """Why a date-looking text is not a date, in French."""
    match = re.match(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if not match:
        return "format non reconnu"
    year, month, day = map(int, match.groups())
    if not 1 <= month <= 12:
        return f"il n'y a pas de mois {month}"
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        return f"le mois {month:02d}/{year} n'a que {days} jours"
    return "heure invalide"


def _compose(text: str) -> yaml.Node | None:
    """Compose the node tree, with libyaml when it is there (several times faster).

    Any failure is parsed again by the pure-Python parser, so that error
    messages and positions are always those of one parser.
    """
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            return yaml.compose(text, Loader=fast)
        except Exception:
            pass
    return yaml.compose(text, Loader=yaml.SafeLoader)


def load_yaml(path: Path, display_name: str | None = None, *, strict: bool = True) -> LoadedYaml:
    """Read ``path``; raise :class:`RulesError` listing syntax problems.

    Problems found while building the data (duplicate keys, impossible dates)
    are raised too when ``strict``; otherwise they are returned in
    ``problems`` (the bad values read as ``None``) so that the caller can
    report them together with its own checks.
    """
    file = display_name or str(path)

    def fail(message: str) -> RulesError:
        return RulesError([Problem(file, 1, 1, FILE_FIELD, message)])

    try:
        raw = path.read_bytes()
    except OSError as exc:
        reason = _OS_ERRORS.get(exc.errno or 0, "le système refuse de le lire")
        raise fail(f"lecture impossible : {reason}") from None
    if len(raw) > MAX_BYTES:
        raise fail(f"fichier trop volumineux ({len(raw)} octets, au plus {MAX_BYTES}) : "
                   "est-ce bien le fichier de règles ?")
    text = _decode(file, raw)
    try:
        node = _compose(text)
    except yaml.MarkedYAMLError as exc:
        raise RulesError([_syntax_problem(file, text, exc)]) from None
    except yaml.reader.ReaderError as exc:
        before = text[: exc.position]
        line, column = before.count("\n") + 1, exc.position - (before.rfind("\n") + 1) + 1
        readable = _NON_PRINTABLE.sub(" ", text)
        raise RulesError([Problem(
            file, line, column, format_path(path_before(readable, line, column)),
            f"caractère invisible interdit (code U+{ord(text[exc.position]):04X}) : "
            "supprimez-le ou retapez le texte")]) from None
    except yaml.YAMLError:
        raise fail("syntaxe YAML invalide") from None
    except RecursionError:
        raise fail("imbrication trop profonde") from None
    if node is None or (node.tag == "tag:yaml.org,2002:null" and not node.value):
        raise fail("le fichier est vide")
    builder = _Builder(file)
    try:
        data = builder.build(node, ())
    except RecursionError:
        raise fail("imbrication trop profonde") from None
    if builder.problems and strict:
        raise RulesError(builder.problems)
    return LoadedYaml(file, data, builder.positions, text, builder.spans, builder.problems)
