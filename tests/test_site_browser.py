"""The generated pages in Debian's Chromium: the CSP allows exactly what the
theme needs (no violation), the light/dark toggle, instant navigation and
search still work, and nothing is requested outside 127.0.0.1."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from tests.browser import (
    PageWatch,
    Server,
    axe_violations,
    csp_violations,
    new_context,
    serve,
)
from tests.conftest import RULES_PATH
from tests.sitebuild import as_built_on, build_site, html_pages
from tests.test_sessions import ONE_OFF_SESSION

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
    for page in html_pages(site):
        if page.name != "index.html":
            continue
        if "Page déplacée" in page.read_text(encoding="utf-8"):
            continue
        folder = page.parent.relative_to(site).as_posix()
        paths.append("" if folder == "." else folder + "/")
    return paths


@pytest.mark.parametrize(("scheme", "width"), [("light", 1280), ("dark", 1280), ("light", 390)])
def test_every_page_passes_axe_with_all_rules_in_both_schemes(
        browser: Browser, server: Server, site: Path, scheme: str, width: int) -> None:
    # The palette follows the system; at 390 px (a phone) the navigation is a drawer.
    context = new_context(browser, color_scheme=scheme, viewport={"width": width, "height": 844})
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
    if width < 960:  # on a phone, behind the header's search button
        page.locator("label.md-header__button[for='__search']").click()
    page.get_by_role("textbox", name="Rechercher").click()
    expect(page.locator(".md-search-result__meta")).not_to_contain_text("Initialisation")
    # Fully faded in: axe measures a fading panel's text against its final background
    # only once the opacity transition (0.4 s in Material) has ended.
    expect(page.locator(".md-search__output")).to_have_css("opacity", "1")
    found.update(axe_violations(page, "recherche ouverte"))
    context.close()
    assert found == {}


def sessions_rules() -> str:
    """The real rules with the weekly sessions confirmed from 1 December 2026 to 31 March
    2027, and two one-off sessions: 10 December 2026 and 15 January 2027."""
    text = RULES_PATH.read_text(encoding="utf-8")
    text = text.replace("confirmed_from: 2022-02-08", "confirmed_from: 2026-12-01")
    text = text.replace("confirmed_until: 2022-02-08", "confirmed_until: 2027-03-31")
    added = "".join(ONE_OFF_SESSION.format(id=i, day=day)
                    for i, day in (("decembre", "2026-12-10"), ("janvier", "2027-01-15")))
    return text.replace("\nsources:\n", f"{added}\nsources:\n", 1)


def read_sessions_at(browser: Browser, url: str, moment: str) -> tuple[BrowserContext, Page]:
    """The sessions page read at ``moment`` (the browser's clock set to it)."""
    context = new_context(browser)
    page = context.new_page()
    page.clock.set_fixed_time(datetime.fromisoformat(moment))
    page.goto(url + "sessions/", wait_until="networkidle")
    return context, page


def toc_entry(page: Page, anchor: str) -> Locator:
    """The entry of the table of contents (right sidebar) that leads to ``anchor``."""
    entry = page.locator(".md-sidebar--secondary li.md-nav__item",
                         has=page.locator(f'a[href$="#{anchor}"]'))
    expect(entry).to_have_count(1)
    return entry


def first_dates(page: Page, session_id: str) -> list[str]:
    """The dates shown for a weekly session, in order."""
    shown = page.locator(f"section:has(#{session_id}) li:not([hidden]) time")
    return [t.get_attribute("datetime") or "" for t in shown.all()]


def test_only_sessions_still_to_come_are_shown(browser: Browser, tmp_path: Path) -> None:
    """A site built on 4 December 2026, read later: the past dates it lists stay hidden,
    a one-off session disappears once it has ended, and the introduction follows."""
    built = build_site(tmp_path, sessions_rules(), env=as_built_on(date(2026, 12, 4)))
    assert built.returncode == 0, built.stderr
    december = "section:has(#visio-decembre)"
    with serve(tmp_path / "site") as running:
        context, page = read_sessions_at(browser, running.url, "2026-12-10T18:30:00+01:00")
        expect(page.locator(december)).to_be_visible()  # under way: still shown
        expect(toc_entry(page, "visio-decembre")).to_be_visible()
        expect(page.locator(december).get_by_text("Ajouter à mon agenda")).to_be_visible()
        assert first_dates(page, "point-infos") == [
            "2026-12-11T12:00+01:00", "2026-12-14T12:00+01:00", "2026-12-15T12:00+01:00",
            "2026-12-16T12:00+01:00", "2026-12-17T12:00+01:00"]  # the 10th's has begun
        assert first_dates(page, "visios-techniques")[0] == "2026-12-14T18:00+01:00"
        assert axe_violations(page, "sessions/ (dates à venir)") == {}
        expect(page.locator("[data-sessions-intro]")).to_have_text(
            "On répond à vos questions en visio\u00a0: choisissez la session qui vous "
            "correspond et inscrivez-vous.")
        context.close()

        context, page = read_sessions_at(browser, running.url, "2026-12-10T19:00:01+01:00")
        expect(page.locator(december)).to_be_hidden()  # ended: gone, and from the contents
        expect(toc_entry(page, "visio-decembre")).to_be_hidden()
        expect(page.locator("section:has(#visio-janvier)")).to_be_visible()
        expect(toc_entry(page, "visio-janvier")).to_be_visible()
        context.close()

        context, page = read_sessions_at(browser, running.url, "2027-04-01T09:00:00+02:00")
        for one_off in ("#visio-decembre", "#visio-janvier"):
            expect(page.locator(f"section:has({one_off})")).to_be_hidden()
        for weekly in ("#point-infos", "#visios-techniques"):
            section = page.locator(f"section:has({weekly})")
            expect(section).to_be_visible()  # its period is over: told, no date, no button
            expect(section.locator("[data-session-dates]")).to_be_hidden()
            expect(section.locator("[data-session-actions]")).to_be_hidden()
        expect(page.locator("[data-sessions-intro]")).to_have_text(
            "Aucune date de session n'est annoncée pour le moment\u00a0: voici les derniers "
            "horaires annoncés et leur source.")
        context.close()

        no_script = new_context(browser, java_script_enabled=False)
        page = no_script.new_page()
        page.goto(running.url + "sessions/", wait_until="load")
        expect(page.locator("[data-session-dates]").first).to_be_hidden()
        expect(page.get_by_text("Du lundi au vendredi, de 12\u00a0h à 12\u00a0h\u00a045")
               ).to_be_visible()
        expect(page.get_by_text("Le jeudi 10 décembre 2026, de 18\u00a0h à 19\u00a0h")
               ).to_be_visible()  # as built, its date written out
        no_script.close()


def test_old_rule_addresses_land_on_the_new_pages(page: Page, server: Server) -> None:
    watch = PageWatch().attach(page)
    page.goto(server.url + "regles/discovery_account/#exemples", wait_until="networkidle")
    expect(page).to_have_url(server.url + "regles/compte-decouverte/#exemples")
    expect(page.locator("h1")).to_contain_text("Le compte Découverte")
    assert violations(page) == []
    watch.assert_clean()
