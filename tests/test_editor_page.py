"""The rules editor page (``/editeur/``) in real Chromium, on the site built from the real
sources: the same report as ``cagette-rules validate`` for every case of the bad-rules
corpus, the impact and the checker on the edited rules, the draft kept across a reload,
the downloaded file, the edit buttons of the pages, a sentence found as the site shows it,
axe-core with all its rules, and no request outside the site."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.badrules import Outcome
from tests.browser import PageWatch, Server, axe_violations, new_context
from tests.conftest import RULES_PATH

pytestmark = pytest.mark.browser

RULES = RULES_PATH.read_text(encoding="utf-8")
THRESHOLD = ("    unit: eur\n    value: 1000\n", "    unit: eur\n    value: 1500\n")
START_MS = 90_000  # Pyodide and the toolchain, on a loaded machine
PROBLEM = re.compile(r"^  \S+?:(\d+):(\d+): (?:\[(\S+)\] )?(.*)$")
SPACES = str.maketrans({"\u00a0": " ", "\u202f": " "})


def plain(text: str) -> str:
    return text.translate(SPACES)


def open_editor(page: Page, server: Server, fragment: str = "") -> None:
    page.goto(f"{server.url}editeur/{fragment}")
    page.wait_for_selector("#rules-editor[data-checks]", timeout=START_MS)


def checks(page: Page) -> int:
    return int(page.get_attribute("#rules-editor", "data-checks") or 0)


def wait_for_check(page: Page, after: int) -> None:
    """Until the page has finished a check more (polled from here: the site's CSP forbids
    the evaluated strings of ``wait_for_function``)."""
    for _ in range(START_MS // 50):
        if checks(page) > after:
            return
        page.wait_for_timeout(50)
    raise AssertionError("aucune vérification terminée")


def open_file(page: Page, data: bytes, name: str = "rules.yaml") -> None:
    before = checks(page)
    page.set_input_files("#rules-editor-file", files=[
        {"name": name, "mimeType": "text/yaml", "buffer": data}])
    wait_for_check(page, before)


def problems(page: Page) -> list[str]:
    return [plain(text) for text in page.locator(".rules-editor__problems li").all_inner_texts()]


def expected_problems(outcome: Outcome) -> list[str]:
    """The command line's report as the editor lists it: ``ligne L, colonne C — [field]
    message`` for each problem, then the line that says reading stopped, if any."""
    listed = []
    for line in outcome.stderr.splitlines()[1:]:
        found = PROBLEM.match(line)
        if found:
            row, column, field, message = found.groups()
            listed.append(f"ligne {row}, colonne {column} — {f'[{field}] ' if field else ''}"
                          f"{message}")
        elif "arrêtée après" in line:
            listed.append(line.strip())
    return [plain(text) for text in listed]


@pytest.fixture(scope="module")
def editor(browser: Browser, server: Server) -> Iterator[tuple[Page, PageWatch]]:
    """One editor page for the whole corpus (Python starts once)."""
    context = new_context(browser)
    page = context.new_page()
    watch = PageWatch().attach(page)
    open_editor(page, server)
    yield page, watch
    context.close()


def test_every_corpus_case_shows_the_command_lines_problems(
        editor: tuple[Page, PageWatch], outcomes: dict[str, Outcome]) -> None:
    page, watch = editor
    differ = {}
    for case_id, outcome in outcomes.items():
        open_file(page, outcome.broken.raw)
        shown, wanted = problems(page), expected_problems(outcome)
        if shown[:len(wanted)] != wanted or not wanted:
            differ[case_id] = (shown[:3], wanted[:3])
        status = plain(page.locator(".rules-editor__status").inner_text())
        assert status.startswith(plain(outcome.stderr.splitlines()[0]).removesuffix(" :")), case_id
    assert differ == {}
    assert len(outcomes) > 100
    open_file(page, RULES.encode("utf-8"))
    expect(page.locator(".rules-editor__status")).to_contain_text("119 exemples et 16 invariants")
    assert problems(page) == ["Aucun problème."]
    watch.assert_clean()


def test_a_raised_threshold_shows_in_the_impact_and_the_checker(page: Page, server: Server,
                                                                 watch: PageWatch) -> None:
    open_editor(page, server)
    open_file(page, RULES.replace(*THRESHOLD).encode("utf-8"))
    page.get_by_role("button", name="Calculer l'impact").click()
    report = page.get_by_label("Rapport d'impact")
    expect(report).to_contain_text("au lieu de", timeout=START_MS)
    text = plain(report.inner_text())
    assert ("Plafond annuel de ventes hors AMAP du compte Découverte : 1 500 € au lieu de "
            "1 000 €") in text
    assert "Plafond : « 1 500 € » au lieu de « 1 000 € »" in text
    page.get_by_role("button", name="Afficher le formulaire").click()
    form = page.locator(".rules-editor__try")
    form.get_by_label("Producteur ou productrice").check()
    form.locator("fieldset[data-question='direct_seller']").get_by_label("Oui").check()
    form.get_by_label("J'ai mon propre compte Découverte").check()
    amount = form.get_by_label("Montant en euros")
    amount.fill("1200")
    amount.press("Tab")
    verdict = page.get_by_label("Résultat du vérificateur")
    expect(verdict).to_contain_text("Ventes hors AMAP sur un an", timeout=START_MS)
    assert "dans la limite de 1 500 € de ventes par an" in plain(verdict.inner_text())


def type_at_top(page: Page, text: str) -> None:
    before = checks(page)
    page.locator(".cm-content").click()
    page.keyboard.press("Control+Home")
    page.keyboard.type(text)
    wait_for_check(page, before)


def test_the_draft_survives_a_reload_and_downloads_as_edited(page: Page, server: Server,
                                                              watch: PageWatch) -> None:
    open_editor(page, server)
    type_at_top(page, "# brouillon de test\n")
    page.reload()
    page.wait_for_selector("#rules-editor[data-checks]", timeout=START_MS)
    expect(page.locator(".rules-editor__notice")).to_contain_text("Brouillon repris")
    assert page.locator(".cm-line").first.inner_text() == "# brouillon de test"
    with page.expect_download() as download:
        page.get_by_role("button", name="Télécharger rules.yaml").click()
    saved = Path(download.value.path()).read_text(encoding="utf-8")
    assert saved == "# brouillon de test\n" + RULES
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Revenir à la version publiée").click()
    expect(page.locator(".rules-editor__notice")).to_have_text("Version publiée chargée.")
    assert page.locator(".cm-line").first.inner_text() != "# brouillon de test"


def test_a_pages_edit_button_opens_the_editor_where_it_comes_from(page: Page, server: Server,
                                                                   watch: PageWatch) -> None:
    page.goto(f"{server.url}faq/")
    edit = page.locator("a.md-content__button[rel=edit]")
    assert edit.get_attribute("href").endswith("/editeur/?champ=faq")  # made absolute by Material
    edit.click()
    page.wait_for_selector("#rules-editor[data-checks]", timeout=START_MS)
    line = RULES.splitlines().index("faq:") + 1
    active = page.locator(".cm-lineNumbers .cm-activeLineGutter")
    expect(active).to_have_text(str(line), timeout=START_MS)


def test_a_sentence_of_the_site_is_found_in_the_file(page: Page, server: Server,
                                                     watch: PageWatch) -> None:
    page.goto(f"{server.url}regles/charte-producteurs/")
    shown = page.locator("article p", has_text="a posteriori").first.inner_text()
    sentence = shown.split(", au plus tard")[0]  # "Pour les producteurs déjà inscrits…"
    open_editor(page, server)
    page.get_by_label("Phrase telle qu'elle se lit sur le site").fill(sentence)
    page.get_by_role("button", name="Chercher").click()
    result = page.locator(".rules-editor__found button").first
    expect(result).to_contain_text("rules[0].body", timeout=START_MS)
    result.click()
    row = int(re.match(r"ligne (\d+)", plain(result.inner_text())).group(1))
    assert RULES.splitlines()[row - 1].lstrip().startswith(sentence.split()[0])
    expect(page.locator(".cm-lineNumbers .cm-activeLineGutter")).to_have_text(str(row))


def test_a_failed_start_says_so_and_keeps_the_text(page: Page, server: Server) -> None:
    page.route("**/toolchain.*.zip", lambda route: route.fulfill(status=404, body=b"absent"))
    page.goto(f"{server.url}editeur/")
    status = page.locator(".rules-editor__status")
    expect(status).to_contain_text("L'éditeur n'a pas pu démarrer", timeout=START_MS)
    expect(status).to_contain_text("n'a pas pu être téléchargé (erreur HTTP 404)")
    assert page.locator(".cm-line").first.inner_text().startswith("# yaml-language-server")


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_axe_finds_nothing_in_any_state(browser: Browser, server: Server, scheme: str) -> None:
    context = new_context(browser, color_scheme="dark" if scheme == "slate" else "light")
    page = context.new_page()
    watch = PageWatch().attach(page)
    open_editor(page, server)
    found = axe_violations(page, "prêt")
    type_at_top(page, "oops\n")
    found |= axe_violations(page, "problèmes")
    page.get_by_role("button", name="Calculer l'impact").click()
    page.get_by_role("button", name="Afficher le formulaire").click()
    expect(page.get_by_label("Rapport d'impact")).to_contain_text("erreurs", timeout=START_MS)
    found |= axe_violations(page, "rapports")
    page.get_by_label("Phrase telle qu'elle se lit sur le site").fill("a posteriori")
    page.get_by_role("button", name="Chercher").click()
    expect(page.locator(".rules-editor__found li").first).to_be_visible(timeout=START_MS)
    found |= axe_violations(page, "recherche")
    assert found == {}, json.dumps(found, ensure_ascii=False, indent=1)[:3000]
    assert page.evaluate("document.body.dataset.mdColorScheme") == scheme
    watch.assert_clean()
    context.close()


def test_the_setup_is_the_published_rules(site: Path) -> None:
    setup = json.loads(next((site / "assets" / "editor").glob("setup.*.json")).read_text())
    assert setup["rules"] == RULES and setup["rules_file"] == "data/rules.yaml"
    assert setup["holidays"]["2026-12-25"] == "Noël"
