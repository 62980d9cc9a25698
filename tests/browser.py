"""Shared helpers for tests (and benchmarks) that drive Debian's Chromium.

- :func:`serve` serves a directory over HTTP on ``127.0.0.1``, port 0, in a
  thread (``file://`` cannot run Pyodide), with the checker's CSP sent as a
  header on non-HTML responses (it governs the module worker; pages carry their
  own meta CSP);
- :func:`launch_chromium` starts the system ``chromium`` headless, with every
  host except 127.0.0.1 unresolvable;
- :class:`PageWatch` records every request and console error of a page and
  fails on any request outside 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import io
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Browser, ConsoleMessage, Page, Playwright, Request

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

    def log_message(self, format: str, *args: object) -> None:
        """Keep test output quiet."""

    def end_headers(self) -> None:
        path = urlsplit(self.path).path
        if not path.endswith((".html", "/")):
            self.send_header("Content-Security-Policy", CHECKER_CSP)
        self.send_header("Cache-Control", "no-cache")
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
def serve(directory: Path, gzip_bodies: bool = False) -> Iterator[Server]:
    """Serve ``directory`` on 127.0.0.1 (port chosen by the system) until exit."""
    handler = type("Handler", (_Handler,), {"gzip_enabled": gzip_bodies})
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
