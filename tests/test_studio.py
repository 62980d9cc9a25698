"""The editor's Python (``rulebook.studio``), in CPython: the same report as
``cagette-rules validate`` for every case of the bad-rules corpus, the impact against the
published rules, the checker on the edited rules, and a sentence found as the site shows
it. The browser tests run the same calls in Pyodide, through the editor page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rulebook.complements import find_complements
from rulebook.public_holidays import holidays_table
from rulebook.studio import Studio
from tests.badrules import FILE_NAME, Outcome
from tests.conftest import DOCS_PATH, RULES_PATH, SCENARIOS_PATH

RULES = RULES_PATH.read_text(encoding="utf-8")
THRESHOLD = ("    unit: eur\n    value: 1000\n", "    unit: eur\n    value: 1500\n")


def setup(**overrides: object) -> str:
    data = {"rules_file": "data/rules.yaml", "scenarios_file": "data/scenarios.yaml",
            "rules": RULES, "scenarios": SCENARIOS_PATH.read_text(encoding="utf-8"),
            "complements": find_complements(DOCS_PATH), "holidays": None}
    return json.dumps({**data, **overrides})


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory) -> Studio:
    return Studio(setup(), tmp_path_factory.mktemp("studio"))


@pytest.fixture(scope="module")
def corpus_studio(tmp_path_factory: pytest.TempPathFactory) -> Studio:
    """As the corpus' command line runs: the file named rules.yaml, no examples."""
    return Studio(setup(rules_file=FILE_NAME, scenarios=None),
                  tmp_path_factory.mktemp("corpus"))


def test_the_published_rules_are_valid_then_their_examples(studio: Studio) -> None:
    rules = json.loads(studio.check(RULES))
    assert rules["valid"] and rules["examples_pending"] and rules["problems"] == []
    assert rules["report"] == "data/rules.yaml : règles valides."
    full = json.loads(studio.examples(RULES))
    assert full["valid"] and not full["examples_pending"]
    assert full["report"] == ("data/rules.yaml : règles valides ; 119 exemples et 16 "
                              "invariants vérifiés.")


def test_every_corpus_case_gets_the_command_lines_report(
        corpus_studio: Studio, outcomes: dict[str, Outcome]) -> None:
    assert len(outcomes) > 100
    for case_id, outcome in outcomes.items():
        said = json.loads(corpus_studio.check(outcome.broken.raw))
        assert said["report"] == outcome.stderr.rstrip("\n"), case_id
        assert not said["valid"], case_id
        lines = outcome.stderr.splitlines()[1:]
        assert [p["text"] for p in said["problems"]] == [
            line.strip() for line in lines[:len(said["problems"])]], case_id


def test_the_examples_are_checked_like_validate(studio: Studio) -> None:
    from tests.impactcases import WORDING

    assert json.loads(studio.check(RULES.replace(*WORDING[0])))["valid"]  # the rules hold
    said = json.loads(studio.examples(RULES.replace(*WORDING[0])))
    assert not said["valid"] and said["subject"] == "Les exemples (fichier des scénarios)"
    assert said["problems"][0]["file"] == "data/scenarios.yaml"
    assert said["report"].startswith("Les exemples (fichier des scénarios) contient")


def test_the_scenarios_report_is_the_command_lines(studio: Studio) -> None:
    said = json.loads(studio.scenarios(RULES))
    assert said["ok"] and said["holds"]
    assert said["report"].endswith("119 scénario(s) conforme(s), 0 en échec ; 16 "
                                   "invariant(s), 0 écart(s)")


def test_the_impact_is_the_command_lines_against_the_published_rules(
        tmp_path: Path) -> None:
    studio = Studio(setup(scenarios=None), tmp_path)
    said = json.loads(studio.impact(RULES.replace(*THRESHOLD)))
    assert said["ok"] and said["changed"]
    report = said["report"].replace("\u202f", " ").replace("\u00a0", " ")
    assert report.startswith("Impact de data/rules.yaml modifié dans l'éditeur (version de "
                             "travail) par rapport à data/rules.yaml publié (référence)")
    assert "Plafond annuel de ventes hors AMAP du compte Découverte : 1 500 € au lieu de " \
           "1 000 €" in report
    assert json.loads(studio.impact(RULES))["changed"] is False
    broken = json.loads(studio.impact(RULES.replace("unit: eur\n", "unit: euros\n", 1)))
    assert broken == {"ok": False, "message": "Le fichier contient des erreurs : corrigez-les "
                      "d'abord (liste « Problèmes »), puis recommencez."}


def test_the_checker_runs_on_the_edited_rules(tmp_path: Path) -> None:
    studio = Studio(setup(scenarios=None), tmp_path)
    request = json.dumps({"answers": {"role": "producer", "direct_seller": True,
                                      "account": "discovery", "sales_outside_amap_eur": 1200},
                          "as_of": "2023-01-15"})
    before = json.loads(studio.evaluate(RULES, request))
    after = json.loads(studio.evaluate(RULES.replace(*THRESHOLD), request))
    assert before["verdict"]["annual_limit_eur"] == 1000
    assert after["verdict"]["annual_limit_eur"] == 1500
    assert "dans la limite de 1\u202f500\u00a0€ de ventes par an" in after["text"]
    questions = json.loads(studio.questions(RULES))["questions"]
    assert [q["id"] for q in questions][:3] == ["role", "direct_seller", "account"]


def test_a_sentence_is_found_as_the_site_shows_it(studio: Studio) -> None:
    shown = ("Pour les producteurs déjà inscrits avant le 3\u00a0novembre 2021, la "
             "vérification se fait a posteriori")
    found = json.loads(studio.find(RULES, shown))
    assert found[0]["field"] == "rules[0].body"
    line = RULES.splitlines()[found[0]["line"] - 1]
    assert line[found[0]["column"] - 1:].startswith("Pour les producteurs déjà inscrits")
    assert json.loads(studio.find(RULES, "aucune phrase ne dit cela")) == []


@pytest.mark.parametrize(("field", "starts"), [
    ("rules.charter", "  - id: charter"), ("faq", "faq:"), ("sessions", "sessions:"),
    ("rules[1].body", "    body:"), ("nowhere", None)])
def test_a_field_is_located(studio: Studio, field: str, starts: str | None) -> None:
    where = json.loads(studio.locate(RULES, field))
    if starts is None:
        assert where is None
        return
    assert RULES.splitlines()[where["line"] - 1].startswith(starts)


def test_public_holidays_are_read_from_the_table_given(tmp_path: Path) -> None:
    one_off = RULES.replace("\nsources:\n", """
  - id: visio-noel
    title: Visio de Noël
    audience: Coordinateurs de groupe
    topics: Questions.
    description: Une visio.
    format: Visioconférence
    date: 2026-12-25
    start: "18:00"
    end: "19:00"
    timezone: Europe/Paris
    sources: [wiki_rules]

sources:
""", 1)
    studio = Studio(setup(scenarios=None, holidays=holidays_table(2021, 2036)), tmp_path)
    said = json.loads(studio.check(one_off))
    assert ("le 25 décembre 2026 est un jour férié (Noël)" in said["report"]), said["report"]
