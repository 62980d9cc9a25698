"""The site's pages, in one table: address, navigation title, template, builder,
and which parts of ``rules.yaml`` each one shows (the editing guide lists them).

Adding a page is one entry here plus one template: its builder turns the site
context into the template's variables; pages link to each other by key
(``link("plans")`` in a template). The table's order is the navigation's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from checker.french import format_long_date, typeset
from sitegen import context
from sitegen.complements import section_of
from sitegen.context import SiteContext
from sitegen.pages import (
    changelog,
    decision_table,
    editing,
    faq,
    glossary,
    home,
    plans,
    rules,
    sessions,
    synthesis,
)
from sitegen.render import add_template_folder, render_page

Builder = Callable[[SiteContext, str], dict[str, Any]]
Children = Callable[[SiteContext], list[tuple[str, str, Callable[[], dict[str, Any]]]]]
Extra = Callable[[SiteContext, str], dict[str, str | bytes]]


@dataclass(frozen=True)
class Page:
    """One page of the site (or a section: its index and the pages under it).

    ``template`` is ``None`` for a page made elsewhere (the checker's, by the
    browser build). ``section`` names the ``docs/`` folder whose hand-written
    pages join this one in the navigation; ``children`` gives the pages it
    generates under it (one per rule), rendered with ``child_template``;
    ``files`` the other files it needs (calendars, a picture).
    """

    key: str
    uri: str
    title: str
    template: str | None = None
    build: Builder | None = None
    shows: tuple[str, ...] = ()
    guide_title: str = ""
    section: str | None = None
    children: Children | None = None
    child_template: str = ""
    files: Extra | None = None
    listed: bool = True  # in the navigation (the editor is reached from the editing guide)


PAGES: list[Page] = [
    Page("home", "index.md", "Nouvelles règles", "home.md.j2", home.build,
         shows=("meta", "context"), guide_title="Accueil"),
    Page("checker", "verificateur/index.md", "Quelle formule pour moi ?",
         shows=("questions", "plan_required_when"), guide_title="Vérificateur"),
    Page("rules", "regles/index.md", "Les règles", "rules_index.md.j2", rules.build,
         shows=("rules", "permissions", "actions", "sources"), section="rules",
         children=rules.children, child_template="rule.md.j2"),
    Page("plans", "formules.md", "Les formules", "plans.md.j2", plans.build, shows=("plans",)),
    Page("synthesis", "synthese.md", "Synthèse des nouveautés", "synthesis.md.j2",
         synthesis.build, shows=("rules", "questions"), guide_title="Synthèse",
         files=synthesis.files),
    Page("decision_table", "tableau-de-decision.md", "Tableau de décision",
         "decision_table.md.j2", decision_table.build,
         shows=("questions", "plan_required_when", "permissions", "actions")),
    Page("faq", "faq/index.md", "Foire aux questions", "faq.md.j2", faq.build, shows=("faq",),
         guide_title="FAQ", section="faq"),
    Page("sessions", "sessions.md", "Sessions d'information", "sessions.md.j2", sessions.build,
         shows=("sessions",), guide_title="Sessions", files=sessions.files),
    Page("glossary", "lexique.md", "Lexique", "glossary.md.j2", glossary.build,
         shows=("glossary",)),
    Page("changelog", "historique.md", "Historique des règles", "changelog.md.j2",
         changelog.build, shows=("changelog",), guide_title="Historique"),
    Page("editor", "editeur/index.md", "Éditeur des règles", listed=False),
    Page("editing", "modifier-le-contenu.md", "Modifier le contenu", "editing.md.j2",
         editing.build),
]


def register(page: Page, templates: Path | None = None) -> None:
    """Add ``page`` to the site (before the editing guide), its template from ``templates``."""
    if templates is not None:
        add_template_folder(templates)
    PAGES.insert(len(PAGES) - 1, page)


def edit_fields(ctx: SiteContext) -> dict[str, str]:
    """Source URI of each generated page -> the part of ``rules.yaml`` it comes from, as the
    editor locates it (``faq``, ``rules.charter``): its edit button opens the editor there."""
    fields = {page.uri: page.shows[0] for page in PAGES if page.shows}
    fields.update({uri: f"rules.{rule_id}" for rule_id, uri in ctx.rule_uris.items()})
    return fields


def unlisted_pages() -> list[str]:
    """The source URIs of the pages kept out of the navigation."""
    return [page.uri for page in PAGES if not page.listed]


def addresses() -> dict[str, str]:
    """Each page's key -> its source URI."""
    return {page.key: page.uri for page in PAGES}


def rule_page_uri(slug: str) -> str:
    """Source URI of a rule's page, in the rules section: ``regles/<slug>.md``."""
    return context.rule_page_uri(addresses()["rules"], slug)


def shown_on(present: frozenset[str]) -> dict[str, list[tuple[str, str]]]:
    """Part of ``rules.yaml`` -> (page title, URI) of the built pages that show it."""
    found: dict[str, list[tuple[str, str]]] = {}
    for page in PAGES:
        if page.template is None and page.key not in present:
            continue
        for part in page.shows:
            found.setdefault(part, []).append((page.guide_title or page.title, page.uri))
    return found


def _common(ctx: SiteContext) -> dict[str, Any]:
    """Variables every template may use."""
    return {"has_checker": ctx.has_checker, "has_editor": "editor" in ctx.present,
            "effective_date": ctx.book.displays.get("effective_date"),
            "as_of": format_long_date(ctx.as_of)}


def generate(ctx: SiteContext) -> dict[str, str | bytes]:
    """Every generated page and file (source URI -> content)."""
    found: dict[str, str | bytes] = {}
    common = _common(ctx)
    for page in PAGES:
        if page.template is None or page.build is None:
            continue
        found[page.uri] = render_page(page.template, page.uri, ctx.addresses,
                                      **common, **page.build(ctx, page.uri))
        for uri, _, variables in page.children(ctx) if page.children else ():
            found[uri] = render_page(page.child_template, uri, ctx.addresses,
                                     **common, **variables())
        found.update(page.files(ctx, page.uri) if page.files else {})
    return found


def _sections(ctx: SiteContext, present: set[str], page: Page) -> Iterator[Any]:
    """The page's navigation entries."""
    children = ([{typeset(title): uri} for uri, title, _ in page.children(ctx)]
                if page.children else [])
    extra = sorted(u for u in present if page.section and section_of(u) == page.section)
    if children or extra:
        yield {typeset(page.title): [page.uri, *children, *extra]}
    else:
        yield {typeset(page.title): page.uri}


def navigation(ctx: SiteContext, present: set[str]) -> list[Any]:
    """The site navigation: the table's pages in order (sections with their generated and
    hand-written pages), then the other hand-written pages."""
    nav: list[Any] = []
    for page in PAGES:
        if page.uri in present and page.listed:
            nav += _sections(ctx, present, page)
    listed = {uri for entry in nav for item in entry.values()
              for uri in (item if isinstance(item, list) else [item])
              for uri in (uri.values() if isinstance(uri, dict) else [uri])}
    listed |= {page.uri for page in PAGES if not page.listed}
    nav += sorted(uri for uri in present if uri.endswith(".md") and uri not in listed)
    return nav
