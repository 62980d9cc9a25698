"""One build of the site, before MkDocs writes anything: the rules loaded and
checked, every page and file generated, the checker's files, the redirects of
old addresses, the navigation. The MkDocs plugin only hands these over."""

from __future__ import annotations

import gc
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pathspec
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from checker.engine import forget_prepared
from rulebook.errors import RulesError
from rulebook.loader import RulesBook, load_rules
from rulebook.scenarios import Scenario, file_problems, load_scenario_file
from sitegen.browser import browser_files, project_root
from sitegen.build_cache import cache_root
from sitegen.complements import rehome, section_of
from sitegen.context import SiteContext
from sitegen.editor import editor_files
from sitegen.redirects import redirect_maps
from sitegen.registry import addresses, generate, navigation, shown_on, unlisted_pages

if TYPE_CHECKING:  # the impact is computed only by the preview
    from rulebook.impact import Impact

log = logging.getLogger("mkdocs.plugins.cagette-rules")
# Set to "1" by the builds of ``make serve`` (sitegen.site_server): like ``mkdocs serve``,
# a preview, which shows what the uncommitted edit of the rules changes.
PREVIEW_ENV = "CAGETTE_PREVIEW"
CLASH = ("La page « {} » existe déjà dans docs/ : elle est générée depuis les règles et ne "
         "peut pas être écrite à la main. Renommez ou supprimez ce fichier.")


def build_date() -> date:
    """The date the site is built for: ``SOURCE_DATE_EPOCH`` when set, else today."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return datetime.fromtimestamp(int(epoch), tz=UTC).date()
    return date.today()


@dataclass
class SiteBuild:
    """What one build generates (``RulesError`` is raised before any of it)."""

    context: SiteContext
    pages: dict[str, str | bytes]
    checker_files: list[File]
    redirects: dict[str, str] = field(default_factory=dict)

    def refuse_clashes(self, docs_dir: Path) -> None:
        """A generated file may never shadow a hand-written one of ``docs_dir``."""
        for uri in [*self.pages, *(f.src_uri for f in self.checker_files)]:
            if (docs_dir / uri).exists():
                raise PluginError(CLASH.format(uri))

    def add_to(self, files: Files, config: MkDocsConfig) -> set[str]:
        """Add the generated files, publish the hand-written complements under their
        section's French address (never where a generated page is) and set the
        navigation when ``mkdocs.yml`` has none. Returns the generated pages' URIs."""
        new = [File.generated(config, uri, content=content)
               for uri, content in self.pages.items()]
        for file in [*new, *self.checker_files]:
            if files.get_file_from_path(file.src_uri) is not None:
                raise PluginError(CLASH.format(file.src_uri))
            files.append(file)
        taken = {f.url: f.src_uri for f in new}
        for file in files.documentation_pages():
            if file.generated_by is None and section_of(file.src_uri):
                rehome(file, config.use_directory_urls)
                if file.url in taken:
                    raise PluginError(f"La page « {file.src_uri} » serait publiée à la même "
                                      f"adresse ({file.url}) que la page générée "
                                      f"« {taken[file.url]} » : renommez le fichier.")
        if config.nav is None:
            present = {f.src_uri for f in files.documentation_pages()}
            config.nav = navigation(self.context, present)
        # Pages reached by a link, not from the menu (beside those mkdocs.yml may name).
        unlisted = pathspec.gitignore.GitIgnoreSpec.from_lines(
            [f"/{uri}" for uri in unlisted_pages()])
        config.not_in_nav = unlisted + config.not_in_nav if config.not_in_nav else unlisted
        self.pages, self.checker_files = {}, []  # now held by MkDocs: not twice in memory
        forget_prepared()  # nor the conditions of the rules, prepared for the verdicts
        return {f.src_uri for f in new if f.is_documentation_page()}


def release(file: File, unread: set[str]) -> None:
    """Forget the text of a generated page MkDocs has just read: from then on it holds
    it as the page's Markdown, so the build does not keep every page twice."""
    if file.src_uri in unread:
        unread.discard(file.src_uri)
        file.content_string = ""


def _uncommitted_impact(rules_path: Path, book: RulesBook, rules_file: str,
                        docs_dir: Path) -> Impact | None:
    """The impact of the working copy against ``HEAD``; a note in the log when none."""
    from rulebook.baseline import uncommitted_impact  # only a preview reads git, not a build
    impact, note = uncommitted_impact(rules_path, book, rules_file, docs_dir)
    if note:
        log.info(f"Aperçu sans comparaison avec la version enregistrée : {note}")
    elif impact is not None:
        log.info(f"Aperçu : {impact.summary()}")
    return impact


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector: loading and generating make hundreds of thousands
    of short-lived objects without cycles (YAML nodes, verdicts), freed by reference
    counting, which the collector would otherwise scan again and again (a third of
    the time of a large rules file)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def checked_examples(path: Path, book: RulesBook) -> list[Scenario]:
    """The golden scenarios the pages show as examples, each checked against the rules
    first: one whose verdict differs from what it expects stops the build, located in
    its file (nothing is published with an example that contradicts the rules)."""
    if not path.is_file():
        return []
    loaded = load_scenario_file(path).resolved(book.compiled)
    problems = file_problems(book.compiled, loaded)
    if problems:
        raise RulesError(problems, subject="Les exemples (fichier des scénarios)")
    return loaded.scenarios


def build(config: MkDocsConfig, rules_file: str, scenarios_file: str,
          preview: bool = False) -> SiteBuild:
    """Load the rules (``RulesError`` if broken) and generate the whole site (``PluginError``
    if a generated page would shadow a hand-written one of ``docs/``); a ``preview``
    (``mkdocs serve``, or ``make serve`` through :data:`PREVIEW_ENV`) also shows what the
    unpublished edit changes."""
    with collector_paused():
        return _build(config, rules_file, scenarios_file, preview)


def _build(config: MkDocsConfig, rules_file: str, scenarios_file: str,
           preview: bool) -> SiteBuild:
    root = project_root(config)
    book = load_rules(root / rules_file, display_name=rules_file, docs_dir=config.docs_dir)
    scenarios = checked_examples(root / scenarios_file, book)
    as_of = build_date()
    checker = [*browser_files(book, config, as_of),
               *editor_files(book, config, as_of, rules_file, scenarios_file)]
    made = {f.src_uri for f in checker}
    present = frozenset(key for key in ("checker", "editor") if addresses()[key] in made)
    ctx = SiteContext(book, as_of, addresses(), scenarios, present,
                      rules_file=rules_file, scenarios_file=scenarios_file,
                      shown_on=shown_on(present), cache=cache_root(root))
    if preview or os.environ.get(PREVIEW_ENV) == "1":
        ctx.unpublished_impact = _uncommitted_impact(root / rules_file, book, rules_file,
                                          Path(config.docs_dir))
    built = SiteBuild(ctx, generate(ctx), checker, redirect_maps(book.compiled))
    built.refuse_clashes(Path(config.docs_dir))
    return built


def watched(config: MkDocsConfig, rules_file: str, scenarios_file: str) -> list[Path]:
    """What ``mkdocs serve`` watches besides ``docs/``: the data's folders and the
    page templates (a change there rebuilds the site)."""
    root = project_root(config)
    folders = {(root / rules_file).parent, (root / scenarios_file).parent,
               Path(__file__).parent / "templates"}
    return sorted(folder for folder in folders if folder.exists())


def summary(site: SiteBuild, rules_file: str) -> str:
    """The log line of a build."""
    return (f"{rules_file} : {len(site.pages)} fichiers générés "
            f"(règles du {site.context.as_of.isoformat()}).")
