"""The site's Content-Security-Policy, written once: the pages' ``<meta>`` tag and the
headers a server sends (``sitegen.site_server``, the examples of handbook/deployment.md).

The theme writes a few small inline scripts; each one is allowed by its
SHA-256 hash, so no ``'unsafe-inline'`` is needed for scripts. Pyodide needs
``'wasm-unsafe-eval'`` and runs in a module worker served from the site.

- :data:`CHECKER_DIRECTIVES`: what the checker's module worker and the service
  worker need; every policy starts with them;
- :data:`PAGE_DIRECTIVES`: what a page loads besides (images, styles, fonts) and
  may not do, added in the pages' ``<meta>`` (:func:`policy`, with the hashes);
- :data:`FRAMING`: a ``<meta>`` policy cannot forbid framing, so every response
  sends it as a header: :data:`PAGE_CSP` on pages (their ``<meta>`` holds the
  rest), :data:`CHECKER_CSP` on every other file.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable

SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
HEAD = re.compile(r"<head\b[^>]*>", re.IGNORECASE)
TYPE = re.compile(r"""\btype\s*=\s*(["']?)([^"'\s>]*)\1""", re.IGNORECASE)
SRC = re.compile(r"\bsrc\s*=", re.IGNORECASE)
EXECUTABLE_TYPES = {"", "module", "text/javascript", "application/javascript", "text/ecmascript",
                    "application/ecmascript"}

Directive = tuple[str, str]  # (name, sources)
CHECKER_DIRECTIVES: tuple[Directive, ...] = (
    ("default-src", "'self'"),
    ("script-src", "'self' 'wasm-unsafe-eval'"),  # a page's <meta> adds its scripts' hashes
    ("worker-src", "'self'"),
    ("connect-src", "'self'"),
)
PAGE_DIRECTIVES: tuple[Directive, ...] = (
    ("img-src", "'self' data:"),
    ("style-src", "'self' 'unsafe-inline'"),
    ("font-src", "'self'"),
    ("object-src", "'none'"),
    ("base-uri", "'self'"),
    ("form-action", "'self'"),
)
FRAMING: Directive = ("frame-ancestors", "'none'")  # headers only: a <meta> cannot carry it


def joined(directives: Iterable[Directive]) -> str:
    """The policy text of ``directives``, in their order."""
    return "; ".join(f"{name} {sources}" for name, sources in directives)


CHECKER_CSP = joined((*CHECKER_DIRECTIVES, FRAMING))  # the header of every file but pages
PAGE_CSP = joined((FRAMING,))  # the header of pages (their <meta> holds the rest)


def inline_script_hashes(html: str) -> list[str]:
    """``'sha256-…'`` sources of every inline executable script, in page order, no repeats."""
    hashes: list[str] = []
    for match in SCRIPT.finditer(html):
        attributes, body = match.groups()
        if SRC.search(attributes):
            continue
        kind = TYPE.search(attributes)
        if kind and kind.group(2).lower() not in EXECUTABLE_TYPES:
            continue  # data blocks such as application/json are not run
        digest = hashlib.sha256(body.encode("utf-8")).digest()
        source = f"'sha256-{base64.b64encode(digest).decode('ascii')}'"
        if source not in hashes:
            hashes.append(source)
    return hashes


def policy(html: str) -> str:
    """The policy text allowing the inline scripts of ``html``."""
    hashes = "".join(f" {h}" for h in inline_script_hashes(html))
    return joined((name, sources + hashes if name == "script-src" else sources)
                  for name, sources in (*CHECKER_DIRECTIVES, *PAGE_DIRECTIVES))


def add_csp_meta(html: str, untrusted: str | None = None) -> str:
    """Insert the CSP ``<meta>`` as the first child of ``<head>`` (unchanged if no head).

    Inline scripts that appear in ``untrusted`` (the page's content, rendered
    from the rules) are left out of the policy, so they cannot run.
    """
    head = HEAD.search(html)
    if head is None:
        return html
    trusted = html.replace(untrusted, "") if untrusted else html
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy(trusted)}">'
    return html[:head.end()] + meta + html[head.end():]
