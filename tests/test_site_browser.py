"""The generated pages in Debian's Chromium: the CSP allows exactly what the
theme needs (no violation), the light/dark toggle, instant navigation and
search still work, and nothing is requested outside 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser import (
    RECORD_CSP_VIOLATIONS,
    PageWatch,
    Server,
    axe_violations,
    csp_violations,
    serve,
)
from tests.sitebuild import build_site, default_site

pytestmark = [pytest.mark.browser, pytest.mark.build]

PAGES = ["", "regles/discovery_account/", "faq/", "sessions/", "synthese/", "formules/",
         "tableau-de-decision/", "modifier-le-contenu/", "historique/", "regles/"]
# One page per template (the others share them), to keep the run short.
AXE_PAGES = ["", "regles/discovery_account/", "faq/", "sessions/", "synthese/",
             "tableau-de-decision/", "formules/", "modifier-le-contenu/"]


@pytest.fixture(scope="module")
def site() -> Path:
    """The site built once from the real sources."""
    return default_site()


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[Server]:
    """The built site on 127.0.0.1."""
    with serve(site) as running:
        yield running


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh page recording CSP violations."""
    context = browser.new_context()
    tab = context.new_page()
    tab.add_init_script(RECORD_CSP_VIOLATIONS)
    yield tab
    context.close()


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
        expect(page).to_have_url(running.url + "regles/charter/")
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


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_pages_pass_axe_wcag_aa_in_both_schemes(browser: Browser, server: Server,
                                                scheme: str) -> None:
    context = browser.new_context(color_scheme=scheme)  # the palette follows the system
    page = context.new_page()
    found = {}
    for path in AXE_PAGES:
        page.goto(server.url + path, wait_until="load")
        found.update(axe_violations(page, path or "/"))
    context.close()
    assert found == {}
