"""Shared helpers for tests (and benchmarks) that drive Debian's Chromium.

- :func:`serve` serves a directory over HTTP on ``127.0.0.1``, port 0, in a
  thread (``file://`` cannot run Pyodide) with ``sitegen.site_server``:
  precompressed siblings, the checker's CSP as a header on non-HTML responses
  (it governs the workers; pages carry their own meta CSP), optional on-the-fly
  gzip and, optionally, a long-lived ``Cache-Control`` on content-hashed or
  versioned paths (warm-visit benchmarks);
- :func:`launch_chromium` starts the system ``chromium`` headless, with every
  host except 127.0.0.1 unresolvable, and :func:`new_context` opens a French
  context in it with the tests' timeout, recording CSP violations;
- :class:`PageWatch` records every request and console error of a page and
  fails on any request outside 127.0.0.1;
- :func:`axe_violations` runs axe-core (npm, pinned) on the current page, every rule
  (WCAG A/AA and best practices);
- :data:`RECORD_CSP_VIOLATIONS` (an init script) and :func:`csp_violations`
  collect the page's ``securitypolicyviolation`` events;
- :func:`traced` records a Chromium trace during an action, and
  :func:`wasm_cache_events` counts its compiled-wasm code-cache events;
- :func:`pause_clock` stops a page's clock (its timers, the checker's watchdog among
  them) so that page time passes only when a test moves it.

No wait here ends on a time a busy machine could exceed: Playwright's assertions get the
tests' generous :data:`LOAD_TIMEOUT_MS` (instead of its 5 s), and a timer the checker
arms (its watchdog) fires in a test only when the test moves the page's clock.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Playwright,
    Request,
    expect,
)

from sitegen import site_server
from sitegen.csp import CHECKER_CSP
from sitegen.site_server import Server

__all__ = ["CHECKER_CSP", "Server"]

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# Let finite CSS transitions end first: mid-fade colours (Material's "back to top"
# button appearing after a scroll up) are not the page's contrast.
SETTLE = """Promise.all(document.getAnimations()
  .filter((a) => a.effect?.getComputedTiming().iterations !== Infinity)
  .map((a) => a.finished.catch(() => {})))"""
# Also marks <html data-csp-<directive>> (say data-csp-script-src-elem), so that tests
# can wait with a locator: under the CSP, Playwright cannot poll a JavaScript predicate.
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
  document.documentElement.setAttribute(`data-csp-${event.violatedDirective}`, "");
});
"""
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]
LOCAL_HOSTS = {"127.0.0.1"}
LOAD_TIMEOUT_MS = 120_000  # generous: a loaded CI machine, never a measured limit
expect.set_options(timeout=LOAD_TIMEOUT_MS)  # Playwright's assertions too (5 s otherwise)
CLOCK_START = datetime(2026, 12, 4, 9)  # a paused page clock's time (the day is no matter)
READY = "#cagette-checker[data-state=ready]"
COMPLETE = "#cagette-checker[data-verdict=complete]"


@contextlib.contextmanager
def serve(directory: Path, gzip_bodies: bool = False,
          cache_immutable: bool = False) -> Iterator[Server]:
    """Serve ``directory`` on 127.0.0.1 (port chosen by the system) until exit.

    The production-like server of ``sitegen.site_server``: the build's ``.br`` and
    ``.gz`` siblings when accepted, the CSP header on non-page responses.
    ``gzip_bodies`` also gzips the other text files on the fly (nginx's
    ``gzip on``); ``cache_immutable`` lets the browser keep hashed or versioned
    files for a year without asking again, as a production server should;
    every other response is ``no-cache`` (revalidated on each use).
    """
    with site_server.serve(directory, cache_immutable=cache_immutable,
                           dynamic_gzip=gzip_bodies) as server:
        yield server


def chromium_path() -> str:
    """Debian's chromium (installed by ``make chromium``), never a downloaded build."""
    path = shutil.which("chromium")
    if path is None:
        raise RuntimeError("chromium introuvable : lancez « make chromium »")
    return path


def launch_chromium(playwright: Playwright) -> Browser:
    """Headless system Chromium that can reach 127.0.0.1 only."""
    return playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)


def new_context(browser: Browser, **options: Any) -> BrowserContext:
    """A context in French with the tests' generous timeout, recording CSP violations.

    ``options`` go to Playwright's ``new_context`` (``color_scheme``,
    ``java_script_enabled``…).
    """
    # Playwright's routes do not see what a service worker fetches: blocked unless a test
    # is about it (``service_workers="allow"``: the offline and loading tests).
    context = browser.new_context(**{"locale": "fr-FR", "service_workers": "block", **options})
    context.set_default_timeout(LOAD_TIMEOUT_MS)
    context.add_init_script(RECORD_CSP_VIOLATIONS)
    return context


