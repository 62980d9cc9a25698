"""The server examples of handbook/deployment.md (nginx, ``_headers``) send what
``sitegen.site_server`` sends: the policies of ``sitegen.csp`` on the files, no framing
anywhere, ``nosniff``."""

from __future__ import annotations

import re

from sitegen.csp import CHECKER_CSP, CHECKER_DIRECTIVES, PAGE_CSP, joined
from tests.conftest import ROOT

DEPLOYMENT = (ROOT / "handbook" / "deployment.md").read_text(encoding="utf-8")


def blocks() -> list[tuple[str, str]]:
    """The deployment handbook's fenced blocks: (language, text)."""
    found, language, lines = [], None, []
    for line in DEPLOYMENT.splitlines():
        if line.startswith("```"):
            if language is None:
                language, lines = line[3:].strip(), []
            else:
                found.append((language, "\n".join(lines) + "\n"))
                language = None
        elif language is not None:
            lines.append(line)
    return found


def block(language: str, holding: str) -> str:
    """The deployment handbook's fenced block in ``language`` that holds ``holding``."""
    (found,) = [text for lang, text in blocks() if lang == language and holding in text]
    return found


def test_the_nginx_example_sends_the_policies_and_forbids_framing() -> None:
    nginx = block("nginx", "server {")
    assert f'~^text/html  "{PAGE_CSP}";' in nginx
    assert f'default      "{CHECKER_CSP}";' in nginx
    for header in ("add_header Content-Security-Policy $checker_csp always;",
                   "add_header X-Content-Type-Options nosniff always;",
                   "add_header X-Frame-Options DENY always;"):
        assert header in nginx


def test_the_headers_file_example_sends_the_policies_and_forbids_framing() -> None:
    headers = block("", "/assets/*")
    rules = dict(re.findall(r"^(/\S*)\n((?:  .*\n)+)", headers, re.MULTILINE))
    assert f"Content-Security-Policy: {PAGE_CSP}" in rules["/*"]
    assert "X-Frame-Options: DENY" in rules["/*"] and "nosniff" in rules["/*"]
    for path in ("/assets/*", "/checker-sw.js"):
        assert f"Content-Security-Policy: {CHECKER_CSP}\n" in rules[path]


def test_the_policy_quoted_in_the_prose_is_the_checker_policy() -> None:
    assert f"`{joined(CHECKER_DIRECTIVES)}`" in DEPLOYMENT
