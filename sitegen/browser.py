"""Files of the in-browser checker: the page, the Python artefacts, the Pyodide runtime.

``browser_files(book, config)`` is called by the plugin in ``on_files``. It
returns MkDocs ``File`` objects for:

- ``verificateur/index.md``: the checker page (form rendered from the questions);
- ``assets/checker/rules.<hash>.json``, ``assets/checker/checker.<hash>.zip`` and
  ``assets/checker/manifest.<hash>.json``: content-hashed, so they can be cached
  forever;
- ``assets/pyodide/<version>/``: the pinned npm Pyodide runtime files, copied
  from ``node_modules/pyodide/`` (nothing is downloaded at build or run time).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

from rulebook.compile import compiled_json, content_hash
from rulebook.loader import RulesBook
from sitegen.browser_form import CheckerLinks, render_checker_page
from sitegen.browser_zip import checker_zip_bytes
from sitegen.registry import addresses, rule_page_uri

CHECKER_PAGE = addresses()["checker"]
DECISION_TABLE_PAGE = addresses()["decision_table"]
CHECKER_ASSETS = "assets/checker"
PYODIDE_ASSETS = "assets/pyodide"
MANIFEST_FORMAT = 1
# Exactly the runtime files a pure-Python checker needs (no packages, no micropip).
PYODIDE_FILES = (
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
)


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
    manifest: Artefact


def pyodide_dir(config: MkDocsConfig) -> Path:
    """``node_modules/pyodide`` next to ``mkdocs.yml``; a French error if it is missing."""
    root = Path(config.config_file_path or ".").resolve().parent
    directory = root / "node_modules" / "pyodide"
    missing = [name for name in (*PYODIDE_FILES, "package.json")
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


def checker_artefacts(compiled: dict[str, Any], version: str,
                      package_dir: Path | None = None) -> CheckerArtefacts:
    """Build the rules JSON, the checker zip and the manifest naming them."""
    rules_bytes = compiled_json(compiled).encode("utf-8")
    zip_bytes = checker_zip_bytes(package_dir)
    rules = Artefact(f"{CHECKER_ASSETS}/rules.{content_hash(rules_bytes)}.json", rules_bytes)
    archive = Artefact(f"{CHECKER_ASSETS}/checker.{content_hash(zip_bytes)}.zip", zip_bytes)
    manifest_data = {
        "format": MANIFEST_FORMAT,
        "rules": rules.uri,
        "checker_zip": archive.uri,
        "python_package": "checker",
        "pyodide": {
            "version": version,
            "index": f"{PYODIDE_ASSETS}/{version}/",
            "files": list(PYODIDE_FILES),
        },
    }
    manifest_bytes = (json.dumps(manifest_data, indent=2, sort_keys=True) + "\n").encode()
    manifest = Artefact(
        f"{CHECKER_ASSETS}/manifest.{content_hash(manifest_bytes)}.json", manifest_bytes
    )
    return CheckerArtefacts(rules, archive, manifest)


def _url(uri: str, config: MkDocsConfig) -> str:
    """Site URL of a source URI, as MkDocs computes it."""
    return File(uri, src_dir=None, dest_dir=config.site_dir,
                use_directory_urls=config.use_directory_urls).url


def checker_links(book: RulesBook, config: MkDocsConfig, artefacts: CheckerArtefacts,
                  runtime: Path, version: str) -> CheckerLinks:
    """URLs of the artefacts and pages, relative to the checker page."""
    page_url = _url(CHECKER_PAGE, config)

    def rel(uri: str) -> str:
        return get_relative_url(_url(uri, config), page_url)

    index = get_relative_url(f"{PYODIDE_ASSETS}/{version}/", page_url)
    size = sum((runtime / name).stat().st_size for name in PYODIDE_FILES) + sum(
        len(a.content) for a in (artefacts.rules, artefacts.checker_zip))
    return CheckerLinks(
        rules=rel(artefacts.rules.uri),
        checker_zip=rel(artefacts.checker_zip.uri),
        manifest=rel(artefacts.manifest.uri),
        pyodide_index=index if index.endswith("/") else index + "/",
        fallback=rel(DECISION_TABLE_PAGE),
        rule_pages={r["id"]: rel(rule_page_uri(r["slug"])) for r in book.compiled["rules"]},
        download_bytes=size,
    )


def browser_files(book: RulesBook, config: MkDocsConfig) -> list[File]:
    """Every file of the in-browser checker, to append to the site's files."""
    runtime = pyodide_dir(config)
    version = pyodide_version(runtime)
    artefacts = checker_artefacts(book.compiled, version)
    links = checker_links(book, config, artefacts, runtime, version)
    files = [
        File.generated(config, CHECKER_PAGE, content=render_checker_page(book.compiled, links)),
        *(File.generated(config, a.uri, content=a.content)
          for a in (artefacts.rules, artefacts.checker_zip, artefacts.manifest)),
    ]
    files += [
        File.generated(config, f"{PYODIDE_ASSETS}/{version}/{name}",
                       abs_src_path=str(runtime / name))
        for name in PYODIDE_FILES
    ]
    return files
