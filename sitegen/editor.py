"""The rules editor page (``/editeur/``): the support team edits ``data/rules.yaml`` in
the browser, and the toolchain of the command line (``rulebook``: reading with positions,
every check, the examples, the impact; ``checker``) runs on the text in Pyodide, in a
worker (``docs/assets/editor/editor-worker.mjs``, its page script ``editor-page.mjs``).

What the build adds, besides the page:

- ``assets/editor/toolchain.<hash>.zip``: the ``checker`` and ``rulebook`` packages, PyYAML's
  pure-Python reader (the C one is not in Pyodide) and the time-zone database
  (``tzdata``: the sessions' zones are checked with ``zoneinfo``), stored (brotli on the wire);
- ``assets/editor/setup.<hash>.json``: what the editor starts from: the published rules and
  examples as written, the hand-written pages' titles (``more:``), the public holidays of
  the years around the build (python-holidays is not shipped), the parameters (completion);
- ``assets/editor/schema.<hash>.json``: the JSON Schema (completion and help);
- ``assets/editor/editor-view.<hash>.js``: CodeMirror, bundled by esbuild
  (:mod:`sitegen.editor_bundle`);
- ``assets/pyodide/<version>/python_stdlib.zip``: Pyodide's whole standard library (the
  checker's trimmed one lacks what the toolchain imports); the wasm and the scripts are the
  checker's own files, cached once for both pages.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import tzdata
import yaml
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

import rulebook
from rulebook.declaration import json_schema
from rulebook.loader import RulesBook
from rulebook.public_holidays import holidays_table
from sitegen.browser import (
    PYODIDE_ASSETS,
    hashed,
    project_root,
    pyodide_dir,
    pyodide_version,
    site_url,
    with_siblings,
)
from sitegen.browser_zip import checker_package_dir, deterministic_zip
from sitegen.build_cache import cache_root
from sitegen.editor_bundle import editor_bundle
from sitegen.registry import PAGES, addresses
from sitegen.render import render_page
from sitegen.runtime import RuntimeBuildError

EDITOR_ASSETS = "assets/editor"
PAGE_SCRIPT = f"{EDITOR_ASSETS}/editor-page.mjs"
WORKER = f"{EDITOR_ASSETS}/editor-worker.mjs"
STDLIB = "python_stdlib.zip"
CODE_ROOT = Path(__file__).resolve().parent.parent  # editor/ and its npm packages live here
HOLIDAY_YEARS = 10  # after the build year: a session is announced months ahead, not decades


def _package_files(package_dir: Path, prefix: str, suffixes: tuple[str, ...] = (".py",)
                   ) -> list[tuple[str, bytes]]:
    """``(name in the zip, bytes)`` of a package's files (no caches, no compiled modules)."""
    return [(f"{prefix}/{path.relative_to(package_dir).as_posix()}", path.read_bytes())
            for path in sorted(package_dir.rglob("*"))
            if path.is_file() and "__pycache__" not in path.parts
            and (not suffixes or path.suffix in suffixes)]


def toolchain_zip() -> bytes:
    """The Python the editor runs: ``checker``, ``rulebook``, PyYAML, ``tzdata``."""
    entries = [*_package_files(checker_package_dir(), "checker"),
               *_package_files(Path(rulebook.__file__).resolve().parent, "rulebook"),
               *_package_files(Path(yaml.__file__).resolve().parent, "yaml"),
               *_package_files(Path(tzdata.__file__).resolve().parent, "tzdata", ())]
    return deterministic_zip(entries, compress=False)


def forge_edit_url(config: MkDocsConfig, rules_file: str) -> str | None:
    """The forge's editor for the rules file (MkDocs' ``repo_url`` and ``edit_uri``, which
    point to ``docs/``), or ``None`` when they are not set."""
    repo, edit = config.repo_url, config.edit_uri
    if not repo or not edit:
        return None
    base = urljoin(repo.rstrip("/") + "/", edit)
    docs = Path(config.docs_dir).name + "/"
    return (base.removesuffix(docs) if base.endswith(docs) else base) + rules_file


