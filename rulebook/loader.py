"""The one loader: read, check and compile ``rules.yaml``, or list every problem."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from checker.model import CompiledRules
from rulebook.answer_checks import check_answer_space
from rulebook.coherence import check_coherence
from rulebook.compile import compile_rules, parameter_displays
from rulebook.complements import find_complements
from rulebook.declaration import Rules, check_structure, typed
from rulebook.errors import MAX_PROBLEMS, FieldPath, Problem, Report, RulesError, TooManyProblems
from rulebook.placeholders import render
from rulebook.references import check_references
from rulebook.slugs import address_clashes
from rulebook.yamlload import format_path, load_yaml


@dataclass
class RulesBook:
    """Validated rules: typed (``rules``), compiled for the checker (``compiled``), their
    parameters' French display values and the hand-written pages they may point to
    (``more:``: source URI -> title). ``data`` is the file as read (the content impact
    compares two of them; the site's glossary check of hand-written pages reads it)."""

    path: Path
    data: dict[str, Any]
    rules: Rules
    compiled: CompiledRules
    displays: dict[str, str] = field(default_factory=dict)
    complements: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, path: Path, data: dict[str, Any],
           complements: dict[str, str] | None = None) -> RulesBook:
        """The book of checked ``data``: typed, compiled, displays computed."""
        rules = typed(data)
        return cls(path, data, rules, compile_rules(rules), parameter_displays(rules),
                   complements or {})

    def render(self, text: str) -> str:
        """Replace ``{{ parameter }}`` placeholders by their French display values."""
        return render(text, self.displays)


def check_addresses(book: RulesBook, report: Report) -> None:
    """One address per page: a rule's page may share it with no other rule, the rules'
    list, a hand-written page of the section or an old address that now redirects."""
    rules = [(r.id, r.slug) for r in book.compiled.rules]
    names = [uri.removeprefix("rules/").removesuffix(".md") for uri in book.complements
             if uri.startswith("rules/")]
    for i, slug, holder in address_clashes(rules, names):
        rid, written = rules[i][0], book.rules.rules[i].slug is not None
        report(("rules", i, "slug" if written else "title"),
               f"la page de la règle « {rid} » serait publiée à l'adresse regles/{slug}/, "
               f"déjà prise par {holder} : changez le titre ou écrivez un autre « slug »")


def load_rules(path: Path | str, display_name: str | None = None,
               docs_dir: Path | str | None = None) -> RulesBook:
    """Load and validate ``path``; raise :class:`RulesError` with every problem found.

    ``docs_dir`` holds the hand-written pages: ``more:`` may only point to one of
    them. By default, ``docs/`` beside the rules' folder; when there is none (a
    lone copy of the file), ``more:`` targets are not checked.
    """
    path = Path(path)
    folder = Path(docs_dir) if docs_dir else path.parent.parent / "docs"
    complements = find_complements(folder) if docs_dir or folder.is_dir() else None
    loaded = load_yaml(path, display_name or str(path), strict=False)
    problems: list[Problem] = list(loaded.problems)
    # A value already reported while reading (say an impossible date, read as
    # None) is not reported a second time by the checks below.
    unreadable = {p.field for p in loaded.problems}

    def report(where: FieldPath, message: str, needle: str | None = None) -> None:
        if format_path(where) not in unreadable:
            if len(problems) >= MAX_PROBLEMS:
                raise TooManyProblems(problems)
            problems.append(loaded.problem(where, message, needle))

    try:
        check_structure(loaded.data, report)
        check_references(loaded.data, report, lint=not problems, complements=complements)
        if problems:
            raise RulesError(problems)
        book = RulesBook.of(path, loaded.data, complements)
        check_addresses(book, report)
        check_answer_space(book.compiled, report)
        if not problems:
            check_coherence(book.compiled, report)
    except TooManyProblems as exc:
        raise exc.error() from None
    if problems:
        raise RulesError(problems)
    return book
