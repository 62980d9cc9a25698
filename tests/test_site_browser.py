"""The generated pages in Debian's Chromium: the CSP allows exactly what the
theme needs (no violation), the light/dark toggle, instant navigation and
search still work, and nothing is requested outside 127.0.0.1."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser import (
    PageWatch,
    Server,
    axe_violations,
    csp_violations,
    new_context,
    serve,
)
from tests.sitebuild import build_site

pytestmark = [pytest.mark.browser, pytest.mark.build]

PAGES = ["", "regles/compte-decouverte/", "faq/", "sessions/", "synthese/", "formules/",
         "tableau-de-decision/", "modifier-le-contenu/", "historique/", "regles/"]

def violations(page: Page) -> list[str]:
    """CSP violations reported in the page so far."""
    return csp_violations(page)


def test_pages_load_without_csp_violation_or_outside_request(page: Page,
                                                             server: Server) -> None:
    watch = PageWatch().attach(page)
    for path in PAGES:
        page.goto(server.url + path, wait_until="networkidle")
        assert page.evaluate("typeof __md_get") == "function", path  # inline script ran
        assert violations(page) == [], path
    watch.assert_clean()


def test_the_palette_toggle_switches_and_persists(page: Page, server: Server) -> None:
    page.goto(server.url, wait_until="networkidle")
    body = page.locator("body")
    expect(body).to_have_attribute("data-md-color-scheme", "default")
    page.get_by_title("Passer au thème sombre").click()
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    page.reload(wait_until="networkidle")  # the inline palette script restores the choice
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    page.get_by_title("Passer au thème clair").click()
    expect(body).to_have_attribute("data-md-color-scheme", "default")
    assert violations(page) == []


def test_instant_navigation_across_depths_stays_within_the_policy(
        page: Page, tmp_path: Path) -> None:
    # Material navigates instantly only on the site_url's origin: serve first, then build
    # for the address the server got.
    with serve(tmp_path / "site") as running:
        result = build_site(tmp_path, env={"SITE_URL": running.url})
        assert result.returncode == 0, result.stderr
        watch = PageWatch().attach(page)
        page.goto(running.url, wait_until="networkidle")
        page.evaluate("window.__samePage = true")
        nav = page.locator(".md-sidebar--primary")
        nav.get_by_role("link", name="Foire aux questions").click()
        expect(page).to_have_url(running.url + "faq/")
        expect(page.locator("h1")).to_contain_text("Foire aux questions")
        nav.get_by_role("link", name="Les règles", exact=True).click()
        expect(page).to_have_url(running.url + "regles/")
        expect(page.locator("h1")).to_contain_text("Les règles")
        page.locator("article").get_by_role("link", name="La charte producteurs").click()
        expect(page).to_have_url(running.url + "regles/charte-producteurs/")
        expect(page.locator("h1")).to_contain_text("La charte producteurs")
        page.get_by_title("Passer au thème sombre").click()
        expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
        assert page.evaluate("window.__samePage") is True  # no full reload: instant navigation
        assert violations(page) == []
        watch.assert_clean()


def test_search_works_in_french_under_the_policy(page: Page, server: Server) -> None:
    watch = PageWatch().attach(page)
    page.goto(server.url, wait_until="networkidle")
    box = page.get_by_role("textbox", name="Rechercher")
    box.click()
    box.press_sequentially("charte")  # typed, as a user does (the theme reads key events)
    expect(page.locator(".md-search-result__item").first).to_contain_text("charte")
    assert violations(page) == []
    watch.assert_clean()


def every_page(site: Path) -> list[str]:
    """The address of every HTML page of the built site (redirect pages aside)."""
    paths = []
    for page in sorted(site.rglob("index.html")):
        if "Page déplacée" in page.read_text(encoding="utf-8"):
            continue
        folder = page.parent.relative_to(site).as_posix()
        paths.append("" if folder == "." else folder + "/")
    return paths


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_page_passes_axe_with_all_rules_in_both_schemes(
        browser: Browser, server: Server, site: Path, scheme: str) -> None:
    context = new_context(browser, color_scheme=scheme)  # the palette follows the system
    page = context.new_page()
    paths = every_page(site)
    assert len(paths) >= 17 and "verificateur/" in paths and "faq/plafond-annuel/" in paths
    found = {}
    for path in paths:
        page.goto(server.url + path, wait_until="load")
        assert page.evaluate("document.body.dataset.mdColorScheme") == (
            "slate" if scheme == "dark" else "default")
        found.update(axe_violations(page, path or "/"))
    # The search dialog, open (named, in the banner's landmark).
    page.goto(server.url, wait_until="load")
    page.get_by_role("textbox", name="Rechercher").click()
    expect(page.locator(".md-search-result__meta")).not_to_contain_text("Initialisation")
    # Fully faded in: axe measures a fading panel's text against its final background
    # only once the opacity transition (0.4 s in Material) has ended.
    expect(page.locator(".md-search__output")).to_have_css("opacity", "1")
    found.update(axe_violations(page, "recherche ouverte"))
    context.close()
    assert found == {}


def test_only_sessions_still_to_come_are_shown(browser: Browser, tmp_path: Path) -> None:
    """A site built ten days ago, read today: the past dates it lists stay hidden."""
    built = date.today() - timedelta(days=10)
    epoch = int(datetime.combine(built, time(12), tzinfo=UTC).timestamp())
    assert build_site(tmp_path, env={"SOURCE_DATE_EPOCH": str(epoch)}).returncode == 0
    with serve(tmp_path / "site") as running:
        context = new_context(browser)
        page = context.new_page()
        page.goto(running.url + "sessions/", wait_until="networkidle")
        for block in page.locator("[data-session-dates]").all():
            expect(block).to_be_visible()
            times = block.locator("time")
            listed = [t.get_attribute("datetime") or "" for t in times.all()]
            assert listed[0] < date.today().isoformat()  # the build listed past dates…
            shown = block.locator("li:not([hidden]) time")
            expect(shown).to_have_count(5)
            for moment in [t.get_attribute("datetime") or "" for t in shown.all()]:
                assert datetime.fromisoformat(moment) > datetime.now(UTC)  # …not shown
            first_past = block.locator("li", has=page.locator(f'time[datetime="{listed[0]}"]'))
            expect(first_past).to_be_hidden()
        context.close()
        no_script = new_context(browser, java_script_enabled=False)
        page = no_script.new_page()
        page.goto(running.url + "sessions/", wait_until="load")
        expect(page.locator("[data-session-dates]").first).to_be_hidden()
        expect(page.get_by_text("Du lundi au vendredi, de 12\u00a0h à 12\u00a0h\u00a045")
               ).to_be_visible()
        no_script.close()


def test_old_rule_addresses_land_on_the_new_pages(page: Page, server: Server) -> None:
    watch = PageWatch().attach(page)
    page.goto(server.url + "regles/discovery_account/#exemples", wait_until="networkidle")
    expect(page).to_have_url(server.url + "regles/compte-decouverte/#exemples")
    expect(page.locator("h1")).to_contain_text("Le compte Découverte")
    assert violations(page) == []
    watch.assert_clean()
