"""Hostile and clumsy inputs: how long ``cagette-rules`` takes to refuse each one, and
the most memory it uses (``python -m bench.hostile``, also part of ``make bench``).

Every case must end with a French report and exit code 2 (``tests/test_hostile_input.py``
checks that, without timing); the figures here are the budget they take.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.table import format_table

CLI = [sys.executable, "-m", "rulebook.cli"]
SECTION = "Hostile inputs (cagette-rules refusing each one)"


def _written(name: str, text: Callable[[], str]) -> Callable[[Path], Path]:
    """A case's file, written once (the texts are built only then: megabytes each)."""
    def write(folder: Path) -> Path:
        path = folder / name
        if not path.exists():
            path.write_text(text())
        return path
    return write


def _fifo(folder: Path) -> Path:
    path = folder / "fifo.yaml"
    if not path.exists():
        os.mkfifo(path)  # reading it would wait for a writer for ever
    return path


# A short text with a stray brace (a problem for every copy), then 750 000 aliases of it
# (3 MB): the previous code took 17 s and 830 MiB to report them all.
_bomb = _written("alias-bomb.yaml", lambda: 'x: &a "lol {{ lol"\ny: ['
                 + ", ".join(["*a"] * 750_000) + "]\n")
# A 3 KB text naming 270 unknown parameters, then 900 aliases of it (6.6 KB).
_anchor = _written("anchor-3kb.yaml", lambda: 'x: &a "' + "{{ nope }} " * 270 + '"\ny: ['
                   + ", ".join(["*a"] * 900) + "]\n")
_line = _written("huge-line.yaml", lambda: 'meta:\n  title: "' + "a" * 3_900_000 + '"\n')  # 3.9 MB
_big = _written("too-big.yaml", lambda: "# " + "x" * 5_000_000 + "\n")  # over the 4 MB limit
_deep = _written("deep.yaml", lambda: "a: " + "[" * 20_000 + "]" * 20_000 + "\n")
_many = _written("many-problems.yaml",  # 240 000 unknown keys (3.9 MB)
                 lambda: "".join(f"k{i}: {i}\n" for i in range(240_000)))
_twice = _written("duplicate-keys.yaml", lambda: "meta:\n" + "  title: x\n" * 300_000)  # 3.6 MB
_deep_json = _written("deep.json", lambda: "[" * 30_000 + "]" * 30_000)
_number = _written("number.json", lambda: '{"sales_outside_amap_eur": ' + "9" * 5_000 + "}")

CASES: dict[str, Callable[[Path], list[str]]] = {
    "alias bomb, 3 MB": lambda f: ["validate", str(_bomb(f))],
    "3 KB anchor × 900 aliases": lambda f: ["validate", str(_anchor(f))],
    "one 3.9 MB line": lambda f: ["validate", str(_line(f))],
    "5 MB file": lambda f: ["validate", str(_big(f))],
    "nesting 20 000 deep": lambda f: ["validate", str(_deep(f))],
    "240 000 unknown keys": lambda f: ["validate", str(_many(f))],
    "one key written 300 000 times": lambda f: ["validate", str(_twice(f))],
    "/dev/zero as rules": lambda f: ["validate", "/dev/zero"],
    "a FIFO as rules": lambda f: ["validate", str(_fifo(f))],
    "/dev/zero as answers": lambda f: ["check", "/dev/zero"],
    "/dev/zero as the checker's rules": lambda f: ["check", "--rules", "/dev/zero",
                                                   str(_deep_json(f))],
    "/dev/zero as impact's baseline": lambda f: ["impact", "--against", "/dev/zero"],
    "answers nested 30 000 deep": lambda f: ["check", str(_deep_json(f))],
    "a 5 000-digit amount": lambda f: ["check", str(_number(f))],
}
"""Each hostile case: its name -> writes its files into a folder, returns the CLI's
arguments."""


def corpus(folder: Path) -> dict[str, list[str]]:
    """Every case's files written into ``folder``: name -> the CLI's arguments."""
    folder.mkdir(parents=True, exist_ok=True)
    return {name: case(folder) for name, case in CASES.items()}


def measure(args: list[str], cwd: Path) -> tuple[float, float, subprocess.CompletedProcess[str]]:
    """Wall time (s) and the peak memory (MiB) of one ``cagette-rules`` run."""
    script = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
              "r = subprocess.run(sys.argv[1:], capture_output=True, text=True, timeout=120); "
              "print(time.perf_counter() - t, "
              "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode); "
              "sys.stderr.write(r.stderr + r.stdout)")
    result = subprocess.run([sys.executable, "-c", script, *CLI, *args], cwd=cwd,
                            capture_output=True, text=True, check=False, timeout=300)
    seconds, kib, code = result.stdout.split()
    done = subprocess.CompletedProcess(args, int(code), "", result.stderr)
    return float(seconds), int(kib) / 1024, done


def run(repeat: int = 3, root: Path | None = None) -> list[dict[str, Any]]:
    """One row per case: the median time and the largest peak memory of ``repeat`` runs."""
    root = root or Path(__file__).resolve().parent.parent
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-hostile-") as tmp:
        for name, args in corpus(Path(tmp)).items():
            samples = [measure(args, root) for _ in range(repeat)]
            times = sorted(s[0] for s in samples)
            rows.append({"section": SECTION, "benchmark": f"{name}: time", "unit": "s",
                         "value": times[len(times) // 2], "runs": repeat})
            rows.append({"section": SECTION, "benchmark": f"{name}: peak memory",
                         "unit": "MiB", "value": max(s[1] for s in samples), "runs": repeat})
    return rows


if __name__ == "__main__":
    print(format_table(run()))
