"""Hostile and clumsy inputs end in a French report and exit code 2, never in a traceback,
a hang or a wall of text.

The corpus is the benchmark's (``bench/hostile.py``), which measures how long each case
takes and how much memory it uses; these tests check only what each run says. A case
that hangs fails here by the subprocess's generous timeout, not by a timed assertion.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.hostile import CASES
from rulebook.errors import MAX_PROBLEMS, RulesError
from rulebook.loader import load_rules
from rulebook.yamlload import FileTooLarge, NotARegularFile, read_bounded
from tests.conftest import ROOT

CLI = [sys.executable, "-m", "rulebook.cli"]
HANG = 120  # seconds: far past any case's measured time (bench), only there to end a hang


def run(*args: str, stdin: str | bytes = "") -> subprocess.CompletedProcess[str]:
    data = stdin.encode() if isinstance(stdin, str) else stdin
    result = subprocess.run([*CLI, *args], input=data, capture_output=True, cwd=ROOT,
                            check=False, timeout=HANG)
    return subprocess.CompletedProcess(result.args, result.returncode,
                                       result.stdout.decode(), result.stderr.decode())


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hostile")


@pytest.mark.parametrize("name", list(CASES))
def test_each_hostile_file_is_refused_in_french(folder: Path, name: str) -> None:
    result = run(*CASES[name](folder))
    said = result.stderr + result.stdout
    assert result.returncode == 2, said[-2000:]
    assert "Traceback" not in said and "Error" not in said, said[-2000:]
    first = said.splitlines()[0]
    assert first.startswith(("Le fichier de règles contient", "La version de référence",
                             "cagette-rules : réponses", "cagette-rules : lecture des")), first
    assert len(said.splitlines()) <= MAX_PROBLEMS + 5  # a report one can scroll, at most


def test_checks_stop_after_the_problems_anyone_reads(tmp_path: Path) -> None:
    """Each problem costs a suggestion (``difflib``): 100 000 unknown keys took 17 s to
    list before the checks stopped at the 200th."""
    path = tmp_path / "rules.yaml"
    path.write_text("".join(f"k{i}: {i}\n" for i in range(MAX_PROBLEMS + 50)))
    with pytest.raises(RulesError) as error:
        load_rules(path, docs_dir=tmp_path)
    assert len(error.value.problems) == MAX_PROBLEMS
    assert error.value.stopped == "vérification"
    report = error.value.report().splitlines()
    assert report[0] == f"Le fichier de règles contient au moins {MAX_PROBLEMS} problèmes :"
    assert report[-1] == (f"  Vérification arrêtée après {MAX_PROBLEMS} problèmes : "
                          "corrigez ceux-ci, puis relancez la vérification.")


def test_fewer_problems_are_all_listed_without_a_stop(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text("".join(f"k{i}: {i}\n" for i in range(MAX_PROBLEMS - 30)))
    with pytest.raises(RulesError) as error:
        load_rules(path, docs_dir=tmp_path)
    assert error.value.stopped is None
    assert len(error.value.problems) > MAX_PROBLEMS - 30  # the unknown keys and missing ones
    assert "arrêtée" not in error.value.report()


def test_reading_stops_after_the_problems_anyone_reads(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text("meta:\n" + "  title: x\n" * (MAX_PROBLEMS + 10))
    with pytest.raises(RulesError) as error:
        load_rules(path, docs_dir=tmp_path)
    assert error.value.stopped == "lecture"
    assert len(error.value.problems) == MAX_PROBLEMS
    assert error.value.report().endswith("Lecture arrêtée après 200 problèmes : corrigez "
                                         "ceux-ci, puis relancez la vérification.")


@pytest.mark.parametrize("special", ["/dev/zero", "/dev/null", "fifo"])
def test_only_regular_files_are_read(tmp_path: Path, special: str) -> None:
    if special == "fifo":
        special = str(tmp_path / "fifo")
        os.mkfifo(special)  # opening it to read would wait for a writer for ever
    with pytest.raises(NotARegularFile):
        read_bounded(Path(special), 100)


def test_a_regular_file_is_read_at_most_one_byte_past_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"x" * 1000)
    assert read_bounded(path, 1000) == b"x" * 1000
    with pytest.raises(FileTooLarge) as too_large:
        read_bounded(path, 999)
    assert too_large.value.size == 1000


ANSWERS = {"role": "producer", "direct_seller": True, "account": "discovery",
           "sales_outside_amap_eur": 300}


@pytest.mark.parametrize(("stdin", "message"), [
    ('{"role": "producer", "role": "coordinator"}',
     "réponses JSON invalides : la question « role » est donnée deux fois"),
    ("[" * 40_000 + "]" * 40_000, "réponses JSON invalides : imbrication trop profonde"),
    ("[" * 25 + "]" * 25, "réponses JSON invalides : imbrication trop profonde"),
    ('{"sales_outside_amap_eur": ' + "9" * 5_000 + "}",
     "réponses JSON invalides : nombre trop long"),
    (" " * 100_001, "réponses trop volumineuses (plus de 100\u202f000 octets)"),
    (b"\xff\xfe{}", "réponses illisibles : enregistrez le fichier en UTF-8"),
])
def test_bad_answers_are_usage_errors_in_french(stdin: str | bytes, message: str) -> None:
    result = run("check", stdin=stdin)
    assert result.returncode == 2
    assert result.stderr.strip() == f"cagette-rules : {message}"


def test_answers_at_the_depth_and_size_limits_are_read() -> None:
    deep = run("check", stdin="[" * 20 + "]" * 20)
    assert deep.returncode == 1, deep.stderr  # read, then refused as answers (not an object)
    padded = json.dumps(ANSWERS)
    padded += " " * (100_000 - len(padded.encode()))
    assert run("check", "--as-of", "2023-01-15", stdin=padded).returncode == 0


def test_a_byte_order_mark_is_accepted() -> None:
    result = run("check", "--as-of", "2023-01-15",
                 stdin=b"\xef\xbb\xbf" + json.dumps(ANSWERS).encode())
    assert result.returncode == 0, result.stderr
    assert "Compte Découverte" in result.stdout


@pytest.mark.parametrize("day", ["20230115", "2023-W03-1", "2023-1-15", "2023-01-15T00:00",
                                 " 2023-01-15", "2023-02-30"])
def test_dates_other_than_aaaa_mm_jj_are_refused(day: str) -> None:
    result = run("check", "--as-of", day, stdin=json.dumps(ANSWERS))
    assert result.returncode == 2
    assert "AAAA-MM-JJ" in result.stderr or "date impossible" in result.stderr, result.stderr
    assert "argument" not in result.stderr and "Traceback" not in result.stderr


def test_the_written_date_is_read() -> None:
    result = run("check", "--as-of", "2023-01-15", stdin=json.dumps(ANSWERS))
    assert result.returncode == 0
    assert "Résultat au 15 janvier 2023." in result.stdout
