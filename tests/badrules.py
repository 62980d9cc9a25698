"""The bad-rules corpus: turn each case of ``tests/bad_rules/cases.yaml`` into a
broken copy of the current ``data/rules.yaml`` (shared by the validator and the
site-build tests)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "data" / "rules.yaml"
CORPUS = Path(__file__).resolve().parent / "bad_rules"
CASES_FILE = CORPUS / "cases.yaml"
GOLDEN_FILE = CORPUS / "expected.txt"
FILE_NAME = "rules.yaml"
# Words that betray an untranslated (English) message.
ENGLISH = re.compile(
    r"\b(the|found|expected|while|could|cannot|must|invalid|error|line|column|"
    r"mapping|sequence|scalar|token|unknown|duplicate|missing)\b", re.IGNORECASE)


class CaseOutdated(AssertionError):
    """A case no longer applies to the current rules file: update cases.yaml."""


@dataclass
class Broken:
    """A materialised case: the bytes to write and where its problems must be reported."""

    case_id: str
    raw: bytes
    first_line: int | None
    edit_lines: list[int]


def load_cases() -> list[dict[str, Any]]:
    """Every case of the corpus, in file order."""
    cases = yaml.safe_load(CASES_FILE.read_text(encoding="utf-8"))
    ids = [case["id"] for case in cases]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    assert not duplicates, f"duplicate case ids in {CASES_FILE.name}: {duplicates}"
    return cases


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _apply_edits(case: dict[str, Any], text: str) -> tuple[str, list[tuple[int, int, str]]]:
    """Apply the exact-substring edits; return the text and each edit's (start, mark, new)."""
    landed: list[tuple[int, int, str]] = []
    for number, edit in enumerate(case["edits"], 1):
        old, new = edit["old"], edit["new"]
        count = text.count(old)
        if count != 1:
            state = "no longer found" if count == 0 else f"found {count} times"
            raise CaseOutdated(
                f"case {case['id']!r}, edit {number}: `old` text {state} in the file it "
                f"edits (data/rules.yaml or data/scenarios.yaml); update the corpus' "
                f"cases.yaml. old={old!r}")
        start = text.index(old)
        text = text[:start] + new + text[start + len(old):]
        delta = len(new) - len(old)
        for i, (s, m, n) in enumerate(landed):
            if s >= start + len(old):
                landed[i] = (s + delta, m + delta, n)
            elif s + len(n) > start:
                raise CaseOutdated(f"case {case['id']!r}: edits {i + 1} and {number} overlap")
        if "at" in edit:
            if edit["at"] not in new:
                raise CaseOutdated(f"case {case['id']!r}, edit {number}: `at` not in `new`")
            mark = start + new.index(edit["at"])
        else:
            stripped = len(new) - len(new.lstrip())
            mark = start + (stripped if new.strip() else 0)
        landed.append((start, mark, new))
    return text, landed


def materialise(case: dict[str, Any], rules_text: str | None = None) -> Broken:
    """The broken file of ``case``, built from ``rules_text`` (default: the real file)."""
    text = RULES.read_text(encoding="utf-8") if rules_text is None else rules_text
    case_id = case["id"]
    first_line: int | None = case.get("line")
    edit_lines: list[int] = []
    if "content" in case:
        raw = case["content"].encode("utf-8")
    elif "file_encoding" in case:
        raw = text.encode(case["file_encoding"])
        first = next(i for i, char in enumerate(text) if ord(char) > 127)
        first_line = _line_of(text, first)
    elif "append" in case:
        chunk, limit = case["append"]["text"], case["append"]["until_bytes"]
        repeat = (limit - len(text.encode("utf-8"))) // len(chunk.encode("utf-8")) + 2
        raw = (text + chunk * repeat).encode("utf-8")
        assert len(raw) > limit
    else:
        text, landed = _apply_edits(case, text)
        edit_lines = [_line_of(text, mark) for _, mark, _ in landed]
        first_line = min(edit_lines)
        if "encoding" in case:
            assert len(landed) == 1, f"case {case_id!r}: `encoding` needs a single edit"
            start, _, new = landed[0]
            raw = (text[:start].encode("utf-8") + new.encode(case["encoding"])
                   + text[start + len(new):].encode("utf-8"))
        else:
            raw = text.encode("utf-8")
    if "at" in case:
        if case["at"] not in text:
            raise CaseOutdated(f"case {case_id!r}: `at` text not found in the broken file")
        first_line = _line_of(text, text.index(case["at"]))
        edit_lines = []
    return Broken(case_id, raw, first_line, edit_lines)


