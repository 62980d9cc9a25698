"""``cagette-rules``: check answers, validate the rules file, print its schema,
show the impact of an edit.

Exit codes: 0 valid (``impact``: nothing changes); 1 answers with errors;
2 bad rules file or usage; 3 (``impact``) something changes (a value, a page's text or a
situation).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import date
from pathlib import Path
from typing import Any

from checker import as_text, evaluate, verdict_json
from checker.french import format_number
from rulebook.baseline import BaselineError, compare, load_sides
from rulebook.declaration import json_schema
from rulebook.errors import RulesError
from rulebook.impact_report import as_text as impact_text
from rulebook.loader import RulesBook, load_rules
from rulebook.scenario_report import scenario_report
from rulebook.scenarios import ScenarioFile, load_scenario_file
from rulebook.validation import validate
from rulebook.yamlload import FileTooLarge, NotARegularFile, read_bounded

DEFAULT_RULES = Path("data/rules.yaml")
DEFAULT_SCENARIOS = Path("data/scenarios.yaml")
DEFAULT_DOCS = Path("docs")  # when the rules' project has no docs/ of its own


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse exits 2 in English otherwise
        self.print_usage(sys.stderr)
        message = re.sub(r"^argument ([^:]+): ", r"\1 : ", message)  # argparse's English
        print(f"cagette-rules : erreur d'utilisation : {message}", file=sys.stderr)
        raise SystemExit(2)


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
MAX_ANSWER_BYTES = 100_000  # a few hundred bytes in practice
MAX_JSON_DEPTH = 20  # an answer set nests two levels


def _iso_date(text: str) -> date:
    """A day written ``AAAA-MM-JJ`` (and only so: not ``20230115`` nor ``2023-W03-1``)."""
    try:
        if ISO_DATE.fullmatch(text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise argparse.ArgumentTypeError(f"date invalide « {text[:40]} » : écrivez AAAA-MM-JJ "
                                     "avec une date qui existe (par exemple 2023-01-15)")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="cagette-rules", description="Règles Cagette.net du 3 novembre 2021.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    check = sub.add_parser("check", help="évaluer un jeu de réponses")
    check.add_argument("answers", nargs="?", default="-",
                       help="fichier JSON des réponses, ou - pour l'entrée standard")
    check.add_argument("--rules", type=Path, default=DEFAULT_RULES, help="fichier de règles")
    check.add_argument("--as-of", type=_iso_date, default=None, help="date d'évaluation")
    check.add_argument("--json", action="store_true", help="sortie JSON (contrat)")
    validate = sub.add_parser("validate", help="valider le fichier de règles")
    validate.add_argument("path", nargs="?", type=Path, default=DEFAULT_RULES)
    sub.add_parser("schema", help="afficher le schéma JSON de rules.yaml")
    scen = sub.add_parser("scenarios", help="vérifier les scénarios de référence")
    scen.add_argument("path", nargs="?", type=Path, default=DEFAULT_SCENARIOS)
    scen.add_argument("--rules", type=Path, default=DEFAULT_RULES, help="fichier de règles")
    imp = sub.add_parser("impact", help="ce que change votre modification, situation par "
                         "situation (code 3 si quelque chose change)")
    imp.add_argument("--rules", type=Path, default=DEFAULT_RULES,
                     help="version de travail du fichier de règles")
    imp.add_argument("--against", metavar="REF|FICHIER", default=None,
                     help="version de référence : une révision git (HEAD par défaut) ou un "
                     "fichier")
    imp.add_argument("--as-of", type=_iso_date, default=None,
                     help="comparer ce jour seulement (par défaut : toutes les périodes)")
    imp.add_argument("--json", action="store_true", help="sortie JSON (structure stable)")
    for command in (check, validate, scen, imp):
        command.add_argument("--docs", type=Path, default=None,
                             help="dossier des pages écrites à la main (cibles de « more: ») ; "
                             "par défaut docs/ à côté du dossier des règles, sinon ./docs")
    return parser


def docs_dir(rules: Path, given: Path | None) -> Path:
    """The hand-written pages' folder: given, else the project's, else ``./docs``."""
    if given is not None:
        return given
    beside = rules.resolve().parent.parent / "docs"
    return beside if beside.is_dir() else DEFAULT_DOCS


def _read_answers(source: str) -> Any:
    """The answers, read from ``source`` (a file, or ``-`` for standard input) within
    :data:`MAX_ANSWER_BYTES`; every problem a French usage error (exit 2)."""
    try:
        raw = (sys.stdin.buffer.read(MAX_ANSWER_BYTES + 1) if source == "-"
               else read_bounded(Path(source), MAX_ANSWER_BYTES))
        if len(raw) > MAX_ANSWER_BYTES:
            raise FileTooLarge(len(raw))
        text = raw.decode("utf-8-sig")  # a byte order mark, as some editors write, is fine
    except FileTooLarge:
        raise SystemExit(_usage_error(f"réponses trop volumineuses (plus de "
                                      f"{format_number(MAX_ANSWER_BYTES)} octets)")) from None
    except NotARegularFile:
        raise SystemExit(_usage_error("lecture des réponses impossible : ce n'est pas un "
                                      "fichier ordinaire")) from None
    except UnicodeDecodeError:
        raise SystemExit(_usage_error("réponses illisibles : enregistrez le fichier en "
                                      "UTF-8")) from None
    except OSError as exc:
        reason = exc.strerror or "le système refuse de le lire"
        raise SystemExit(_usage_error(f"lecture des réponses impossible : {reason}")) from None
    try:
        answers = json.loads(text, object_pairs_hook=_no_duplicate_keys)
    except json.JSONDecodeError as exc:
        message = (f"réponses JSON invalides, ligne {exc.lineno} colonne {exc.colno} : "
                   f"{JSON_ERRORS.get(exc.msg, exc.msg)}")
        raise SystemExit(_usage_error(message)) from None
    except DuplicateKey as exc:
        raise SystemExit(_usage_error(f"réponses JSON invalides : la question « {exc.key} » "
                                      "est donnée deux fois")) from None
    except RecursionError:
        raise SystemExit(_usage_error("réponses JSON invalides : imbrication trop "
                                      "profonde")) from None
    except ValueError:  # a number of thousands of digits (Python refuses to read it)
        raise SystemExit(_usage_error("réponses JSON invalides : nombre trop long")) from None
    if _depth(answers) > MAX_JSON_DEPTH:
        raise SystemExit(_usage_error("réponses JSON invalides : imbrication trop profonde"))
    return answers


class DuplicateKey(ValueError):
    """A key given twice in one JSON object."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise DuplicateKey(key)
        seen[key] = value
    return seen


