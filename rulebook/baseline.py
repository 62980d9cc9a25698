"""The two versions an impact compares: a baseline (the rules file committed at a
git revision, ``HEAD`` by default, or another file) and the working copy.

Every failure is a :class:`BaselineError` in French, naming the side at fault:
git missing, not a repository, unknown revision, file absent at that revision,
or the located validation report of either version.
"""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rulebook.content_diff import text_changes
from rulebook.errors import RulesError
from rulebook.impact import Impact, impact
from rulebook.loader import RulesBook, load_rules

DEFAULT_REF = "HEAD"
GIT_TIMEOUT_S = 20


class BaselineError(Exception):
    """The comparison cannot be made; the message is the French report."""


@dataclass
class Sides:
    """Both versions, validated, with the names the report gives them."""

    before: RulesBook
    after: RulesBook
    baseline: str
    working: str


def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False,
                              timeout=GIT_TIMEOUT_S)
    except FileNotFoundError:
        raise BaselineError("git est introuvable sur cette machine : comparez à un fichier "
                            "avec --against FICHIER.") from None
    except subprocess.TimeoutExpired:
        raise BaselineError(f"git ne répond pas (plus de {GIT_TIMEOUT_S} s).") from None


def git_version(rules_path: Path, ref: str = DEFAULT_REF) -> tuple[bytes, str]:
    """The bytes of ``rules_path`` as committed at ``ref``, and its name (``HEAD:data/rules.yaml``).

    Git runs from the repository's root, whatever the current directory.
    """
    path = rules_path.resolve()
    folder = path.parent if path.parent.is_dir() else Path.cwd()
    top = _git(folder, "rev-parse", "--show-toplevel")
    if top.returncode != 0:
        raise BaselineError(f"« {folder} » n'est pas dans un dépôt git : pas de version de "
                            "référence à comparer. Comparez à un fichier avec --against FICHIER.")
    root = Path(top.stdout.decode().strip()).resolve()
    try:
        relative = path.relative_to(root).as_posix()
    except ValueError:
        raise BaselineError(f"« {rules_path} » est hors du dépôt git « {root} » : comparez à un "
                            "fichier avec --against FICHIER.") from None
    if ref.startswith("-") or _git(root, "rev-parse", "--verify", "--quiet",
                                   f"{ref}^{{commit}}").returncode != 0:
        raise BaselineError(f"« {ref} » n'est ni un fichier ni une révision connue du dépôt git "
                            "(par exemple HEAD, main, un numéro de commit).")
    shown = _git(root, "show", f"{ref}:{relative}")
    if shown.returncode != 0:
        raise BaselineError(f"Le fichier « {relative} » n'existe pas dans la révision "
                            f"« {ref} » : rien à quoi comparer.")
    return shown.stdout, f"{ref}:{relative}"


def side_report(side: str, exc: RulesError) -> str:
    """The located problems of one version, introduced by which one it is."""
    count = len(exc.problems)
    noun = "problème" if count == 1 else "problèmes"
    lines = [f"{side} contient {count} {noun} :", *(f"  {p}" for p in exc.problems)]
    return "\n".join(lines)


def _load_bytes(raw: bytes, name: str, docs_dir: Path | None) -> RulesBook:
    with tempfile.TemporaryDirectory(prefix="cagette-baseline-") as folder:
        path = Path(folder) / "rules.yaml"
        path.write_bytes(raw)
        return load_rules(path, display_name=name, docs_dir=docs_dir)


def load_sides(rules_path: Path, against: str | None = None,
               working_name: str | None = None, docs_dir: Path | None = None) -> Sides:
    """Validate the working copy and the baseline; report both sides' problems at once.

    ``against`` is a file when one exists at that path, else a git revision
    (``HEAD`` when not given). ``docs_dir``: the hand-written pages ``more:`` may
    point to (``docs/`` beside the rules' folder by default), for both versions.
    """
    docs_dir = docs_dir or rules_path.resolve().parent.parent / "docs"
    working = working_name or str(rules_path)
    ref = against or DEFAULT_REF
    reports: list[str] = []
    before = after = None
    try:
        after = load_rules(rules_path, display_name=working, docs_dir=docs_dir)
    except RulesError as exc:
        reports.append(side_report(f"Votre version de travail ({working})", exc))
    baseline = ref
    try:
        if against is not None and Path(against).exists():
            before = load_rules(Path(against), docs_dir=docs_dir)
        else:
            raw, baseline = git_version(rules_path, ref)
            before = _load_bytes(raw, baseline, docs_dir)
    except RulesError as exc:
        reports.append(side_report(f"La version de référence ({baseline})", exc)
                       + "\nElle ne peut pas servir de comparaison : corrigez-la, ou comparez "
                       "à une autre version avec --against.")
    except BaselineError as exc:
        reports.append(str(exc))
    if reports:
        raise BaselineError("\n".join(reports))
    assert before is not None and after is not None
    return Sides(before, after, baseline, working)


def uncommitted_impact(rules_path: Path, working: RulesBook, working_name: str,
                       docs_dir: Path | None = None) -> tuple[Impact | None, str | None]:
    """The impact of the working copy against ``HEAD`` for the preview, or why there is none.

    ``(None, None)`` when the file is as committed; never raises for git or a
    broken baseline (the preview must go on): the reason comes back instead.
    """
    try:
        raw, name = git_version(rules_path)
        if raw == rules_path.read_bytes():
            return None, None
        before = _load_bytes(raw, name, docs_dir)
    except BaselineError as exc:
        return None, str(exc)
    except RulesError as exc:
        return None, side_report(f"La version de référence ({DEFAULT_REF})", exc)
    except OSError as exc:
        return None, f"lecture impossible : {exc}"
    return compare(before, working, baseline=name, working=working_name), None


def compare(before: RulesBook, after: RulesBook, *, baseline: str, working: str,
            as_of: date | None = None) -> Impact:
    """The impact of ``after`` against ``before``: verdicts, values and pages' texts."""
    texts = text_changes(before.data, after.data, before.render, after.render)
    return impact(before.compiled, after.compiled, baseline=baseline, working=working,
                  as_of=as_of, texts=texts)
