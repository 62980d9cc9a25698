"""Mutation testing as a measured figure: for each module of the checker and of the rules
toolchain's checks and dates, the share of mutants the fast tests kill, beside its goal
(90 % in ``checker/``, 85 % in the toolchain), and every surviving mutant.

Usage: ``make mutation`` (or ``.venv/bin/python -m bench.mutation [--module checker/engine.py
...] [--jobs N] [--last]``; ``--last`` prints the last run's results again).

The tool is mutmut (pinned in requirements.lock; shared settings in pyproject.toml's
``[tool.mutmut]``). Each module runs on its own, in ``.mutation/<module>/`` (ignored by git):
links to the sources, data and tests, and a pyproject.toml whose ``[tool.mutmut]`` narrows
the mutants to that module and the tests to ``FAST_TESTS[module]``. mutmut copies them into
``mutants/`` there and mutates that copy only: the work tree is never touched. Each mutant
then runs the tests of that list that reach the mutated function. Every run starts afresh,
so the figures are those of the tests as they are now. The equivalent mutants (no behaviour
can differ) are listed in ``EQUIVALENT`` with why; they are shown apart and left out of
the score. The exit code is 0 whatever the scores (a measurement), 1 when mutmut fails.
Nothing here is a test.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".mutation"
RESULTS = ROOT / "bench" / "results"
# What each run links to: the packages (mutmut copies them) and what the tests read.
LINKED = ("checker", "rulebook", "sitegen", "data", "schema", "docs", "tests")

# The checker's tests that run in-process in well under a second each (no browser, no
# build, no Pyodide, no command line in a subprocess: those cannot see a mutant).
CHECKER_TESTS = (
    "tests/test_engine.py", "tests/test_wording.py", "tests/test_conditions.py",
    "tests/test_answers.py", "tests/test_dated_values.py", "tests/test_scenarios.py",
    "tests/test_written_figures.py", "tests/test_mutation_checker.py", "tests/test_model.py",
)
# Only the in-process tests of a file: a build or a browser runs in a subprocess, where no
# mutant is seen, and Pyodide's parity tests take seconds each (they are tested apart).
IN_PROCESS = ("-m=not build and not browser",
              "--deselect=tests/test_dated_values.py::"
              "test_pyodide_gives_the_same_verdicts_on_both_sides_of_the_change")
# Module → the fast tests that cover it (every test file that calls into it in-process;
# pytest options, such as IN_PROCESS, may follow the files).
FAST_TESTS: dict[str, tuple[str, ...]] = {
    "checker/answers.py": CHECKER_TESTS,
    "checker/conditions.py": CHECKER_TESTS,
    "checker/dated.py": CHECKER_TESTS,
    "checker/engine.py": CHECKER_TESTS,
    "checker/entry.py": ("tests/test_mutation_checker.py",),
    "checker/french.py": (*CHECKER_TESTS, "tests/test_typography.py", "tests/test_sessions.py"),
    "checker/limit.py": CHECKER_TESTS,
    "checker/model.py": CHECKER_TESTS,
    "checker/wording.py": CHECKER_TESTS,
    "rulebook/references.py": ("tests/test_loader.py", "tests/test_mutation_rulebook.py",
                               "tests/test_dated_values.py", "tests/test_boundaries.py",
                               *IN_PROCESS),
    "rulebook/answer_checks.py": ("tests/test_loader.py", "tests/test_mutation_rulebook.py"),
    "rulebook/scenarios.py": ("tests/test_scenarios.py", "tests/test_mutation_rulebook.py",
                              "tests/test_bad_scenarios.py", "tests/test_safety_nets.py"),
    "rulebook/sessions.py": ("tests/test_sessions.py", "tests/test_mutation_rulebook.py"),
    "rulebook/public_holidays.py": ("tests/test_sessions.py", "tests/test_mutation_rulebook.py"),
}
GOALS = {"checker/": 90.0, "rulebook/": 85.0}

# Mutants that no input can tell apart from the original, by their mutmut name, with why.
# They are left out of the score (the table counts them apart) and printed with the reason.
EQUIVALENT: dict[str, str] = {
    "checker.dated.x__filled__mutmut_2":
        "`if \"{{\" in value or True`: the test only spares a regular expression; TOKEN "
        "needs \"{{\", so without it TOKEN.sub returns the text unchanged",
    **dict.fromkeys(
        ("rulebook.answer_checks.x__profile__mutmut_2",
         "rulebook.answer_checks.x__profile__mutmut_4",
         "rulebook.answer_checks.x__profile__mutmut_5"),
        "`ensure_ascii` true instead of false: a profile holds question ids and choice values "
        "(ids: [a-z0-9_-] only, spec.ID_PATTERN), booleans and numbers: all ASCII, so the "
        "JSON text is the same"),
    "rulebook.answer_checks.x_check_answer_space__mutmut_3":
        "`reported_gap = reported_conflict = None` instead of False: only ever read through "
        "`not`, where None and False are alike",
    "rulebook.answer_checks.x_check_answer_space__mutmut_14":
        "`if id(None) not in views`: always true, so the positions of a view's effects are "
        "made again for each profile instead of once; the same positions, only slower",
    **dict.fromkeys(
        ("rulebook.public_holidays.x_holidays_table__mutmut_15",
         "rulebook.public_holidays.x_holidays_table__mutmut_16"),
        "asking the library for 1 February or 2 January instead of 1 January: any day of a "
        "year makes it compute that whole year"),
    "rulebook.public_holidays.x_holidays_table__mutmut_7":
        "`range(first, last + 2)`: the library computes one year more, which the table then "
        "leaves out (`first_year <= day.year <= last_year`)",
    "rulebook.public_holidays.x_holidays_version__mutmut_3":
        "`version(\"HOLIDAYS\")`: importlib.metadata normalises distribution names (case "
        "folded), so it names the same package and gives the same version",
    **dict.fromkeys(
        ("rulebook.scenarios.x__invariant__mutmut_102",
         "rulebook.scenarios.x__scenario__mutmut_154"),
        "`where[+1]` instead of `where[-1]`: `where` is always the pair (\"scenarios\" or "
        "\"invariants\", index), whose second item is also its last"),
    "rulebook.scenarios.x__threshold_points__mutmut_5":
        "`t - d` instead of `t + d` with d in (-1 cent, 0, +1 cent): the same three points",
    **dict.fromkeys(
        ("rulebook.scenarios.x__threshold_points__mutmut_6",
         "rulebook.scenarios.x_coverage__mutmut_82"),
        "rounding to 3 decimals instead of 2 on one side of the threshold comparison: amounts "
        "are euros in whole cents (parameters, answers and the ±1 cent points), which both "
        "roundings give unchanged; only an amount in fractions of a cent, which no price "
        "or limit has, could tell them apart"),
    **dict.fromkeys(
        ("rulebook.scenarios.x_coverage__mutmut_158",
         "rulebook.scenarios.x_coverage__mutmut_160"),
        "`situations.get(qid, None)` or no default: every threshold's question is an amount "
        "question some profile is asked (validate refuses a question no profile reaches), "
        "so the default is never used"),
    "rulebook.scenarios.x_invariant_failures__mutmut_13":
        "`if id(None) not in ready`: always true, so an invariant's words are rendered again "
        "for each profile instead of once per reading of the rules; the same words, slower",
    "rulebook.scenarios.x_json_key__mutmut_2":
        "lower-casing every answer, not only booleans: the others are choice values (ids: "
        "[a-z0-9_-] only, spec.ID_PATTERN) and numbers, whose text is already lower case",
    "rulebook.scenarios.xǁScenarioFileǁresolved__mutmut_19":
        "the day's parameters looked up even when the scenario's day could not be resolved "
        "(its problem is then reported and the scenario dropped): the texts are checked "
        "against the same parameter names and units, so the same problems are found",
    "checker.engine.x_verdict_json__mutmut_2":
        "`ensure_ascii=None` instead of False: json.dumps only tests it for truth, and None "
        "is false like False: the same bytes",
    **dict.fromkeys(
        ("rulebook.sessions.x__session_days__mutmut_5",
         "rulebook.sessions.x__session_days__mutmut_6"),
        "`and` made `or` in the assert that a weekly session has its days and its confirmed "
        "period: every validated session has all three, so the assert holds either way; a "
        "session lacking one (refused by check_session) fails either way (AssertionError, "
        "or TypeError one line later)"),
}

STATUS = {1: "killed", 3: "killed", 0: "survived", 5: "no tests", 33: "no tests",
          34: "skipped", 36: "timeout", 24: "timeout", -24: "timeout", 152: "timeout",
          255: "timeout", 37: "killed", None: "not checked"}
ALIVE = ("survived", "no tests", "suspicious", "not checked")  # listed one by one
SPINNER = tuple("⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏")
HEADER = (f"  {'module':<30} {'mutants':>7} {'killed':>7} {'survived':>8} {'timeout':>7} "
          f"{'equiv.':>6} {'no test':>7} {'score':>7}  {'goal':<5} {'time':>6}")


def goal_of(module: str) -> float:
    """The goal of a module: 90 % in ``checker/``, 85 % in the toolchain."""
    return next(g for prefix, g in GOALS.items() if module.startswith(prefix))


def slug(module: str) -> str:
    return module.removesuffix(".py").replace("/", "_")


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    return "[" + ", ".join(_toml(v) for v in value) + "]"


def project_file(module: str) -> str:
    """The repository's pyproject.toml, its ``[tool.mutmut]`` narrowed to one module."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    settings = dict(tomllib.loads(text)["tool"]["mutmut"])
    settings["only_mutate"] = [module]
    settings["pytest_add_cli_args_test_selection"] = list(FAST_TESTS[module])
    settings["use_git_change_detection"] = False
    kept = re.sub(r"(?ms)^\[tool\.mutmut\]\n.*?(?=^\[|\Z)", "", text).rstrip()
    return kept + "\n\n[tool.mutmut]\n" + "".join(
        f"{key} = {_toml(value)}\n" for key, value in settings.items())


