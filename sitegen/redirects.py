"""Old page addresses that still work: maps for ``mkdocs-redirects``, and its
pages made French and allowed by the Content-Security-Policy.

Rule pages used to live at ``regles/<id>/``; they now live at addresses derived
from their French titles. The well-kept ``mkdocs-redirects`` plugin writes one
small page per old address; its template is English and carries an inline
script (it keeps the ``#fragment``), so each page is rewritten in French with a
CSP ``<meta>`` allowing exactly that script.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from mkdocs.structure.files import File

from checker.model import CompiledRules
from sitegen.csp import add_csp_meta
from sitegen.registry import rule_page_uri

ENGLISH = (
    ('<html lang="en">', '<html lang="fr">'),
    ("<title>Redirecting...</title>", "<title>Page déplacée</title>"),
    ("You're being redirected to a ", "Cette page a changé d'adresse\u00a0: voici sa "),
    (">new destination</a>.", ">nouvelle adresse</a>."),
)


def redirect_maps(compiled: CompiledRules) -> dict[str, str]:
    """Old source URI -> new source URI for every rule whose address changed."""
    return {rule_page_uri(r.id): rule_page_uri(r.slug)
            for r in compiled.rules if r.slug != r.id}


def french_redirect_page(html: str) -> str:
    """The plugin's redirect page in French, with a CSP allowing its own script only."""
    for english, french in ENGLISH:
        html = html.replace(english, french)
    return add_csp_meta(html)


def make_redirect_pages_french(old_uris: Iterable[str], site_dir: str,
                               use_directory_urls: bool) -> None:
    """Rewrite, in the built site, the redirect page of each old source URI."""
    for old in old_uris:
        page = Path(site_dir) / File(old, None, None, use_directory_urls).dest_uri
        page.write_text(french_redirect_page(page.read_text(encoding="utf-8")), encoding="utf-8")
