"""One build of the site, before MkDocs writes anything: the rules loaded and
checked, every page and file generated, the checker's files, the redirects of
old addresses, the navigation. The MkDocs plugin only hands these over."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from rulebook.baseline import preview
from rulebook.impact import Impact
from rulebook.loader import RulesBook, load_rules
from rulebook.scenarios import load_scenarios
from sitegen.browser import browser_files
from sitegen.complements import rehome, section_of
from sitegen.context import SiteContext
from sitegen.escape import markdown_safe
from sitegen.redirects import redirect_maps
from sitegen.registry import addresses, generate, shown_on

log = logging.getLogger("mkdocs.plugins.cagette-rules")
PREVIEW_ENV = "CAGETTE_PREVIEW"  # set by the preview server (make serve): show the impact
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

    def add_to(self, files: Files, config: MkDocsConfig) -> None:
        """Add the generated files, and publish the hand-written complements under their
        section's French address (never where a generated page is)."""
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
        self.pages, self.checker_files = {}, []  # now held by MkDocs: not twice in memory


def _preview(rules_path: Path, book: RulesBook, rules_file: str,
             docs_dir: Path) -> Impact | None:
    """The impact of the working copy against ``HEAD``; a note in the log when none."""
    impact, note = preview(rules_path, book, rules_file, docs_dir)
    if note:
        log.info(f"Aperçu sans comparaison avec la version enregistrée : {note}")
    elif impact is not None:
        log.info(f"Aperçu : {impact.summary()}")
    return impact


def build(config: MkDocsConfig, rules_file: str, scenarios_file: str,
          preview: bool = False) -> SiteBuild:
    """Load the rules (``RulesError`` if broken) and generate the whole site; a ``preview``
    (``mkdocs serve``, or ``make serve`` through :data:`PREVIEW_ENV`) also shows what the
    unpublished edit changes."""
    root = Path(config.config_file_path or ".").resolve().parent
    book = load_rules(root / rules_file, display_name=rules_file, docs_dir=config.docs_dir)
    scenarios = (load_scenarios(root / scenarios_file)
                 if (root / scenarios_file).is_file() else [])
    checker = browser_files(book, config)
    present = frozenset({"checker"} if any(f.src_uri == addresses()["checker"]
                                           for f in checker) else set())
    ctx = SiteContext(markdown_safe(book), build_date(), addresses(), scenarios, present,
                      source=book, rules_file=rules_file, scenarios_file=scenarios_file,
                      shown_on=shown_on(present))
    if preview or os.environ.get(PREVIEW_ENV) == "1":
        ctx.preview = _preview(root / rules_file, book, rules_file, Path(config.docs_dir))
    return SiteBuild(ctx, generate(ctx), checker, redirect_maps(book.compiled))


def summary(site: SiteBuild, rules_file: str) -> str:
    """The log line of a build."""
    return (f"{rules_file} : {len(site.pages)} fichiers générés "
            f"(règles du {site.context.as_of.isoformat()}).")
