"""Check the links of a built site: every internal link, resource and anchor resolves.

Reusable: ``check_site(site_dir)`` returns a list of problems (empty when all
is well); ``external_resources(site_dir)`` lists what a page would load from
another origin (scripts, stylesheets, images, frames), which must be none.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from tests.sitebuild import html_pages

# Attributes that make the browser fetch something, by tag.
RESOURCE_ATTRS = {"script": "src", "img": "src", "iframe": "src", "source": "src",
                  "audio": "src", "video": "src", "embed": "src", "object": "data"}
NAVIGATION_SCHEMES = ("http:", "https:", "mailto:", "tel:", "javascript:")


@dataclass
class PageLinks:
    """Ids defined by a page and the URLs it refers to."""

    ids: set[str] = field(default_factory=set)
    links: list[tuple[str, str]] = field(default_factory=list)  # (kind, url)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = PageLinks()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v for k, v in attrs if v is not None}
        for key in ("id", "name"):
            if key in values and (key == "id" or tag == "a"):
                self.page.ids.add(values[key])
        if tag == "a" and "href" in values:
            self.page.links.append(("navigation", values["href"]))
        elif tag == "link" and "href" in values:
            rel = values.get("rel", "")
            kind = "resource" if {"stylesheet", "icon", "preload", "modulepreload",
                                  "preconnect", "manifest"} & set(rel.split()) else "navigation"
            self.page.links.append((kind, values["href"]))
        elif tag in RESOURCE_ATTRS and RESOURCE_ATTRS[tag] in values:
            self.page.links.append(("resource", values[RESOURCE_ATTRS[tag]]))


def parse_page(path: Path) -> PageLinks:
    """Ids and links of one HTML file."""
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    return collector.page


def _target(site: Path, page: Path, url: str) -> tuple[Path | None, str]:
    """The file a local URL points to (``None`` if missing) and its fragment."""
    parts = urlsplit(url)
    base = posixpath.dirname(page.relative_to(site).as_posix())
    if not parts.path:
        return page, unquote(parts.fragment)
    joined = posixpath.normpath(posixpath.join(base, unquote(parts.path)))
    candidate = site / joined
    if candidate.is_dir():
        candidate = candidate / "index.html"
    if joined.startswith("..") or not candidate.is_file():
        return None, unquote(parts.fragment)
    return candidate, unquote(parts.fragment)


def is_external(url: str) -> bool:
    """True for URLs with a scheme or a host (another origin, or not a page)."""
    parts = urlsplit(url)
    return bool(parts.scheme or parts.netloc)


def check_site(site: Path) -> list[str]:
    """Every broken internal link or anchor of the site, as readable lines."""
    pages = {p: parse_page(p) for p in html_pages(site)}
    problems = []
    for page, info in pages.items():
        if page.name == "404.html" and page.parent == site:
            continue  # served at any depth: its links are relative to wherever it is shown
        for _kind, url in info.links:
            if is_external(url) or url.startswith(NAVIGATION_SCHEMES) or url in ("", "#"):
                continue
            target, fragment = _target(site, page, url)
            where = page.relative_to(site).as_posix()
            if target is None:
                problems.append(f"{where}: lien cassé vers {url}")
            elif fragment and target.suffix == ".html" and fragment not in pages[target].ids:
                problems.append(f"{where}: ancre introuvable {url}")
    return problems


def count_links(site: Path) -> tuple[int, int, int]:
    """(pages, internal links and resources, of which with an anchor) that ``check_site`` checks."""
    pages = links = anchors = 0
    for page in html_pages(site):
        if page.name == "404.html" and page.parent == site:
            continue
        pages += 1
        for _kind, url in parse_page(page).links:
            if is_external(url) or url.startswith(NAVIGATION_SCHEMES) or url in ("", "#"):
                continue
            links += 1
            anchors += bool(urlsplit(url).fragment)
    return pages, links, anchors


def external_resources(site: Path) -> list[str]:
    """Resources (not navigation links) that a page would fetch from another origin."""
    found = []
    for page in html_pages(site):
        for kind, url in parse_page(page).links:
            if kind == "resource" and is_external(url):
                found.append(f"{page.relative_to(site).as_posix()}: {url}")
    return found


if __name__ == "__main__":
    import sys

    built = Path(sys.argv[1] if len(sys.argv) > 1 else "site")
    problems = check_site(built)
    print("\n".join(problems))
    pages, links, anchors = count_links(built)
    print(f"{pages} pages, {links} liens internes vérifiés (dont {anchors} avec ancre), "
          f"{len(problems)} problème(s)")
    sys.exit(1 if problems else 0)
