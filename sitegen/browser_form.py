"""The checker page: a real HTML form rendered at build time from the questions.

The form is usable before any script runs: each control's ``name`` is the
question id and each option's ``value`` the answer value (a stable contract), so the
page, the URL and the CLI share one vocabulary. Scripts only add behaviour
(``docs/assets/checker/checker-ui.mjs``): asking Python which questions apply
and showing the verdict.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from checker.model import CompiledRules
from sitegen.registry import PAGES, addresses
from sitegen.render import render_page

DEFAULT_TIMEOUT_MS = 30_000  # the page's watchdog (data-timeout-ms), read by checker-ui.mjs


@dataclass(frozen=True)
class CheckerLinks:
    """URLs the page needs, relative to the checker page."""

    rules: str
    checker_zip: str
    manifest: str
    pyodide_index: str
    fallback: str
    rule_pages: Mapping[str, str]
    stdlib: str = ""
    pyodide_lock: str = ""
    service_worker: str = ""
    download_bytes: int = 0
    """Bytes the worker's progress bar counts (decoded bodies of its downloads)."""
    wire_bytes: int = 0
    """Compressed bytes of the first visit, shown as text (formatted here, in French)."""
    timeout_ms: int = DEFAULT_TIMEOUT_MS


def french_megabytes(size: int) -> str:
    """``13_600_000`` -> ``13,6 Mo`` (shown while the runtime downloads)."""
    return f"{size / 1_000_000:.1f}".replace(".", ",") + "\u00a0Mo"


def loading_status(wire_bytes: int) -> str:
    """The status shown while the runtime downloads: the longest one, which sizes the
    status line (the script reads it from the page)."""
    return ("Téléchargement du moteur Python (Pyodide, environ"
            f" {french_megabytes(wire_bytes)} la première fois, ensuite en cache)… Vous pouvez"
            " déjà répondre à la première question.")


def render_checker_page(compiled: CompiledRules, links: CheckerLinks, intro: str) -> str:
    """Markdown source of the checker page (``templates/checker.md.j2``): a heading, its
    ``intro`` from the rules (a plain text, escaped by the template), then raw HTML."""
    data = {
        "data-rules": links.rules,
        "data-checker-zip": links.checker_zip,
        "data-manifest": links.manifest,
        "data-pyodide-index": links.pyodide_index,
        "data-stdlib": links.stdlib,
        "data-pyodide-lock": links.pyodide_lock,
        "data-service-worker": links.service_worker,
        "data-fallback": links.fallback,
        "data-timeout-ms": links.timeout_ms,
        "data-rule-pages": json.dumps(dict(links.rule_pages), ensure_ascii=False,
                                      sort_keys=True, separators=(",", ":")),
        "data-download-size": french_megabytes(links.wire_bytes),
        "data-state": "loading",
    }
    title = next(page.title for page in PAGES if page.key == "checker")
    return render_page("checker.md.j2", addresses()["checker"], addresses(), title=title,
                       intro=intro, data=data, links=links,
                       loading=loading_status(links.wire_bytes),
                       questions=compiled.questions)
