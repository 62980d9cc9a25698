"""French typesetting of a Markdown page: :func:`checker.french.typeset` applied to its
prose, never to its code, its links' addresses, its tags or its attribute lists.

Every page goes through it (generated and hand-written), before MkDocs reads it: the
headings, the table of contents, the navigation and the search index all come from
the Markdown, so they are typeset too.
"""

from __future__ import annotations

import re

from checker.french import typeset

# What is not prose, in the order it is looked for: fenced code, inline code, HTML
# comments and tags, a link's or an image's target, attribute lists, Jinja-like
# placeholders, and the indented lines of admonition titles' quotes are kept as is.
_KEPT = re.compile(
    r"(?ms)^(?P<fence>[ \t]*(?:```|~~~)).*?^(?P=fence)[ \t]*$"  # fenced code blocks
    r"|`[^`\n]+`"  # inline code
    r"|<!--.*?-->"  # comments
    r"|<[^>\n]+>"  # tags (their attributes)
    r"|\]\([^)\n]*\)"  # link and image targets
    r"|\{[:#. ][^}\n]*\}"  # attribute lists: { #id }, { .class }, {: …}
    r"|\{\{.*?\}\}|\{%.*?%\}"  # placeholders left for later
    r"|^[ \t]*[!?]{3}\+?[^\n]*$"  # admonition lines: `!!! note "Titre"`, `??? example`
)


def typeset_markdown(markdown: str) -> str:
    """``markdown`` with French spacing in its prose (code, targets and tags untouched;
    admonition titles typeset inside their quotes only)."""
    kept: list[str] = []

    def hold(match: re.Match[str]) -> str:
        kept.append(match.group(0))
        return f"\ue000{len(kept) - 1}\ue001"  # private-use marks: never in a page

    text = typeset(_KEPT.sub(hold, markdown))
    return _HELD.sub(lambda m: _restore(kept[int(m.group(1))]), text)


_HELD = re.compile("\ue000(\\d+)\ue001")


def _restore(kept: str) -> str:
    return _admonition(kept) if kept.lstrip().startswith(("!!!", "???")) else kept


_TITLE = re.compile(r'"([^"\n]*)"')


def _admonition(line: str) -> str:
    """An admonition's first line with its quoted title typeset."""
    return _TITLE.sub(lambda m: f'"{typeset(m.group(1))}"', line)
