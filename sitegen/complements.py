"""Hand-written pages that complement the generated sections.

A Markdown page dropped in ``docs/rules/`` or ``docs/faq/`` (a step-by-step
guide, screenshots…) joins the navigation of its section, next to the pages
generated from the rules (``rulebook.complements`` finds them and validates
``more:``). ``docs/rules/`` pages are published under the French address of the
rules section (``regles/<page>/``).
"""

from __future__ import annotations

from mkdocs.structure.files import File

from rulebook.complements import FOLDERS

# Folder in docs/ -> folder of its pages' addresses on the site.
SECTIONS = dict(zip(FOLDERS, ("regles", "faq"), strict=True))


def published_uri(uri: str) -> str:
    """Where a complement is published: ``rules/x.md`` -> ``regles/x.md``."""
    folder, _, name = uri.partition("/")
    return f"{SECTIONS.get(folder, folder)}/{name}"


def section_of(uri: str) -> str | None:
    """``rules`` or ``faq`` for a complement's source URI, else ``None``."""
    folder, _, name = uri.partition("/")
    return folder if folder in SECTIONS and name.endswith(".md") and "/" not in name else None


def rehome(file: File, use_directory_urls: bool) -> None:
    """Publish a complement under its section's French address (``regles/x/``)."""
    target = File(published_uri(file.src_uri), None, None, use_directory_urls)
    file.dest_uri = target.dest_uri
    file.url = target.url
