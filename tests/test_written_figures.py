"""Figures that are not facts (an article's number, a year in a title) in the one
documented form, ``{{ "3" }}``; and the editing guide listing every value a closed list
accepts, from the declaration."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from checker.french import typeset
from rulebook.declaration import UNIT_MEANINGS, closed_lists
from rulebook.errors import RulesError
from rulebook.loader import load_rules
from rulebook.placeholders import render
from tests.conftest import RULES_PATH
from tests.sitebuild import default_site
from tests.test_one_edit import data_copy

RULES_TEXT = RULES_PATH.read_text(encoding="utf-8")
BODY = "      vérifiée. C'est ainsi"
EXPLAIN = "producteurs ne vous permet pas de vendre sur Cagette.net."


def with_text(tmp_path: Path, body: str = BODY, explain: str = EXPLAIN) -> Path:
    assert RULES_TEXT.count(BODY) == 1 and RULES_TEXT.count(EXPLAIN) == 1
    return data_copy(tmp_path, RULES_TEXT.replace(BODY, body).replace(EXPLAIN, explain))


def test_an_article_number_is_written_as_is_in_pages_and_verdicts(tmp_path: Path) -> None:
    book = load_rules(with_text(
        tmp_path, '      vérifiée (article {{ "3" }} de la charte). C\'est ainsi',
        'producteurs (article {{ "3" }}) ne vous permet pas de vendre sur Cagette.net.'))
    charter = next(r for r in book.rules.rules if r.id == "charter")
    assert "vérifiée (article 3 de la charte). C'est ainsi" in book.render(charter.body)
    explain = book.compiled.rules[0].effects[0].explain
    assert "producteurs (article 3) ne vous permet pas" in explain


@pytest.mark.parametrize("written", ['{{ "2021-2022" }}', '{{ "3" }}', '{{"12/2022"}}',
                                     '{{ "1 250" }}', '{{ "2" }}'])  # 2: an article, not months
def test_figures_only_are_accepted_in_the_form(tmp_path: Path, written: str) -> None:
    load_rules(with_text(tmp_path, f"      vérifiée ({written}). C'est ainsi"))


@pytest.mark.parametrize(("written", "said"), [
    ("(article 3 de la charte)",
     'chiffre « 3 » écrit dans le texte : déclarez-le une fois sous « parameters » et '
     'écrivez {{ nom_du_parametre }} à sa place (un chiffre écrit deux fois finit par se '
     "contredire) ; un chiffre qui n'est pas une règle (un numéro d'article, une année dans "
     'un titre) s\'écrit {{ "3" }}'),
    ('({{ "39 € HT" }})',
     '« {{ "39 € HT" }} » : seuls des chiffres s\'écrivent ainsi (un numéro d\'article, une '
     "année, un nombre d'éléments) ; un montant, un prix, une durée ou une date se déclare "
     "sous « parameters »"),
    ('({{ "le 3" }})', '« {{ "le 3" }} » : seuls des chiffres'),
    ('({{ "1000" }})', '« {{ "1000" }} » est la valeur de « discovery_annual_limit_eur » '
                       "(Plafond annuel de ventes hors AMAP du compte Découverte) : écrivez "
                       "{{ discovery_annual_limit_eur }} à sa place"),
    ('({{ "1 200" }})', '« {{ "1 200" }} » est la valeur de « trained_producers_count »'),
    ("(1 000 producteurs)", "chiffre « 1 000 » est la valeur de « discovery_annual_limit_eur »"),
    ('({{ "" }})', '« {{ "" }} » : seuls des chiffres'),
])
def test_a_figure_outside_the_form_or_a_fact_inside_it_is_refused(tmp_path: Path, written: str,
                                                                  said: str) -> None:
    with pytest.raises(RulesError) as error:
        load_rules(with_text(tmp_path, f"      vérifiée {written}. C'est ainsi"))
    assert said in error.value.report()


def test_render_gives_the_figure_and_the_parameters() -> None:
    assert render('article {{ "3" }}, {{ x }}', {"x": "1 000 €"}) == "article 3, 1 000 €"


@pytest.mark.build
def test_the_guide_lists_every_value_of_every_closed_list() -> None:
    page = html.unescape((default_site() / "modifier-le-contenu" / "index.html")
                         .read_text(encoding="utf-8"))
    text = re.sub(r"<[^>]+>", "", page)
    for closed in closed_lists():
        for value, meaning in closed.values:
            assert value in text, value
            assert typeset(meaning) in text, meaning
    for unit, meaning in UNIT_MEANINGS.items():
        assert f"<td><code>{unit}</code></td>" in page  # a row of the units' table
        assert typeset(meaning) in text
    assert "31 décembre 2022" in text and "2022-12-31" in text  # a date, written and shown
