"""Precompressed siblings of the checker's files: ``name.br`` and ``name.gz``.

A static server that finds them (nginx ``brotli_static``/``gzip_static``, the
preview server of ``sitegen.preview``) sends them as they are, with
``Content-Encoding``, instead of compressing on every request, and at the
highest levels: brotli 11 is about 22 % smaller than gzip 9 on the wasm.
Brotli 11 on the 9.6 MB wasm takes about 20 s, so every result is cached by
the content's hash (the same files come back on every build).
"""

from __future__ import annotations

import gzip
import hashlib
import os
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path

import brotli

ENCODERS: dict[str, Callable[[bytes], bytes]] = {
    "br": lambda data: brotli.compress(data, quality=11),
    "gz": lambda data: gzip.compress(data, compresslevel=9, mtime=0),
}
COMPRESSIBLE = (".html", ".js", ".mjs", ".css", ".json", ".wasm", ".zip", ".svg", ".xml",
                ".txt")


def compressible(name: str) -> bool:
    """Whether a file of that name is worth compressing (text, wasm, stored zips)."""
    return name.endswith(COMPRESSIBLE)


def siblings(source: bytes | Path, cache: Path) -> dict[str, Path]:
    """``{"br": path, "gz": path}`` of the compressed ``source``, from the cache or made.

    ``source`` is the content or a file (hashed without being held in memory).
    An encoding that does not make the file smaller is left out: the server
    then sends the file itself.
    """
    if isinstance(source, Path):
        digest, size = file_sha256(source), source.stat().st_size
    else:
        digest, size = hashlib.sha256(source).hexdigest(), len(source)
    folder = cache / "compressed" / digest[:2]
    found: dict[str, Path] = {}
    for suffix, encode in ENCODERS.items():
        path = folder / f"{digest}.{suffix}"
        if not path.is_file():
            write_atomic(path, encode(source.read_bytes() if isinstance(source, Path)
                                       else source))
        if path.stat().st_size < size:
            found[suffix] = path
    return found


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
