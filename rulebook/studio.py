"""The browser editor's Python: the rules file as the support team is typing it, checked,
compared and tried by the very code of the command line (``cagette-rules validate``,
``impact``, ``check``), in Pyodide.

A :class:`Studio` is made once from the editor's setup (the published rules and
scenarios, the hand-written pages' titles, the public holidays); each call takes the
edited text and answers JSON text, for the worker to pass on as it is. Files are real
files of the interpreter's file system, so that the loader reads the edited text
exactly as it reads ``data/rules.yaml``: same limits, same positions, same messages.
"""

from __future__ import annotations

import json
import re
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from checker import as_text
from checker.entry import evaluate_request
from checker.model import to_json
from rulebook.baseline import compare
from rulebook.errors import Problem, RulesError
from rulebook.impact_report import as_text as impact_text
from rulebook.loader import RulesBook
from rulebook.placeholders import render
from rulebook.prose import text_fields
from rulebook.public_holidays import use_table
from rulebook.scenario_report import scenario_report
from rulebook.validation import Validation, validate_rules, with_examples
from rulebook.yamlload import LoadedYaml, load_yaml

PUBLISHED = "data/rules.yaml publié"
WORKING = "data/rules.yaml modifié dans l'éditeur"
NOT_VALID = ("Le fichier contient des erreurs : corrigez-les d'abord (liste « Problèmes »), "
             "puis recommencez.")
FOUND_AT_MOST = 50  # matches of a search: more say little


def _problem(problem: Problem) -> dict[str, Any]:
    return {"file": problem.file, "line": problem.line, "column": problem.column,
            "field": problem.field, "message": problem.message, "text": str(problem)}


@dataclass(frozen=True)
class Setup:
    """What the editor starts from (the JSON the site ships beside the editor)."""

    rules_file: str
    scenarios_file: str
    rules: str
    scenarios: str | None  # None: no examples to check
    complements: Mapping[str, str]
    holidays: Mapping[str, str] | None

    @classmethod
    def of(cls, text: str) -> Setup:
        """The setup from its JSON text."""
        data = json.loads(text)
        return cls(data["rules_file"], data["scenarios_file"], data["rules"],
                   data.get("scenarios"), data["complements"], data.get("holidays"))


class Studio:
    """The checks, the impact and the checker, on the text being edited."""

    def __init__(self, setup_json: str, root: Path | None = None) -> None:
        setup = Setup.of(setup_json)
        self.setup = setup
        self.root = root or Path(tempfile.mkdtemp(prefix="studio-"))
        if setup.holidays is not None:  # the library is not shipped to the browser
            use_table(setup.holidays)
        self.docs = self.root / "docs"
        for uri, title in setup.complements.items():
            page = self.docs / uri
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text(f"# {title}\n", encoding="utf-8")
        self.docs.mkdir(parents=True, exist_ok=True)
        self.scenarios_path = self.root / Path(setup.scenarios_file).name
        if setup.scenarios is not None:
            self.scenarios_path.write_text(setup.scenarios, encoding="utf-8")
        self.published = self._read("published", setup.rules)
        self._rules: tuple[str | bytes, Validation] | None = None
        self._full: tuple[str | bytes, Validation] | None = None

    def _read(self, side: str, text: str | bytes) -> Validation:
        """``text`` (or the bytes of an opened file) written as ``<side>/data/rules.yaml``,
        validated (the rules only)."""
        rules = self.root / side / self.setup.rules_file
        rules.parent.mkdir(parents=True, exist_ok=True)
        rules.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
        return validate_rules(rules, self.docs, self.setup.rules_file)

    def _validation(self, text: str | bytes) -> Validation:
        """The edited text's rules validated (the last text kept: check, then impact…)."""
        if self._rules is None or self._rules[0] != text:
            self._rules = (text, self._read("edited", text))
        return self._rules[1]

    def _with_examples(self, text: str | bytes) -> Validation:
        """The edited text validated with its examples, as ``cagette-rules validate``."""
        if self._full is None or self._full[0] != text:
            examples = self.scenarios_path if self.setup.scenarios is not None else None
            self._full = (text, with_examples(self._validation(text), examples,
                                              self.setup.scenarios_file))
        return self._full[1]

    def check(self, text: str | bytes) -> str:
        """What ``cagette-rules validate`` says of the rules of ``text`` (or of an opened
        file's bytes), before the examples: the report and every problem, at once
        (``examples`` then tells whether the examples still hold)."""
        start = time.perf_counter()
        result = self._validation(text)
        pending = result.valid and self.setup.scenarios is not None
        return _said(result, start, examples_pending=pending)

    def examples(self, text: str | bytes) -> str:
        """What ``cagette-rules validate`` says of ``text``, examples included."""
        start = time.perf_counter()
        return _said(self._with_examples(text), start, examples_pending=False)

    def _book(self, text: str) -> RulesBook | None:
        result = self._validation(text)
        return result.book if result.valid else None

    def impact(self, text: str) -> str:
        """What ``cagette-rules impact`` says of ``text`` against the published rules."""
        book, published = self._book(text), self.published.book
        if book is None or published is None:
            return json.dumps({"ok": False, "message": NOT_VALID}, ensure_ascii=False)
        result = compare(published, book, baseline=PUBLISHED, working=WORKING)
        return json.dumps({"ok": True, "changed": result.changed, "report": impact_text(result),
                           "summary": result.summary()}, ensure_ascii=False)

    def evaluate(self, text: str, request_json: str) -> str:
        """The checker's verdict under ``text``'s rules (a request as the checker page's)."""
        book = self._book(text)
        if book is None:
            return json.dumps({"ok": False, "message": NOT_VALID}, ensure_ascii=False)
        verdict = json.loads(evaluate_request(book.compiled, json.loads(request_json)))
        return json.dumps({"ok": True, "verdict": verdict, "text": as_text(verdict)},
                          ensure_ascii=False)

    def scenarios(self, text: str) -> str:
        """What ``cagette-rules scenarios`` says under ``text``'s rules: each example and
        invariant that no longer holds, what no example covers yet, the counts."""
        result = self._with_examples(text)
        if result.book is None or result.scenarios is None:
            return json.dumps({"ok": False, "message": NOT_VALID}, ensure_ascii=False)
        report, holds = scenario_report(result.book.compiled, self.setup.scenarios_file,
                                        result.scenarios)
        return json.dumps({"ok": True, "holds": holds, "report": report}, ensure_ascii=False)

    def questions(self, text: str) -> str:
        """The checker's questions under ``text``'s rules, in asking order, for the form."""
        book = self._book(text)
        if book is None:
            return json.dumps({"ok": False, "message": NOT_VALID}, ensure_ascii=False)
        return json.dumps({"ok": True, "questions": to_json(book.compiled.questions)},
                          ensure_ascii=False)

    def _yaml(self, text: str) -> LoadedYaml | None:
        """``text`` read as YAML with positions, or None when it is not YAML."""
        rules = self.root / "search" / self.setup.rules_file
        rules.parent.mkdir(parents=True, exist_ok=True)
        rules.write_text(text, encoding="utf-8")
        try:
            return load_yaml(rules, self.setup.rules_file, strict=False)
        except RulesError:
            return None

    def find(self, text: str, query: str) -> str:
        """Where a sentence as the site shows it is written (placeholders rendered, lines
        unwrapped, spaces and case ignored): ``[{line, column, field, excerpt}]``."""
        wanted = _spoken(query).casefold()
        if not wanted:
            return "[]"
        loaded = self._yaml(text)
        if loaded is None:
            return "[]"
        displays = self._displays()
        found: list[dict[str, Any]] = []
        for path, value in text_fields(loaded.data):
            shown = _spoken(render(value, displays) if path[:1] != ("parameters",) else value)
            at = shown.casefold().find(wanted)
            if at < 0:
                continue
            line, column = _in_source(loaded, path, query)
            found.append({"line": line, "column": column,
                          "field": _field(path), "excerpt": shown[max(0, at - 40):at + 120]})
            if len(found) >= FOUND_AT_MOST:
                break
        return json.dumps(found, ensure_ascii=False)

    def locate(self, text: str, field: str) -> str:
        """The line and column of ``field`` (``faq``, ``rules[2].body``…) in ``text``, or of
        the item whose ``id`` is the last name (``rules.charter``)."""
        loaded = self._yaml(text)
        if loaded is None:
            return json.dumps(None)
        path = _path(field, loaded.data)
        if path is None:
            return json.dumps(None)
        where = loaded.where(path)
        return json.dumps({"line": where.line, "column": where.column})

    def _displays(self) -> dict[str, str]:
        """The parameters' displays of the last valid text, else of the published rules (a
        name neither knows stays as written)."""
        book = (self._rules[1].book if self._rules and self._rules[1].book
                else self.published.book)
        return _AsWritten(book.displays if book else {})


