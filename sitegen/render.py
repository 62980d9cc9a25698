"""Jinja2 rendering of the generated Markdown pages.

Templates live in the package (``templates/``); :func:`add_template_folder` adds
another folder searched first (a page registered from outside the package).
Compiled templates are cached on disk between builds (Jinja's own private
per-user folder; a template whose source changed is compiled again): the
site's and, through the plugin, the theme's.

Every ``{{ expression }}`` a template prints is escaped as a plain text
(:func:`sitegen.markdown_text.escape_text`, through the environment's ``finalize``),
unless it is :class:`~sitegen.markdown_text.Markdown`: what a page builder made as
Markdown on purpose (a link from ``link()``, a rules' Markdown field rendered, the
diagram), or a template's own text (a macro's). The filters keep that right: ``join``,
``cell`` and ``one_line`` escape the plain parts and keep the Markdown ones; ``attr``,
``url``, ``id``, ``code``, ``verbatim`` and ``front_matter_text`` write a value where
Markdown does not read it as text (an HTML attribute, a link's address, an anchor, code,
a YAML string). Jinja's own ``e``, ``safe`` and ``tojson`` make HTML, not Markdown:
printing their result stops the build.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from hashlib import sha1
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    PackageLoader,
    StrictUndefined,
)
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup
from markupsafe import escape as html_attribute

from rulebook.spec import ID_PATTERN
from sitegen import markdown_text
from sitegen.markdown_text import Markdown, as_markdown, escape_text


class NotMarkdown(TypeError):
    """A template printed HTML made by Jinja (``|e``, ``|safe``, ``|tojson``): HTML-safe
    is not Markdown-safe, and escaping it again would show its entities."""


def finalize(value: Any) -> Markdown:
    """What a template prints for ``{{ value }}``: :class:`Markdown` as it is, anything
    else escaped as a plain text."""
    if isinstance(value, Markup):
        raise NotMarkdown(f"« {str(value)[:60]} » : HTML de Jinja dans une page Markdown ; "
                          "utilisez les filtres du site (attr, url, code…)")
    return as_markdown(value)


class SaltedBytecodeCache(FileSystemBytecodeCache):
    """Jinja's bytecode cache, its entries also keyed by the escaping code: a template
    compiled with another ``finalize`` (constants are escaped at compile time) is
    compiled again rather than loaded."""

    SALT = sha1(b"".join(Path(module).read_bytes()
                         for module in (__file__, markdown_text.__file__))).hexdigest()

    def get_source_checksum(self, source: str) -> str:
        return super().get_source_checksum(self.SALT + source)


class MarkdownEnvironment(Environment):
    """Jinja's environment whose templates' own text is Markdown: what a macro, a
    ``{% set %}`` block or a whole template writes is :class:`Markdown` (as autoescaping
    makes it ``Markup``), printed as it is (its values were escaped as it was written)."""

    concat = staticmethod(lambda parts: Markdown("".join(parts)))


_LOADERS: list[Any] = [PackageLoader("sitegen", "templates")]
TEMPLATE_CACHE = SaltedBytecodeCache()
ENV = MarkdownEnvironment(
    loader=ChoiceLoader(_LOADERS),
    undefined=StrictUndefined,
    autoescape=False,  # the output is Markdown, escaped by finalize; MkDocs renders it
    finalize=finalize,
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
    """Collapse a (folded) YAML text onto one line, keeping no-break spaces (``1 000 €``);
    Markdown stays Markdown, a plain text stays plain (escaped when printed)."""
    collapsed = LINE_BREAKS.sub(" ", str(text)).strip()
    return Markdown(collapsed) if isinstance(text, Markdown) else collapsed


def cell(text: Any) -> Markdown:
    """Make a text safe inside a Markdown table cell (escaped, one line, escaped pipes)."""
    return Markdown(one_line(as_markdown(text)).replace("|", "\\|"))


def join(items: Iterable[Any], separator: str = "") -> Markdown:
    """Jinja's ``join`` for Markdown: each plain item escaped, each Markdown one kept, the
    separator (written in the template: ``"<br>"``, ``", "``) as it is."""
    return Markdown(str(separator).join(as_markdown(i) for i in items))


def attr(value: Any) -> Markdown:
    """A value inside an HTML attribute of the template's raw HTML (``data-x="…"``), which
    Markdown does not read: HTML-escaped, quotes included."""
    return Markdown(html_attribute(value))


URL_UNSAFE = "()[]<>\"'`\\ "  # what would end or break a Markdown link's address


def url(value: Any) -> Markdown:
    """A web address from the rules (checked by its pattern) as a Markdown link's address:
    the characters that would end the address, or start a link or an image, written as
    percent-escapes."""
    return Markdown("".join(quote(c, safe="") if c in URL_UNSAFE else c for c in str(value)))


IDENTIFIER = re.compile(ID_PATTERN)


def identifier(value: Any) -> Markdown:
    """An identifier of the rules (``[a-z][a-z0-9_-]*``, checked by the loader) as an
    anchor (``{ #id }``, ``(#id)``), written as it is: nothing in it is Markdown."""
    if not IDENTIFIER.fullmatch(str(value)):
        raise ValueError(f"identifiant attendu, trouvé « {value} »")
    return Markdown(str(value))


def code(value: Any) -> Markdown:
    """A value as Markdown inline code (`` `data/rules.yaml` ``), which shows every
    character as written; fenced by more backticks than it holds."""
    text = one_line(str(value))
    fence = "`" * (max(map(len, re.findall("`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return Markdown(f"{fence}{pad}{text}{pad}{fence}")


def verbatim(value: Any) -> Markdown:
    """A value on one line of a fenced code block of the template, which shows every
    character as written: not escaped (on one line, it cannot close the block)."""
    return Markdown(one_line(str(value)))


def front_matter_text(value: Any) -> Markdown:
    """A plain text as a YAML string of the page's front matter (its ``description``):
    escaped, its quotes as ``&quot;`` (the theme writes it into an attribute as it is),
    then a JSON string, which YAML reads."""
    escaped = escape_text(value).replace('"', "&quot;")
    return Markdown(htmlsafe_json_dumps(escaped, dumps=ENV.policies["json.dumps_function"],
                                        **ENV.policies["json.dumps_kwargs"]))


ENV.filters.update(cell=cell, one_line=one_line, join=join, attr=attr, url=url, id=identifier,
                   code=code, verbatim=verbatim, front_matter_text=front_matter_text)


def linker(page_uri: str, addresses: Mapping[str, str]) -> Callable[[str], Markdown]:
    """``link(target)`` for a page: a page's key (``"plans"``, ``"faq#amaps"``) or a source
    URI, as a Markdown link's address relative to ``page_uri``."""

    def link(target: str) -> Markdown:
        name, hash_, fragment = target.partition("#")
        return Markdown(relative(page_uri, addresses.get(name, name) + hash_ + fragment))

    return link


def render_page(template: str, page_uri: str, addresses: Mapping[str, str],
                **context: Any) -> str:
    """Render ``template`` for the page at ``page_uri``."""
    return ENV.get_template(template).render(link=linker(page_uri, addresses), **context)
