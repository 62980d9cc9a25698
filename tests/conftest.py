"""Shared fixtures: the real rules file, loaded once per session; the browser tests'
Chromium, the site they read (the real sources' build unless a module overrides
``site``), its server, and a fresh page per test with its request watch."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from checker.model import CompiledRules
from rulebook.loader import RulesBook, load_rules
from sitegen.build_cache import CACHE_ENV, cache_root
from tests.badrules import Outcome, cli_outcomes

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

    from tests.browser import PageWatch, Server

ROOT = Path(__file__).resolve().parent.parent
# Every build of the tests, in-process or not, shares the repository's build cache (the
# checker's runtime, precompressed files): a temporary copy would rebuild them each time.
os.environ.setdefault(CACHE_ENV, str(cache_root(ROOT)))
RULES_PATH = ROOT / "data" / "rules.yaml"
SCENARIOS_PATH = ROOT / "data" / "scenarios.yaml"
DOCS_PATH = ROOT / "docs"  # the hand-written pages that ``more:`` may point to


@pytest.fixture(scope="session")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    """What ``cagette-rules validate`` says of every case of the bad-rules corpus (run
    once per session: the corpus' tests and the editor's parity tests read it)."""
    return cli_outcomes(tmp_path_factory.mktemp("bad_rules"))


@pytest.fixture(scope="session")
def book() -> RulesBook:
    """The validated real rules."""
    return load_rules(RULES_PATH)


@pytest.fixture(scope="session")
def compiled(book: RulesBook) -> CompiledRules:
    """The compiled rules, as the checker and the browser see them."""
    return book.compiled


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's headless Chromium, reaching 127.0.0.1 only, shared by the browser tests."""
    from playwright.sync_api import sync_playwright

    from tests.browser import launch_chromium

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def site() -> Path:
    """The site built once from the real sources (modules may override it)."""
    from tests.sitebuild import default_site

    return default_site()


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[Server]:
    """``site`` served on 127.0.0.1 by the production-like server."""
    from tests.browser import serve

    with serve(site) as running:
        yield running


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh French context (see ``tests.browser.new_context``), closed after the test."""
    from tests.browser import new_context

    opened = new_context(browser)
    yield opened
    opened.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    """A fresh page of ``context``."""
    return context.new_page()


@pytest.fixture
def watch(page: Page) -> Iterator[PageWatch]:
    """Records the page's requests and console errors; the test ends clean."""
    from tests.browser import PageWatch

    recorder = PageWatch().attach(page)
    yield recorder
    recorder.assert_clean()
