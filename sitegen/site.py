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
from mkdocs.structure.files import File

from rulebook.baseline import preview
from rulebook.impact import Impact
from rulebook.loader import RulesBook, load_rules
from rulebook.scenarios import load_scenarios
from sitegen.browser import browser_files
from sitegen.context import SiteContext
from sitegen.escape import markdown_safe
from sitegen.redirects import redirect_maps
from sitegen.registry import addresses, generate, shown_on

log = logging.getLogger("mkdocs.plugins.cagette-rules")


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

    def clashes(self, docs_dir: Path) -> list[str]:
        """Generated files that a hand-written file of ``docs_dir`` would shadow."""
        uris = [*self.pages, *(f.src_uri for f in self.checker_files)]
        return [uri for uri in uris if (docs_dir / uri).exists()]


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
          serving: bool = False) -> SiteBuild:
    """Load the rules (``RulesError`` if broken) and generate the whole site."""
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
    if serving:
        ctx.preview = _preview(root / rules_file, book, rules_file, Path(config.docs_dir))
    return SiteBuild(ctx, generate(ctx), checker, redirect_maps(book.compiled))


def summary(site: SiteBuild, rules_file: str) -> str:
    """The log line of a build."""
    return (f"{rules_file} : {len(site.pages)} fichiers générés "
            f"(règles du {site.context.as_of.isoformat()}).")
