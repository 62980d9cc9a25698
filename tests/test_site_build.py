"""The generated site, built for real (``mkdocs build --strict``) from a temporary
copy of the project: the pages, the seed's facts, single-source edits, errors."""

from __future__ import annotations

import html
import re
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar

from checker import evaluate
from rulebook.loader import load_rules
from sitegen.csp import policy
from tests.conftest import RULES_PATH
from tests.linkcheck import check_site, external_resources, parse_page
from tests.sitebuild import as_built_on, build_site, default_site, html_pages

pytestmark = pytest.mark.build

RULES_TEXT = RULES_PATH.read_text(encoding="utf-8")
RULE_IDS = ["charter", "discovery_account", "already_registered", "coordinators",
            "trained_producers"]  # their old addresses redirect to the French ones below
RULE_SLUGS = ["charte-producteurs", "compte-decouverte", "producteurs-deja-inscrits",
              "coordinateurs", "producteurs-formes"]
PAGES = ["index.html", "regles/index.html", *(f"regles/{r}/index.html" for r in RULE_SLUGS),
         "regles/reprendre-ses-catalogues/index.html", "faq/plafond-annuel/index.html",
         "synthese/schema-de-decision.svg",
         "formules/index.html", "faq/index.html", "sessions/index.html", "synthese/index.html",
         "tableau-de-decision/index.html", "modifier-le-contenu/index.html",
         "historique/index.html"]
# The FAQ topics of the seed page, and the anchor each one has on the FAQ page.
SEED_FAQ = {
    "La charte producteurs": "charte-producteurs",
    "Seuil de chiffre d'affaires annuel": "seuil-chiffre-affaires",
    "Les engagements de Cagette.net": "engagements-cagette",
    "J'ai un compte producteur Cagette et j'ai déjà suivi la formation": "producteur-forme",
    "Le nouveau compte producteur découverte": "compte-decouverte",
    "La formation « Développer sa vente directe en ligne »": "formation",
    "Financement de la formation": "financement-formation",
    "Récupération des données sur Cagette (producteur)": "donnees-producteur",
    "Les catalogues des producteurs invités": "catalogues-producteurs-invites",
    "Le rôle des coordinateurs de groupe": "role-coordinateurs",
    "Groupements d'achats": "groupements-achats",
    "Les AMAPs": "amaps",
    "Récupération des données sur Cagette (coordinateur)": "donnees-coordinateur",
}
SEED_SECTIONS = ["Les nouvelles règles", "Je suis un producteur sur Cagette",
                 "Je suis un coordinateur de groupe"]
SPACES = re.compile(r"[\s\u00a0\u202f]+")


def text_of(path: Path) -> str:
    """Visible text of a page's article, spaces normalised (no-break ones included)."""
    source = path.read_text(encoding="utf-8")
    article = re.search(r"<article\b.*?</article>", source, re.DOTALL)
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", article.group(0) if article else source,
                  flags=re.DOTALL)
    return SPACES.sub(" ", html.unescape(re.sub(r"<[^>]+>", " ", body)))


def section_text(path: Path, anchor: str) -> str:
    """Text from the heading with id ``anchor`` to the next heading."""
    source = path.read_text(encoding="utf-8")
    heading = rf'<h([1-6])[^>]*\bid="{re.escape(anchor)}"[^>]*>.*?</h\1>'
    match = re.search(heading + r"(.*?)(?=<h[1-6]\b|</article>)", source, re.DOTALL)
    assert match, f"pas de titre #{anchor}"
    return SPACES.sub(" ", html.unescape(re.sub(r"<[^>]+>", " ", match.group(2)))).strip()


@pytest.fixture(scope="module")
def site() -> Path:
    """The site built once from the real sources."""
    return default_site()


def test_every_page_listed_in_the_issue_exists(site: Path) -> None:
    missing = [page for page in PAGES if not (site / page).is_file()]
    assert missing == []


def test_the_checker_page_is_built_and_in_the_navigation(site: Path) -> None:
    assert (site / "verificateur" / "index.html").is_file()
    home = (site / "index.html").read_text(encoding="utf-8")
    assert re.search(r'href="verificateur/"[^>]*>\s*<span[^>]*>\s*Quelle formule pour moi ?',
                     home)


