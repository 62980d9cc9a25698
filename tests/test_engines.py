"""What a person uses, in Chromium, Firefox and WebKit (Debian's packages, no browser
downloaded): the checker's flows and every page, on the real built site.

- a verdict from a shared link; answering by clicking and typing; a missing file said in
  French with the answers kept; the offline revisit (the server gone) of pages already
  read and of the search (the checker never opened: none of its runtime downloaded), and
  of the checker once it has started;
- every page renders without a console error, an uncaught exception or a CSP violation,
  and the search gives results.

The drivers are in ``tests/engines.py``; each test has a browser of its own (a fresh
profile, so nothing is kept from another test).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from checker import evaluate
from checker.answers import parse_form_answers
from checker.model import CompiledRules
from tests.engines import ENGINES, Driver, driver_for, recording_server
from tests.sitebuild import default_site
from tests.test_site_browser import every_page

pytestmark = [pytest.mark.browser, pytest.mark.build]

COMPLETE = "document.querySelector('#cagette-checker[data-verdict=complete]')"
READY = "document.querySelector('#cagette-checker[data-state=ready]')"
RESULT = "#cagette-checker-result-body"
SHARED = "verificateur/?role=coordinator&group_mode=shop"
# Words that a person should never read: a trace, a JavaScript fault, an address.
TECHNICAL = re.compile(r"Traceback|Error|undefined|exit\(|https?://")
SEARCH_READY = ("document.querySelector('.md-search-result__meta')?.textContent.trim()"
                " !== 'Initialisation de la recherche'")
STARTED = {"verificateur/": READY,
           "editeur/": "document.querySelector('#rules-editor[data-checks]')"}
# The service worker's cache of this build (its files kept for offline use).
KEPT = """const names = (await caches.keys()).filter((n) => n.startsWith("cagette-checker:"));
if (names.length !== 1) return [];
return (await (await caches.open(names[0])).keys()).map((r) => new URL(r.url).pathname);"""


@pytest.fixture(scope="module")
def site() -> Path:
    return default_site()


@pytest.fixture(params=ENGINES)
def driver(request: pytest.FixtureRequest) -> Iterator[Driver]:
    chromium = request.getfixturevalue("browser") if request.param == "chromium" else None
    with driver_for(request.param, chromium) as opened:
        yield opened


def choice(question: str, value: str) -> str:
    """The label a person clicks to give ``value`` to ``question``."""
    return (f"fieldset[data-question='{question}'] .cagette-checker__choice"
            f":has(input[value='{value}']) label")


def checked(driver: Driver, question: str) -> str | None:
    return driver.evaluate(
        f"return document.querySelector(\"input[name='{question}']:checked\")?.value ?? null;")


def no_fault(driver: Driver, recorded: list[str]) -> None:
    faults = driver.errors() + recorded
    assert faults == [], f"{driver.engine}: {faults}"


def test_a_shared_link_gives_its_verdict(driver: Driver, site: Path,
                                         compiled: CompiledRules) -> None:
    with recording_server(site) as (server, recorded):
        driver.goto(server.url + SHARED)
        driver.wait(COMPLETE, "the verdict")
        text = driver.text(RESULT)
        verdict = evaluate(compiled, {"role": "coordinator", "group_mode": "shop"})
        assert verdict["actions"]
        for action in verdict["actions"]:
            assert action["title"] in text, driver.engine
        assert checked(driver, "role") == "coordinator"
        assert checked(driver, "group_mode") == "shop"
        no_fault(driver, recorded)


def test_answering_by_clicking_and_typing(driver: Driver, site: Path,
                                         compiled: CompiledRules) -> None:
    with recording_server(site) as (server, recorded):
        driver.goto(server.url + "verificateur/")
        driver.wait(READY, "the checker ready")
        driver.click(choice("role", "producer"))
        driver.click(choice("direct_seller", "true"))
        driver.click(choice("account", "discovery"))
        driver.type("input[name='sales_outside_amap_eur']", "1 500", "Tab")
        driver.wait(COMPLETE, "the verdict")
        form = {"role": "producer", "direct_seller": "true", "account": "discovery",
                "sales_outside_amap_eur": "1 500"}
        verdict = evaluate(compiled, parse_form_answers(compiled, form))
        text = driver.text(RESULT)
        assert f"Votre formule\u00a0: {verdict['plan_name']}" in text, driver.engine
        for reason in verdict["reasons"]:
            assert reason["text"] in text, driver.engine
        assert driver.evaluate("return location.search;") == (
            "?role=producer&direct_seller=true&account=discovery&sales_outside_amap_eur=1+500")
        no_fault(driver, recorded)


@pytest.fixture(scope="module")
def site_without_checker(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built site with the checker's archive missing (and its compressed copies)."""
    broken = tmp_path_factory.mktemp("broken") / "site"
    shutil.copytree(site, broken)
    removed = list((broken / "assets" / "checker").glob("checker.*.zip*"))
    assert len(removed) == 3  # the archive, its .br and its .gz
    for path in removed:
        path.unlink()
    return broken


