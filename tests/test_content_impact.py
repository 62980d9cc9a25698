"""The impact of an edit that is not a decision: the pages' texts (a FAQ question, a
rule's sentence, a plan's description) and the parameters' values, said by
``cagette-rules impact`` so that no edit reads as "nothing happened"."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from rulebook.content_diff import text_changes, value_changes
from rulebook.loader import load_rules
from rulebook.verdict_diff import Line
from tests.impactcases import commit_rules, edited

CLI = [sys.executable, "-m", "rulebook.cli", "impact"]
NEW_FAQ = [("      - id: seuil-chiffre-affaires\n",
            "      - id: vendre-amap-et-boutique\n"
            "        question: Puis-je vendre en AMAP et en boutique ?\n"
            "        rules: [discovery_account]\n"
            "        sources: [wiki_rules]\n"
            "        answer: Oui, les deux modes de groupe coexistent.\n"
            "      - id: seuil-chiffre-affaires\n")]
SENTENCE = [("C'est ainsi que l'identité du projet est préservée",
             "C'est ainsi que l'esprit du projet est préservé")]
PLAN_SUMMARY = [("Vendre sans limite et devenir pleinement membre du réseau, par abonnement.",
                 "Vendre sans limite, par abonnement.")]
PRICE_42 = [("    unit: eur_ht_per_month\n    value: 39\n",
             "    unit: eur_ht_per_month\n    value: 39\n"
             "    changes:\n      - since: 2027-01-01\n        value: 42\n")]


def plain(text: str) -> str:
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def impact_of(tmp_path: Path, edits: list[tuple[str, str]]) -> subprocess.CompletedProcess[str]:
    commit_rules(tmp_path, working=edited(edits))
    return subprocess.run(CLI, cwd=tmp_path, capture_output=True, text=True, check=False)


def changes_of(tmp_path: Path, edits: list[tuple[str, str]]) -> list[str]:
    before = load_rules(commit_rules(tmp_path / "before", working=edited([])))
    after_path = tmp_path / "after.yaml"
    after_path.write_text(edited(edits), encoding="utf-8")
    after = load_rules(after_path, docs_dir=tmp_path / "before" / "docs")
    return [plain(c.text()) for c in text_changes(before.data, after.data, before.render,
                                                     after.render)]


def test_a_new_faq_question_is_reported_and_is_not_nothing(tmp_path: Path) -> None:
    result = impact_of(tmp_path, NEW_FAQ)
    assert result.returncode == 3, result.stderr
    lines = plain(result.stdout).splitlines()
    assert lines[1] == ("1 passage des pages change (Foire aux questions). Dans le "
                        "vérificateur : aucune des 18 situations ne change.")
    assert lines[2:] == [
        "", "Textes des pages qui changent", "", "  Foire aux questions",
        "    • « Les nouvelles règles », questions : ajouté « Puis-je vendre en AMAP et en "
        "boutique ? »"]


def test_only_the_rewritten_sentence_is_shown(tmp_path: Path) -> None:
    assert changes_of(tmp_path, SENTENCE) == [
        "« La charte producteurs », texte de la règle : « C'est ainsi que l'identité du projet "
        "est préservée et que la plateforme reste utilisée uniquement par des producteurs en "
        "vente directe. » → « C'est ainsi que l'esprit du projet est préservé et que la "
        "plateforme reste utilisée uniquement par des producteurs en vente directe. »"]


def test_a_plan_text_and_a_removed_question_are_reported(tmp_path: Path) -> None:
    removed = [(NEW_FAQ[0][1], NEW_FAQ[0][0])]
    with_question = edited(NEW_FAQ)
    before_path = tmp_path / "with.yaml"
    before_path.write_text(with_question, encoding="utf-8")
    docs = commit_rules(tmp_path / "repo", working=edited([])).parent.parent / "docs"
    before = load_rules(before_path, docs_dir=docs)
    after_path = tmp_path / "without.yaml"
    text = with_question
    for old, new in [*removed, *PLAN_SUMMARY]:
        text = text.replace(old, new, 1)
    after_path.write_text(text, encoding="utf-8")
    after = load_rules(after_path, docs_dir=docs)
    said = [(c.page, plain(c.text())) for c in text_changes(before.data, after.data,
                                                            before.render, after.render)]
    assert said == [
        ("Formules", "« Formule PRO », résumé : « Vendre sans limite et devenir "
                     "pleinement membre du réseau, par abonnement. » → « Vendre sans limite, "
                     "par abonnement. »"),
        ("Foire aux questions", "« Les nouvelles règles », questions : retiré « Puis-je vendre "
                                "en AMAP et en boutique ? »")]


def test_an_effects_text_is_left_to_the_verdicts(tmp_path: Path) -> None:
    """A sentence the checker says is reported situation by situation, not twice."""
    from tests.impactcases import WORDING

    assert changes_of(tmp_path, WORDING) == []


def test_identical_files_have_no_text_change(book) -> None:
    assert text_changes(book.data, book.data, book.render, book.render) == []


@pytest.mark.parametrize(("edits", "said"), [
    (PRICE_42, ["Prix de la Formule PRO, paiement mensuel (par mois) : 42 € HT/mois au lieu "
                "de 39 € HT/mois, à partir du 1er janvier 2027"]),
    ([("    unit: eur\n    value: 1000\n", "    unit: eur\n    value: 1500\n")],
     ["Plafond annuel de ventes hors AMAP du compte Découverte : 1 500 € au lieu de 1 000 €"]),
    ([], []),
])
def test_values_that_change_are_said_with_their_date(tmp_path: Path, book, edits,
                                                      said: list[str]) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(edited(edits), encoding="utf-8")
    after = load_rules(path, docs_dir=Path(book.path).parent.parent / "docs")
    assert [plain(v.text()) for v in value_changes(book.compiled, after.compiled)] == said


def test_a_change_moved_to_another_day_is_said_from_each_day(tmp_path: Path, book) -> None:
    first = tmp_path / "first.yaml"
    first.write_text(edited(PRICE_42), encoding="utf-8")
    moved = tmp_path / "moved.yaml"
    moved.write_text(edited(PRICE_42).replace("since: 2027-01-01", "since: 2027-03-01"),
                     encoding="utf-8")
    docs = Path(book.path).parent.parent / "docs"
    before, after = load_rules(first, docs_dir=docs), load_rules(moved, docs_dir=docs)
    assert [plain(v.text()) for v in value_changes(before.compiled, after.compiled)] == [
        "Prix de la Formule PRO, paiement mensuel (par mois) : 39 € HT/mois au lieu de "
        "42 € HT/mois, du 1er janvier 2027 au 28 février 2027"]


@pytest.mark.parametrize(("before", "after", "short"), [
    ("ou 39\u00a0€ (mensuel)", "ou 42\u00a0€ (mensuel)",
     "Tarif : « 42\u00a0€ » au lieu de « 39\u00a0€ », dans « ou 42\u00a0€ (mensuel) »"),
    ("au plus tard le 31 décembre 2022", "au plus tard le 31 mars 2023",
     "Tarif : « 31 mars 2023 » au lieu de « 31 décembre 2022 », dans « au plus tard le "
     "31 mars 2023 »"),
    ("une phrase", "une autre phrase entière", "Tarif : une phrase → une autre phrase entière"),
    (None, "nouveau", "Tarif : — → nouveau"),
])
def test_a_line_says_the_words_that_change(before: str | None, after: str,
                                           short: str) -> None:
    assert Line("prices", "Tarif", before, after).short() == short


def test_the_price_change_is_grouped_over_the_situations_it_touches(tmp_path: Path) -> None:
    result = impact_of(tmp_path, PRICE_42)
    report = plain(result.stdout)
    assert result.returncode == 3, result.stderr
    summary = report.splitlines()[1]
    assert summary.startswith("1 valeur change. Dans le vérificateur : aucune décision ne "
                              "change ; 15 situations sur 18 changent seulement de mots.")
    assert ("  • Tarif : « 42 € HT/mois » au lieu de « 39 € HT/mois », dans « Formule PRO : "
            "29 € HT/mois (paiement annuel en une fois) ou 42 € HT/mois (paiement mensuel) »\n"
            "    sur 15 situations, à partir du 1er janvier 2027 :") in report
    assert report.count("« 42 € HT/mois » au lieu de « 39 € HT/mois », dans « Formule PRO") == 1
