"""``requirements.lock``: every pin carries the hashes pip checks (``--require-hashes``)."""

from __future__ import annotations

import re

from tests.conftest import ROOT

LOCK = ROOT / "requirements.lock"
ENTRY = re.compile(r"^(\S+)==(\S+)((?: \\\n    --hash=sha256:[0-9a-f]{64})*)$", re.MULTILINE)


def test_every_pin_has_its_hashes() -> None:
    text = LOCK.read_text(encoding="utf-8")
    pins = [line for line in text.splitlines() if "==" in line and not line.startswith("#")]
    entries = ENTRY.findall(text)
    assert len(entries) == len(pins) > 20
    unhashed = [name for name, _, hashes in entries if "--hash=sha256:" not in hashes]
    assert unhashed == []


def test_the_set_up_installs_with_require_hashes() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "--require-hashes -r requirements.lock" in makefile
