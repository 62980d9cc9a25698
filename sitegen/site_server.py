"""Serve the built site as production should: ``make serve``, the tests, the benchmarks.

A standard-library HTTP server, bound to 127.0.0.1 by default, that sends:

- the ``.br`` or ``.gz`` sibling written by the build (``sitegen.precompress``)
  when the browser accepts it, with ``Content-Encoding`` and ``Vary``;
  optionally (``dynamic_gzip``) gzip made on the fly for the other text files,
  as nginx's ``gzip on`` does;
- the right types (``application/wasm``, ``text/javascript`` for ``.mjs``);
- ``Cache-Control: public, max-age=31536000, immutable`` for content-hashed
  or versioned files (``cache_immutable``), ``no-cache`` for the others;
- the checker's Content-Security-Policy header on every response but pages
  (pages carry their own ``<meta>`` policy with the theme's script hashes; the
  header is what governs the module worker and the service worker), and
  ``frame-ancestors 'none'`` on pages: both written in ``sitegen.csp``.

``python -m sitegen.site_server`` (``make serve``) builds the site with the real
``mkdocs build --strict``, serves it on http://127.0.0.1:8000/, rebuilds it
when the sources change and reloads the open pages (a small same-origin
script added to pages by this server only, never to the built files).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import http.server
import io
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from sitegen.csp import CHECKER_CSP, PAGE_CSP
from sitegen.precompress import compressible
from sitegen.site import PREVIEW_ENV

# Paths whose bytes never change under the same name: a content hash in the file
# name (``rules.99de00fff4b4.json``, ``bundle.a5f9d56c.min.js``) or a version
# directory (``assets/pyodide/314.0.7/``).
IMMUTABLE_PATH = re.compile(r"\.[0-9a-f]{8,}\.[a-z0-9.]+$|/\d+\.\d+\.\d+[^/]*/")
IMMUTABLE = "public, max-age=31536000, immutable"
ENCODINGS = (("br", "br"), ("gzip", "gz"))  # preferred first: (token, sibling suffix)
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
SOCKET_TIMEOUT_S = 20
RELOAD_PATH = "/__reload__/"
RELOAD_SCRIPT = """// Added by sitegen.site_server only: reload the page after a rebuild.
const url = "/__reload__/build";
let seen = null;
setInterval(async () => {
  try {
    const build = await (await fetch(url, { cache: "no-store" })).text();
    if (seen !== null && build !== seen) location.reload();
    seen = build;
  } catch {
    // the server restarts: try again
  }
}, 1000);
"""


def accepted(header: str) -> set[str]:
    """Content codings accepted by an ``Accept-Encoding`` header (``q=0`` refuses)."""
    tokens = set()
    for part in header.split(","):
        name, _, params = part.strip().partition(";")
        if name and not re.search(r"\bq\s*=\s*0(?:\.0*)?\s*$", params, re.IGNORECASE):
            tokens.add(name.strip().lower())
    return tokens


class Handler(http.server.SimpleHTTPRequestHandler):
    """Static files with content negotiation, cache headers and the CSP header."""

    extensions_map = {  # noqa: RUF012 (class attribute of the stdlib handler)
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".wasm": "application/wasm",
        ".json": "application/json",
        ".zip": "application/zip",
    }
    cache_immutable = True
    dynamic_gzip = False
    codings: tuple[str, ...] = ("br", "gzip")  # the encodings this server may send
    live_reload = False
    build_id = "0"
    allowed_hosts: frozenset[str] = LOOPBACK  # Host names answered (DNS rebinding)
    timeout = SOCKET_TIMEOUT_S  # a half-sent request does not hold a thread for ever
    served: str | None = None  # the site-relative path of the file being sent
    error_message_format = ('<!doctype html><html lang="fr"><meta charset="utf-8">'
                            "<title>Erreur %(code)d</title><p>%(message)s</p></html>")
    error_content_type = "text/html; charset=utf-8"

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the tests and benchmarks make thousands of requests."""

    def end_headers(self) -> None:
        """Every response: ``nosniff``; a file's: its policy and cache headers, decided
        from the file itself (not from how the URL was written)."""
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("X-Frame-Options", "DENY")
        if self.served is not None:
            page = self.served.endswith(".html")
            self.send_header("Content-Security-Policy", PAGE_CSP if page else CHECKER_CSP)
            immutable = self.cache_immutable and IMMUTABLE_PATH.search("/" + self.served)
            self.send_header("Cache-Control", IMMUTABLE if immutable else "no-cache")
        super().end_headers()

    def _file(self) -> tuple[Path | None, bool]:
        """The file a GET would send (``None``: none), and whether the URL should end
        with a slash first (a folder named without it)."""
        url_path = urlsplit(self.path).path
        try:
            path = Path(self.translate_path(self.path))
            if path.is_dir():
                if not url_path.endswith("/"):
                    return None, True
                path = path / "index.html"  # never a listing of the folder
            elif url_path.endswith("/"):
                return None, False  # a file named like a folder: not this file
            return (path if path.is_file() else None), False
        except (ValueError, OSError):  # a NUL byte, a name too long…
            return None, False

    def send_head(self):  # type: ignore[no-untyped-def]
        """A sibling or a compressed body when accepted, the file, or the site's 404."""
        self.served = None
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0].strip("[]").lower()
        if host not in self.allowed_hosts:
            self.send_error(421, "Nom d'hôte non servi ici")
            return None
        if self.live_reload and self.path.startswith(RELOAD_PATH):
            return self._reload_endpoint()
        path, slash = self._file()
        if slash:
            return super().send_head()  # the stdlib's redirect to the slash URL
        if path is None:
            return self._not_found()
        # translate_path() keeps the file inside the folder served (it drops "..").
        self.served = Path(os.path.relpath(path, self.directory)).as_posix()
        codings = accepted(self.headers.get("Accept-Encoding", "")) & set(self.codings)
        for token, suffix in ENCODINGS:
            sibling = path.with_name(f"{path.name}.{suffix}")
            if token in codings and sibling.is_file():
                return self._send(path, sibling.read_bytes(), token)
        body = path.read_bytes()
        if self.live_reload and path.suffix == ".html":
            body = body.replace(b"</body>", f'<script src="{RELOAD_PATH}reload.js"></script>'
                                .encode() + b"</body>", 1)
        if self.dynamic_gzip and "gzip" in codings and compressible(path.name):
            return self._send(path, gzip.compress(body, compresslevel=6, mtime=0), "gzip")
        return self._send(path, body, None)

    def _not_found(self) -> io.BytesIO | None:
        """The site's own 404 page (French), with the 404 status."""
        page = Path(self.directory) / "404.html"
        if not page.is_file():
            self.send_error(404, "Page introuvable")
            return None
        self.served = "404.html"
        return self._send(page, page.read_bytes(), None, status=404)

    def _send(self, path: Path, body: bytes, coding: str | None,
              status: int = 200) -> io.BytesIO:
        self.send_response(status)
        self.send_header("Content-Type", self.guess_type(str(path)))
        if coding:
            self.send_header("Content-Encoding", coding)
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def _reload_endpoint(self) -> io.BytesIO:
        if self.path.startswith(RELOAD_PATH + "reload.js"):
            return self._send(Path("reload.js"), RELOAD_SCRIPT.encode(), None)
        return self._send(Path("build.txt"), type(self).build_id.encode(), None)


