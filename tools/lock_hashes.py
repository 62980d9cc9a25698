"""Add the SHA-256 of each pinned distribution to ``requirements.lock`` (``make lock``).

pip then installs with ``--require-hashes``: a package whose bytes differ from the ones
locked here (a compromised mirror, a replaced upload) is refused. Each pin gets the
hashes of every file PyPI holds for that version (wheels for every platform and
Python, and the source archive), as ``pip-compile --generate-hashes`` writes them, so
that the set-up works on Linux, macOS and Windows alike; plus the hash of the file
pip picks on this machine, should it come from another index configured here.

Usage: ``python tools/lock_hashes.py requirements.lock`` (the file is rewritten).
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    canonicalize_name,
    parse_sdist_filename,
    parse_wheel_filename,
)
from packaging.version import Version

PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s\\]+)")
SIMPLE = "https://pypi.org/simple/{name}/"
SIMPLE_JSON = "application/vnd.pypi.simple.v1+json"  # PEP 691: every file with its hashes


def version_of(filename: str) -> Version | None:
    """The version a distribution file's name gives, or ``None`` when it is not one."""
    try:
        if filename.endswith(".whl"):
            return parse_wheel_filename(filename)[1]
        return parse_sdist_filename(filename)[1]
    except (InvalidWheelFilename, InvalidSdistFilename, ValueError):
        return None


def pypi_hashes(name: str, version: str) -> set[str]:
    """The SHA-256 of every file PyPI holds for ``name`` ``version``."""
    request = urllib.request.Request(SIMPLE.format(name=canonicalize_name(name)),
                                     headers={"Accept": SIMPLE_JSON})
    with urllib.request.urlopen(request, timeout=60) as answer:
        files = json.load(answer)["files"]
    wanted = Version(version)
    return {f["hashes"]["sha256"] for f in files
            if "sha256" in f.get("hashes", {}) and version_of(f["filename"]) == wanted}


def local_hashes(pins: list[str]) -> dict[tuple[str, Version], str]:
    """The SHA-256 of the file pip picks here for each pin (whatever index serves it)."""
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                        "--disable-pip-version-check", "-d", folder, *pins], check=True)
        found = {}
        for path in Path(folder).iterdir():
            version = version_of(path.name)
            name = path.name.split("-")[0]
            if version is not None:
                found[(canonicalize_name(name), version)] = (
                    hashlib.sha256(path.read_bytes()).hexdigest())
    return found


def main(lock: Path) -> int:
    lines = [line.split(" --hash")[0].rstrip(" \\") for line in lock.read_text().splitlines()
             if not line.lstrip().startswith("--hash")]
    pins = [line for line in lines if PIN.match(line)]
    here = local_hashes(pins)
    out = []
    for line in lines:
        match = PIN.match(line)
        if not match:
            out.append(line)
            continue
        name, version = match.groups()
        digests = pypi_hashes(name, version)
        digests.add(here[(canonicalize_name(name), Version(version))])
        out.append(" \\\n".join([line, *(f"    --hash=sha256:{d}" for d in sorted(digests))]))
    lock.write_text("\n".join(out) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1])))