def prepare(module: str) -> Path:
    """A fresh ``.mutation/<module>/``: links to the sources, a narrowed pyproject.toml."""
    work = WORK / slug(module)
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    for name in LINKED:
        (work / name).symlink_to(os.path.relpath(ROOT / name, work), target_is_directory=True)
    (work / "pyproject.toml").write_text(project_file(module), encoding="utf-8")
    return work


def function_lines(module: str) -> dict[tuple[str | None, str], int]:
    """(class, function) → the line its source starts on (its first decorator)."""
    tree = ast.parse((ROOT / module).read_text(encoding="utf-8"))
    lines: dict[tuple[str | None, str], int] = {}
    for node in tree.body:
        owners = [(None, node)] if not isinstance(node, ast.ClassDef) else [
            (node.name, child) for child in node.body]
        for owner, child in owners:
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                first = min([d.lineno for d in child.decorator_list] + [child.lineno])
                lines[(owner, child.name)] = first
    return lines


# Run inside the work folder: the diff of each named mutant, as mutmut shows it.
DIFFS = """
import json, sys
from pathlib import Path
from mutmut.mutation.diff_apply import get_diff_for_mutant
path, names = sys.argv[1], json.loads(sys.stdin.read())
print(json.dumps({n: get_diff_for_mutant(n, path=Path(path)) for n in names}))
"""


