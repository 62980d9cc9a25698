"""The benchmark's site: the real build plus reference pages served beside it.

``prepare_site(dest)`` builds the site with the real ``mkdocs build --strict``
and adds, from the same vendored npm files:

- ``bench-bare/``: a bare ``loadPyodide`` on the main thread (full
  ``python_stdlib.zip``, ``pyodide-lock.json`` fetched): the baseline;
- ``bench-today/``: the checker page with the runtime shipped before issue 10
  (its worker verbatim, ``bench/pages/legacy-worker.mjs``; full standard
  library, lock fetched; files served gzip, as they were);
- ``bench-variant/``: a minimal page starting the trimmed runtime in a worker,
  with or without a memory snapshot (``bench/pages/variant-worker.mjs``), for
  the snapshot decision; the shipped snapshot is made here, under Node.

Every added runtime file gets its ``.br``/``.gz`` siblings like the site's own
(``bench-today/`` only ``.gz``).
"""

from __future__ import annotations

import gzip
import html as htmllib
import json
import re
import shutil
import subprocess
from pathlib import Path

import brotli

from rulebook.compile import content_hash
from sitegen.build_cache import cache_root
from sitegen.precompress import siblings
from tests.sitebuild import ROOT, build_site

PAGES = Path(__file__).resolve().parent / "pages"
NPM = ROOT / "node_modules" / "pyodide"
LEGACY_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip",
                "pyodide-lock.json")


def _copy_with_siblings(source: Path, dest: Path, suffixes: tuple[str, ...] = ("br", "gz")
                        ) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, dest)
    for suffix, path in siblings(source.read_bytes(), cache_root(ROOT)).items():
        if suffix in suffixes:
            shutil.copyfile(path, dest.with_name(f"{dest.name}.{suffix}"))


def _checker_data(html: str) -> dict[str, str]:
    """The checker page's ``data-*`` attributes, unescaped."""
    return {key: htmllib.unescape(value)
            for key, value in re.findall(r'data-([a-z-]+)="([^"]*)"', html)}


def add_bare(site: Path, version: str) -> None:
    """The baseline page, and the full stdlib + lock beside the site's runtime files."""
    for name in ("python_stdlib.zip", "pyodide-lock.json"):
        _copy_with_siblings(NPM / name, site / "assets" / "pyodide" / version / name)
    page = site / "bench-bare"
    page.mkdir()
    html = (PAGES / "bare.html").read_text(encoding="utf-8")
    (page / "index.html").write_text(
        html.replace("<body>", f'<body data-index="../assets/pyodide/{version}/">'),
        encoding="utf-8")
    shutil.copyfile(PAGES / "bare.mjs", page / "bare.mjs")


def add_today(site: Path, version: str) -> None:
    """The checker page as shipped before: same HTML and UI, yesterday's worker and runtime."""
    page = site / "bench-today"
    for name in LEGACY_FILES:
        _copy_with_siblings(NPM / name, page / "pyodide" / version / name, ("gz",))
    (page / "ui").mkdir()
    shutil.copyfile(site / "assets" / "checker" / "checker-ui.mjs", page / "ui" / "checker-ui.mjs")
    # The UI imports the site's shared script ("../site.mjs"), the same one as the checker's.
    shutil.copyfile(site / "assets" / "site.mjs", page / "site.mjs")
    shutil.copyfile(PAGES / "legacy-worker.mjs", page / "ui" / "checker-worker.mjs")
    html = (site / "verificateur" / "index.html").read_text(encoding="utf-8")
    html = html.replace('src="../assets/checker/checker-ui.mjs"', 'src="ui/checker-ui.mjs"')
    html = re.sub(r' data-(stdlib|pyodide-lock|service-worker)="[^"]*"', "", html)
    html = re.sub(r'data-pyodide-index="[^"]*"', f'data-pyodide-index="pyodide/{version}/"', html)
    (page / "index.html").write_text(html, encoding="utf-8")


def make_snapshot(site: Path, config: dict[str, str], work: Path) -> Path:
    """A memory snapshot of the trimmed runtime after ``import checker.entry`` (Node)."""
    page = site / "bench-variant"
    out = work / "snapshot.bin"
    subprocess.run(["node", str(Path(__file__).with_name("make_snapshot.mjs")), str(NPM),
                    str(page / config["stdlib"]), str(page / config["zip"]), str(out)],
                   check=True, capture_output=True, timeout=600)
    return out


def add_variant(site: Path, work: Path) -> None:
    """The minimal page of the snapshot comparison, with its snapshot (br 9, gzip 9)."""
    html = (site / "verificateur" / "index.html").read_text(encoding="utf-8")
    data = _checker_data(html)
    config = {"index": data["pyodide-index"], "stdlib": data["stdlib"], "rules": data["rules"],
              "zip": data["checker-zip"],
              "lock": json.loads(data["pyodide-lock"])}
    page = site / "bench-variant"
    page.mkdir()
    snapshot = make_snapshot(site, config, work).read_bytes()
    name = f"snapshot.{content_hash(snapshot)}.bin"
    (page / name).write_bytes(snapshot)
    # Brotli 11 on 31 MB takes minutes; 9 is within a few per cent of it.
    (page / f"{name}.br").write_bytes(brotli.compress(snapshot, quality=9))
    (page / f"{name}.gz").write_bytes(gzip.compress(snapshot, compresslevel=9, mtime=0))
    config["snapshot"] = name
    attribute = htmllib.escape(json.dumps(config), quote=True)
    (page / "index.html").write_text(
        (PAGES / "variant.html").read_text(encoding="utf-8").replace("CONFIG", attribute),
        encoding="utf-8")
    for script in ("variant.mjs", "variant-worker.mjs"):
        shutil.copyfile(PAGES / script, page / script)


def prepare_site(dest: Path) -> Path:
    """Build the site into ``dest`` and add the reference pages; return the site."""
    result = build_site(dest)
    if result.returncode != 0:
        raise RuntimeError(f"mkdocs build failed:\n{result.stdout}\n{result.stderr}")
    site = dest / "site"
    version = next((site / "assets" / "pyodide").iterdir()).name
    add_bare(site, version)
    add_today(site, version)
    add_variant(site, dest)
    return site
