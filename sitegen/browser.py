"""Files of the in-browser checker: the page, the Python artefacts, the Pyodide runtime.

``browser_files(book, config, as_of)`` is called by the plugin in ``on_config``. It
returns MkDocs ``File`` objects for:

- ``verificateur/index.md``: the checker page (form rendered from the questions);
- ``assets/checker/rules.<hash>.json``, ``assets/checker/checker.<hash>.zip`` and
  ``assets/checker/manifest.<hash>.json``: content-hashed, so they can be cached
  forever;
- ``assets/pyodide/<version>/``: the pinned npm Pyodide's ``pyodide.mjs``,
  ``pyodide.asm.mjs`` and ``pyodide.asm.wasm`` (nothing is downloaded at build
  or run time), and ``stdlib.<hash>.zip``, the checker's trimmed standard
  library of ``.pyc`` (``sitegen.runtime``);
- ``.br`` and ``.gz`` siblings of all of these and of the checker's scripts
  (``sitegen.precompress``).

The manifest also lists what the service worker (``docs/checker-sw.js``) keeps
for offline revisits, each non-hashed file with its content hash: any change
gives a new manifest name, hence a new service worker.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

from checker.dated import rules_on
from checker.model import CompiledRules
from rulebook.compile import compiled_json, content_hash
from rulebook.loader import RulesBook
from sitegen.browser_form import CheckerLinks, render_checker_page
from sitegen.browser_zip import checker_zip_bytes
from sitegen.build_cache import cache_root
from sitegen.precompress import compressible, siblings
from sitegen.registry import addresses, rule_page_uri
from sitegen.runtime import PYODIDE_INPUTS, Runtime, RuntimeBuildError, build_runtime

CHECKER_PAGE = addresses()["checker"]
DECISION_TABLE_PAGE = addresses()["decision_table"]
CHECKER_ASSETS = "assets/checker"
PYODIDE_ASSETS = "assets/pyodide"
WORKER = f"{CHECKER_ASSETS}/checker-worker.mjs"
WORKER_MODULES = (WORKER, f"{CHECKER_ASSETS}/startup.mjs")  # the worker and what it imports
SERVICE_WORKER = "checker-sw.js"
MANIFEST_FORMAT = 2
# The npm runtime files the page loads (the standard library is our own).
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm")


@dataclass(frozen=True)
class Artefact:
    """A generated build artefact: its site path and its bytes."""

    uri: str
    content: bytes


@dataclass(frozen=True)
class CheckerArtefacts:
    """The content-hashed Python side of the browser checker."""

    rules: Artefact
    checker_zip: Artefact
    stdlib: Artefact
    manifest: Artefact

    def fetched(self) -> tuple[Artefact, ...]:
        """The artefacts the worker downloads itself."""
        return self.rules, self.checker_zip, self.stdlib


def project_root(config: MkDocsConfig) -> Path:
    """The directory of ``mkdocs.yml``."""
    return Path(config.config_file_path or ".").resolve().parent


def pyodide_dir(config: MkDocsConfig) -> Path:
    """``node_modules/pyodide`` next to ``mkdocs.yml``; a French error if it is missing."""
    directory = project_root(config) / "node_modules" / "pyodide"
    missing = [name for name in (*PYODIDE_INPUTS, "package.json")
               if not (directory / name).is_file()]
    if missing:
        raise PluginError(
            f"Pyodide introuvable : {', '.join(missing)} manque dans {directory}. "
            "Installez les paquets npm figés avec « make setup » (npm ci)."
        )
    return directory


def pyodide_version(directory: Path) -> str:
    """Version of the installed npm Pyodide (names the versioned asset path)."""
    return str(json.loads((directory / "package.json").read_text(encoding="utf-8"))["version"])


def hashed(directory: str, stem: str, suffix: str, content: bytes) -> Artefact:
    return Artefact(f"{directory}/{stem}.{content_hash(content)}.{suffix}", content)


def checker_artefacts(compiled: CompiledRules, version: str, runtime: Runtime,
                      offline: Mapping[str, str] | None = None,
                      page: str = CHECKER_PAGE.removesuffix("index.md"),
                      package_dir: Path | None = None) -> CheckerArtefacts:
    """Build the rules JSON, the checker zip, the trimmed stdlib and the manifest naming them.

    ``offline`` maps the hand-written files the checker page needs (its
    scripts, styles) to their content hashes; ``page`` is the page's site URL.
    """
    index = f"{PYODIDE_ASSETS}/{version}/"
    rules = hashed(CHECKER_ASSETS, "rules", "json", compiled_json(compiled).encode("utf-8"))
    archive = hashed(CHECKER_ASSETS, "checker", "zip", checker_zip_bytes(package_dir))
    stdlib = hashed(index.rstrip("/"), "stdlib", "zip", runtime.stdlib_zip)
    cached = [*(index + name for name in PYODIDE_FILES), stdlib.uri, rules.uri, archive.uri]
    manifest_data = {
        "format": MANIFEST_FORMAT,
        "rules": rules.uri,
        "checker_zip": archive.uri,
        "python_package": "checker",
        "pyodide": {
            "version": version,
            "index": index,
            "files": list(PYODIDE_FILES),
            "stdlib": stdlib.uri,
            "stdlib_modules": list(runtime.modules),
            "lock": runtime.lock,
        },
        "offline": {
            "page": page,
            "files": {**dict.fromkeys(cached, ""), **dict(offline or {})},
        },
    }
    manifest = hashed(CHECKER_ASSETS, "manifest", "json",
                       (json.dumps(manifest_data, indent=2, sort_keys=True) + "\n").encode())
    return CheckerArtefacts(rules, archive, stdlib, manifest)


def site_url(uri: str, config: MkDocsConfig) -> str:
    """Site URL of a source URI, as MkDocs computes it."""
    return File(uri, src_dir=None, dest_dir=config.site_dir,
                use_directory_urls=config.use_directory_urls).url


def page_assets(config: MkDocsConfig) -> dict[str, bytes]:
    """Our hand-written files the checker page needs: styles, scripts, the worker."""
    uris = [*config.extra_css, *(getattr(s, "path", s) for s in config.extra_javascript),
            *WORKER_MODULES]
    docs = Path(config.docs_dir)
    return {uri: (docs / uri).read_bytes() for uri in uris if (docs / uri).is_file()}


@dataclass(frozen=True)
class Sizes:
    """What the checker downloads the first time: counted bytes and bytes on the wire."""

    counted: int
    wire: int


def download_sizes(npm: Path, artefacts: CheckerArtefacts, compressed: Mapping[str, int]
                   ) -> Sizes:
    """Sizes of the runtime and our artefacts.

    ``counted``: the bodies the worker fetches (what its progress bar counts:
    decoded bytes, the scripts it imports are not seen); ``wire``: every file
    the checker loads, brotli-compressed, as a well-configured server sends it.
    """
    raw = {name: (npm / name).stat().st_size for name in PYODIDE_FILES}
    raw |= {a.uri: len(a.content) for a in artefacts.fetched()}
    counted = raw["pyodide.asm.wasm"] + sum(len(a.content) for a in artefacts.fetched())
    return Sizes(counted, sum(compressed.get(key, size) for key, size in raw.items()))


def checker_links(book: RulesBook, config: MkDocsConfig, artefacts: CheckerArtefacts,
                  version: str, runtime: Runtime, sizes: Sizes) -> CheckerLinks:
    """URLs of the artefacts and pages, relative to the checker page."""
    page_url = site_url(CHECKER_PAGE, config)

    def rel(uri: str) -> str:
        return get_relative_url(site_url(uri, config), page_url)

    index = get_relative_url(f"{PYODIDE_ASSETS}/{version}/", page_url)
    return CheckerLinks(
        rules=rel(artefacts.rules.uri),
        checker_zip=rel(artefacts.checker_zip.uri),
        manifest=rel(artefacts.manifest.uri),
        pyodide_index=index if index.endswith("/") else index + "/",
        fallback=rel(DECISION_TABLE_PAGE),
        rule_pages={r.id: rel(rule_page_uri(r.slug)) for r in book.compiled.rules},
        stdlib=rel(artefacts.stdlib.uri),
        pyodide_lock=json.dumps(runtime.lock, sort_keys=True, separators=(",", ":")),
        service_worker=f"{rel(SERVICE_WORKER)}?manifest={artefacts.manifest.uri}&page={page_url}",
        download_bytes=sizes.counted,
        wire_bytes=sizes.wire,
    )


def _runtime(npm: Path, book: RulesBook, cache: Path) -> Runtime:
    try:
        return build_runtime(npm, book.compiled, compiled_json(book.compiled), cache)
    except RuntimeBuildError as exc:
        raise PluginError(str(exc)) from None


def with_siblings(config: MkDocsConfig, cache: Path, uri: str, data: bytes | Path
                   ) -> tuple[list[File], int]:
    """The file (content or a file to copy), its ``.br``/``.gz`` siblings, and its
    size over the wire (brotli)."""
    if isinstance(data, Path):
        files, size = [File.generated(config, uri, abs_src_path=str(data))], data.stat().st_size
    else:
        files, size = [File.generated(config, uri, content=data)], len(data)
    if not compressible(uri):
        return files, size
    found = siblings(data, cache)
    files += [File.generated(config, f"{uri}.{suffix}", abs_src_path=str(path))
              for suffix, path in found.items()]
    return files, found["br"].stat().st_size if "br" in found else size


def browser_files(book: RulesBook, config: MkDocsConfig, as_of: date) -> list[File]:
    """Every file of the in-browser checker, to append to the site's files."""
    npm = pyodide_dir(config)
    version = pyodide_version(npm)
    cache = cache_root(project_root(config))
    runtime = _runtime(npm, book, cache)
    assets = page_assets(config)
    artefacts = checker_artefacts(book.compiled, version, runtime,
                                  {uri: content_hash(data) for uri, data in assets.items()},
                                  site_url(CHECKER_PAGE, config))
    files: list[File] = []
    wire: dict[str, int] = {}
    for name in PYODIDE_FILES:
        made, wire[name] = with_siblings(config, cache, f"{PYODIDE_ASSETS}/{version}/{name}",
                                          npm / name)
        files += made
    for artefact in (*artefacts.fetched(), artefacts.manifest):
        made, wire[artefact.uri] = with_siblings(config, cache, artefact.uri, artefact.content)
        files += made
    for uri, data in assets.items():  # the files themselves are copied from docs/ by MkDocs
        files += with_siblings(config, cache, uri, data)[0][1:]
    links = checker_links(book, config, artefacts, version, runtime,
                          download_sizes(npm, artefacts, wire))
    # Every page registers the service worker (overrides/main.html): the pages read and the
    # search then work offline; the checker's own files are kept once it has started.
    config.extra["offline_worker"] = (f"{SERVICE_WORKER}?manifest={artefacts.manifest.uri}"
                                      f"&page={site_url(CHECKER_PAGE, config)}")
    intro = book.render(book.rules.meta.checker_intro).strip()
    page = File.generated(config, CHECKER_PAGE,
                          content=render_checker_page(rules_on(book.compiled, as_of.isoformat()),
                                                      links, intro))
    return [page, *files]