@dataclass
class PageWatch:
    """Requests and console errors of one page (and its workers)."""

    requests: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def attach(self, page: Page) -> PageWatch:
        """Start recording on ``page``."""
        page.on("request", self._on_request)
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        page.on("worker", lambda worker: worker.on(
            "console", self._on_console) if hasattr(worker, "on") else None)
        return self

    def _on_request(self, request: Request) -> None:
        url = request.url
        self.requests.append(url)
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about"):
            return
        if parts.hostname not in LOCAL_HOSTS:
            self.outside.append(url)

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.console_errors.append(message.text)

    def count(self, suffix: str) -> int:
        """How many requests asked for a URL path ending with ``suffix``."""
        return sum(1 for url in self.requests if urlsplit(url).path.endswith(suffix))

    def assert_clean(self) -> None:
        """No request left 127.0.0.1, no console error, no uncaught page error."""
        assert self.outside == [], f"requêtes hors 127.0.0.1 : {self.outside}"
        assert self.console_errors == [], f"erreurs de console : {self.console_errors}"
        assert self.page_errors == [], f"erreurs de page : {self.page_errors}"


def pause_clock(page: Page) -> None:
    """Stop ``page``'s clock before it loads: its timers (``setTimeout``, the checker's
    watchdog) fire only when the test moves it (``page.clock.run_for``), so a slow
    machine never fires one the test did not mean to fire. The checker's worker keeps
    real time: Python still starts, the files still arrive."""
    page.clock.install(time=CLOCK_START)
    page.clock.pause_at(CLOCK_START + timedelta(seconds=1))


def axe_violations(page: Page, where: str = "") -> dict[str, list[Any]]:
    """axe-core's violations on ``page`` now, all rules (best practices included):
    ``"<where> <rule>"`` -> targets."""
    page.evaluate(SETTLE)
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return {f"{where} {v['id']}".strip(): [n["target"] for n in v["nodes"]]
            for v in result["violations"]}


def csp_violations(page: Page) -> list[str]:
    """CSP violations reported in the page so far (needs :data:`RECORD_CSP_VIOLATIONS`)."""
    return page.evaluate("window.__cspViolations")


# Chromium's trace events about the compiled-wasm code cache (Blink's
# wasm_response_extensions): "v8.wasm.cachedModule" when a compiled module is
# stored, "v8.wasm.moduleCacheHit" when a visit reuses it instead of compiling.
WASM_CACHE_CATEGORIES = "disabled-by-default-devtools.timeline,v8.wasm"
WASM_CACHE_EVENTS = ("v8.wasm.cachedModule", "v8.wasm.moduleCacheHit",
                     "v8.wasm.moduleCacheInvalid")


def traced(page: Page, action: Callable[[], None],
           categories: str = WASM_CACHE_CATEGORIES) -> list[dict[str, Any]]:
    """Chromium trace events (every process: page, workers) recorded during ``action``."""
    cdp = page.context.new_cdp_session(page)
    events: list[dict[str, Any]] = []
    complete: list[bool] = []
    cdp.on("Tracing.dataCollected", lambda message: events.extend(message["value"]))
    cdp.on("Tracing.tracingComplete", lambda _: complete.append(True))
    # A large buffer: once full, Chromium drops the later events.
    cdp.send("Tracing.start", {"transferMode": "ReportEvents", "traceConfig": {
        "recordMode": "recordAsMuchAsPossible", "traceBufferSizeInKb": 400_000,
        "includedCategories": categories.split(",")}})
    try:
        action()
    finally:
        cdp.send("Tracing.end")
        for _ in range(LOAD_TIMEOUT_MS // 50):  # a large trace takes a busy machine long
            if complete:
                break
            page.wait_for_timeout(50)
        cdp.detach()
    assert complete, "Chromium never finished sending the trace"
    return events


def wasm_cache_events(events: list[dict[str, Any]], suffix: str = ".wasm") -> dict[str, int]:
    """How many code-cache events of each kind concern a wasm URL ending with ``suffix``."""
    found = dict.fromkeys(WASM_CACHE_EVENTS, 0)
    for event in events:
        name = event.get("name")
        if name in found:
            url = (event.get("args") or {}).get("url", suffix)
            found[name] += str(url).endswith(suffix)
    return found
