"""The ``cagette-rules`` MkDocs plugin: the site's pages, generated from the rules.

Thin on purpose: the rules are loaded and validated, and every page rendered,
in ``on_config``, before MkDocs cleans or writes anything, so a bad rules file
stops the build with the French report and leaves the previous ``site/`` as it
was. ``on_files`` adds the pages (never over a hand-written one), ``on_serve``
watches the data, ``on_post_page`` adds the Content-Security-Policy. Under
``mkdocs serve`` only, the decision table also shows what the unpublished edit
changes (:mod:`rulebook.baseline`, against ``HEAD``).
"""

from __future__ import annotations

import importlib
import os
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Literal

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from rulebook.baseline import preview
from rulebook.errors import RulesError
from rulebook.impact import Impact
from rulebook.loader import RulesBook, load_rules
from rulebook.placeholders import render_page_placeholders
from rulebook.scenarios import Scenario, load_scenarios
from sitegen.complements import rehome, section_of
from sitegen.csp import add_csp_meta
from sitegen.pages import generate_pages, navigation
from sitegen.pages.context import SiteContext
from sitegen.pages.escape import markdown_safe
from sitegen.pages.uris import CHECKER
from sitegen.redirects import french_redirect_page, redirect_maps

log = get_plugin_logger("cagette-rules")


class PluginConfig(base.Config):
    """Options of the ``cagette-rules`` plugin in ``mkdocs.yml``."""

    rules_file = c.Type(str, default="data/rules.yaml")
    """The rules file, relative to mkdocs.yml."""
    scenarios_file = c.Type(str, default="data/scenarios.yaml")
    """Optional golden scenarios shown as examples on rule pages, relative to mkdocs.yml."""
    csp = c.Type(bool, default=True)
    """Add a Content-Security-Policy meta tag to every page (not under ``mkdocs serve``)."""


def build_date() -> date:
    """The date the site is built for: ``SOURCE_DATE_EPOCH`` when set, else today."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return datetime.fromtimestamp(int(epoch), tz=UTC).date()
    return date.today()


def _browser_files(ctx: SiteContext, config: MkDocsConfig) -> list[File]:
    """The browser checker's files, when ``sitegen.browser`` provides them."""
    try:
        browser = importlib.import_module("sitegen.browser")
    except ModuleNotFoundError as exc:
        if exc.name != "sitegen.browser":
            raise
        return []
    make = getattr(browser, "browser_files", None)
    return list(make(ctx.source_book, config)) if make else []


