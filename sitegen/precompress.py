"""Precompressed siblings of the checker's files: ``name.br`` and ``name.gz``.

A static server that finds them (nginx ``brotli_static``/``gzip_static``, the
server of ``make serve``, ``sitegen.site_server``) sends them as they are, with
``Content-Encoding``, instead of compressing on every request, and at the
highest levels: brotli 11 is about 22 % smaller than gzip 9 on the wasm.
Brotli 11 on the 9.6 MB wasm takes about 20 s, so every result is cached by
the content's hash (the same files come back on every build).
"""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Callable
from functools import partial
from pathlib import Path

import brotli

from sitegen.build_cache import file_sha256, kept_file

ENCODERS: dict[str, Callable[[bytes], bytes]] = {
    "br": lambda data: brotli.compress(data, quality=11),
    "gz": lambda data: gzip.compress(data, compresslevel=9, mtime=0),
}
CACHE_KIND = "compressed"  # the build cache's folder of compressed files
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
    found: dict[str, Path] = {}
    for suffix, encode in ENCODERS.items():
        path = kept_file(cache, CACHE_KIND, f"{digest}.{suffix}", partial(_encoded, encode, source))
        if path.stat().st_size < size:
            found[suffix] = path
    return found



def _encoded(encode: Callable[[bytes], bytes], source: bytes | Path) -> bytes:
    return encode(source.read_bytes() if isinstance(source, Path) else source)
