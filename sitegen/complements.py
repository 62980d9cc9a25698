"""Hand-written pages that complement the generated sections.

A Markdown page dropped in ``docs/rules/`` or ``docs/faq/`` (a step-by-step
guide, screenshots…) joins the navigation of its section, next to the pages
generated from the rules, and a rule or a FAQ entry can point to it with
``more: rules/<page>.md``. ``docs/rules/`` pages are published under the French
address of the rules section (``regles/<page>/``).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from mkdocs.structure.files import File

# Folder in docs/ -> folder of its pages' addresses on the site.
SECTIONS = {"rules": "regles", "faq": "faq"}
HEADING = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.MULTILINE)


def page_title(text: str, fallback: str) -> str:
    """The page's first level-one heading, else ``fallback``."""
    match = HEADING.search(text)
    return match.group(1) if match else fallback


def find_complements(docs_dir: Path) -> dict[str, str]:
    """``rules/<page>.md`` / ``faq/<page>.md`` -> title, for every page of the two folders."""
    found: dict[str, str] = {}
    for folder in SECTIONS:
        for path in sorted((docs_dir / folder).glob("*.md")):
            uri = f"{folder}/{path.name}"
            found[uri] = page_title(path.read_text(encoding="utf-8"), path.stem)
    return found


def published_uri(uri: str) -> str:
    """Where a complement is published: ``rules/x.md`` -> ``regles/x.md``."""
    folder, _, name = uri.partition("/")
    return f"{SECTIONS.get(folder, folder)}/{name}"


def section_of(uri: str) -> str | None:
    """``rules`` or ``faq`` for a complement's source URI, else ``None``."""
    folder, _, name = uri.partition("/")
    return folder if folder in SECTIONS and name.endswith(".md") and "/" not in name else None


def rehome(file: Any, use_directory_urls: bool) -> None:
    """Publish a complement under its section's French address (``regles/x/``)."""
    target = File(published_uri(file.src_uri), None, None, use_directory_urls)
    file.dest_uri = target.dest_uri
    file.url = target.url
