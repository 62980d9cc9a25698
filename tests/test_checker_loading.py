"""Loading the checker in Debian's Chromium: a warm visit reuses the compiled wasm.

Evidence from Chromium's own trace: the first visit stores the compiled
``pyodide.asm.wasm`` (``v8.wasm.cachedModule``), the second one loads it from
there (``v8.wasm.moduleCacheHit``) instead of compiling it again. The worker's
download counter must not defeat this (a response rebuilt from a stream has no
URL, and Chromium never caches its compiled code), nor must the service worker.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.browser import CHROMIUM_ARGS, chromium_path, serve, traced, wasm_cache_events
from tests.sitebuild import default_site

pytestmark = [pytest.mark.browser, pytest.mark.build]

READY = "#cagette-checker[data-state=ready]"
LOAD_TIMEOUT_MS = 120_000  # generous: a loaded CI machine, never a measured limit
STORE_WAIT_WINDOWS = 30  # × 2 s: V8 stores the module once enough of it is optimised


def visit(page: Page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector(READY)


def test_a_warm_visit_reuses_the_compiled_wasm(browser: Browser, tmp_path: Path) -> None:
    with serve(default_site(), cache_immutable=True) as server:
        # An on-disk profile: a real HTTP cache and code cache, as a visitor has.
        context = browser.browser_type.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=chromium_path(), args=CHROMIUM_ARGS,
            locale="fr-FR")
        context.set_default_timeout(LOAD_TIMEOUT_MS)
        url = f"{server.url}verificateur/"
        cold = context.new_page()
        stored = wasm_cache_events(traced(cold, lambda: visit(cold, url)))
        for _ in range(STORE_WAIT_WINDOWS):
            if stored["v8.wasm.cachedModule"]:
                break
            stored = wasm_cache_events(traced(cold, lambda: cold.wait_for_timeout(2000)))
        assert stored["v8.wasm.cachedModule"] == 1, "the compiled wasm was never stored"
        assert stored["v8.wasm.moduleCacheHit"] == 0  # a cold visit has nothing to reuse
        cold.close()

        warm = context.new_page()
        found = wasm_cache_events(traced(warm, lambda: visit(warm, url)), "/pyodide.asm.wasm")
        context.close()
    assert found["v8.wasm.moduleCacheHit"] == 1, found
    assert found["v8.wasm.moduleCacheInvalid"] == 0
