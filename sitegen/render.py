"""Jinja2 rendering of the generated Markdown pages.

Templates live in the package (``templates/``); :func:`add_template_folder` adds
another folder searched first (a page registered from outside the package).
Compiled templates are cached on disk between builds (Jinja's own private
per-user folder; a template whose source changed is compiled again): the
site's and, through the plugin, the theme's.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    PackageLoader,
    StrictUndefined,
)

_LOADERS: list[Any] = [PackageLoader("sitegen", "templates")]
TEMPLATE_CACHE = FileSystemBytecodeCache()
ENV = Environment(
    loader=ChoiceLoader(_LOADERS),
    undefined=StrictUndefined,
    autoescape=False,  # the output is Markdown; MkDocs renders it
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
    bytecode_cache=TEMPLATE_CACHE,
)


def add_template_folder(folder: Path) -> None:
    """Search ``folder`` for templates before the package's own."""
    _LOADERS.insert(0, FileSystemLoader(str(folder)))


@lru_cache(maxsize=8192)  # the same links recur on every page of a family
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
ENV.filters["capitalize_first"] = lambda text: str(text)[:1].upper() + str(text)[1:]
ENV.filters["one_line"] = one_line


def linker(page_uri: str, addresses: Mapping[str, str]) -> Callable[[str], str]:
    """``link(target)`` for a page: a page's key (``"plans"``, ``"faq#amaps"``) or a source
    URI, as a Markdown link relative to ``page_uri``."""

    def link(target: str) -> str:
        name, hash_, fragment = target.partition("#")
        return relative(page_uri, addresses.get(name, name) + hash_ + fragment)

    return link


def render_page(template: str, page_uri: str, addresses: Mapping[str, str],
                **context: Any) -> str:
    """Render ``template`` for the page at ``page_uri``."""
    return ENV.get_template(template).render(link=linker(page_uri, addresses), **context)