def setup_json(book: RulesBook, root: Path, rules_file: str, scenarios_file: str,
               as_of: date) -> bytes:
    """What the editor starts from (see :class:`rulebook.studio.Setup`)."""
    scenarios = root / scenarios_file
    first = date.fromisoformat(book.compiled.in_force_from).year - 1
    data: dict[str, Any] = {
        "rules_file": rules_file,
        "scenarios_file": scenarios_file,
        "rules": (root / rules_file).read_text(encoding="utf-8"),
        "scenarios": scenarios.read_text(encoding="utf-8") if scenarios.is_file() else None,
        "complements": dict(book.complements),
        "holidays": holidays_table(first, as_of.year + HOLIDAY_YEARS),
        "parameters": [{"id": pid, "label": p.label, "display": p.display}
                       for pid, p in book.compiled.parameters.items()],
    }
    return json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8")


@dataclass(frozen=True)
class EditorLinks:
    """What the page's element names (URLs relative to the page)."""

    pyodide_index: str
    stdlib: str
    toolchain: str
    setup: str
    schema: str
    view: str
    worker: str
    lock: str
    forge: str | None
    guide: str  # the editing guide's URL (the page's raw HTML is not rewritten by MkDocs)


def render_editor_page(links: EditorLinks) -> str:
    """Markdown source of the editor page: a heading, an introduction, the editor's element
    (filled by ``editor-page.mjs``) and what shows without JavaScript."""
    data = {"data-pyodide-index": links.pyodide_index, "data-stdlib": links.stdlib,
            "data-toolchain": links.toolchain, "data-setup": links.setup,
            "data-schema": links.schema, "data-view": links.view, "data-worker": links.worker,
            "data-lock": links.lock, "data-forge": links.forge or ""}
    title = next(page.title for page in PAGES if page.key == "editor")
    return render_page("editor.md.j2", addresses()["editor"], addresses(), title=title,
                       data=data, guide=links.guide)


def _bundle(root: Path, cache: Path) -> bytes:
    try:
        return editor_bundle(root, cache)
    except RuntimeBuildError as exc:  # French already: the build stops on it
        raise PluginError(str(exc)) from None


def editor_files(book: RulesBook, config: MkDocsConfig, as_of: date,
                 rules_file: str = "data/rules.yaml",
                 scenarios_file: str = "data/scenarios.yaml") -> list[File]:
    """The editor page and every file it needs, with their ``.br``/``.gz`` siblings."""
    npm = pyodide_dir(config)
    root = project_root(config)
    cache = cache_root(root)
    version = pyodide_version(npm)
    artefacts = [
        hashed(EDITOR_ASSETS, "toolchain", "zip", toolchain_zip()),
        hashed(EDITOR_ASSETS, "setup", "json",
               setup_json(book, root, rules_file, scenarios_file, as_of)),
        hashed(EDITOR_ASSETS, "schema", "json",
               json.dumps(json_schema(), ensure_ascii=False, sort_keys=True).encode("utf-8")),
        hashed(EDITOR_ASSETS, "editor-view", "js", _bundle(CODE_ROOT, cache)),
    ]
    stdlib_uri = f"{PYODIDE_ASSETS}/{version}/{STDLIB}"
    files: list[File] = []
    for artefact in artefacts:
        files += with_siblings(config, cache, artefact.uri, artefact.content)[0]
    files += with_siblings(config, cache, stdlib_uri, npm / STDLIB)[0]
    page_url = site_url(addresses()["editor"], config)

    def rel(uri: str) -> str:
        return get_relative_url(site_url(uri, config), page_url)

    index = get_relative_url(f"{PYODIDE_ASSETS}/{version}/", page_url)
    lock = {"info": json.loads((npm / "pyodide-lock.json").read_bytes())["info"],
            "packages": {}}
    toolchain, setup, schema, view = (a.uri for a in artefacts)
    links = EditorLinks(
        pyodide_index=index if index.endswith("/") else index + "/", stdlib=rel(stdlib_uri),
        toolchain=rel(toolchain), setup=rel(setup), schema=rel(schema), view=rel(view),
        worker=rel(WORKER), lock=json.dumps(lock, separators=(",", ":")),
        forge=forge_edit_url(config, rules_file), guide=rel(addresses()["editing"]))
    page = File.generated(config, addresses()["editor"], content=render_editor_page(links))
    return [page, *files]