def test_pages_are_french_and_use_no_google_fonts(site: Path) -> None:
    for page in html_pages(site):
        source = page.read_text(encoding="utf-8")
        assert '<html lang="fr"' in source, page
        assert "fonts.googleapis" not in source and "fonts.gstatic" not in source, page


def test_every_internal_link_and_anchor_resolves(site: Path) -> None:
    assert check_site(site) == []


def test_no_page_loads_anything_from_another_origin(site: Path) -> None:
    assert external_resources(site) == []
    for page in html_pages(site):
        assert "mermaid" not in page.read_text(encoding="utf-8"), page


def test_every_faq_topic_of_the_seed_has_a_non_empty_answer(site: Path) -> None:
    faq = site / "faq" / "index.html"
    ids = parse_page(faq).ids
    for topic, anchor in SEED_FAQ.items():
        assert anchor in ids, topic
        assert len(section_text(faq, anchor)) > 80, topic
    text = text_of(faq)
    for section in SEED_SECTIONS:
        assert section in text


def test_faq_headings_have_permalinks(site: Path) -> None:
    source = (site / "faq" / "index.html").read_text(encoding="utf-8")
    for anchor in SEED_FAQ.values():
        assert f'<a class="headerlink" href="#{anchor}"' in source, anchor


def test_the_seed_amounts_prices_and_dates_are_formatted_in_french(site: Path) -> None:
    rule2 = text_of(site / "regles" / "compte-decouverte" / "index.html")
    assert "1 000 € de ventes par an (hors ventes en AMAP)" in rule2
    assert "29 € HT/mois (paiement annuel en une fois)" in rule2
    assert "39 € HT/mois (paiement mensuel)" in rule2
    assert "3 novembre 2021" in rule2
    rule3 = text_of(site / "regles" / "producteurs-deja-inscrits" / "index.html")
    assert "au plus tard le 31 décembre 2022" in rule3
    assert "Environ 1 200 producteurs" in text_of(site / "regles" / "producteurs-formes"
                                                  / "index.html")
    plans = text_of(site / "formules" / "index.html")
    assert "348 € HT par an" in plans  # 12 × 29 € HT, computed
    assert "Sans limite" in plans
    raw = (site / "regles" / "compte-decouverte" / "index.html").read_text(encoding="utf-8")
    assert "1\u202f000\u00a0€" in raw  # French grouping, and the amount never breaks
    for page in html_pages(site):  # no "1000 €" written without grouping
        assert not re.search(r"\b\d{4,} ?€", text_of(page)), page


def test_the_sessions_page_shows_the_seed_schedule_as_no_longer_announced(site: Path) -> None:
    """The wiki's schedule of 8 February 2022 is confirmed for that day only: the page
    keeps it in words, says that no date is announced since, and lists none."""
    text = text_of(site / "sessions" / "index.html")
    past = "Ces horaires étaient annoncés jusqu'au 8 février 2022 ; aucune date n'est annoncée"
    assert f"Du lundi au vendredi, de 12 h à 12 h 45 (heure de Paris). {past} depuis." in text
    assert f"Tous les lundis, à 18 h (heure de Paris). {past} depuis." in text
    assert text.count("Source : Wiki Cagette.net — Nouvelles règles sur Cagette depuis le "
                      "3 novembre 2021 (révision du 8 février 2022)") == 2
    assert "Aucune date de session n'est annoncée pour le moment" in text
    assert "Inscription" not in text and "Ajouter à mon agenda" not in text
    assert "obligatoire" not in text
    source = (site / "sessions" / "index.html").read_text(encoding="utf-8")
    assert "<time" not in source and "data-session-dates" not in source
    assert source.count('href="https://wiki.cagette.net/nouvellesregles?rev=1644314884"') == 2


def test_no_calendar_for_sessions_with_no_date_to_come(site: Path) -> None:
    assert sorted(p.name for p in (site / "sessions").iterdir()) == ["index.html"]