class RulesPlugin(BasePlugin[PluginConfig]):
    """Generate the French site from ``data/rules.yaml``."""

    def __init__(self) -> None:
        self.serving = False
        self.generated: dict[str, str | bytes] = {}
        self.extra_files: list[File] = []
        self.context: SiteContext | None = None
        self.redirects: dict[str, str] = {}

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"],
                   dirty: bool) -> None:
        """Remember whether the live-reload server runs (its inline script has no hash)."""
        self.serving = command == "serve"

    def _root(self, config: MkDocsConfig) -> Path:
        return Path(config.config_file_path or ".").resolve().parent

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Load and validate the rules and render every page, before anything is written."""
        root = self._root(config)
        try:
            book = load_rules(root / self.config.rules_file, display_name=self.config.rules_file,
                              docs_dir=config.docs_dir)
            scenarios: list[Scenario] = []
            scenarios_path = root / self.config.scenarios_file
            if scenarios_path.is_file():
                scenarios = load_scenarios(scenarios_path)
        except RulesError as exc:
            raise PluginError(exc.report()) from None
        ctx = SiteContext(markdown_safe(book), build_date(), scenarios, source=book)
        if self.serving:
            ctx.preview = self._preview(root, book, Path(config.docs_dir))
        self.extra_files = _browser_files(ctx, config)
        ctx.has_checker = any(f.src_uri == CHECKER for f in self.extra_files)
        self.context = ctx
        self.generated = generate_pages(ctx, self.config.rules_file, self.config.scenarios_file)
        docs = Path(config.docs_dir)
        for uri in [*self.generated, *(f.src_uri for f in self.extra_files)]:
            if (docs / uri).exists():
                raise PluginError(self._clash(uri))
        self.redirects = redirect_maps(book.compiled)
        redirects = config.plugins.get("redirects")
        if redirects is not None:
            redirects.config["redirect_maps"].update(self.redirects)
        log.info(f"{self.config.rules_file} : {len(self.generated)} fichiers générés "
                 f"(règles du {ctx.as_of.isoformat()}).")
        return config

    def _preview(self, root: Path, book: RulesBook, docs_dir: Path) -> Impact | None:
        """The impact of the working copy against ``HEAD``; a note in the log when none."""
        impact, note = preview(root / self.config.rules_file, book, self.config.rules_file,
                               docs_dir)
        if note:
            log.info(f"Aperçu sans comparaison avec la version enregistrée : {note}")
        elif impact is not None:
            log.info(f"Aperçu : {impact.summary()}")
        return impact

    @staticmethod
    def _clash(uri: str) -> str:
        return (f"La page « {uri} » existe déjà dans docs/ : elle est générée depuis les règles "
                "et ne peut pas être écrite à la main. Renommez ou supprimez ce fichier.")

    @event_priority(50)  # before other plugins (redirects) list the pages
    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        """Add the generated pages and the checker's files; build the nav if none is set."""
        new = [File.generated(config, uri, content=content)
               for uri, content in self.generated.items()]
        for file in [*new, *self.extra_files]:
            existing = files.get_file_from_path(file.src_uri)
            if existing is not None:
                raise PluginError(self._clash(file.src_uri))
            files.append(file)
        taken = {f.url: f.src_uri for f in new}
        for file in files.documentation_pages():
            if file.generated_by is None and section_of(file.src_uri):
                rehome(file, config.use_directory_urls)
                if file.url in taken:
                    raise PluginError(f"La page « {file.src_uri} » serait publiée à la même "
                                      f"adresse ({file.url}) que la page générée "
                                      f"« {taken[file.url]} » : renommez le fichier.")
        if config.nav is None and self.context is not None:
            present = {f.src_uri for f in files.documentation_pages()}
            config.nav = navigation(self.context, present)
        return files

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig,
                         files: Files) -> str:
        """Hand-written pages may write figures as {{ parameter }}, like the rules file."""
        if page.file.generated_by is not None or self.context is None:
            return markdown
        try:
            return render_page_placeholders(markdown, self.context.book.displays,
                                            f"{config.docs_dir}/{page.file.src_uri}")
        except RulesError as exc:
            raise PluginError(exc.report()) from None

    def on_serve(self, server: Any, /, *, config: MkDocsConfig, builder: Any) -> Any:
        """Rebuild when the data (rules, scenarios) or the page templates change."""
        for path in {(self._root(config) / self.config.rules_file).parent,
                     (self._root(config) / self.config.scenarios_file).parent,
                     Path(__file__).parent / "templates"}:
            if path.exists():
                server.watch(str(path))
        return server

    @event_priority(-50)  # after mkdocs-redirects has written its pages
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Make the redirect pages of the old addresses French, under the policy."""
        if config.plugins.get("redirects") is None:
            return
        for old in self.redirects:
            page = Path(config.site_dir) / File(old, None, None, config.use_directory_urls).dest_uri
            if not page.is_file():
                raise PluginError(f"La page de redirection {page} manque : le greffon "
                                  "« redirects » ne l'a pas écrite.")
            page.write_text(french_redirect_page(page.read_text(encoding="utf-8")),
                            encoding="utf-8")

    def _csp(self, html: str, content: str | None = None) -> str:
        if not self.config.csp or self.serving:
            return html
        return add_csp_meta(html, untrusted=content)

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        """Allow exactly the theme's inline scripts with a CSP ``<meta>``.

        Scripts inside the page's content (raw HTML in a Markdown field of the
        rules) are not the theme's: they get no hash, so they cannot run.
        """
        return self._csp(output, page.content)

    def on_post_template(self, output_content: str, /, *, template_name: str,
                         config: MkDocsConfig) -> str:
        """The same for theme-only pages such as ``404.html``."""
        return self._csp(output_content) if template_name.endswith(".html") else output_content
