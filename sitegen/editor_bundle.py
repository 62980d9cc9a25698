"""The rules editor's code editor: CodeMirror 6 bundled by esbuild at site-build time.

``editor/build.mjs`` (Node, the npm packages pinned in ``package-lock.json``) bundles
``editor/src/view.mjs`` into one minified ES module. A fraction of a second of Node, but
still kept in the build cache (``sitegen.build_cache``) like the checker's runtime:
under a key made of ``package-lock.json``, every file of ``editor/`` and this module.
The page builder serves the bytes as ``assets/editor/editor-view.<hash>.js``.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from sitegen.build_cache import digest, kept_file
from sitegen.runtime import RuntimeBuildError

EDITOR_DIR = "editor"
BUILD_SCRIPT = "build.mjs"
BUNDLE_NAME = "editor-view.js"
CACHE_KIND = "editor"  # the build cache's folder of bundles
ESBUILD_MISSING = 3  # editor/build.mjs's exit code when esbuild cannot be imported


class EditorBuildError(RuntimeBuildError):
    """The editor's bundle cannot be built; the message is French, for the build's output."""


def editor_sources(root: Path) -> list[Path]:
    """Every file of ``editor/``, in a stable order (caches and tools excluded)."""
    folder = root / EDITOR_DIR
    return sorted(path for path in folder.rglob("*")
                  if path.is_file() and "node_modules" not in path.relative_to(folder).parts
                  and "__pycache__" not in path.parts)


def bundle_key(root: Path) -> str:
    """The cache key: the lock file, each file of ``editor/`` (name and bytes), this module."""
    parts: list[bytes | Path] = [root / "package-lock.json", Path(__file__)]
    for path in editor_sources(root):
        parts += [path.relative_to(root).as_posix().encode(), path]
    return digest(parts)


def editor_bundle(root: Path, cache: Path) -> bytes:
    """The bundle (a minified ES module), from the cache or built with Node and esbuild."""
    return kept_file(cache, CACHE_KIND, bundle_key(root), lambda: _build(root)).read_bytes()


def _build(root: Path) -> bytes:
    node = shutil.which("node")
    if node is None:
        raise EditorBuildError("Node.js introuvable : il assemble l'éditeur des règles "
                               "(CodeMirror). Installez Node.js 20 puis lancez « make setup ».")
    script = root / EDITOR_DIR / BUILD_SCRIPT
    if not script.is_file():
        raise EditorBuildError(f"Le script d'assemblage de l'éditeur est introuvable : {script}.")
    with tempfile.TemporaryDirectory(prefix="cagette-editor-") as tmp:
        out = Path(tmp) / BUNDLE_NAME
        try:
            result = subprocess.run([node, str(script), str(out)], cwd=root, capture_output=True,
                                    text=True, timeout=300, check=False)
        except subprocess.TimeoutExpired:
            raise EditorBuildError("L'assemblage de l'éditeur des règles (esbuild) n'a pas "
                                   "abouti en 5 minutes.") from None
        if result.returncode == ESBUILD_MISSING:
            raise EditorBuildError("esbuild est introuvable : il assemble l'éditeur des règles. "
                                   "Installez les paquets npm avec « make setup ».\n"
                                   + result.stderr.strip())
        if result.returncode != 0 or not out.is_file():
            raise EditorBuildError("L'assemblage de l'éditeur des règles (esbuild) a échoué :\n"
                                   + (result.stderr.strip() or result.stdout.strip()))
        return out.read_bytes()
