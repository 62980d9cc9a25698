"""``python -m sitegen.build`` (``make build``, ``make serve``): MkDocs' ``build --strict``
into a new folder that replaces the site only once the build has succeeded.

MkDocs empties its ``site_dir`` before it writes the pages, so a problem found in a page
(a broken link in a hand-written page, a warning in strict mode) used to leave ``site/``
empty or half-written; and it ends a failed build with an English line ("Aborted with a
BuildError!") after the French report of the problems. Here the build writes into
``<site>.next``; on success that folder takes the place of the site in two renames, on
failure it is removed and the site stays as it was, which a French line says.

Some failures are no problem MkDocs reports: a broken template (the theme's overrides or
the generator's pages), an error in a hook or a plugin's last step (``on_post_build``).
MkDocs lets them through as a Python traceback; here they end the same way, with a French
line saying what failed and where (the template's line, the hook's), the traceback shown
only with ``--verbose``.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import sysconfig
import traceback
from collections.abc import Sequence
from pathlib import Path

import click
from mkdocs.__main__ import cli

STOPPED = ("La construction du site s'est arrêtée{why} : rien n'a été publié, "
           "{kept}. Corrigez les problèmes ci-dessus, puis relancez-la.")
KEPT = "le site précédent ({site}) est resté tel quel"
NONE_YET = "aucun site n'avait encore été construit"
WARNINGS = re.compile(r"Aborted with (\d+) warnings? in strict mode!")
UNEXPECTED = "Erreur pendant la construction{where} : {message} ({kind})."
# Python's own files and the installed packages': a frame there is not where to look.
INSTALLED = tuple(str(Path(sysconfig.get_paths()[key]).resolve())
                  for key in ("stdlib", "platstdlib", "purelib", "platlib"))
VERBOSE = ("-v", "--verbose")


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
    except Exception as exc:  # a template, a hook, a plugin: MkDocs reports none of them
        if any(option in VERBOSE for option in extra):
            traceback.print_exception(exc, file=sys.stderr)
        print(unexpected(exc), file=sys.stderr)
        return ""
    return None


def unexpected(exc: BaseException) -> str:
    """What an error MkDocs does not report says, and where it was raised: the last line of
    the project (a template, a hook, the generator) it went through."""
    message = " ".join(str(exc).split()) or "sans message"
    place = _place(exc)
    where = f" ({place[0]}, ligne {place[1]})" if place else ""
    return UNEXPECTED.format(where=where, message=message, kind=type(exc).__name__)


def _place(exc: BaseException) -> tuple[str, int] | None:
    """The file and line, outside Python and its installed packages, where ``exc`` was
    raised (a template's syntax error names its own); relative to the current folder."""
    filename, line = getattr(exc, "filename", None), getattr(exc, "lineno", None)
    if not (isinstance(filename, str) and isinstance(line, int)):
        frames = [frame for frame in traceback.extract_tb(exc.__traceback__)
                  if frame.lineno and not frame.filename.startswith("<")
                  and not str(Path(frame.filename).resolve()).startswith(INSTALLED)]
        if not frames:
            return None
        filename, line = frames[-1].filename, frames[-1].lineno
    path, here = Path(filename).resolve(), Path.cwd().resolve()
    return str(path.relative_to(here) if path.is_relative_to(here) else path), line


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