_POSITION = re.compile(r"^(  \S+?):\d+:\d+:", re.MULTILINE)
_LINE_IN_MESSAGE = re.compile(r"\bligne \d+")
_SIZE = re.compile(r"\(\d[\d\u202f]* octets")  # the size of a file the case made


def without_positions(report: str) -> str:
    """A report with its line and column numbers blanked.

    Positions are checked against the edited line by the test itself; the
    golden file keeps the wording only, so an unrelated edit of
    ``data/rules.yaml`` that moves lines (or changes its size) does not make every
    golden stale.
    """
    blanked = _LINE_IN_MESSAGE.sub("ligne N", _POSITION.sub(r"\1:L:C:", report))
    return _SIZE.sub("(N octets", blanked)


def read_golden(path: Path = GOLDEN_FILE) -> dict[str, str]:
    """Expected report of each case, from a corpus' ``expected.txt`` (the rules' by default)."""
    if not path.exists():
        return {}
    golden: dict[str, str] = {}
    current: str | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("### "):
            current = line[4:].strip()
            golden[current] = ""
        elif current is not None:
            golden[current] += line + "\n"
    return {key: value.strip("\n") for key, value in golden.items()}


RULES_HEADER = ("# Expected report of each bad-rules case (stderr of `cagette-rules validate`).\n"
                "# Regenerate: UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_bad_rules.py\n\n")


def write_golden(reports: dict[str, str], path: Path = GOLDEN_FILE,
                 header: str = RULES_HEADER) -> None:
    """Rewrite a corpus' ``expected.txt`` from the reports, in case order, positions blanked."""
    body = "\n".join(f"### {case_id}\n{without_positions(report.strip())}\n"
                     for case_id, report in reports.items())
    path.write_text(header + body, encoding="utf-8")


CLI = Path(sys.executable).with_name("cagette-rules")
DOCS = ROOT / "docs"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
OUTDATED: dict[str, str] = {}  # case id -> why it no longer applies to data/rules.yaml


@dataclass
class Outcome:
    """What the CLI did with one broken file."""

    broken: Broken
    path: Path
    returncode: int
    stdout: str
    stderr: str


def _run(broken: Broken, base: Path) -> Outcome:
    folder = base / broken.case_id
    folder.mkdir()
    path = folder / FILE_NAME
    path.write_bytes(broken.raw)
    done = subprocess.run([str(CLI), "validate", FILE_NAME, "--docs", str(DOCS)],
                          cwd=folder, capture_output=True,
                          text=True, encoding="utf-8", check=False)
    return Outcome(broken, path, done.returncode, done.stdout, done.stderr)


def cli_outcomes(base: Path) -> dict[str, Outcome]:
    """Run the CLI on every case once (two at a time) in ``base``, updating the goldens if
    asked (``UPDATE_GOLDEN=1``); a case that no longer applies goes to :data:`OUTDATED`."""
    broken: list[Broken] = []
    cases = load_cases()
    for case in cases:
        try:
            broken.append(materialise(case))
        except CaseOutdated as exc:  # reported by that case's test, the others still run
            OUTDATED[case["id"]] = str(exc)
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda b: _run(b, base), broken))
    by_id = {r.broken.case_id: r for r in results}
    if UPDATE:
        golden = read_golden()
        write_golden({c["id"]: by_id[c["id"]].stderr if c["id"] in by_id
                      else golden.get(c["id"], "") for c in cases})
    return by_id
