"""Plain texts in the generated Markdown: escaped where the Markdown is made.

The generated pages are Markdown, and Markdown passes raw HTML through. The rules are
kept as written (one book); a plain text (a title, a label, a question, an
explanation, a verdict's sentence…) is escaped when it is put into a page:
:func:`escape_text` writes ``&``, ``<`` and ``>`` as HTML entities and the characters
Markdown acts on (links, images, attribute lists, emphasis, code, escapes) as
character references, which Markdown and HTML both show as the character: the reader
sees the text as written, and it makes no tag, link, image or attribute list.

What is Markdown on purpose is marked so, as :class:`Markdown`: a Markdown field of the
rules (``body``, ``answer``, ``intro``) once rendered and cleaned, a link or a bold
plan name a page builder writes, the decision diagram's SVG. The page templates escape
every other value they print (``sitegen.render``'s ``finalize``), like an autoescaping
template engine, so a plain text is never let through by forgetting it.

The calendars and the diagram's picture are not Markdown: they read the texts as
written and escape them their own way (icalendar, ``html.escape``).
"""

from __future__ import annotations

import html
from typing import Any

# Characters that make Markdown (links, images, attribute lists, emphasis, code, escapes):
# written as character references, which both Markdown and HTML show as the character.
MARKDOWN_ACTIVE = str.maketrans({c: f"&#{ord(c)};" for c in "[]{}`*_\\"})


class Markdown(str):
    """Markdown (or HTML inside Markdown) made on purpose, from trusted parts: printed as
    it is by the page templates. Any operation on it gives back a plain ``str``."""

    __slots__ = ()


def escape_text(text: Any) -> Markdown:
    """``<b>&`` -> ``&lt;b&gt;&amp;``, ``[x](y)`` -> ``&#91;x&#93;(y)``: a plain text as
    Markdown that shows it as written once rendered, and is inert there (no tag, link,
    image or attribute list)."""
    return Markdown(html.escape(str(text), quote=False).translate(MARKDOWN_ACTIVE))


def as_markdown(value: Any) -> Markdown:
    """``value`` as Markdown: as it is when it is :class:`Markdown` already, else escaped
    as a plain text."""
    return value if isinstance(value, Markdown) else escape_text(value)
