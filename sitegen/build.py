"""``python -m sitegen.build`` (``make build``, ``make serve``): MkDocs' ``build --strict``
into a new folder that replaces the site only once the build has succeeded.

MkDocs empties its ``site_dir`` before it writes the pages, so a problem found in a page
(a broken link in a hand-written page, a warning in strict mode) used to leave ``site/``
empty or half-written; and it ends a failed build with an English line ("Aborted with a
BuildError!") after the French report of the problems. Here the build writes into
``<site>.next``; on success that folder takes the place of the site in two renames, on
failure it is removed and the site stays as it was, which a French line says.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

import click
from mkdocs.__main__ import cli

STOPPED = ("La construction du site s'est arrêtée{why} : rien n'a été publié, "
           "{kept}. Corrigez les problèmes ci-dessus, puis relancez-la.")
KEPT = "le site précédent ({site}) est resté tel quel"
NONE_YET = "aucun site n'avait encore été construit"
WARNINGS = re.compile(r"Aborted with (\d+) warnings? in strict mode!")


def _mkdocs_build(site_dir: Path, extra: Sequence[str]) -> str | None:
    """Run ``mkdocs build --strict`` into ``site_dir``: ``None`` on success, else why
    it stopped (empty when the report above says it all)."""
    args = ["build", "--strict", "--site-dir", str(site_dir), *extra]
    try:
        cli.main(args=args, prog_name="mkdocs", standalone_mode=False)
    except click.ClickException as exc:  # MkDocs' Abort, after its own report
        found = WARNINGS.fullmatch(exc.format_message())
        if found:
            count = int(found.group(1))
            return f" ({count} avertissement{'s' if count > 1 else ''} en mode strict)"
        return ""
    return None


def swap_in(fresh: Path, site: Path) -> None:
    """Put the folder ``fresh`` in the place of ``site`` (the old one removed after)."""
    old = site.with_name(site.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if site.exists():
        site.rename(old)
    fresh.rename(site)
    shutil.rmtree(old, ignore_errors=True)


def build(site: Path, extra: Sequence[str] = ()) -> bool:
    """Build into ``<site>.next``, then swap it in; on failure, say so in French and
    leave ``site`` as it was."""
    fresh = site.with_name(site.name + ".next")
    shutil.rmtree(fresh, ignore_errors=True)
    why = _mkdocs_build(fresh, extra)
    if why is None:
        swap_in(fresh, site)
        return True
    shutil.rmtree(fresh, ignore_errors=True)
    kept = KEPT.format(site=site) if site.exists() else NONE_YET
    print(STOPPED.format(why=why, kept=kept), file=sys.stderr)
    return False


def main(argv: Sequence[str] | None = None) -> int:
    """Build the site; ``--site-dir`` (``site`` by default) and other ``mkdocs build``
    options pass through."""
    parser = argparse.ArgumentParser(prog="python -m sitegen.build", add_help=False)
    parser.add_argument("--site-dir", "-d", type=Path, default=Path("site"))
    args, extra = parser.parse_known_args(sys.argv[1:] if argv is None else argv)
    return 0 if build(args.site_dir.resolve(), extra) else 1


if __name__ == "__main__":
    raise SystemExit(main())
