"""The build cache: costly results kept between builds under a hash of everything they
are made from, so a changed input is a new entry, never a stale one.

The cache (:func:`cache_root`: ``$CAGETTE_BUILD_CACHE``, else ``.cache/build/`` beside
``mkdocs.yml``, git-ignored) holds one folder per kind of result, one entry per key
(:func:`entry`)::

    calendars/<sha256 of the inputs>     an .ics file (sitegen.pages.sessions, kept())
    diagrams/<sha256 of the inputs>      a laid-out SVG (sitegen.diagram, kept())
    compressed/<sha256 of a file>.br     its precompressed siblings (sitegen.precompress),
    compressed/<sha256 of a file>.gz     kept_file()
    editor/<digest of the inputs>        the rules editor's bundle (sitegen.editor_bundle)
    runtime/<digest of the inputs>/      the checker's trimmed standard library and the
                                         modules it holds (sitegen.runtime), a folder

Every entry is written whole or not at all (a temporary name, then a rename): two builds
at once, or a build stopped midway, never leave half of one. Nothing is removed: delete
the folder to reclaim the space.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from pathlib import Path

CACHE_ENV = "CAGETTE_BUILD_CACHE"


def cache_root(project_root: Path) -> Path:
    """``$CAGETTE_BUILD_CACHE``, else ``.cache/build`` beside ``mkdocs.yml`` (git-ignored)."""
    configured = os.environ.get(CACHE_ENV)
    return Path(configured) if configured else project_root / ".cache" / "build"


def entry(cache_dir: Path, kind: str, key: str) -> Path:
    """Where the result of ``kind`` keyed by ``key`` (a hex digest) is kept."""
    return cache_dir / kind / key


def kept(cache_dir: Path | None, kind: str, inputs: str, make: Callable[[], bytes]) -> bytes:
    """``make()``, or what it returned for the same ``inputs`` in an earlier build
    (under ``cache_dir/kind``); no cache folder, no keeping."""
    if cache_dir is None:
        return make()
    key = hashlib.sha256(inputs.encode("utf-8")).hexdigest()
    return kept_file(cache_dir, kind, key, make).read_bytes()


def kept_file(cache_dir: Path, kind: str, key: str, make: Callable[[], bytes]) -> Path:
    """The file holding ``make()``'s bytes for ``key``: from an earlier build, or made
    and written now (read it, or copy it without holding it in memory)."""
    path = entry(cache_dir, kind, key)
    if not path.is_file():
        write_atomic(path, make())
    return path


def digest(parts: Iterable[bytes | Path]) -> str:
    """One key for several contents or files (files hashed once, see :func:`file_sha256`)."""
    hasher = hashlib.sha256()
    for part in parts:
        if isinstance(part, Path):
            hasher.update(bytes.fromhex(file_sha256(part)))
        else:
            hasher.update(hashlib.sha256(part).digest())
    return hasher.hexdigest()


def file_sha256(path: Path) -> str:
    """The SHA-256 (hex) of a file, read once per process while its size, inode and
    modification time stay the same (the runtime's 10 MB are hashed for its cache
    key and for their compressed siblings)."""
    stat = path.stat()
    return _file_sha256(path.resolve(), stat.st_size, stat.st_ino, stat.st_mtime_ns)


@cache
def _file_sha256(path: Path, size: int, inode: int, mtime_ns: int) -> str:
    with path.open("rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file: a reader sees all or nothing."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".")
    with os.fdopen(handle, "wb") as stream:
        stream.write(data)
    os.replace(temporary, path)


def write_folder(folder: Path, files: Mapping[str, bytes]) -> None:
    """Write a folder entry (``{name: bytes}``) through a temporary folder: a reader sees
    all of it or nothing; when another build stored it first, its copy stays."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=folder.name + ".", dir=folder.parent))
    for name, data in files.items():
        (staging / name).write_bytes(data)
    try:
        staging.rename(folder)
    except OSError:  # another build stored the same entry first
        shutil.rmtree(staging, ignore_errors=True)
