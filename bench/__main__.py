"""Run every benchmark, print one table and write bench/results/latest.json.

Usage: ``make bench`` (or ``.venv/bin/python -m bench [--quick]``). Each figure
is a median of several runs, next to a baseline measured in the same run:
site build vs plain MkDocs Material, ×10 and ×100 content; the rules in
CPython; the checker page in headless Chromium vs a bare ``loadPyodide`` page;
the bytes it downloads; how long each hostile input takes to be refused; the rules
editor's weight and the time from a keystroke to its diagnostics.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import checker_timings, cpython, editor, hostile, site_build
from bench.table import format_table

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"


def load_average() -> str:
    """The 1, 5 and 15-minute load averages, as text."""
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="fewer repeats (about half the time; figures noisier)")
    args = parser.parse_args()
    repeat = 3 if args.quick else 7
    start = time.perf_counter()
    load_before = load_average()
    rows: list[dict[str, Any]] = []
    rows += site_build.run(ROOT, repeat=3 if args.quick else 5,
                           scaled_repeat=1 if args.quick else 3)
    rows += cpython.run(ROOT / "data" / "rules.yaml", repeat=repeat)
    rows += hostile.run(repeat=1 if args.quick else 3, root=ROOT)
    rows += editor.run(runs=3 if args.quick else 5)
    rows += checker_timings.run(runs=3 if args.quick else 5,
                                throttled_runs=1 if args.quick else 3)
    minutes = (time.perf_counter() - start) / 60
    command = ".venv/bin/python -m bench" + (" --quick" if args.quick else "")
    header = (f"{command}: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, Python "
              f"{platform.python_version()}, {os.cpu_count()} CPUs, load average "
              f"{load_before} before, {load_average()} after, {minutes:.1f} min")
    print(header)
    print(format_table(rows))
    RESULTS.mkdir(parents=True, exist_ok=True)
    report = {"date": datetime.now(UTC).isoformat(timespec="seconds"), "command": command,
              "python": platform.python_version(), "cpus": os.cpu_count(),
              "load_average": {"before": load_before, "after": load_average()},
              "minutes": minutes, "rows": rows}
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    (RESULTS / "latest.txt").write_text(header + "\n" + format_table(rows) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