def test_a_missing_file_is_said_in_french_and_the_answers_kept(
        driver: Driver, site_without_checker: Path) -> None:
    with recording_server(site_without_checker) as (server, _):
        driver.goto(server.url + "verificateur/?role=producer")
        driver.wait("document.querySelector('#cagette-checker[data-state=error]')",
                    "the failure shown")
        failure = driver.text("#cagette-checker-failure")
        assert re.search(r"checker\.[0-9a-f]{12}\.zip n'a pas pu être téléchargé "
                         r"\(erreur HTTP 404\)", failure), (driver.engine, failure)
        assert not TECHNICAL.search(failure), failure
        assert driver.visible("#cagette-checker-failure button"), driver.engine  # Réessayer
        assert checked(driver, "role") == "producer"  # the answer from the link, kept


def kept(path: str) -> str:
    """A condition: ``path`` is kept by the service worker."""
    return f"(async () => {{ {KEPT} }})().then((kept) => kept.includes({path!r}))"


def test_pages_read_and_the_search_work_again_offline(driver: Driver, site: Path) -> None:
    with recording_server(site) as (server, recorded):
        url = server.url
        driver.goto(url + "faq/")  # the first page ever read here
        driver.wait(kept("/faq/"), "the page kept")
        driver.goto(url)
        search(driver, "charte")
        driver.wait(kept("/search/search_index.json"), "the search index kept")
        pathnames = driver.evaluate(KEPT)
        # A reader who never opened the checker downloads none of its runtime.
        assert not [p for p in pathnames if "/pyodide/" in p or p.endswith(".zip")], pathnames
        no_fault(driver, recorded)
    # The server is gone: every connection is refused.
    driver.goto(url + "faq/")
    assert driver.text("article h1").startswith("Foire aux questions"), driver.engine
    search(driver, "plafond")
    driver.goto(url)
    assert driver.text("article h1").strip(), driver.engine


def test_the_checker_works_again_offline(driver: Driver, site: Path,
                                         compiled: CompiledRules) -> None:
    with recording_server(site) as (server, recorded):
        url = server.url
        driver.goto(url + "verificateur/")
        driver.wait(READY, "the checker ready")
        driver.wait(kept("/verificateur/"), "the checker's files kept")
        no_fault(driver, recorded)
    driver.goto(url + SHARED)
    driver.wait(COMPLETE, "the verdict offline")
    verdict = evaluate(compiled, {"role": "coordinator", "group_mode": "shop"})
    text = driver.text(RESULT)
    for action in verdict["actions"]:
        assert action["title"] in text, driver.engine
    driver.click(choice("role", "producer"))  # Python still answers
    driver.wait("document.querySelector(\"fieldset[data-question='direct_seller']:not([hidden])\")",
                "the next question")


def search(driver: Driver, words: str) -> None:
    """Type ``words`` in the site's search and wait for results that contain them."""
    driver.click("input[data-md-component='search-query']")
    driver.type("input[data-md-component='search-query']", words)
    driver.wait(f"[...document.querySelectorAll('.md-search-result__item')]"
                f".some((item) => item.innerText.toLowerCase().includes({words!r}))",
                f"search results for {words!r}")


def test_every_page_renders_and_the_search_answers(driver: Driver, site: Path) -> None:
    paths = every_page(site)
    assert len(paths) >= 18 and "verificateur/" in paths and "editeur/" in paths
    with recording_server(site) as (server, recorded):
        for path in paths:
            driver.goto(server.url + path)
            # Each page started in full before the next one: its search, its program.
            driver.wait(SEARCH_READY, f"the search ready on {path or '/'}")
            if path in STARTED:
                driver.wait(STARTED[path], f"{path} started")
            title = driver.text("article h1")
            assert title.strip(), f"{driver.engine}: {path or '/'} has no title"
            assert driver.evaluate("return getComputedStyle(document.body).fontFamily;"), path
        driver.goto(server.url)
        search(driver, "plafond")
        no_fault(driver, recorded)
