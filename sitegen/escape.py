"""Plain-text fields of the rules, made safe to put into the generated Markdown.

The generated pages are Markdown, and Markdown passes raw HTML through. The
plain-text fields of ``rules.yaml`` (titles, labels, questions, explanations…)
must show as written, so ``markdown_safe(book)`` returns a copy of the rules
where every plain-text field, and every ``text`` parameter value, has ``&``,
``<`` and ``>`` escaped; its compiled rules and displays are recomputed from
it. The Markdown fields (``body``, ``answer``, ``intro``) are kept as written:
the support team writes Markdown, and raw HTML there is inert under the site's
Content-Security-Policy (no inline script or event handler can run).

The checker page and its JSON, and the calendars, use the original rules:
they put texts into the page with DOM text APIs or into non-HTML formats.
"""

from __future__ import annotations

import html
from typing import Any

from rulebook.declaration import MARKDOWN, ROOT
from rulebook.loader import RulesBook
from rulebook.placeholders import PLACEHOLDER, as_written
from rulebook.spec import ListOf, MapOf, Obj, Spec, Text

# Characters that make Markdown (links, images, attribute lists, emphasis, code, escapes):
# written as character references, which both Markdown and HTML show as the character.
MARKDOWN_ACTIVE = str.maketrans({c: f"&#{ord(c)};" for c in "[]{}`*_\\"})


def escape_text(text: str) -> str:
    """``<b>&`` -> ``&lt;b&gt;&amp;``, ``[x](y)`` -> ``&#91;x&#93;(y)``: shown as written
    once rendered by Markdown, and inert there (no tag, link, image or attribute list);
    the ``{{ parameter }}`` placeholders are kept for rendering."""
    parts = PLACEHOLDER.split(html.escape(as_written(text), quote=False))
    # split() with one group: text, name, text, name… (names are kept as placeholders)
    return "".join(f"{{{{ {part} }}}}" if i % 2 else part.translate(MARKDOWN_ACTIVE)
                   for i, part in enumerate(parts))


def _escape(spec: Spec, value: Any) -> Any:
    """``value`` with every plain-text field of ``spec`` escaped (a new structure)."""
    if isinstance(spec, Obj) and isinstance(value, dict):
        return {k: _escape(spec.fields[k].spec, v) if k in spec.fields else v
                for k, v in value.items()}
    if isinstance(spec, ListOf) and isinstance(value, list):
        return [_escape(spec.item, item) for item in value]
    if isinstance(spec, MapOf) and isinstance(value, dict):
        return {k: _escape(spec.value, v) for k, v in value.items()}
    if (type(spec) is Text and spec is not MARKDOWN and spec.pattern is None
            and isinstance(value, str)):
        return escape_text(value)
    return value


def markdown_safe(book: RulesBook) -> RulesBook:
    """A copy of ``book`` whose plain texts are escaped for Markdown pages."""
    data = _escape(ROOT, book.data)
    for rule, compiled in zip(data["rules"], book.compiled["rules"], strict=True):
        rule["slug"] = compiled["slug"]  # the address comes from the title as written
    for parameter in data["parameters"].values():
        if parameter["unit"] == "text":
            for holder in [parameter, *(parameter.get("changes") or ())]:
                if isinstance(holder["value"], str):
                    holder["value"] = escape_text(holder["value"])
    return RulesBook.of(book.path, data,
                        {uri: escape_text(title) for uri, title in book.complements.items()})
