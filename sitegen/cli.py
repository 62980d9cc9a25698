"""``cagette-rules``: check answers, validate the rules file, print its schema.

Exit codes: 0 valid; 1 answers with errors; 2 bad rules file or usage.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from checker import evaluate, verdict_json
from sitegen.errors import RulesError
from sitegen.loader import RulesBook, load_rules
from sitegen.scenarios import Scenario, coverage, load_scenarios, run_scenario
from sitegen.schema import json_schema

DEFAULT_RULES = Path("data/rules.yaml")
DEFAULT_SCENARIOS = Path("data/scenarios.yaml")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse exits 2 in English otherwise
        self.print_usage(sys.stderr)
        print(f"cagette-rules : erreur d'utilisation : {message}", file=sys.stderr)
        raise SystemExit(2)


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"date invalide « {text} » (AAAA-MM-JJ)") from None


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
    return parser


def _read_answers(source: str) -> Any:
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SystemExit(_usage_error(f"lecture des réponses impossible : {exc}")) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        message = f"réponses JSON invalides, ligne {exc.lineno} colonne {exc.colno} : {exc.msg}"
        raise SystemExit(_usage_error(message)) from None


def _usage_error(message: str) -> int:
    print(f"cagette-rules : {message}", file=sys.stderr)
    return 2


def summary(book: RulesBook, verdict: dict[str, Any]) -> str:
    """A readable French summary of a verdict."""
    questions = {q["id"]: q for q in book.compiled["questions"]}
    permissions = {p["id"]: p["label"] for p in book.compiled["permissions"]}
    lines: list[str] = []
    for qid, message in verdict["errors"].items():
        label = questions[qid]["label"] if qid in questions else qid
        lines.append(f"Erreur — {label} : {message}")
    if verdict["missing"]:
        lines.append("Questions restantes :")
        lines += [f"  - {questions[q]['label']}" for q in verdict["missing"]]
    plans = {p["id"]: p for p in book.compiled["plans"]}
    if verdict["plan"]:
        plan = plans[verdict["plan"]]
        extra = ""
        if plan["annual_limit_display"]:
            extra = f" (plafond annuel : {plan['annual_limit_display']} ; {plan['counts']})"
        elif verdict["unlimited_sales"]:
            extra = " (ventes sans limite)"
        lines.append(f"Formule : {verdict['plan_name']}{extra}")
    if verdict["permissions"]:
        lines.append("Droits :")
        lines += [f"  - {'oui' if allowed else 'non'} : {permissions[p]}"
                  for p, allowed in verdict["permissions"].items()]
    if verdict["actions"]:
        lines.append("À faire :")
        for action in verdict["actions"]:
            due = ""
            if action["deadline"]:
                state = "dépassée" if action["overdue"] else "avant le"
                due = f" [échéance {state} {action['deadline']}]"
            lines.append(f"  - {action['title']}{due}")
    if verdict["explanation"]:
        lines.append("Pourquoi :")
        lines += [f"  - {sentence}" for sentence in verdict["explanation"]]
    lines += [f"À savoir : {hint}" for hint in verdict["hints"]]
    return "\n".join(lines)


def _run_scenarios(book: RulesBook, path: Path, scenarios: list[Scenario]) -> int:
    failed = 0
    for scenario in scenarios:
        mismatches = run_scenario(book.compiled, scenario)
        if mismatches:
            failed += 1
            print(f"ÉCHEC {path}:{scenario.line} {scenario.name}")
            print("\n".join(f"    {m}" for m in mismatches))
    gaps = {k: v for k, v in coverage(book.compiled, scenarios).items() if v}
    for kind, items in gaps.items():
        print(f"Non couvert ({kind}) : {', '.join(items)}")
    print(f"{len(scenarios) - failed} scénario(s) conforme(s), {failed} en échec")
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``cagette-rules``."""
    args = _parser().parse_args(argv)
    if args.command == "schema":
        print(json.dumps(json_schema(), ensure_ascii=False, indent=2))
        return 0
    path = args.path if args.command == "validate" else args.rules
    try:
        book = load_rules(path)
        scenarios = load_scenarios(args.path) if args.command == "scenarios" else []
    except RulesError as exc:
        print(exc.report(), file=sys.stderr)
        return 2
    if args.command == "validate":
        print(f"{path} : règles valides.")
        return 0
    if args.command == "scenarios":
        return _run_scenarios(book, args.path, scenarios)
    answers = _read_answers(args.answers)
    verdict = evaluate(book.compiled, answers, as_of=args.as_of)
    print(verdict_json(verdict) if args.json else summary(book, verdict))
    return 1 if verdict["errors"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
