"""README.md stays a front door, and the handbook's links lead somewhere: every relative
link of ``README.md`` and ``handbook/*.md`` names a file that exists, and a heading of
that file when it names one (GitHub's anchors)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import ROOT

README = ROOT / "README.md"
DOCUMENTS = [README, *sorted((ROOT / "handbook").glob("*.md"))]
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
EXTERNAL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")  # https:, mailto:, javascript:…


def unfenced(text: str) -> str:
    """The text outside fenced code blocks."""
    lines, fenced = [], False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
        elif not fenced:
            lines.append(line)
    return "\n".join(lines)


def prose(text: str) -> str:
    """The text outside fenced code blocks and inline code."""
    return re.sub(r"(`+).+?\1", "", unfenced(text), flags=re.DOTALL)


def anchors(path: Path) -> set[str]:
    """The anchors GitHub gives the headings of a Markdown file."""
    found: set[str] = set()
    seen: dict[str, int] = {}
    for line in unfenced(path.read_text(encoding="utf-8")).splitlines():
        heading = re.match(r"#{1,6} +(.*?) *#*$", line)
        if not heading:
            continue
        slug = re.sub(r"[^\w\- ]", "", heading[1].lower()).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        found.add(slug if count == 0 else f"{slug}-{count}")
    return found


def links(path: Path) -> list[str]:
    """The relative link targets of a Markdown file."""
    return [target for target in LINK.findall(prose(path.read_text(encoding="utf-8")))
            if not EXTERNAL.match(target)]


def test_the_handbook_exists_and_every_file_is_linked_from_the_readme() -> None:
    handbook = DOCUMENTS[1:]
    assert handbook, "handbook/ holds no Markdown file"
    linked = {(README.parent / target.split("#")[0]).resolve() for target in links(README)}
    assert [path.name for path in handbook if path.resolve() not in linked] == []


def test_the_readme_stays_short() -> None:
    assert len(README.read_text(encoding="utf-8").splitlines()) < 200


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: path.name)
def test_every_relative_link_resolves(document: Path) -> None:
    broken = []
    for target in links(document):
        name, _, anchor = target.partition("#")
        path = (document.parent / name).resolve() if name else document
        if not path.exists():
            broken.append(f"{target}: no such file")
        elif anchor and path.suffix == ".md" and anchor not in anchors(path):
            broken.append(f"{target}: no such heading")
    assert broken == []