class QuietServer(http.server.ThreadingHTTPServer):
    """A threaded server that does not print a trace when the browser hangs up."""

    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """Ignore a download the browser abandoned (page closed, request aborted)."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@dataclass
class Server:
    """A running static server; ``url`` ends with a slash."""

    url: str
    httpd: http.server.ThreadingHTTPServer
    handler: type[Handler]


@contextlib.contextmanager
def serve(directory: Path, host: str = "127.0.0.1", port: int = 0, *,
          cache_immutable: bool = True, dynamic_gzip: bool = False,
          live_reload: bool = False, codings: tuple[str, ...] = ("br", "gzip"),
          handler: type[Handler] = Handler) -> Iterator[Server]:
    """Serve ``directory`` in a thread until exit (port 0: chosen by the system).

    ``codings`` limits the encodings sent (the benchmarks measure each one). Requests
    naming another host than a loopback one, or ``host`` itself, are refused (421).
    ``handler`` may be a subclass of :class:`Handler` (the tests add to it).
    """
    handler = type("SiteHandler", (handler,), {"cache_immutable": cache_immutable,
                                               "dynamic_gzip": dynamic_gzip,
                                               "live_reload": live_reload,
                                               "codings": codings,
                                               "allowed_hosts": LOOPBACK | {host.lower()}})
    factory = functools.partial(handler, directory=str(directory))
    httpd = QuietServer((host, port), factory)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield Server(f"http://{host}:{httpd.server_address[1]}/", httpd, handler)
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


# --------------------------------------------------------------- make serve --

WATCHED = ("mkdocs.yml", "data", "docs", "overrides", "checker", "rulebook", "sitegen", "editor")


def _snapshot(root: Path) -> dict[Path, float]:
    """Modification times of every watched source file."""
    times: dict[Path, float] = {}
    for name in WATCHED:
        top = root / name
        paths = [top] if top.is_file() else top.rglob("*") if top.is_dir() else []
        for path in paths:
            if path.is_file() and "__pycache__" not in path.parts:
                times[path] = path.stat().st_mtime
    return times


def build(root: Path, site: Path, site_url: str) -> bool:
    """``python -m sitegen.build`` in a child process (so that an edit of the code is
    seen): the new site replaces the one served on success only."""
    env = {**os.environ, "SITE_URL": site_url, "NO_MKDOCS_2_WARNING": "1", PREVIEW_ENV: "1"}
    result = subprocess.run([sys.executable, "-m", "sitegen.build", "--site-dir", str(site)],
                            cwd=root, env=env, check=False)
    if result.returncode != 0:
        print("Le site servi reste celui de la construction précédente." if site.exists()
              else "Rien n'est servi tant que la construction échoue : corrigez, enregistrez,"
              " la construction reprend d'elle-même.", file=sys.stderr)
        return False
    return True


def main(argv: Sequence[str] | None = None) -> int:
    """Build, serve, rebuild on change (``make serve``)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="the project (mkdocs.yml)")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    site = root / "site"
    site_url = f"http://{args.host}:{args.port}/"
    build(root, site, site_url)
    with serve(site, args.host, args.port, live_reload=True) as server:
        print(f"Site servi sur {server.url} (Ctrl+C pour arrêter) ; reconstruit à chaque"
              " modification de data/, docs/, overrides/, checker/, rulebook/, sitegen/, editor/ ou"
              " mkdocs.yml.", flush=True)
        seen = _snapshot(root)
        try:
            while True:
                time.sleep(1)
                now = _snapshot(root)
                if now != seen:
                    seen = now
                    if build(root, site, site_url):
                        server.handler.build_id = str(time.time())
        except KeyboardInterrupt:
            return 0


if __name__ == "__main__":
    raise SystemExit(main())
