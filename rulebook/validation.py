"""What ``cagette-rules validate`` says of a rules file: every problem of the file, then
every example (scenario) and invariant of its scenarios' file that no longer holds; the
one place both the command line and the browser editor get it from."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rulebook.errors import Problem, RulesError
from rulebook.loader import RulesBook, load_rules
from rulebook.scenarios import ScenarioFile, file_problems, load_scenario_file

EXAMPLES = "Les exemples (fichier des scénarios)"


@dataclass
class Validation:
    """A rules file validated: its book (``None`` when it is broken), its scenarios (when
    found and readable), and the error listing every problem (``None`` when valid)."""

    display: str
    book: RulesBook | None
    scenarios: ScenarioFile | None
    error: RulesError | None

    @property
    def valid(self) -> bool:
        """Whether the file and its examples hold."""
        return self.error is None

    @property
    def problems(self) -> list[Problem]:
        """Every problem, in the report's order."""
        return self.error.problems if self.error else []

    def report(self) -> str:
        """What the command prints: the problems, or ``… : règles valides ; 119 exemples et
        16 invariants vérifiés.``"""
        if self.error is not None:
            return self.error.report()
        checked = (f" ; {len(self.scenarios.scenarios)} exemples et "
                   f"{len(self.scenarios.invariants)} invariants vérifiés"
                   if self.scenarios is not None else "")
        return f"{self.display} : règles valides{checked}."


def validate_rules(path: Path, docs_dir: Path | None = None,
                   display_name: str | None = None) -> Validation:
    """The rules file alone (no examples yet), located as ``display_name``."""
    display = display_name or str(path)
    try:
        return Validation(display, load_rules(path, display_name=display, docs_dir=docs_dir),
                          None, None)
    except RulesError as error:
        return Validation(display, None, None, error)


def with_examples(rules: Validation, scenarios_path: Path | None,
                  scenarios_name: str | None = None) -> Validation:
    """``rules`` (valid) with the examples of ``scenarios_path`` checked, when it is a file;
    ``rules`` itself when it is broken or there are no examples."""
    book = rules.book
    if book is None or rules.error is not None or scenarios_path is None \
            or not scenarios_path.is_file():
        return rules
    try:
        scenarios = load_scenario_file(scenarios_path, scenarios_name).resolved(book.compiled)
    except RulesError as error:
        return Validation(rules.display, book, None, error)
    broken = file_problems(book.compiled, scenarios)
    error = RulesError(broken, subject=EXAMPLES) if broken else None
    return Validation(rules.display, book, scenarios, error)


def validate(path: Path, docs_dir: Path | None = None, scenarios_path: Path | None = None,
             display_name: str | None = None, scenarios_name: str | None = None) -> Validation:
    """Validate ``path``, then the examples of ``scenarios_path`` (when it is a file);
    problems are located as ``display_name`` and ``scenarios_name`` (the paths by
    default)."""
    return with_examples(validate_rules(path, docs_dir, display_name), scenarios_path,
                         scenarios_name)
