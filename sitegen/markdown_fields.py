"""The Markdown fields of the rules (a rule's text, a FAQ answer, the introduction),
made into HTML here and cleaned by an allowlist (``nh3``): what the support team
writes in Markdown becomes paragraphs, lists, emphasis, links and tables, and nothing
else: no script, no ``<meta http-equiv>``, no image from elsewhere, no ``id`` that could
pass for the checker's, no ``javascript:`` link, whatever the text holds.
"""

from __future__ import annotations

import re

import markdown
import nh3

TAGS = {"p", "br", "strong", "em", "b", "i", "code", "pre", "blockquote", "ul", "ol", "li",
        "a", "h3", "h4", "h5", "table", "thead", "tbody", "tr", "th", "td", "hr"}
ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}
EXTENSIONS = ["tables", "sane_lists"]  # no attribute lists, no raw HTML kept (cleaned)
BLANK_LINES = re.compile(r"\n\s*\n")  # a raw HTML block of the page may not hold one


def markdown_html(text: str) -> str:
    """``text`` (Markdown) as HTML a page can hold as it is: rendered, then cleaned.

    Its links get ``rel="noopener noreferrer"``; a relative link stays relative.
    The result is one raw HTML block for the page's Markdown (blank lines inside none).
    """
    rendered = markdown.markdown(text, extensions=EXTENSIONS, output_format="html")
    cleaned = nh3.clean(rendered, tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES,
                        link_rel="noopener noreferrer")
    return '<div class="rules-text">' + BLANK_LINES.sub("\n", cleaned) + "</div>"
