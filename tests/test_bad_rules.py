"""Bad-rules corpus: each realistic mistake in ``rules.yaml`` gives a clean French report.

The cases (``tests/bad_rules/cases.yaml``) are edits of the current
``data/rules.yaml``; a case whose text is no longer found fails loudly. For each
case the loader raises ``RulesError`` and ``cagette-rules validate`` exits 2 with
the French report on stderr, every problem as ``file:line:column: [field] message``,
the first one on the broken line, and no traceback; for a representative
subset, the site build ``make build`` runs (``python -m sitegen.build``: the real
``mkdocs build --strict``) stops with the same report and a French last line, and
leaves an existing ``site/`` untouched. The exact reports are kept in
``tests/bad_rules/expected.txt`` (positions blanked: they are checked against
the edited line instead) so that wording changes show in review. After an
intended change of the messages (or of the corpus), regenerate and review the diff:

    UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_bad_rules.py
"""

from __future__ import annotations

import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from rulebook.errors import RulesError
from rulebook.loader import load_rules
from tests.badrules import (
    ENGLISH,
    FILE_NAME,
    GOLDEN_FILE,
    OUTDATED,
    UPDATE,
    Broken,
    Outcome,
    load_cases,
    materialise,
    read_golden,
    without_positions,
)
from tests.conftest import DOCS_PATH
from tests.sitebuild import SITE_BUILD, make_project, run_mkdocs

CASES = load_cases()

HEADER = re.compile(r"^Le fichier de règles contient (\d+) problèmes? :$")
PROBLEM = re.compile(rf"^  {re.escape(FILE_NAME)}:(\d+):(\d+): \[(\S+)\] (\S.*)$")


def test_corpus_is_large_and_varied() -> None:
    kinds = {next(k for k in ("edits", "content", "file_encoding", "append") if k in c)
             for c in CASES}
    assert len(CASES) >= 45
    assert kinds == {"edits", "content", "file_encoding", "append"}


def test_golden_file_has_no_stale_case() -> None:
    if UPDATE:
        pytest.skip("goldens being regenerated")
    stale = set(read_golden()) - {c["id"] for c in CASES}
    assert not stale, f"cases removed from cases.yaml but still in {GOLDEN_FILE.name}: {stale}"


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_bad_rules_case(case: dict, outcomes: dict[str, Outcome]) -> None:
    if case["id"] in OUTDATED:
        pytest.fail(OUTDATED[case["id"]])
    outcome = outcomes[case["id"]]
    stderr = outcome.stderr

    # The CLI: exit code 2, nothing on stdout, no traceback, a French report.
    assert "Traceback" not in stderr, stderr
    assert outcome.returncode == 2, stderr
    assert outcome.stdout == ""
    lines = stderr.rstrip("\n").split("\n")
    header = HEADER.match(lines[0])
    assert header, f"unexpected first line: {lines[0]!r}"
    problems = [PROBLEM.match(line) for line in lines[1:]]
    assert all(problems), f"malformed problem line in:\n{stderr}"
    assert int(header.group(1)) == len(problems) >= 1
    for match in problems:
        assert not ENGLISH.search(match.group(4)), f"English in message: {match.group(4)!r}"
        assert int(match.group(1)) >= 1 and int(match.group(2)) >= 1

    # Positions: the first problem sits on the broken line; every edit is reported.
    reported = [int(m.group(1)) for m in problems]
    assert reported[0] == outcome.broken.first_line, (
        f"first problem on line {reported[0]}, expected {outcome.broken.first_line}:\n{stderr}")
    for line in outcome.broken.edit_lines:
        assert line in reported, f"edit on line {line} not reported:\n{stderr}"

    # The loader raises the same report (the one the MkDocs build prints).
    with pytest.raises(RulesError) as raised:
        load_rules(outcome.path, display_name=FILE_NAME, docs_dir=DOCS_PATH)
    assert raised.value.report() == stderr.rstrip("\n")
    assert all(p.line >= 1 and p.column >= 1 and p.field for p in raised.value.problems)

    # The exact wording, against the golden file.
    golden = read_golden()
    assert case["id"] in golden, (
        f"no golden report for {case['id']!r}: run UPDATE_GOLDEN=1 .venv/bin/pytest "
        "tests/test_bad_rules.py and review tests/bad_rules/expected.txt")
    assert without_positions(stderr.rstrip("\n")) == golden[case["id"]], (
        "report changed; if intended, run UPDATE_GOLDEN=1 .venv/bin/pytest "
        "tests/test_bad_rules.py and review the diff of tests/bad_rules/expected.txt")


# --- the MkDocs build stops with the same report and leaves the old site alone ----------

SITE_CASES = [
    "tab-before-key", "unquoted-colon-in-text", "cp1252-file", "empty-file", "huge-file",
    "top-level-list", "duplicate-key", "unknown-key-typo", "missing-required-field",
    "thousands-space", "date-impossible", "session-time-unquoted", "unknown-timezone",
    "unknown-action", "unknown-placeholder", "ask-when-reads-later-question",
    "two-plans-for-one-profile", "empty-faq-answer", "multi-structure-and-references",
    "word-line-break",
]
SITE_RULES = "data/rules.yaml"  # the plugin's rules_file, as it names it in the report


def _snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def project_site(base: Path, case_id: str) -> Path:
    return (base / case_id / "site").resolve()


def _build(broken: Broken, base: Path) -> tuple[Broken, subprocess.CompletedProcess[str], bool]:
    project = make_project(base / broken.case_id)
    (project / SITE_RULES).write_bytes(broken.raw)
    old_site = project / "site"
    (old_site / "assets").mkdir(parents=True)
    (old_site / "index.html").write_text("<p>site précédent</p>", encoding="utf-8")
    (old_site / "assets" / "rules.json").write_text("{}", encoding="utf-8")
    before = _snapshot(old_site)
    done = run_mkdocs(project, command=SITE_BUILD)
    return broken, done, _snapshot(old_site) == before


def test_site_cases_exist() -> None:
    assert set(SITE_CASES) <= {c["id"] for c in CASES}


@pytest.mark.build
def test_mkdocs_build_stops_with_the_report_and_keeps_the_old_site(
    tmp_path: Path, outcomes: dict[str, Outcome],
) -> None:
    by_id = {c["id"]: c for c in CASES}
    broken = [materialise(by_id[case_id]) for case_id in SITE_CASES
              if case_id not in OUTDATED]
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda b: _build(b, tmp_path), broken))
    for case, done, site_untouched in results:
        output = done.stdout + done.stderr
        report = outcomes[case.case_id].stderr.rstrip("\n").replace(
            f"  {FILE_NAME}:", f"  {SITE_RULES}:")
        assert done.returncode != 0, (case.case_id, output)
        assert "Traceback" not in output, (case.case_id, output)
        assert report in done.stderr, (case.case_id, output)
        assert site_untouched, f"{case.case_id}: the previous site/ was changed"
        assert "Aborted" not in output, (case.case_id, output)  # MkDocs' English last word
        assert done.stderr.rstrip().endswith(
            "La construction du site s'est arrêtée : rien n'a été publié, le site précédent "
            f"({project_site(tmp_path, case.case_id)}) est resté tel quel. Corrigez les "
            "problèmes ci-dessus, puis relancez-la."), (case.case_id, output)