def test_the_decision_table_shows_the_verdicts_of_the_checker(site: Path) -> None:
    page = site / "tableau-de-decision" / "index.html"
    rows = re.findall(r"<tr>(.*?)</tr>", page.read_text(encoding="utf-8"), re.DOTALL)
    cells = [[SPACES.sub(" ", html.unescape(re.sub(r"<[^>]+>", " ", cell)))
              for cell in re.findall(r"<td>(.*?)</td>", row, re.DOTALL)] for row in rows]
    own = [c for c in cells if c and "J'ai mon propre compte Découverte" in c[0]]
    over = [" ".join(c) for c in own if "1 000 € ou plus" in c[0]]
    under = [" ".join(c) for c in own if "moins de" in c[0]]
    assert len(over) == 1 and len(under) == 2  # below the alert threshold, and up to the limit
    assert "Choisir la Formule PRO ou la Formule MEMBRE" in over[0]
    assert all("Choisir la Formule PRO" not in row for row in under)


def test_the_synthesis_has_the_summary_table_and_a_generated_diagram(site: Path) -> None:
    source = (site / "synthese" / "index.html").read_text(encoding="utf-8")
    assert source.count('href="../regles/') >= 5
    # The picture: inline SVG laid out by Graphviz, one accessible image, painted by CSS.
    svg = re.search(r'<svg width="\d+pt" height="\d+pt" role="img" '
                    r'aria-labelledby="schema-de-decision-titre"(.*?)</svg>', source, re.DOTALL)
    assert svg, "no inline decision diagram"
    picture = html.unescape(svg.group(1))
    assert picture.count('class="node question"') >= 5
    assert picture.count('class="node outcome"') >= 8
    assert " fill=" not in picture and " stroke=" not in picture  # colours come from the CSS
    for words in ("Rôle\u202f?", "Compte Découverte", "Formule MEMBRE", "Formule PRO",
                  "Pas de compte producteur", "Inviter vos producteurs"):
        assert words in picture, words
    frame = re.search(r'<div class="decision-diagram__frame" role="region" aria-label="[^"]+" '
                      r'tabindex="0">', source)
    assert frame, "the scrolling frame must be reachable with the keyboard"
    standalone = (site / "synthese" / "schema-de-decision.svg").read_text(encoding="utf-8")
    assert standalone.startswith("<?xml") and "<style" not in standalone  # CSP: no inline CSS
    assert 'fill="#fff8e6"' in standalone and "Compte Découverte" in standalone
    assert 'href="schema-de-decision.svg"' in source
    # The same tree, as text, in a <details> (its alternative for screen readers and print).
    tree = re.search(r'<details class="abstract decision-tree">(.*)</details>', source,
                     re.DOTALL)
    assert tree and tree.group(1).count("<li>") >= 14  # one branch per answer, down to leaves


def test_rule_pages_describe_conditions_examples_and_related_faq(site: Path) -> None:
    text = text_of(site / "regles" / "compte-decouverte" / "index.html")
    assert "Situation sur Cagette.net : J'ai mon propre compte Découverte" in text
    assert "De 800 € à moins de 1 000 € : il prévient que le plafond approche" in text
    assert "Offre de lancement, jusqu'au 1er février 2022 inclus, pour :" in text
    assert "Questions fréquentes" in text and "Sources" in text
    registered = text_of(site / "regles" / "producteurs-deja-inscrits" / "index.html")
    assert "Date : après le 31 décembre 2022" in registered
    if (RULES_PATH.parent / "scenarios.yaml").is_file():
        assert "Exemples" in text


def test_pages_carry_a_csp_meta_as_first_child_of_head(site: Path) -> None:
    for page in html_pages(site):
        source = page.read_text(encoding="utf-8")
        meta = re.search(r'<head>\s*<meta http-equiv="Content-Security-Policy" content="'
                         r"([^\"]*)\">", source)
        assert meta, page
        hashes = "".join(re.findall(r" 'sha256-[A-Za-z0-9+/=]+'", meta.group(1)))
        assert hashes and meta.group(1).replace(hashes, "", 1) == policy(""), page


BUILT_ON = date(2026, 12, 4)  # a fixed build day: the test's dates do not follow the clock


