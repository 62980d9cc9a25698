"""The ``cagette-rules`` MkDocs plugin: a thin adapter over :mod:`sitegen.site`.

The rules are loaded and checked, and every page generated, in ``on_config``,
before MkDocs cleans or writes anything: a bad rules file stops the build with
the French report and leaves the previous ``site/`` as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from html import unescape
from typing import Any, Literal

from jinja2 import Environment
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from checker.dated import cited_notes
from checker.french import format_long_date, typeset
from rulebook.errors import RulesError
from rulebook.placeholders import render_page_placeholders
from rulebook.prose import page_name_problems
from sitegen import site
from sitegen.browser import site_url as files_url
from sitegen.csp import add_csp_meta
from sitegen.dated_notes import with_notes
from sitegen.markdown_text import escape_text
from sitegen.nav_labels import name_nav_sections
from sitegen.redirects import make_redirect_pages_french
from sitegen.registry import addresses, edit_fields
from sitegen.render import TEMPLATE_CACHE
from sitegen.typography import typeset_markdown

log = get_plugin_logger("cagette-rules")


def retitle(items: Any) -> None:
    """Typeset the titles of a table of contents, at every level."""
    for item in items:
        item.title = typeset(item.title)
        retitle(item.children)


def markdown_notes(compiled: Any, day: str) -> Callable[[str], list[str]]:
    """The notes of :func:`checker.dated.cited_notes` for a page's Markdown, escaped as
    plain texts (the values are looked for in the text the page shows)."""
    return lambda markdown: [escape_text(note)
                             for note in cited_notes(compiled, day, unescape(markdown))]


class PluginConfig(base.Config):
    """Options of the ``cagette-rules`` plugin in ``mkdocs.yml``."""

    rules_file = c.Type(str, default="data/rules.yaml")
    """The rules file, relative to mkdocs.yml."""
    scenarios_file = c.Type(str, default="data/scenarios.yaml")
    """Optional golden scenarios shown as examples on rule pages, relative to mkdocs.yml."""
    csp = c.Type(bool, default=True)
    """Add a Content-Security-Policy meta tag to every page (not under ``mkdocs serve``)."""


class RulesPlugin(BasePlugin[PluginConfig]):
    """Generate the French site from ``data/rules.yaml``."""

    def __init__(self) -> None:
        self.serving = False
        self.site: site.SiteBuild | None = None  # from on_config to on_files only
        self.displays: dict[str, str] = {}
        self.glossary: Any = None  # the names hand-written pages may not use either
        self.redirects: dict[str, str] = {}
        self.unread: set[str] = set()  # generated pages MkDocs has not read yet
        self.notes: Callable[[str], list[str]] = lambda markdown: []
        self.edit_fields: dict[str, str] = {}  # generated page -> where the editor opens

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"],
                   dirty: bool) -> None:
        """Remember whether the live-reload server runs (its inline script has no hash)."""
        self.serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Load and check the rules and generate the site, before anything is written."""
        self.site = None  # a rebuild does not hold the previous build while making its own
        try:
            self.site = site.build(config, self.config.rules_file, self.config.scenarios_file,
                                   self.serving)
        except RulesError as exc:
            raise PluginError(exc.report()) from None
        self.displays, self.redirects = self.site.context.markdown_displays, self.site.redirects
        self.glossary = self.site.context.book.data.get("glossary")
        self.notes = markdown_notes(self.site.context.book.compiled,
                                    self.site.context.as_of.isoformat())
        has_editor = "editor" in self.site.context.present
        self.edit_fields = edit_fields(self.site.context) if has_editor else {}
        config.site_name = typeset(config.site_name)
        config.site_description = typeset(config.site_description or "") or None
        config.extra["as_of"] = format_long_date(self.site.context.as_of)
        if (redirects := config.plugins.get("redirects")) is not None:
            redirects.config["redirect_maps"].update(self.redirects)
        log.info(site.summary(self.site, self.config.rules_file))
        return config

    @event_priority(50)  # before other plugins (redirects) list the pages
    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        """Add the generated files and the complements; build the nav if none is set."""
        assert self.site is not None
        self.unread = self.site.add_to(files, config)
        self.site = None  # the rules, verdicts and pages are MkDocs' now: not held twice
        return files

    def on_env(self, env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment:
        """Keep the theme's compiled templates between builds too (MkDocs compiles
        Material's dozens of templates on every build otherwise); French spacing for the
        theme's templates."""
        env.bytecode_cache = env.bytecode_cache or TEMPLATE_CACHE
        env.filters["typeset"] = typeset  # after `striptags`, which collapses every space
        return env

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig,
                         files: Files) -> str:
        """Every page set as French is (:mod:`sitegen.typography`); hand-written pages may
        write figures as {{ parameter }}, like the rules file, and use the glossary's names."""
        if page.file.generated_by is not None:
            site.release(page.file, self.unread)
            return typeset_markdown(with_notes(markdown, self.notes(markdown)))
        file = f"{config.docs_dir}/{page.file.src_uri}"
        problems = page_name_problems(markdown, self.glossary, file)
        if problems:
            raise PluginError(RulesError(problems, subject="La page").report())
        try:
            markdown = render_page_placeholders(markdown, self.displays, file)
        except RulesError as exc:
            raise PluginError(exc.report()) from None
        return typeset_markdown(with_notes(markdown, self.notes(markdown)))

    def on_page_context(self, context: dict[str, Any], /, *, page: Page, config: MkDocsConfig,
                        nav: Any) -> dict[str, Any]:
        """A generated page's edit button opens the editor at the part of the rules it
        comes from (Material's ``content.action.edit``; MkDocs' own ``edit_uri`` stays for
        the hand-written pages)."""
        field = self.edit_fields.get(page.file.src_uri)
        if field is not None:
            editor = files_url(addresses()["editor"], config)
            page.edit_url = f"{get_relative_url(editor, page.url)}?champ={field}"
        return context

    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig,
                        files: Files) -> str:
        """Python-Markdown writes the table of contents and the title with ordinary
        spaces (it collapses every kind of space): set them as French again."""
        retitle(page.toc)
        if page.title:
            page.meta["title"] = typeset(page.title)
        return html

    def on_serve(self, server: Any, /, *, config: MkDocsConfig, builder: Any) -> Any:
        """Rebuild when the data (rules, scenarios) or the page templates change."""
        for path in site.watched(config, self.config.rules_file, self.config.scenarios_file):
            server.watch(str(path))
        return server

    def _csp(self, html: str, content: str | None = None) -> str:
        if not self.config.csp or self.serving:
            return html
        return add_csp_meta(html, untrusted=content)

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        """Allow exactly the theme's inline scripts with a CSP ``<meta>`` (scripts inside
        the page's content, from the rules, get no hash: they cannot run); each navigation
        section named by its title."""
        return self._csp(name_nav_sections(output), page.content)

    def on_post_template(self, output_content: str, /, *, template_name: str,
                         config: MkDocsConfig) -> str:
        """The same for theme-only pages such as ``404.html``."""
        return self._csp(output_content) if template_name.endswith(".html") else output_content

    @event_priority(-50)  # after mkdocs-redirects has written its pages
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Make the redirect pages of the old addresses French, under the policy."""
        if config.plugins.get("redirects") is not None:
            make_redirect_pages_french(self.redirects, config.site_dir, config.use_directory_urls)
