"""The hand-written pages a rule or a FAQ entry may point to with ``more:``:
Markdown pages in ``docs/rules/`` and ``docs/faq/`` (the site publishes them in
their sections)."""

from __future__ import annotations

import re
from pathlib import Path

FOLDERS = ("rules", "faq")
HEADING = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.MULTILINE)


def page_title(text: str, fallback: str) -> str:
    """The page's first level-one heading, else ``fallback``."""
    match = HEADING.search(text)
    return match.group(1) if match else fallback


def find_complements(docs_dir: Path) -> dict[str, str]:
    """``rules/<page>.md`` / ``faq/<page>.md`` -> title, for every page of the folders."""
    found: dict[str, str] = {}
    for folder in FOLDERS:
        for path in sorted((docs_dir / folder).glob("*.md")):
            found[f"{folder}/{path.name}"] = page_title(path.read_text(encoding="utf-8"),
                                                        path.stem)
    return found