def _edit(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def test_editing_the_yaml_alone_changes_the_site_and_the_checker(tmp_path: Path) -> None:
    edited = _edit(RULES_TEXT, "unit: eur\n    value: 1000\n", "unit: eur\n    value: 1500\n")
    edited = _edit(edited, "unit: eur_ht_per_month\n    value: 29\n",
                   "unit: eur_ht_per_month\n    value: 31\n")
    # Built on a fixed day with the session confirmed beyond it: dates to come, a calendar.
    edited = _edit(edited, 'confirmed_until: 2022-02-08\n    start: "12:00"',
                   f'confirmed_until: {BUILT_ON + timedelta(days=365)}\n    start: "12:30"')
    result = build_site(tmp_path, edited, env=as_built_on(BUILT_ON))
    assert result.returncode == 0, result.stderr
    site = tmp_path / "site"

    rule2 = text_of(site / "regles" / "compte-decouverte" / "index.html")
    assert "1 500 € de ventes par an" in rule2
    changes = section_text(site / "regles" / "compte-decouverte" / "index.html", "ce-qui-change")
    assert "1 500 €" in changes and "1 000 €" not in changes
    assert "31 € HT/mois" in rule2 and "29 € HT/mois" not in rule2
    plans = text_of(site / "formules" / "index.html")
    assert "372 € HT par an" in plans and "348 €" not in plans
    table = text_of(site / "tableau-de-decision" / "index.html")
    assert "1 500 € ou plus" in table and "1 000 €" not in table
    sessions = text_of(site / "sessions" / "index.html")
    assert "de 12 h 30 à 12 h 45" in sessions
    event = Calendar.from_ical((site / "sessions" / "point-infos.ics").read_bytes())
    assert event.walk("VEVENT")[0].decoded("DTSTART").strftime("%H:%M") == "12:30"

    edited_path = tmp_path / "data" / "rules.yaml"
    before, after = load_rules(RULES_PATH).compiled, load_rules(edited_path).compiled
    answers = {"role": "producer", "direct_seller": True, "account": "discovery",
               "sales_outside_amap_eur": 1200}
    ids = [[a["id"] for a in evaluate(rules, answers, as_of=BUILT_ON)["actions"]]
           for rules in (before, after)]
    assert ids == [["upgrade_for_unlimited"], []]
    over = evaluate(after, {**answers, "sales_outside_amap_eur": 2000}, as_of=BUILT_ON)
    assert [a["id"] for a in over["actions"]] == ["upgrade_for_unlimited"]
    prices = {p["label"]: p["value"] for p in over["display"]["prices"]}
    assert "31\u00a0€\u00a0HT/mois" in prices["Formule PRO"]


def test_broken_rules_stop_the_build_with_the_french_report_and_keep_site(
        tmp_path: Path) -> None:
    previous = tmp_path / "site"
    shutil.copytree(default_site(), previous)
    before = sorted((p.relative_to(previous), p.stat().st_mtime_ns) for p in previous.rglob("*"))
    broken = _edit(RULES_TEXT, "unit: eur\n    value: 1000\n", "unit: eur\n    value: mille\n")
    broken = _edit(broken, "    slug: charte-producteurs\n    number: 1\n",
                   "    slug: charte-producteurs\n    numbre: 1\n")
    result = build_site(tmp_path, broken)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Le fichier de règles contient" in output
    assert re.search(r"data/rules\.yaml:\d+:\d+: \[parameters\.discovery_annual_limit_eur"
                     r"\.value\]", output)
    assert re.search(r"data/rules\.yaml:\d+:\d+: \[rules\[0\]\.numbre\] clé inconnue", output)
    assert "Traceback" not in output
    after = sorted((p.relative_to(previous), p.stat().st_mtime_ns) for p in previous.rglob("*"))
    assert after == before


def test_a_hand_written_page_is_never_overwritten(tmp_path: Path) -> None:
    page = tmp_path / "docs" / "faq" / "index.md"
    page.parent.mkdir(parents=True)
    page.write_text("# Ma FAQ\n", encoding="utf-8")
    result = build_site(tmp_path)
    assert result.returncode != 0
    assert "La page « faq/index.md » existe déjà dans docs/" in result.stdout + result.stderr
    assert page.read_text(encoding="utf-8") == "# Ma FAQ\n"
    assert not (tmp_path / "site").exists()
