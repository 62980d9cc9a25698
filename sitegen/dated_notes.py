"""A page that shows a figure about to change (or just changed) says so at its top,
in the words of :func:`checker.dated.note`, as the checker does under its title."""

from __future__ import annotations

import re

TITLE = "À noter"
HEADING = re.compile(r"^# .*$", re.MULTILINE)
FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)


def with_notes(markdown: str, notes: list[str]) -> str:
    """``markdown`` with an admonition listing ``notes`` under its title (at its top when
    it has none); unchanged when there is no note."""
    if not notes:
        return markdown
    block = f'\n!!! info "{TITLE}"\n\n' + "".join(f"    - {note}\n" for note in notes) + "\n"
    heading = HEADING.search(markdown)
    if heading is not None:
        return markdown[:heading.end()] + "\n" + block + markdown[heading.end():]
    front = FRONT_MATTER.match(markdown)
    at = front.end() if front else 0
    return markdown[:at] + block + markdown[at:]
