"""Deterministic zips: the ``checker`` package and the trimmed standard library."""

from __future__ import annotations

import ast
import io
import zipfile
from collections.abc import Iterable
from pathlib import Path

import checker

# Fixed entry timestamp (the zip format cannot store dates before 1980).
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def checker_package_dir() -> Path:
    """Directory of the ``checker`` package that CPython imports."""
    return Path(checker.__file__).resolve().parent


def deterministic_zip(entries: Iterable[tuple[str, bytes]], compress: bool = True) -> bytes:
    """Zip ``(name, bytes)`` entries sorted by name, with fixed dates and modes.

    The same entries always give the same bytes, hence the same content hash.
    ``compress=False`` stores them: a stored zip compresses far better over
    the wire (brotli, gzip) than one deflated entry by entry.
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # Unix, whatever the build machine
            archive.writestr(info, data, compresslevel=9 if compress else None)
    return buffer.getvalue()


# A class keeps its docstring: a dataclass without one gets one made from its signature
# (inspect), at every start-up.
DOCUMENTED = (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef)


def without_docstrings(source: bytes, name: str = "<checker>") -> bytes:
    """``source`` with each module's and function's docstring made an empty string, its
    other lines left blank:
    the same code on the same lines (a traceback in the browser points where it does in
    the repository), a third fewer bytes to download. Comments stay."""
    text = source.decode("utf-8")
    lines = text.splitlines(keepends=True)
    for node in ast.walk(ast.parse(text, name)):
        first = node.body[0] if isinstance(node, DOCUMENTED) and node.body else None
        if (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
                and isinstance(first.value.value, str) and first.end_lineno is not None):
            lines[first.lineno - 1:first.end_lineno] = [
                " " * first.col_offset + '""\n', *["\n"] * (first.end_lineno - first.lineno)]
    return "".join(lines).encode("utf-8")


def checker_zip_bytes(package_dir: Path | None = None) -> bytes:
    """Zip ``checker/*.py``: sources, their docstrings left out (:func:`without_docstrings`).

    Bytecode is not shipped: the build's Python (3.11+) is not Pyodide's
    (3.14), and the checker's small modules compile in milliseconds.
    """
    root = package_dir or checker_package_dir()
    sources = sorted(p for p in root.rglob("*.py") if "__pycache__" not in p.parts)
    return deterministic_zip(
        (f"{root.name}/{path.relative_to(root).as_posix()}",
         without_docstrings(path.read_bytes(), str(path)))
        for path in sources)
