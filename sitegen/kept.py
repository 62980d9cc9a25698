"""Costly results kept in the build cache between builds, under a hash of everything
they are made from (a changed input is a new entry, never a stale one)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from sitegen.precompress import write_atomic


def kept(cache_dir: Path | None, kind: str, inputs: str, make: Callable[[], bytes]) -> bytes:
    """``make()``, or what it returned for the same ``inputs`` in an earlier build
    (under ``cache_dir/kind``); no cache folder, no keeping."""
    if cache_dir is None:
        return make()
    path = cache_dir / kind / hashlib.sha256(inputs.encode("utf-8")).hexdigest()
    try:
        return path.read_bytes()
    except OSError:
        pass
    data = make()
    write_atomic(path, data)  # whole or absent, even with two builds at once
    return data
