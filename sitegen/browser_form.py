"""The checker page: a real HTML form rendered at build time from the questions.

The form is usable before any script runs: each control's ``name`` is the
question id and each option's ``value`` the contract value (design §2), so the
page, the URL and the CLI share one vocabulary. Scripts only add behaviour
(``docs/assets/checker/checker-ui.mjs``): asking Python which questions apply
and showing the verdict.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from html import escape
from typing import Any

from sitegen.escape import escape_text

PAGE_TITLE = "Quelle formule pour moi ?"
DEFAULT_TIMEOUT_MS = 30_000
BOOLEAN_CHOICES = (("true", "Oui"), ("false", "Non"))


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


def _attr(value: Any) -> str:
    return escape(str(value), quote=True)


def _text(value: str) -> str:
    return escape(value, quote=False)


def _question_id(qid: str) -> str:
    return f"q-{qid}"


def _choices(question: Mapping[str, Any]) -> list[tuple[str, str]]:
    if question["type"] == "boolean":
        return list(BOOLEAN_CHOICES)
    return [(c["value"], c["label"]) for c in question["choices"]]


def _controls(question: Mapping[str, Any], described_by: str) -> list[str]:
    qid = question["id"]
    base = _question_id(qid)
    if question["type"] == "amount":
        return [
            '<div class="cagette-checker__amount">',
            f'<label for="{base}-input">Montant en euros</label>',
            f'<input type="text" id="{base}-input" name="{_attr(qid)}" inputmode="decimal"'
            f' autocomplete="off" spellcheck="false" size="12"'
            f"{described_by}>",
            '<span class="cagette-checker__unit" aria-hidden="true">€</span>',
            "</div>",
        ]
    lines = ['<div class="cagette-checker__choices">']
    for index, (value, label) in enumerate(_choices(question)):
        control = f"{base}-{index}"
        lines += [
            '<div class="cagette-checker__choice">',
            f'<input type="radio" id="{control}" name="{_attr(qid)}" value="{_attr(value)}"'
            f"{described_by}>",
            f'<label for="{control}">{_text(label)}</label>',
            "</div>",
        ]
    lines.append("</div>")
    return lines


def render_question(question: Mapping[str, Any], first: bool) -> str:
    """One question as a fieldset; only the first one is shown before Python answers."""
    qid = question["id"]
    base = _question_id(qid)
    help_id = f"{base}-help"
    hidden = "" if first else " hidden"
    lines = [
        f'<fieldset class="cagette-checker__question" id="{base}" data-question="{_attr(qid)}"'
        f' data-type="{_attr(question["type"])}"{hidden}>',
        f"<legend>{_text(question['label'])}</legend>",
    ]
    described_by = ""
    if question.get("help"):
        described_by = f' aria-describedby="{help_id}"'
        lines.append(f'<p class="cagette-checker__help" id="{help_id}">'
                     f"{_text(question['help'])}</p>")
    lines += _controls(question, described_by)
    lines += [
        f'<p class="cagette-checker__error" id="{base}-error" hidden></p>',
        "</fieldset>",
    ]
    return "\n".join(lines)


def render_checker_page(compiled: Mapping[str, Any], links: CheckerLinks, intro: str) -> str:
    """Markdown source of the checker page (a heading, its ``intro`` from the rules,
    then raw HTML)."""
    rule_pages = json.dumps(dict(links.rule_pages), ensure_ascii=False, sort_keys=True,
                            separators=(",", ":"))
    fallback = _attr(links.fallback)
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
        "data-rule-pages": rule_pages,
        "data-download-size": french_megabytes(links.wire_bytes),
        "data-state": "loading",
    }
    attributes = " ".join(f'{key}="{_attr(value)}"' for key, value in data.items())
    questions = compiled["questions"]
    loading = loading_status(links.wire_bytes)
    html = [
        f'<div class="cagette-checker" id="cagette-checker" {attributes}>',
        "<noscript>",
        '<p class="cagette-checker__noscript">Le vérificateur calcule votre résultat dans votre'
        " navigateur et a besoin de JavaScript. Sans JavaScript, le"
        f' <a href="{fallback}">tableau de décision</a> donne la réponse pour chaque'
        " situation.</p>",
        "</noscript>",
        # The status line and its progress bar keep one size from the first paint on
        # (site.css): the longest status, ``data-loading``, sizes the line; the script
        # shows it while the runtime downloads and the shorter ones after it.
        '<div class="cagette-checker__loading">',
        '<p class="cagette-checker__status" id="cagette-checker-status" role="status"'
        f' aria-live="polite" data-loading="{_attr(loading)}">'
        f'<span class="cagette-checker__status-text">{_text(loading)}</span></p>',
        # Outside the live region: the count changes too often to be announced.
        '<progress class="cagette-checker__progress" id="cagette-checker-progress"'
        f' max="{links.download_bytes}" value="0" aria-label="Téléchargement du vérificateur"'
        " hidden></progress>",
        "</div>",
        '<div class="cagette-checker__failure" id="cagette-checker-failure" role="alert" hidden>'
        "</div>",
        '<form class="cagette-checker__form" id="cagette-checker-form" novalidate'
        ' aria-label="Questions du vérificateur">',
        *(render_question(q, first=i == 0) for i, q in enumerate(questions)),
        '<div class="cagette-checker__buttons">',
        '<button type="reset" class="md-button" id="cagette-checker-reset">Effacer mes'
        " réponses</button>",
        "</div>",
        "</form>",
        # Below the form: the questions the verdict shows push nothing already on screen,
        # the result and the table's link waiting for the first verdict (site.css).
        '<section class="cagette-checker__result" id="cagette-checker-result"'
        ' aria-live="polite" aria-labelledby="cagette-checker-result-title">',
        '<h2 id="cagette-checker-result-title">Votre résultat</h2>',
        '<div id="cagette-checker-result-body">',
        "<p>Répondez aux questions : le résultat s'affiche ici au fur et à mesure, avec ses"
        " raisons.</p>",
        "</div>",
        "</section>",
        '<p class="cagette-checker__fallback">Vous préférez un tableau ? Le'
        f' <a href="{fallback}">tableau de décision</a> donne le résultat de toutes les'
        " situations.</p>",
        "</div>",
    ]
    # The introduction is Markdown's to render: made inert there (no link, image…).
    return f"# {PAGE_TITLE}\n\n{escape_text(intro)}\n\n" + "\n".join(html) + "\n"