class _AsWritten(dict[str, str]):
    """Displays that give an unknown placeholder back as written."""

    def __missing__(self, name: str) -> str:
        return "{{ " + name + " }}"


def _in_source(loaded: Any, path: tuple[str | int, ...], query: str) -> tuple[int, int]:
    """Where ``query`` starts in the value at ``path`` as written (its words across line
    breaks), else where the value starts."""
    where = loaded.where(path)
    span = loaded.spans.get(path)
    words = query.split()
    # The longest run of the first words written as they are (a placeholder the site
    # renders, {{ effective_date }}, stops it).
    for count in range(len(words), 0, -1) if span else ():
        pattern = r"\s+".join(re.escape(word) for word in words[:count])
        match = re.compile(pattern, re.IGNORECASE).search(loaded.text, span[0], span[1])
        if match:
            before = loaded.text[:match.start()]
            return before.count("\n") + 1, match.start() - (before.rfind("\n") + 1) + 1
    return where.line, where.column


def _said(result: Validation, start: float, examples_pending: bool) -> str:
    return json.dumps({
        "valid": result.valid, "report": result.report(),
        "examples_pending": examples_pending,
        "subject": result.error.subject if result.error else None,
        "stopped": result.error.stopped if result.error else None,
        "problems": [_problem(p) for p in result.problems],
        "ms": round((time.perf_counter() - start) * 1000, 1),
    }, ensure_ascii=False)


def _spoken(text: str) -> str:
    return " ".join(text.split())


def _field(path: tuple[str | int, ...]) -> str:
    return "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in path)[1:]


STEP = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*)|\[(\d+)\]")


def _path(field: str, data: Any) -> tuple[str | int, ...] | None:
    """``rules[2].body`` -> ``("rules", 2, "body")``; a name that is not a key of a list's
    parent is the ``id`` of one of its items (``rules.charter``)."""
    path: list[str | int] = []
    node = data
    for name, index in STEP.findall(field):
        if index:
            step: str | int = int(index)
        elif isinstance(node, list):
            step = next((i for i, item in enumerate(node)
                         if isinstance(item, dict) and item.get("id") == name), -1)
            if step == -1:
                return None
        else:
            step = name
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            return None
        path.append(step)
    return tuple(path)