def _depth(value: Any, level: int = 0) -> int:
    """How deep ``value`` nests (stopping just past :data:`MAX_JSON_DEPTH`)."""
    if level > MAX_JSON_DEPTH or not isinstance(value, dict | list):
        return level
    items = value.values() if isinstance(value, dict) else value
    return max((_depth(item, level + 1) for item in items), default=level + 1)


# The json module's messages, in French (the usual ones).
JSON_ERRORS = {
    "Expecting value": "valeur attendue",
    "Expecting property name enclosed in double quotes": "nom de question entre guillemets "
                                                         "doubles attendu",
    "Expecting ',' delimiter": "« , » attendue",
    "Expecting ':' delimiter": "« : » attendu",
    "Extra data": "texte en trop après les réponses",
    "Unterminated string starting at": "texte sans guillemet fermant",
    "Invalid control character at": "caractère de contrôle interdit",
}


def _usage_error(message: str) -> int:
    print(f"cagette-rules : {message}", file=sys.stderr)
    return 2


def _run_scenarios(book: RulesBook, path: Path, loaded: ScenarioFile) -> int:
    text, ok = scenario_report(book.compiled, str(path), loaded)
    print(text)
    return 0 if ok else 1


IMPACT_CHANGED = 3


def _impact(args: argparse.Namespace) -> int:
    try:
        sides = load_sides(args.rules, args.against, docs_dir=docs_dir(args.rules, args.docs))
    except BaselineError as exc:
        print(exc, file=sys.stderr)
        return 2
    result = compare(sides.before, sides.after, baseline=sides.baseline,
                     working=sides.working, as_of=args.as_of)
    if args.json:
        print(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    else:
        print(impact_text(result))
    return IMPACT_CHANGED if result.changed else 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``cagette-rules``."""
    args = _parser().parse_args(argv)
    if args.command == "impact":
        return _impact(args)
    if args.command == "schema":
        print(json.dumps(json_schema(), ensure_ascii=False, indent=2))
        return 0
    path = args.path if args.command == "validate" else args.rules
    if args.command == "validate":
        result = validate(path, docs_dir(path, args.docs), path.parent / DEFAULT_SCENARIOS.name)
        print(result.report(), file=sys.stderr if result.error else sys.stdout)
        return 2 if result.error else 0
    try:
        book = load_rules(path, docs_dir=docs_dir(path, args.docs))
        scenarios = (load_scenario_file(args.path).resolved(book.compiled)
                     if args.command == "scenarios" else None)
    except RulesError as exc:
        print(exc.report(), file=sys.stderr)
        return 2
    if scenarios is not None:
        return _run_scenarios(book, args.path, scenarios)
    answers = _read_answers(args.answers)
    verdict = evaluate(book.compiled, answers, as_of=args.as_of)
    print(verdict_json(verdict) if args.json else as_text(verdict))
    return 1 if verdict["errors"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
