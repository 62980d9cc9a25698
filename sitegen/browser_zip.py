"""Deterministic zip of the ``checker`` package, unpacked by Pyodide in the browser."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import checker

# Fixed entry timestamp (the zip format cannot store dates before 1980).
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def checker_package_dir() -> Path:
    """Directory of the ``checker`` package that CPython imports."""
    return Path(checker.__file__).resolve().parent


def checker_zip_bytes(package_dir: Path | None = None) -> bytes:
    """Zip ``checker/*.py`` (sources only, sorted, fixed dates and modes).

    The same sources always give the same bytes, hence the same content hash.
    Bytecode is not shipped: Pyodide runs another Python version (3.14) than
    the build (3.11+), so ``.pyc`` files would be ignored or rejected.
    """
    root = package_dir or checker_package_dir()
    sources = sorted(p for p in root.rglob("*.py") if "__pycache__" not in p.parts)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sources:
            name = f"{root.name}/{path.relative_to(root).as_posix()}"
            info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # Unix, whatever the build machine
            archive.writestr(info, path.read_bytes(), compresslevel=9)
    return buffer.getvalue()
