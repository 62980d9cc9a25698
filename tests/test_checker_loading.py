"""Loading the checker in Debian's Chromium: what a revisit reuses.

The compiled wasm: evidence from Chromium's own trace: the first visit stores the compiled
``pyodide.asm.wasm`` (``v8.wasm.cachedModule``), the second one loads it from
there (``v8.wasm.moduleCacheHit``) instead of compiling it again. The worker's
download counter must not defeat this (a response rebuilt from a stream has no
URL, and Chromium never caches its compiled code), nor must the service worker.
V8 stores a module once its optimised code has been quiet for 2 s; in a module
worker that timer sometimes never fires after a start-up as short as ours (about
one first visit in two, with or without this project's code; the benchmark
reports the real rate). This test turns the timer off
(``--wasm-caching-timeout-ms=0``: store as soon as optimised code exists), which
makes the outcome depend on the response alone.

The started interpreter: once idle, the worker keeps a memory snapshot in Cache
Storage; a revisit starts from it and answers as CPython does; a broken one is
dropped and replaced.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from checker import evaluate, parse_form_answers
from checker.model import CompiledRules
from tests.browser import (
    CHROMIUM_ARGS,
    LOAD_TIMEOUT_MS,
    READY,
    PageWatch,
    chromium_path,
    new_context,
    serve,
    traced,
    wasm_cache_events,
)
from tests.sitebuild import default_site

pytestmark = [pytest.mark.browser, pytest.mark.build]

CACHE_NOW = "--js-flags=--wasm-caching-timeout-ms=0"


def visit(page: Page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector(READY)


def test_a_warm_visit_reuses_the_compiled_wasm(browser: Browser, tmp_path: Path) -> None:
    with serve(default_site(), cache_immutable=True) as server:
        # An on-disk profile: a real HTTP cache and code cache, as a visitor has.
        context = browser.browser_type.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=chromium_path(),
            args=[*CHROMIUM_ARGS, CACHE_NOW], locale="fr-FR")
        context.set_default_timeout(LOAD_TIMEOUT_MS)
        url = f"{server.url}verificateur/"
        cold = context.new_page()

        def stay(seconds: int) -> Callable[[], None]:
            return lambda: cold.wait_for_timeout(seconds * 1000)

        # One trace for the visit and the following seconds (an event between two
        # traces would be missed), then more until the module is stored: a slow machine
        # optimises it later, within the tests' generous limit.
        stored = wasm_cache_events(traced(cold, lambda: (visit(cold, url), stay(5)())))
        waited = 5
        while not stored["v8.wasm.cachedModule"] and waited < LOAD_TIMEOUT_MS // 1000:
            stored = wasm_cache_events(traced(cold, stay(20)))
            waited += 20
        assert stored["v8.wasm.cachedModule"] >= 1, "the compiled wasm was never stored"
        assert stored["v8.wasm.moduleCacheHit"] == 0  # a cold visit has nothing to reuse
        cold.close()

        warm = context.new_page()
        found = wasm_cache_events(traced(warm, lambda: visit(warm, url)), "/pyodide.asm.wasm")
        context.close()
    assert found["v8.wasm.moduleCacheHit"] == 1, found
    assert found["v8.wasm.moduleCacheInvalid"] == 0


SNAPSHOTS = """async () => {
  const cache = await caches.open("cagette-checker-snapshot");
  return (await cache.keys()).map((request) => request.url);
}"""
# One byte changed in the middle of the kept snapshot, its other headers kept: an
# interpreter would still start from it (and could answer wrong).
ALTER_SNAPSHOT = """async () => {
  const cache = await caches.open("cagette-checker-snapshot");
  for (const request of await cache.keys()) {
    const kept = await cache.match(request);
    const bytes = new Uint8Array(await kept.arrayBuffer());
    bytes[bytes.length >> 1] ^= 0x01;
    await cache.put(request, new Response(bytes, { headers: kept.headers }));
  }
}"""


def kept_snapshot(page: Page) -> list[str]:
    """Wait until the worker keeps its memory snapshot (made once it is idle)."""
    for _ in range(LOAD_TIMEOUT_MS // 250):
        urls = page.evaluate(SNAPSHOTS)
        if urls:
            return urls
        page.wait_for_timeout(250)
    raise AssertionError("no snapshot kept")


def test_a_revisit_starts_from_the_kept_snapshot(browser: Browser, compiled: CompiledRules) -> None:
    context = new_context(browser, service_workers="allow")
    form = {"role": "producer", "direct_seller": "true", "account": "none",
            "sales_outside_amap_eur": "4800"}
    query = "?" + "&".join(f"{key}={value}" for key, value in form.items())
    with serve(default_site()) as server:
        url = f"{server.url}verificateur/"
        first = context.new_page()
        watch = PageWatch().attach(first)
        visit(first, url)
        expect(first.locator("#cagette-checker")).to_have_attribute("data-start", "fresh")
        keys = kept_snapshot(first)
        assert len(keys) == 1
        assert all(f"{name}=" in keys[0] for name in ("stdlib", "checker", "manifest"))

        revisit = context.new_page()
        watch.attach(revisit)
        visit(revisit, url + query)
        root = revisit.locator("#cagette-checker")
        expect(root).to_have_attribute("data-start", "snapshot")
        revisit.wait_for_selector("#cagette-checker[data-verdict=complete]")
        verdict = evaluate(compiled, parse_form_answers(compiled, form))
        titles = revisit.locator(".cagette-checker__actions > li > strong").all_inner_texts()
        assert titles == [action["title"] for action in verdict["actions"]] != []

        # An altered snapshot is dropped: the visit starts fully, and keeps a new one.
        revisit.evaluate(ALTER_SNAPSHOT)
        third = context.new_page()
        visit(third, url)
        expect(third.locator("#cagette-checker")).to_have_attribute("data-start", "fresh")
        third.locator("input[name='role'][value='coordinator']").check()
        expect(third.locator("fieldset[data-question='group_mode']")).to_be_visible()
        assert kept_snapshot(third) == keys
    watch.console_errors = [e for e in watch.console_errors if "instantané" not in e]
    watch.assert_clean()
    context.close()
