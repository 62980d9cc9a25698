"""Jinja2 rendering of the generated Markdown pages (templates kept in the package)."""

from __future__ import annotations

import posixpath
import re
from functools import partial
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

ENV = Environment(
    loader=PackageLoader("sitegen", "templates"),
    undefined=StrictUndefined,
    autoescape=False,  # the output is Markdown; MkDocs renders it
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


def relative(from_uri: str, to_uri: str) -> str:
    """Markdown link from one page source to another (``regles/a.md`` -> ``../faq/index.md``)."""
    target, _, fragment = to_uri.partition("#")
    rel = posixpath.relpath(target, posixpath.dirname(from_uri) or ".") if target else ""
    return f"{rel}#{fragment}" if fragment else rel


LINE_BREAKS = re.compile(r"[ \t\r\n]+")


def one_line(text: Any) -> str:
    """Collapse a (folded) YAML text onto one line, keeping no-break spaces (``1 000 €``)."""
    return LINE_BREAKS.sub(" ", str(text)).strip()


def cell(text: Any) -> str:
    """Make a text safe inside a Markdown table cell (one line, escaped pipes)."""
    return one_line(text).replace("|", "\\|")


ENV.filters["cell"] = cell
ENV.filters["one_line"] = one_line


def render_page(template: str, page_uri: str, **context: Any) -> str:
    """Render ``template`` for the page at ``page_uri``; ``link(uri)`` makes relative links."""
    return ENV.get_template(template).render(link=partial(relative, page_uri), **context)
