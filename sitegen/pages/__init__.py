"""Generated pages of the site, one module per page family.

:func:`generate_pages` returns every generated file (source URI -> content);
:func:`rule_page_uri` gives the stable address of a rule's page, for other
parts of the site (the browser checker links to it).
"""

from __future__ import annotations

from typing import Any

from sitegen.pages import uris
from sitegen.pages.uris import rule_page_uri

# The page modules import ``uris`` above; import them after it.
from sitegen.pages import (  # isort: skip
    changelog,
    decision_table,
    editing,
    faq,
    home,
    plans,
    rules,
    sessions,
    synthesis,
)
from sitegen.pages.context import SiteContext  # isort: skip
from sitegen.complements import SECTIONS, section_of  # isort: skip

__all__ = ["generate_pages", "navigation", "rule_page_uri"]


def generate_pages(ctx: SiteContext, rules_file: str = "data/rules.yaml",
                   scenarios_file: str = "data/scenarios.yaml") -> dict[str, str | bytes]:
    """Every generated page and file, from the validated rules in ``ctx``."""
    result: dict[str, str | bytes] = {}
    for module in (home, rules, plans, synthesis, decision_table, faq, sessions, changelog):
        result.update(module.pages(ctx))
    result.update(editing.pages(ctx, rules_file, scenarios_file))
    return result


def navigation(ctx: SiteContext, present: set[str]) -> list[Any]:
    """The site navigation: generated pages in reading order, hand-written complements in
    their section (``docs/rules/``, ``docs/faq/``), then other hand-written pages."""
    rules = [{ctx.rule_label(r["id"]).removeprefix("Règle "): ctx.rule_uris[r["id"]]}
             for r in ctx.book.data["rules"]]
    extra = {section: sorted(u for u in present if section_of(u) == section)
             for section in SECTIONS}
    nav: list[Any] = [{"Nouvelles règles": uris.HOME}]
    if uris.CHECKER in present:
        nav.append({"Quelle formule pour moi ?": uris.CHECKER})
    nav += [
        {"Les règles": [uris.RULES_INDEX, *rules, *extra["rules"]]},
        {"Les formules": uris.PLANS},
        {"Synthèse des nouveautés": uris.SYNTHESIS},
        {"Tableau de décision": uris.DECISION_TABLE},
        {"Foire aux questions": [uris.FAQ, *extra["faq"]] if extra["faq"] else uris.FAQ},
        {"Sessions d'information": uris.SESSIONS},
        {"Historique des règles": uris.CHANGELOG},
        {"Modifier le contenu": uris.EDITING},
    ]
    listed = {uris.HOME, uris.CHECKER, uris.RULES_INDEX, uris.PLANS, uris.SYNTHESIS,
              uris.DECISION_TABLE, uris.FAQ, uris.SESSIONS, uris.CHANGELOG, uris.EDITING}
    listed |= set(ctx.rule_uris.values()) | {u for pages in extra.values() for u in pages}
    nav += sorted(uri for uri in present if uri.endswith(".md") and uri not in listed)
    return nav
