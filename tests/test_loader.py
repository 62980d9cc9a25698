"""Loading, compilation and the single-source-of-truth property of rules.yaml."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from checker import evaluate
from checker.model import CompiledRules
from rulebook.answer_space import complete_profiles
from rulebook.compile import compile_rules, compiled_json
from rulebook.declaration import json_schema
from rulebook.errors import RulesError
from rulebook.loader import RulesBook, load_rules
from tests.conftest import DOCS_PATH, ROOT, RULES_PATH

RULES_TEXT = RULES_PATH.read_text(encoding="utf-8")


def test_each_key_figure_is_written_only_as_a_parameter_value() -> None:
    for figure in ("1000", "29", "39", "2022-12-31", "1200", "2021-11-03", "2022-02-01", "800"):
        lines = [line for line in RULES_TEXT.splitlines()
                 if re.search(rf"(?<![\w-]){re.escape(figure)}(?![\w-])", line)]
        assert lines and all(line.startswith("    value: ") for line in lines), (figure, lines)


def test_compilation_is_deterministic(book: RulesBook) -> None:
    assert compiled_json(compile_rules(book.rules)) == compiled_json(book.compiled)
    assert compiled_json(load_rules(RULES_PATH).compiled) == compiled_json(book.compiled)


def test_no_placeholder_survives_compilation(book: RulesBook) -> None:
    assert "{{" not in compiled_json(book.compiled)


@pytest.mark.parametrize("day", [date(2021, 12, 1), date(2022, 6, 1), date(2023, 6, 1)])
def test_every_complete_producer_profile_gets_exactly_one_plan(compiled: CompiledRules,
                                                               day: date) -> None:
    profiles = list(complete_profiles(compiled, day))
    assert len(profiles) > 20
    for answers in profiles:
        verdict = evaluate(compiled, answers, as_of=day)
        assert verdict["complete"] and not verdict["errors"]
        cited = {reason["text"] for reason in verdict["reasons"]}
        plans = [e.plan for r in compiled.rules for e in r.effects
                 if e.plan and e.explain in cited]
        if answers["role"] == "producer":
            assert len(plans) == 1 and verdict["plan"] == plans[0], answers
        else:
            assert plans == [] and verdict["plan"] is None, answers


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_changing_the_threshold_in_one_place_changes_verdicts_and_texts(tmp_path: Path) -> None:
    edited = RULES_TEXT.replace("    value: 1000\n", "    value: 1500\n")
    book = load_rules(write(tmp_path, edited), docs_dir=DOCS_PATH)
    answers = {"role": "producer", "direct_seller": True, "account": "discovery",
               "sales_outside_amap_eur": 1200}
    verdict = evaluate(book.compiled, answers, as_of="2022-06-01")
    assert verdict["annual_limit_eur"] == 1500
    assert verdict["actions"] == []
    assert any("approchent du plafond de 1\u202f500\u00a0€" in r["text"]
               for r in verdict["reasons"])
    assert "1\u202f000" not in compiled_json(book.compiled)


def test_all_problems_are_reported_at_once_with_positions(tmp_path: Path) -> None:
    broken = (RULES_TEXT
              .replace("    value: 39\n", "    value: trente-neuf\n")
              .replace("        action: open_discovery_account\n",
                       "        action: open_discovery_acount\n", 1)
              .replace("  - id: transfer_catalogues\n    title:",
                       "  - id: transfer_catalogues\n    titel:"))
    with pytest.raises(RulesError) as info:
        load_rules(write(tmp_path, broken), "data/rules.yaml", DOCS_PATH)
    report = info.value.report()
    # Three mistakes, all in one report, each once: the typo explains the missing
    # "title" and the action left unused, so those are not reported again.
    assert "3 problèmes" in report, report
    assert "clé obligatoire « title » manquante" not in report
    assert "action jamais déclenchée" not in report
    lines = broken.splitlines()
    for problem in info.value.problems:
        assert problem.file == "data/rules.yaml"
        assert problem.line >= 1 and problem.column >= 1
    assert "vouliez-vous dire « title »" in report
    assert "vouliez-vous dire « open_discovery_account »" in report
    located = {p.line for p in info.value.problems}
    assert any("trente-neuf" in lines[n - 1] for n in located)
    assert any("open_discovery_acount" in lines[n - 1] for n in located)


def test_duplicate_keys_are_errors(tmp_path: Path) -> None:
    broken = RULES_TEXT.replace("    value: 29\n", "    value: 29\n    value: 30\n")
    with pytest.raises(RulesError, match="clé « value » en double"):
        load_rules(write(tmp_path, broken), docs_dir=DOCS_PATH)


def test_committed_json_schema_is_up_to_date() -> None:
    committed = json.loads((ROOT / "schema" / "rules.schema.json").read_text(encoding="utf-8"))
    assert committed == json_schema()
    assert RULES_TEXT.startswith("# yaml-language-server: $schema=../schema/rules.schema.json")


def test_a_new_action_for_a_new_situation_needs_no_python_change(tmp_path: Path) -> None:
    edited = RULES_TEXT.replace(
        "  - id: read_charter\n",
        "  - id: join_training_waitlist\n"
        "    title: S'inscrire sur la liste d'attente de la formation\n"
        "    text: Les sessions se remplissent vite.\n"
        "  - id: read_charter\n",
    ).replace(
        "        plan: pro\n        explain:",
        "        plan: pro\n"
        "        action: join_training_waitlist\n        explain:",
    )
    book = load_rules(write(tmp_path, edited), docs_dir=DOCS_PATH)
    verdict = evaluate(book.compiled, {"role": "producer", "direct_seller": True,
                                       "account": "pro"}, as_of="2022-06-01")
    assert [a["id"] for a in verdict["actions"]] == ["join_training_waitlist"]
    assert verdict["actions"][0]["rules"] == ["discovery_account"]
