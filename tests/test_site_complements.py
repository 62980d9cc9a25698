"""Hand-written complements in docs/rules/ and docs/faq/, French addresses with
redirects from the old ones, on the real ``mkdocs build --strict``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import RULES_PATH
from tests.sitebuild import build_site, default_site, make_project, run_mkdocs

pytestmark = pytest.mark.build

RULES_TEXT = RULES_PATH.read_text(encoding="utf-8")
OLD_TO_NEW = {"charter": "charte-producteurs", "discovery_account": "compte-decouverte",
              "already_registered": "producteurs-deja-inscrits", "coordinators": "coordinateurs",
              "trained_producers": "producteurs-formes"}


def text_of(page: Path) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8")))


def nav_links(page: Path) -> list[str]:
    """The page addresses of a page's navigation, in order (the table of contents only
    links to anchors)."""
    return re.findall(r'<a href="([^"#]+)" class="md-nav__link', page.read_text("utf-8"))


def test_complements_are_published_in_their_section_with_rendered_figures() -> None:
    site = default_site()
    guide = site / "regles" / "reprendre-ses-catalogues" / "index.html"
    limit = site / "faq" / "plafond-annuel" / "index.html"
    assert guide.is_file() and limit.is_file()
    assert not (site / "rules").exists()  # docs/rules/ is published under regles/
    assert "31 décembre 2022" in text_of(guide) and "{{" not in text_of(guide)
    assert "1 000 €" in text_of(limit) and "barre de progression" in text_of(limit)
    links = nav_links(site / "index.html")
    rules = links.index("regles/")
    assert "regles/reprendre-ses-catalogues/" in links[rules:rules + 8]  # in "Les règles"
    faq = links.index("faq/")
    assert links[faq + 1] == "faq/plafond-annuel/"  # in the FAQ section, after its index


def test_more_links_a_rule_and_a_faq_entry_to_their_complement() -> None:
    site = default_site()
    rule = (site / "regles" / "producteurs-deja-inscrits" / "index.html").read_text("utf-8")
    assert 'href="../reprendre-ses-catalogues/"' in rule
    assert "Pour aller plus loin" in rule
    faq = (site / "faq" / "index.html").read_text(encoding="utf-8")
    assert 'href="plafond-annuel/"' in faq


def test_old_rule_addresses_redirect_in_french_under_the_policy() -> None:
    site = default_site()
    for old, new in OLD_TO_NEW.items():
        page = (site / "regles" / old / "index.html").read_text(encoding="utf-8")
        assert f'<meta http-equiv="refresh" content="0; url=../{new}/">' in page
        assert '<html lang="fr">' in page and "Cette page a changé d'adresse" in page
        assert "redirected" not in page
        assert re.search(r"script-src 'self' 'wasm-unsafe-eval' 'sha256-[^']+'", page)
        assert (site / "regles" / new / "index.html").is_file()


def test_a_missing_more_target_stops_the_build_with_a_located_french_error(
        tmp_path: Path) -> None:
    broken = RULES_TEXT.replace("        more: faq/plafond-annuel.md\n",
                                "        more: faq/plafond.md\n")
    assert broken != RULES_TEXT
    result = build_site(tmp_path, broken)
    assert result.returncode != 0
    line = broken.splitlines().index("        more: faq/plafond.md") + 1
    assert f"data/rules.yaml:{line}:" in result.stderr
    assert "page « faq/plafond.md » introuvable dans docs/" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_page_dropped_in_docs_faq_joins_the_faq_section(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    (project / "docs" / "faq" / "visio.md").write_text(
        "# Préparer sa visio\n\nLe plafond est de {{ discovery_annual_limit_eur }}.\n",
        encoding="utf-8")
    result = run_mkdocs(project)
    assert result.returncode == 0, result.stderr
    page = project / "site" / "faq" / "visio" / "index.html"
    assert "Le plafond est de 1 000 €." in text_of(page)
    assert "faq/visio/" in nav_links(project / "site" / "index.html")


def test_an_unknown_figure_in_a_hand_written_page_is_a_located_error(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    (project / "docs" / "faq" / "visio.md").write_text(
        "# Préparer sa visio\n\nAvant le {{ date_limite }}.\n", encoding="utf-8")
    result = run_mkdocs(project)
    assert result.returncode != 0
    assert "La page contient 1 problème" in result.stderr
    assert "faq/visio.md:3:10: paramètre « date_limite » introuvable" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_name_the_glossary_sets_aside_is_a_located_error_in_a_page(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    (project / "docs" / "faq" / "visio.md").write_text(
        "# Préparer sa visio\n\nOuvrez votre compte producteur Découverte.\n", encoding="utf-8")
    result = run_mkdocs(project)
    assert result.returncode != 0
    assert ("faq/visio.md:3:14: « compte producteur Découverte » : écrivez « compte "
            "Découverte », le seul nom de cette notion") in result.stderr
    assert "Traceback" not in result.stderr


def test_a_complement_may_not_take_a_generated_page_address(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    (project / "docs" / "rules" / "coordinateurs.md").write_text("# Doublon\n", "utf-8")
    result = run_mkdocs(project)
    assert result.returncode != 0
    assert ("[rules[3].slug] la page de la règle « coordinators » serait publiée à l'adresse "
            "regles/coordinateurs/, déjà prise par la page écrite à la main "
            "docs/rules/coordinateurs.md") in result.stderr
