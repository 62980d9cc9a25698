"""Problems found in a rules file, reported together and in French."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

FieldPath = tuple[str | int, ...]
"""Where a value sits in the document: keys and list indexes from the top."""


class Report(Protocol):
    """Collects one problem at ``where``; ``needle`` locates a text inside the value."""

    def __call__(self, where: FieldPath, message: str, needle: str | None = None) -> None: ...


@dataclass(frozen=True, order=True)
class Problem:
    """One problem, located as ``file:line:column`` with the field path."""

    file: str
    line: int
    column: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        field = f" [{self.field}]" if self.field else ""
        return f"{where}:{field} {self.message}"


SHOWN = 200  # problems listed in a report: past that, the first ones are what to fix
MAX_PROBLEMS = SHOWN  # reading and checking stop there: nobody reads more, and finding them costs


class TooManyProblems(Exception):
    """Raised by a collector holding :data:`MAX_PROBLEMS` problems: the check stops."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(len(problems))
        self.problems = problems

    def error(self, step: str = "vérification") -> RulesError:
        """The report of the problems found, closed by a line saying the ``step`` stopped."""
        return RulesError(self.problems, stopped=step)


class RulesError(Exception):
    """The rules file is invalid; ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem], subject: str = "Le fichier de règles",
                 stopped: str | None = None) -> None:
        self.problems = sorted(set(problems))
        self.subject = subject
        self.stopped = stopped  # the step ("lecture", "vérification") cut short, if any
        super().__init__(self.report())

    def report(self) -> str:
        """The French report printed by the CLI and the MkDocs build."""
        count = len(self.problems)
        noun = "problème" if count == 1 else "problèmes"
        at_least = "au moins " if self.stopped else ""
        lines = [f"{self.subject} contient {at_least}{count} {noun} :"]
        lines += [f"  {p}" for p in self.problems[:SHOWN]]
        if count > SHOWN:
            rest = count - SHOWN
            lines.append(f"  … et {rest} {'autre' if rest == 1 else 'autres'} : "
                         "corrigez ceux-ci d'abord")
        if self.stopped:
            lines.append(f"  {self.stopped.capitalize()} arrêtée après {count} problèmes : "
                         "corrigez ceux-ci, puis relancez la vérification.")
        return "\n".join(lines)