def located(module: str, name: str, diff: str, lines: dict) -> tuple[int, str, str]:
    """A mutant's line in the module, the original line and the mutated one."""
    short = name.rpartition(".")[2].partition("__mutmut_")[0]
    if "ǁ" in short:
        owner, function = short.split("ǁ")[1:3]
    else:
        owner, function = None, short.removeprefix("x_")
    start = lines.get((owner, function), 0)
    before = after = ""
    offset = 0
    for text in diff.splitlines():
        hunk = re.match(r"@@ -(\d+)", text)
        if hunk:
            offset = int(hunk.group(1))
            continue
        if text.startswith(("---", "+++")):
            continue
        if text.startswith("-") and not before:
            before = text[1:].strip()
            break
        offset += 1
    for text in diff.splitlines():
        if text.startswith("+") and not text.startswith("+++"):
            after = text[1:].strip()
            break
    return start + offset - 1, before, after


def measure(module: str, jobs: int, again: bool = True) -> dict[str, Any]:
    """Run mutmut on one module (``again=False``: read its last run); its counts, its
    survivors, its time."""
    work = WORK / slug(module)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if again:
        work = prepare(module)
        started = time.perf_counter()
        with (work / "mutmut.log").open("w", encoding="utf-8") as log:
            done = subprocess.run(
                [sys.executable, "-m", "mutmut", "run", "--max-children", str(jobs)],
                cwd=work, env=env, stdout=log, stderr=subprocess.STDOUT, check=False)
        (work / "exit").write_text(f"{done.returncode} {time.perf_counter() - started:.1f}")
    code, seconds_text = (work / "exit").read_text().split()
    run = subprocess.CompletedProcess([], int(code))
    seconds = float(seconds_text)
    meta = work / "mutants" / f"{module}.meta"
    log = (work / "mutmut.log").read_text(encoding="utf-8", errors="replace")
    # No test of the list reaches the module: every mutant lives ("no tests").
    untested = run.returncode != 0 and "no tests ran" in log and meta.exists()
    if (run.returncode != 0 and not untested) or not meta.exists():
        tail = "\n".join(line for line in log.replace("\r", "\n").splitlines()
                         if line.strip() and not line.lstrip().startswith(SPINNER))
        raise RuntimeError(f"mutmut failed on {module} (exit {run.returncode}):\n"
                           f"{tail[-3000:]}")
    codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
    statuses = {name: "no tests" if untested else STATUS.get(code, "suspicious")
                for name, code in codes.items()}
    left = sorted((n for n, s in statuses.items() if s in ALIVE),
                  key=lambda n: (n.partition("__mutmut_")[0], int(n.rpartition("_")[2])))
    diffs = {}
    if left:
        shown = subprocess.run([sys.executable, "-c", DIFFS, module], cwd=work, env=env,
                               input=json.dumps(left), capture_output=True, text=True,
                               check=True)
        diffs = json.loads(shown.stdout)
    lines = function_lines(module)
    survivors = []
    for name in left:
        line, before, after = located(module, name, diffs.get(name, ""), lines)
        survivors.append({"name": name, "status": statuses[name], "line": line,
                          "before": before, "after": after,
                          "equivalent": EQUIVALENT.get(name)})
    count = {s: sum(1 for v in statuses.values() if v == s)
             for s in ("killed", "timeout", *ALIVE)}
    equivalent = sum(1 for s in survivors if s["equivalent"])
    judged = len(statuses) - equivalent
    killed = count["killed"] + count["timeout"]
    return {"module": module, "mutants": len(statuses), "killed": count["killed"],
            "survived": sum(count[s] for s in ALIVE if s != "no tests"),
            "timeout": count["timeout"],
            "no_tests": count["no tests"], "equivalent": equivalent,
            "score": 100.0 * killed / judged if judged else 100.0, "goal": goal_of(module),
            "seconds": seconds, "survivors": survivors}


