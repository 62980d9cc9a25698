"""Shared helpers for tests (and benchmarks) that drive Debian's Chromium.

- :func:`serve` serves a directory over HTTP on ``127.0.0.1``, port 0, in a
  thread (``file://`` cannot run Pyodide), with the checker's CSP sent as a
  header on non-HTML responses (it governs the module worker; pages carry their
  own meta CSP), with optional gzip bodies and, optionally, a long-lived
  ``Cache-Control`` on content-hashed or versioned paths (warm-visit benchmarks);
- :func:`launch_chromium` starts the system ``chromium`` headless, with every
  host except 127.0.0.1 unresolvable;
- :class:`PageWatch` records every request and console error of a page and
  fails on any request outside 127.0.0.1;
- :func:`axe_violations` runs axe-core (npm, pinned) on the current page, every rule
  (WCAG A/AA and best practices);
- :data:`RECORD_CSP_VIOLATIONS` (an init script) and :func:`csp_violations`
  collect the page's ``securitypolicyviolation`` events.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import io
import re
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Browser, ConsoleMessage, Page, Playwright, Request

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# Also marks <html data-csp-<directive>> (say data-csp-script-src-elem), so that tests
# can wait with a locator: under the CSP, Playwright cannot poll a JavaScript predicate.
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
  document.documentElement.setAttribute(`data-csp-${event.violatedDirective}`, "");
});
"""
CHECKER_CSP = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; "
    "worker-src 'self'; connect-src 'self'"
)
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
COMPRESSIBLE = (".html", ".js", ".mjs", ".css", ".json", ".wasm", ".svg", ".xml", ".txt")
# Paths whose bytes never change under the same name: a content hash in the file
# name (``rules.99de00fff4b4.json``, ``bundle.a5f9d56c.min.js``) or a version
# directory (``assets/pyodide/314.0.7/``).
IMMUTABLE_PATH = re.compile(r"\.[0-9a-f]{8,}\.[a-z0-9.]+$|/\d+\.\d+\.\d+[^/]*/")
IMMUTABLE = "public, max-age=31536000, immutable"


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Static files with the CSP header, correct types and optional gzip."""

    extensions_map = {  # noqa: RUF012 (class attribute of the stdlib handler)
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".wasm": "application/wasm",
        ".json": "application/json",
        ".zip": "application/zip",
    }
    gzip_enabled = False
    cache_immutable = False

    def log_message(self, format: str, *args: object) -> None:
        """Keep test output quiet."""

    def end_headers(self) -> None:
        path = urlsplit(self.path).path
        if not path.endswith((".html", "/")):
            self.send_header("Content-Security-Policy", CHECKER_CSP)
        immutable = self.cache_immutable and IMMUTABLE_PATH.search(path)
        self.send_header("Cache-Control", IMMUTABLE if immutable else "no-cache")
        super().end_headers()

    def send_head(self):  # type: ignore[no-untyped-def]
        """Serve a gzip body when enabled and accepted (like a production server)."""
        if not self.gzip_enabled or "gzip" not in self.headers.get("Accept-Encoding", ""):
            return super().send_head()
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not urlsplit(self.path).path.endswith("/"):
                return super().send_head()  # the stdlib redirects to the slash URL
            path = path / "index.html"
        if not path.is_file() or not path.name.endswith(COMPRESSIBLE):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


@dataclass
class Server:
    """A running static server; ``url`` ends with a slash."""

    url: str
    httpd: http.server.ThreadingHTTPServer


@contextlib.contextmanager
def serve(directory: Path, gzip_bodies: bool = False,
          cache_immutable: bool = False) -> Iterator[Server]:
    """Serve ``directory`` on 127.0.0.1 (port chosen by the system) until exit.

    ``cache_immutable`` lets the browser keep hashed or versioned files for a
    year without asking again, as a production server should; every other
    response is ``no-cache`` (revalidated on each use).
    """
    handler = type("Handler", (_Handler,), {"gzip_enabled": gzip_bodies,
                                            "cache_immutable": cache_immutable})
    factory = functools.partial(handler, directory=str(directory))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), factory)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield Server(f"http://127.0.0.1:{httpd.server_address[1]}/", httpd)
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


def chromium_path() -> str:
    """Debian's chromium (installed by ``make chromium``), never a downloaded build."""
    path = shutil.which("chromium")
    if path is None:
        raise RuntimeError("chromium introuvable : lancez « make chromium »")
    return path


def launch_chromium(playwright: Playwright) -> Browser:
    """Headless system Chromium that can reach 127.0.0.1 only."""
    return playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)


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


def axe_violations(page: Page, where: str = "") -> dict[str, list[Any]]:
    """axe-core's violations on ``page`` now, all rules (best practices included):
    ``"<where> <rule>"`` -> targets."""
    settled = "() => document.getAnimations().every(a => a.playState !== 'running')"
    for _ in range(50):  # colours mid-transition are not the page's (fades, scroll buttons)
        if page.evaluate(settled):
            break
        page.wait_for_timeout(100)
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return {f"{where} {v['id']}".strip(): [n["target"] for n in v["nodes"]]
            for v in result["violations"]}


def csp_violations(page: Page) -> list[str]:
    """CSP violations reported in the page so far (needs :data:`RECORD_CSP_VIOLATIONS`)."""
    return page.evaluate("window.__cspViolations")
