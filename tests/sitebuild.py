"""Build a temporary copy of the project with the real ``mkdocs build --strict``.

Reusable by every site test: ``build_site(dest)`` copies ``mkdocs.yml``,
``docs/``, ``overrides/`` and ``data/`` into ``dest`` (optionally with another
``data/rules.yaml`` text), links ``node_modules/`` (the pinned Pyodide runtime
the checker page ships) and runs MkDocs in a subprocess, as a user would, with
the repository's build cache.
"""

from __future__ import annotations

import atexit
import functools
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from datetime import UTC, date, datetime, time
from pathlib import Path

from sitegen.build_cache import CACHE_ENV, cache_root

ROOT = Path(__file__).resolve().parent.parent
COPIED = ("mkdocs.yml", "docs", "overrides", "data")


def make_project(dest: Path, rules_text: str | None = None) -> Path:
    """Copy the site's sources into ``dest``; return ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, dest / name, dirs_exist_ok=True)
        elif source.is_file():
            shutil.copy2(source, dest / name)
    if rules_text is not None:
        (dest / "data" / "rules.yaml").write_text(rules_text, encoding="utf-8")
    modules = dest / "node_modules"
    if (ROOT / "node_modules").is_dir() and not modules.exists():
        modules.symlink_to(ROOT / "node_modules", target_is_directory=True)
    return dest


def as_built_on(day: date) -> dict[str, str]:
    """The environment of a build made on ``day`` (``SOURCE_DATE_EPOCH`` at noon UTC), so a
    test's dates do not depend on the day it runs."""
    return {"SOURCE_DATE_EPOCH": str(int(datetime.combine(day, time(12), tzinfo=UTC).timestamp()))}


def html_pages(site: Path) -> list[Path]:
    """Every HTML page of a built site, sorted. Fails unless it holds the 404 page and every
    page the search index lists (the redirect pages come on top): a test looping over the
    pages then knows it looked at all of them, never at none."""
    pages = sorted(site.rglob("*.html"))
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    listed = {site / doc["location"].split("#")[0] / "index.html" for doc in index["docs"]}
    assert listed, f"no page in the search index of {site}"
    assert sorted(listed - set(pages)) == [] and site / "404.html" in pages, site
    return pages


MKDOCS_BUILD = (sys.executable, "-m", "mkdocs", "build", "--strict")
SITE_BUILD = (sys.executable, "-m", "sitegen.build")  # what ``make build`` runs


def mkdocs_env(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment every site build runs with (``env`` added on top).

    Temporary copies share the repository's build cache (the trimmed runtime,
    the compressed files): they would otherwise redo seconds of work each.
    """
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1",
            CACHE_ENV: str(cache_root(ROOT)), **(env or {})}


def run_mkdocs(project: Path, env: Mapping[str, str] | None = None,
               command: tuple[str, ...] = MKDOCS_BUILD) -> subprocess.CompletedProcess[str]:
    """``mkdocs build --strict`` (or ``command``) in ``project`` (site in ``project/site``)."""
    return subprocess.run(
        list(command),
        cwd=project, env=mkdocs_env(env), capture_output=True, text=True, check=False,
    )


def build_site(dest: Path, rules_text: str | None = None,
               env: Mapping[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Copy the project into ``dest`` and build it; the site is ``dest / "site"``."""
    return run_mkdocs(make_project(dest, rules_text), env)


@functools.cache
def default_site() -> Path:
    """The site built once per test process from the real sources (removed at exit)."""
    dest = Path(tempfile.mkdtemp(prefix="cagette-site-"))
    atexit.register(shutil.rmtree, dest, True)
    result = build_site(dest)
    if result.returncode != 0:
        raise RuntimeError(f"mkdocs build failed:\n{result.stdout}\n{result.stderr}")
    return dest / "site"