def format_rows(rows: list[dict[str, Any]]) -> str:
    """The table: one line per module, its score beside its goal."""
    lines = ["Mutation score (mutmut; killed or timed out ÷ mutants less equivalent ones)",
             HEADER]
    for r in rows:
        verdict = "ok" if r["score"] >= r["goal"] else "below"
        lines.append(
            f"  {r['module']:<30} {r['mutants']:>7} {r['killed']:>7} {r['survived']:>8} "
            f"{r['timeout']:>7} {r['equivalent']:>6} {r['no_tests']:>7} {r['score']:>6.1f}%  "
            f"{r['goal']:.0f} % {verdict:<5} {r['seconds']:>5.0f}s")
    return "\n".join(lines)


def format_survivors(rows: list[dict[str, Any]]) -> str:
    """Each mutant left alive: file:line, status, the line before and after."""
    lines: list[str] = []
    for r in rows:
        alive = [s for s in r["survivors"] if not s["equivalent"]]
        same = [s for s in r["survivors"] if s["equivalent"]]
        for title, group in (("Surviving mutants", alive), ("Equivalent mutants", same)):
            if not group:
                continue
            lines += ["", f"{title} in {r['module']} ({len(group)})"]
            for s in group:
                status = "" if s["status"] == "survived" else f" [{s['status']}]"
                lines.append(f"  {r['module']}:{s['line']}{status}  {s['name'].rpartition('.')[2]}")
                lines.append(f"      - {s['before']}")
                lines.append(f"      + {s['after']}")
                if s["equivalent"]:
                    lines.append(f"      equivalent: {s['equivalent']}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--module", action="append", choices=sorted(FAST_TESTS),
                        help="one module to measure (repeatable); every module by default")
    parser.add_argument("--jobs", type=int, default=2,
                        help="mutants run at once (default 2: the machine's cores)")
    parser.add_argument("--last", action="store_true",
                        help="print the last run's results again (mutmut is not run)")
    args = parser.parse_args()
    modules = args.module or list(FAST_TESTS)
    started = time.perf_counter()
    rows, failed = [], []
    for module in modules:
        if args.last and not (WORK / slug(module) / "exit").exists():
            print(f"mutmut: {module}: no last run (not measured)", flush=True)
            continue
        files = [t for t in FAST_TESTS[module] if t.startswith("tests/")]
        print(f"mutmut: {module} ({len(files)} test files)", flush=True)
        try:
            rows.append(measure(module, args.jobs, again=not args.last))
        except RuntimeError as error:
            print(error, file=sys.stderr)
            failed.append(module)
            continue
        row = rows[-1]
        print(f"  {row['score']:.1f} % of {row['mutants']} mutants in {row['seconds']:.0f} s",
              flush=True)
    total = time.perf_counter() - started
    print()
    print(format_rows(rows))
    print(format_survivors(rows))
    print(f"\nTotal wall time: {total:.0f} s for {len(rows)} module(s)")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "mutation.json").write_text(
        json.dumps({"seconds": total, "rows": rows}, ensure_ascii=False, indent=1),
        encoding="utf-8")
    if failed:
        print(f"mutmut failed on: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
