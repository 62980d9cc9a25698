"""Bad-scenarios corpus: each realistic mistake in ``scenarios.yaml`` gives a clean French
report, like the rules' (``tests/test_bad_rules.py``).

The cases (``tests/bad_scenarios/cases.yaml``) are edits of the current
``data/scenarios.yaml``; a case whose text is no longer found fails loudly. For each
case ``cagette-rules scenarios`` exits 2 with the report on stderr, nothing on stdout,
every problem as ``file:line:column: [field] message``, the first one on the broken
line, no traceback and no English; loading the file in-process raises the same report.
The exact reports are kept in ``tests/bad_scenarios/expected.txt`` (positions blanked:
they are checked against the edited line instead). After an intended change of the
messages (or of the corpus), regenerate and review the diff:

    UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_bad_scenarios.py
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml

from checker.model import CompiledRules
from rulebook.errors import RulesError
from rulebook.loader import load_rules
from rulebook.scenarios import (
    ALLOWED_KEYS,
    EXPECTED_FIELDS,
    INVARIANT_KEYS,
    load_scenario_file,
)
from tests import badrules
from tests.badrules import ENGLISH, Broken, CaseOutdated, materialise, without_positions
from tests.conftest import DOCS_PATH, RULES_PATH, SCENARIOS_PATH

CORPUS = Path(__file__).resolve().parent / "bad_scenarios"
CASES = yaml.safe_load((CORPUS / "cases.yaml").read_text(encoding="utf-8"))
GOLDEN_FILE = CORPUS / "expected.txt"
FILE_NAME = "scenarios.yaml"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
CLI = Path(sys.executable).with_name("cagette-rules")
HEADER = re.compile(r"^Le fichier des scénarios contient (\d+) problèmes? :$")
PROBLEM = re.compile(rf"^  {re.escape(FILE_NAME)}:(\d+):(\d+): \[(\S+)\] (\S.*)$")
KEY_NAMES = re.compile(r"\b(?:{})\b".format("|".join(
    sorted({*ALLOWED_KEYS, *EXPECTED_FIELDS, *INVARIANT_KEYS}, key=len, reverse=True))))


GOLDEN_HEADER = ("# Expected report of each bad-scenarios case (stderr of `cagette-rules "
                 "scenarios`).\n# Regenerate: UPDATE_GOLDEN=1 .venv/bin/pytest "
                 "tests/test_bad_scenarios.py\n\n")


def read_golden() -> dict[str, str]:
    """The expected report of each case, from this corpus' ``expected.txt``."""
    return badrules.read_golden(GOLDEN_FILE)


def _run(broken: Broken, base: Path) -> tuple[Broken, Path, subprocess.CompletedProcess[str]]:
    folder = base / broken.case_id
    folder.mkdir()
    path = folder / FILE_NAME
    path.write_bytes(broken.raw)
    done = subprocess.run([str(CLI), "scenarios", FILE_NAME, "--rules", str(RULES_PATH),
                           "--docs", str(DOCS_PATH)], cwd=folder, capture_output=True,
                          text=True, encoding="utf-8", check=False)
    return broken, path, done


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory
             ) -> dict[str, tuple[Broken, Path, subprocess.CompletedProcess[str]]]:
    """What the command says of every case (run once, two at a time)."""
    text = SCENARIOS_PATH.read_text(encoding="utf-8")
    broken = []
    for case in CASES:
        with contextlib.suppress(CaseOutdated):  # reported by that case's own test
            broken.append(materialise(case, text))
    base = tmp_path_factory.mktemp("bad_scenarios")
    with ThreadPoolExecutor(max_workers=2) as pool:
        found = {b.case_id: (b, path, done)
                 for b, path, done in pool.map(lambda b: _run(b, base), broken)}
    if UPDATE:
        badrules.write_golden({c["id"]: found[c["id"]][2].stderr for c in CASES
                               if c["id"] in found}, GOLDEN_FILE, GOLDEN_HEADER)
    return found


def test_the_corpus_is_varied_and_has_no_stale_golden() -> None:
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids)) >= 20
    assert {next(k for k in ("encoding", "edits", "content") if k in c)
            for c in CASES} == {"encoding", "edits", "content"}
    if not UPDATE:
        assert set(read_golden()) == set(ids)


def check_report(report: str, broken: Broken) -> None:
    """A report is the golden one, in French, located, its first problem on the broken line."""
    lines = report.split("\n")
    header = HEADER.match(lines[0])
    assert header, f"unexpected first line: {lines[0]!r}"
    problems = [PROBLEM.match(line) for line in lines[1:]]
    assert all(problems), f"malformed problem line in:\n{report}"
    assert int(header.group(1)) == len(problems) >= 1
    for match in problems:  # the file's own key names are no English
        words = KEY_NAMES.sub("", match.group(4))
        assert not ENGLISH.search(words), f"English in message: {match.group(4)!r}"
        assert int(match.group(2)) >= 1

    reported = [int(m.group(1)) for m in problems]
    assert reported[0] == broken.first_line, (
        f"first problem on line {reported[0]}, expected {broken.first_line}:\n{report}")
    for line in broken.edit_lines:
        assert line in reported, f"edit on line {line} not reported:\n{report}"

    golden = read_golden()
    assert broken.case_id in golden, "no golden report: run UPDATE_GOLDEN=1 and review"
    assert without_positions(report) == golden[broken.case_id], (
        "report changed; if intended, run UPDATE_GOLDEN=1 .venv/bin/pytest "
        "tests/test_bad_scenarios.py and review the diff of tests/bad_scenarios/expected.txt")


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_bad_scenarios_case(case: dict, outcomes: dict) -> None:
    """The command line: exit 2, the report on stderr only, no traceback."""
    materialise(case, SCENARIOS_PATH.read_text(encoding="utf-8"))  # outdated: says why
    broken, _path, done = outcomes[case["id"]]
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stdout == ""
    check_report(done.stderr.rstrip("\n"), broken)


@pytest.fixture(scope="module")
def compiled_rules() -> CompiledRules:
    return load_rules(RULES_PATH).compiled


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_bad_scenarios_case_in_process(case: dict, compiled_rules: CompiledRules,
                                       tmp_path: Path) -> None:
    """Loaded in-process (as the site's build and the editor load it): the same report.

    Independent of the command line, so the mutation run (which cannot see a mutant in a
    subprocess) measures the scenario file's checks with it."""
    broken = materialise(case, SCENARIOS_PATH.read_text(encoding="utf-8"))
    path = tmp_path / FILE_NAME
    path.write_bytes(broken.raw)
    with pytest.raises(RulesError) as raised:
        load_scenario_file(path, FILE_NAME).resolved(compiled_rules)
    check_report(raised.value.report(), broken)
