"""Strict YAML reading with the position of every value.

PyYAML's safe loader silently keeps the last of two duplicate keys and gives
no positions once the data is built; here the parser's events are read by hand
so that duplicate keys are errors and every value keeps its ``line:column``.
"""

from __future__ import annotations

import calendar
import errno
import math
import os
import re
import stat
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from checker.french import format_number
from rulebook.errors import MAX_PROBLEMS, FieldPath, Problem, RulesError, TooManyProblems

MAX_BYTES = 4_000_000  # about 130 times the real file: anything larger is a mistake


_OS_ERRORS = {
    errno.ENOENT: "fichier introuvable (vérifiez le chemin)",
    errno.EISDIR: "c'est un dossier, pas un fichier",
    errno.EACCES: "accès refusé",
    errno.EPERM: "accès refusé",
}

FILE_FIELD = "fichier"
"""Field shown for a problem of the whole file (encoding, size, syntax at top level)."""


@dataclass(frozen=True, slots=True)
class Position:
    """1-based line and column of a value in the file."""

    line: int
    column: int


@dataclass
class LoadedYaml:
    """Plain data plus the position of each value, keyed by its path."""

    file: str
    data: Any
    positions: dict[FieldPath, Position]
    text: str = ""
    spans: dict[FieldPath, tuple[int, int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    """Problems found while reading (duplicate keys, bad dates), when not raised."""

    def where(self, path: FieldPath) -> Position:
        """Position of ``path``, or of its closest located parent."""
        while path not in self.positions and path:
            path = path[:-1]
        return self.positions.get(path, Position(1, 1))

    def problem(self, path: FieldPath, message: str, needle: str | None = None) -> Problem:
        """A problem located at ``path``; at ``needle`` inside its text when given and found."""
        pos = self.where(path)
        span = self.spans.get(path)
        if needle and span:
            found = self.text.find(needle, span[0], span[1])
            if found >= 0:
                line = self.text.count("\n", 0, found) + 1
                pos = Position(line, found - (self.text.rfind("\n", 0, found) + 1) + 1)
        return Problem(self.file, pos.line, pos.column, format_path(path), message)


def format_path(path: FieldPath) -> str:
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
    odd = _misaligned(text, line)
    if odd is not None and _INDENTATION.search(message):
        line, column, spaces, usual = odd
        message = (f"syntaxe YAML invalide : indentation incohérente : cette ligne commence "
                   f"par {spaces} espace{'s' if spaces > 1 else ''} ; l'indentation avance "
                   f"de {usual} en {usual} espaces : alignez-la sur la ligne au-dessus ou "
                   "sur ses voisines")
    return Problem(file, line, column, format_path(path_before(text, line, column)), message)


# Messages that an indentation mistake may cause (reported a line or two after it).
_INDENTATION = re.compile(r"indentation|« : »")


def _misaligned(text: str, line: int) -> tuple[int, int, int, int] | None:
    """The line (of the three before ``line``, and ``line``) whose indentation is not a
    multiple of the file's step: ``(line, column, its spaces, the step)``, else None.
    The step is what the usual indentations share (a width seen once does not count)."""
    lines = text.splitlines()

    def width(source: str) -> int:
        return len(source) - len(source.lstrip(" "))

    def counts(source: str) -> bool:
        return bool(source.strip()) and not source.lstrip().startswith("#")

    seen = Counter(width(s) for s in lines if counts(s))
    step = math.gcd(*(w for w, n in seen.items() if w and n >= 3))
    if step < 2:
        return None
    for number in range(max(1, line - 3), min(line, len(lines)) + 1):
        spaces = width(lines[number - 1])
        if counts(lines[number - 1]) and spaces % step:
            return number, spaces + 1, spaces, step
    return None


# A value ended (a closing quote or bracket) and text follows on the same line.
_AFTER_VALUE = re.compile(r"expected <block end>|did not find expected key|"
                          r"expected ',' or|while parsing a block mapping")


def path_before(text: str, line: int, column: int) -> FieldPath:
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


class _TooDeep(Exception):
    """Nesting deeper than :data:`MAX_DEPTH`."""


MAX_DEPTH = 100  # a rules file nests about ten levels; thousands would exhaust the stack later


class _Builder:
    """Turns the parser's events into plain data, recording positions.

    The events are read one by one, as PyYAML's composer reads them, but no node
    tree is kept: a large file is read holding only the data it yields (the tree
    of a rules file ×100 took as much memory as the data itself, freed too late
    to be of use to the rest of the build).
    """

    def __init__(self, file: str, loader: Any) -> None:
        self.file = file
        self.positions: dict[FieldPath, Position] = {}
        self.spans: dict[FieldPath, tuple[int, int]] = {}
        self.problems: list[Problem] = []
        self._loader = loader
        self._scalars = yaml.SafeLoader("")
        self._anchors: dict[str, yaml.Node] = {}

    def _at(self, mark: yaml.Mark, path: FieldPath, message: str) -> None:
        if len(self.problems) >= MAX_PROBLEMS:
            raise TooManyProblems(self.problems)
        self.problems.append(
            Problem(self.file, mark.line + 1, mark.column + 1, format_path(path), message))

    def document(self) -> tuple[Any, bool]:
        """The data of the stream's single document, and whether the file is empty."""
        loader = self._loader
        loader.get_event()  # stream start
        if loader.check_event(yaml.StreamEndEvent):
            return None, True
        loader.get_event()  # document start
        root = loader.get_event()
        data = self.build(root, (), None, 0)
        loader.get_event()  # document end
        if not loader.check_event(yaml.StreamEndEvent):
            raise yaml.composer.ComposerError(
                "expected a single document in the stream", root.start_mark,
                "but found another document", loader.get_event().start_mark)
        empty = (isinstance(root, yaml.ScalarEvent) and not root.value
                 and self._tag(root, yaml.ScalarNode) == "tag:yaml.org,2002:null")
        return data, empty

    def _tag(self, event: Any, kind: type[yaml.Node]) -> str:
        tag = event.tag
        if tag is None or tag == "!":
            tag = self._loader.resolve(kind, getattr(event, "value", None), event.implicit)
        return tag

    def _anchor(self, event: Any, node: yaml.Node) -> None:
        anchor = event.anchor
        if anchor is None:
            return
        if anchor in self._anchors:
            raise yaml.composer.ComposerError(
                f"found duplicate anchor {anchor!r}; first occurrence",
                self._anchors[anchor].start_mark, "second occurrence", event.start_mark)
        self._anchors[anchor] = node

    def _aliased(self, event: yaml.AliasEvent) -> yaml.Node:
        node = self._anchors.get(event.anchor)
        if node is None:
            raise yaml.composer.ComposerError(
                None, None, f"found undefined alias {event.anchor!r}", event.start_mark)
        return node

    def _scalar_node(self, event: yaml.ScalarEvent) -> yaml.ScalarNode:
        node = yaml.ScalarNode(self._tag(event, yaml.ScalarNode), event.value,
                               event.start_mark, event.end_mark, style=event.style)
        self._anchor(event, node)
        return node

    def _collection(self, event: Any) -> tuple[yaml.Node, type[yaml.Event]]:
        """The (empty) node an anchor refers to, and the event that ends the collection."""
        kind, end = ((yaml.MappingNode, yaml.MappingEndEvent)
                     if isinstance(event, yaml.MappingStartEvent)
                     else (yaml.SequenceNode, yaml.SequenceEndEvent))
        node = kind("", [], event.start_mark, event.end_mark)
        self._anchor(event, node)
        return node, end

    def build(self, event: Any, path: FieldPath, key: yaml.Mark | None, depth: int) -> Any:
        """The value starting with ``event``, at ``path`` (``key``: where its key is)."""
        if depth > MAX_DEPTH:
            raise _TooDeep
        if isinstance(event, yaml.AliasEvent):
            node = self._aliased(event)
            self.positions[path] = Position(node.start_mark.line + 1, node.start_mark.column + 1)
            self.spans[path] = (node.start_mark.index, node.end_mark.index)
            # Copies would multiply the data, and each copy would be checked again: a
            # few kilobytes of aliases could keep the checks busy for minutes.
            what = "le bloc" if isinstance(node, yaml.CollectionNode) else "la valeur"
            self._at(key or event.start_mark, path, "alias YAML (*nom) non pris en charge : "
                     f"recopiez {what} à cet endroit")
            return None
        start = event.start_mark
        self.positions[path] = Position(start.line + 1, start.column + 1)
        if isinstance(event, yaml.ScalarEvent):
            self.spans[path] = (start.index, event.end_mark.index)
            return self._scalar(self._scalar_node(event), path)
        self.spans[path] = (start.index, start.index)  # in document order; ends below
        node, end = self._collection(event)
        if end is yaml.MappingEndEvent:
            result: Any = self._mapping(path, depth)
        else:
            result = []
            while not self._loader.check_event(end):
                result.append(self.build(self._loader.get_event(), (*path, len(result)), None,
                                         depth + 1))
        node.end_mark = self._loader.get_event().end_mark
        self.spans[path] = (start.index, node.end_mark.index)
        return result

    def _skip(self, event: Any, depth: int) -> None:
        """Read a value that is not kept (its key is refused), anchors included."""
        if depth > MAX_DEPTH:
            raise _TooDeep
        if isinstance(event, yaml.AliasEvent):
            self._aliased(event)
        elif isinstance(event, yaml.ScalarEvent):
            self._scalar_node(event)
        else:
            node, end = self._collection(event)
            while not self._loader.check_event(end):
                self._skip(self._loader.get_event(), depth + 1)
            node.end_mark = self._loader.get_event().end_mark

    def _key(self, event: Any, depth: int) -> tuple[yaml.ScalarNode | None, yaml.Mark]:
        """A mapping's key: its node, None if it is not a simple value, and where it is."""
        if isinstance(event, yaml.AliasEvent):
            node = self._aliased(event)
            return (node if isinstance(node, yaml.ScalarNode) else None), node.start_mark
        if isinstance(event, yaml.ScalarEvent):
            return self._scalar_node(event), event.start_mark
        self._skip(event, depth)
        return None, event.start_mark

    def _mapping(self, path: FieldPath, depth: int) -> dict[str, Any]:
        loader = self._loader
        result: dict[str, Any] = {}
        while not loader.check_event(yaml.MappingEndEvent):
            key_node, key_mark = self._key(loader.get_event(), depth + 1)
            value_event = loader.get_event()
            if key_node is None:
                self._at(key_mark, path, "clé invalide : une clé doit être un simple mot")
                self._skip(value_event, depth + 1)
                continue
            value = self._scalar(key_node, path)
            # A key is a word as written: YAML 1.1 would read on/no/yes as booleans.
            key = key_node.value if isinstance(value, bool) else str(value)
            if key in result:
                first = self.positions.get((*path, key))
                where = f" (déjà définie ligne {first.line})" if first else ""
                self._at(key_mark, (*path, key), f"clé « {key} » en double{where}")
                self._skip(value_event, depth + 1)
                continue
            result[key] = self.build(value_event, (*path, key), key_mark, depth + 1)
            self.positions[(*path, key)] = Position(key_mark.line + 1, key_mark.column + 1)
        return result

    def _scalar(self, node: yaml.ScalarNode, path: FieldPath) -> Any:
        constructor = self._scalars.yaml_constructors.get(node.tag)
        if constructor is None:
            self._at(node.start_mark, path, f"étiquette YAML non prise en charge : {node.tag}")
            return None
        try:
            return constructor(self._scalars, node)
        except (ValueError, OverflowError, yaml.YAMLError):
            if node.tag.endswith(":timestamp"):
                self._at(node.start_mark, path, f"date invalide « {node.value} » : "
                         f"{_date_reason(node.value)} ; écrivez AAAA-MM-JJ avec une date qui "
                         "existe")
            else:
                self._at(node.start_mark, path, f"valeur invalide « {node.value} »")
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


def _read(file: str, text: str) -> tuple[Any, bool, _Builder]:
    """Read the document with libyaml when it is there (several times faster).

    Any failure is read again by the pure-Python parser, so that error
    messages and positions are always those of one parser.
    """
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            return _read_with(fast, file, text)
        except (_TooDeep, TooManyProblems):
            raise
        except Exception:
            pass
    return _read_with(yaml.SafeLoader, file, text)


def _read_with(loader_class: Any, file: str, text: str) -> tuple[Any, bool, _Builder]:
    loader = loader_class(text)
    try:
        builder = _Builder(file, loader)
        data, empty = builder.document()
        return data, empty, builder
    finally:
        loader.dispose()


class FileTooLarge(OSError):
    """A file over the size it may have (``size``: what it holds, at least)."""

    def __init__(self, size: int) -> None:
        super().__init__(f"{size} bytes")
        self.size = size


class NotARegularFile(OSError):
    """A device, a pipe, a socket: nothing a rules file can be, and may never end."""


def read_bounded(path: Path, limit: int) -> bytes:
    """The bytes of the regular file ``path``, reading at most ``limit`` + 1 of them
    (:class:`FileTooLarge` past ``limit``; :class:`NotARegularFile` for a device or a
    pipe, which could be endless or block for ever)."""
    mode = os.stat(path).st_mode
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, "directory", str(path))
    if not stat.S_ISREG(mode):  # checked before opening: a pipe blocks on open
        raise NotARegularFile(str(path))
    with open(path, "rb") as file:
        size = os.fstat(file.fileno()).st_size
        if size > limit:
            raise FileTooLarge(size)
        raw = file.read(limit + 1)  # the file may have grown since
    if len(raw) > limit:
        raise FileTooLarge(len(raw))
    return raw


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
        raw = read_bounded(path, MAX_BYTES)
    except FileTooLarge as exc:
        raise fail(f"fichier trop volumineux ({format_number(exc.size)} octets, au plus "
                   f"{format_number(MAX_BYTES)}) : "
                   "est-ce bien le fichier de règles ?") from None
    except NotARegularFile:
        raise fail("lecture impossible : ce n'est pas un fichier ordinaire (un périphérique, "
                   "un tube…) ; donnez le chemin du fichier de règles") from None
    except OSError as exc:
        reason = _OS_ERRORS.get(exc.errno or 0, "le système refuse de le lire")
        raise fail(f"lecture impossible : {reason}") from None
    text = _decode(file, raw)
    try:
        data, empty, builder = _read(file, text)
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
    except (_TooDeep, RecursionError):
        raise fail("imbrication trop profonde") from None
    except TooManyProblems as exc:
        raise exc.error("lecture") from None
    if empty:
        raise fail("le fichier est vide")
    if builder.problems and strict:
        raise RulesError(builder.problems)
    return LoadedYaml(file, data, builder.positions, text, builder.spans, builder.problems)
