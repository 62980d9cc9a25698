"""The site server (``sitegen.site_server``: ``make serve``, the browser tests) holds
against odd requests: headers from the file it sends, no folder listing, the site's own
404, ``nosniff`` and ``Vary`` everywhere, loopback host names only, sockets that time out,
``q`` values read case-insensitively. Each request below was sent by a probe and answered
wrongly before."""

from __future__ import annotations

import http.client
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from sitegen.csp import CHECKER_CSP, PAGE_CSP
from sitegen.site_server import SOCKET_TIMEOUT_S, Handler, accepted, serve

pytestmark = pytest.mark.build


@pytest.fixture(scope="module")
def port(site: Path) -> Iterator[int]:
    with serve(site) as server:
        yield int(server.url.rsplit(":", 1)[1].strip("/"))


def get(port: int, path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, dict(response.getheaders()), body


def test_a_file_named_like_a_folder_is_not_that_file(port: int) -> None:
    status, _, body = get(port, "/assets/checker/checker-worker.mjs/",
                                **{"Accept-Encoding": "gzip"})
    assert status == 404 and b'lang="fr"' in body  # the site's 404 page, not the script


def test_cache_and_policy_headers_follow_the_file_sent(port: int) -> None:
    status, headers, body = get(port, "/assets/pyodide/314.0.7/..%2f..%2f..%2findex.html")
    assert status == 200 and b"<!doctype html>" in body  # the home page…
    assert headers["Cache-Control"] == "no-cache"  # … not cached as a versioned file
    status, headers, _ = get(port, "/assets/checker/checker-ui.mjs")
    assert "Content-Security-Policy" in headers and headers["Cache-Control"] == "no-cache"


@pytest.mark.parametrize("path", ["/assets/", "/assets/checker/", "/nope/", "/%00",
                                  "/rien.html"])
def test_no_listing_and_the_sites_own_404(port: int, path: str) -> None:
    status, headers, body = get(port, path)
    assert status == 404
    assert b'lang="fr"' in body and b"Directory listing" not in body
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_no_other_site_may_frame_a_page_or_a_file(port: int) -> None:
    for path in ("/", "/verificateur/", "/assets/checker/checker-ui.mjs", "/nope/"):
        status, headers, _ = get(port, path)
        assert status == (404 if path == "/nope/" else 200)
        assert headers["X-Frame-Options"] == "DENY", path
    _, page, _ = get(port, "/")
    assert page["Content-Security-Policy"] == "frame-ancestors 'none'"
    _, script, _ = get(port, "/assets/checker/checker-ui.mjs")
    assert script["Content-Security-Policy"].endswith("; frame-ancestors 'none'")
    assert (page["Content-Security-Policy"], script["Content-Security-Policy"]) == (
        PAGE_CSP, CHECKER_CSP)  # the policies of sitegen.csp


def test_every_answer_says_nosniff_and_vary(port: int) -> None:
    for path in ("/", "/assets/checker/checker-ui.mjs", "/synthese/schema-de-decision.svg"):
        status, headers, _ = get(port, path)
        assert status == 200
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Vary"] == "Accept-Encoding"


def test_q_zero_refuses_a_coding_whatever_its_case(port: int) -> None:
    assert accepted("br;Q=0, gzip") == {"gzip"}
    assert accepted("br; q=0.0, gzip;q=1") == {"gzip"}
    _, headers, _ = get(port, "/assets/checker/checker-ui.mjs",
                        **{"Accept-Encoding": "br;Q=0, gzip"})
    assert headers["Content-Encoding"] == "gzip"


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "192.168.1.10"])
def test_other_host_names_are_refused(port: int, host: str) -> None:
    """A page of another site, its name pointed at 127.0.0.1 (DNS rebinding), cannot
    read an unpublished preview."""
    status, _, body = get(port, "/", Host=host)
    assert status == 421 and "Nom d'hôte non servi ici".encode() in body
    for name in ("127.0.0.1", "localhost", "[::1]"):
        assert get(port, "/", Host=f"{name}:{port}")[0] == 200


def test_a_half_sent_request_times_out() -> None:
    assert Handler.timeout == SOCKET_TIMEOUT_S  # what StreamRequestHandler puts on sockets
    with serve(Path(__file__).parent) as server:
        handler = server.handler
        handler.timeout = 0.5
        port = int(server.url.rsplit(":", 1)[1].strip("/"))
        with socket.create_connection(("127.0.0.1", port)) as sock:
            sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # never finished
            start = time.monotonic()
            sock.settimeout(10)
            assert sock.recv(1024) == b""  # the server closed it
            assert time.monotonic() - start < 9
