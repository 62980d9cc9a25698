"""The rules editor in headless Chromium: what its page adds to download, its start, and
the time from the last keystroke to the diagnostics on the real file, beside the command
line's own validation in CPython.

Usage: ``.venv/bin/python -m bench.editor [--runs N]`` (also part of ``python -m bench``).

Builds the site with the real ``mkdocs build --strict`` into a temporary folder, serves it
as production should (``sitegen.site_server``: brotli siblings), and for each run opens the
editor in a new Chromium profile, waits for its first check, then types one character at
the end of a comment line (a valid edit) and reads the page's marks: the last change, the
diagnostics (the rules checked, every problem shown) and the examples. The editor waits
``CHECK_PAUSE_MS`` after the last keystroke before it checks: the figure the issue's goal
reads is the time *after* that pause. Nothing here is a test.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.table import format_table  # noqa: E402
from rulebook.validation import validate, validate_rules  # noqa: E402
from sitegen.site_server import serve  # noqa: E402
from tests.browser import launch_chromium, new_context  # noqa: E402
from tests.sitebuild import SITE_BUILD, make_project, mkdocs_env  # noqa: E402

SECTION = "Rules editor (/editeur/) in headless Chromium"
PAUSE_MS = 400  # editor-page.mjs's CHECK_PAUSE_MS
GOAL_MS = 300  # the goal for the diagnostics, after the pause
# The files only the editor loads (the wasm and Pyodide's scripts are the checker's, cached).
EDITOR_ONLY = ("assets/editor/editor-view.", "assets/editor/toolchain.", "assets/editor/setup.",
               "assets/editor/schema.", "assets/editor/editor-page.mjs",
               "assets/editor/editor-worker.mjs", "assets/checker/startup.mjs",
               "python_stdlib.zip")
TIMING = """() => {
  const last = (name) => performance.getEntriesByName(name).at(-1)?.startTime ?? null;
  return {change: last("rules-editor:change"), diagnostics: last("rules-editor:diagnostics"),
          examples: last("rules-editor:examples")};
}"""


def editor_bytes(site: Path) -> dict[str, int]:
    """Bytes of each file only the editor loads: brotli sibling when there is one."""
    sizes = {}
    for path in sorted(site.rglob("*")):
        uri = path.relative_to(site).as_posix()
        if not path.is_file() or uri.endswith((".br", ".gz")):
            continue
        if any(part in uri for part in EDITOR_ONLY):
            brotli = path.with_name(path.name + ".br")
            sizes[uri] = (brotli if brotli.is_file() else path).stat().st_size
    return sizes


def build_site(dest: Path) -> Path:
    """The real site, built as ``make build`` builds it, into ``dest/site``."""
    project = make_project(dest / "project")
    result = subprocess.run(list(SITE_BUILD), cwd=project, env=mkdocs_env(), text=True,
                            capture_output=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"site build failed:\n{result.stdout}\n{result.stderr}")
    return project / "site"


def measure(site: Path, runs: int) -> list[dict[str, float]]:
    """Per run: the start (navigation to the first check) and one edit's timings (ms)."""
    from playwright.sync_api import sync_playwright

    samples = []
    with sync_playwright() as playwright, serve(site) as server:
        browser = launch_chromium(playwright)
        for _ in range(runs):
            context = new_context(browser, viewport={"width": 1280, "height": 900})
            page = context.new_page()
            start = time.perf_counter()
            page.goto(f"{server.url}editeur/")
            page.wait_for_selector("#rules-editor[data-checks='1']", timeout=120_000)
            started = (time.perf_counter() - start) * 1000
            page.locator(".cm-content").click()
            page.keyboard.press("Control+Home")
            page.keyboard.press("End")  # the end of the first line, a comment
            page.keyboard.type("x")
            page.wait_for_selector("#rules-editor[data-checks='2']", timeout=120_000)
            marks = page.evaluate(TIMING)
            samples.append({
                "start": started,
                "diagnostics": marks["diagnostics"] - marks["change"] - PAUSE_MS,
                "examples": marks["examples"] - marks["change"] - PAUSE_MS,
            })
            context.close()
        browser.close()
    return samples


def cli_times(repeat: int) -> dict[str, float]:
    """CPython, in-process: the rules alone, then with the examples (median ms)."""
    rules = ROOT / "data" / "rules.yaml"
    alone, full = [], []
    for _ in range(repeat):
        t = time.perf_counter()
        validate_rules(rules)
        alone.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        validate(rules, scenarios_path=rules.parent / "scenarios.yaml")
        full.append((time.perf_counter() - t) * 1000)
    return {"rules": statistics.median(alone), "full": statistics.median(full)}


def _row(benchmark: str, value: float, unit: str, runs: int, **extra: Any) -> dict[str, Any]:
    return {"section": SECTION, "benchmark": benchmark, "value": value, "unit": unit,
            "runs": runs, **extra}


def run(runs: int = 5, root: Path | None = None) -> list[dict[str, Any]]:
    """The table's rows."""
    with tempfile.TemporaryDirectory(prefix="bench-editor-") as tmp:
        site = build_site(Path(tmp))
        sizes = editor_bytes(site)
        samples = measure(site, runs)
    cli = cli_times(repeat=max(runs, 5))
    median = {key: statistics.median(s[key] for s in samples) for key in samples[0]}
    rows = [_row("bytes the editor page adds (brotli; Pyodide's wasm shared)",
                 sum(sizes.values()) / 1024, "KiB", 1)]
    rows += [_row(f"  {uri}", size / 1024, "KiB", 1) for uri, size in sizes.items()]
    goal = GOAL_MS
    rows += [
        _row("start: navigation to the first check (cold profile)", median["start"], "ms", runs),
        _row("last keystroke to diagnostics, after the pause", median["diagnostics"], "ms",
             runs, ratio=median["diagnostics"] / cli["rules"], ratio_of="CLI rules",
             goal=f"< {goal} ms", met=median["diagnostics"] < goal),
        _row("last keystroke to the examples checked, after the pause", median["examples"],
             "ms", runs, ratio=median["examples"] / cli["full"], ratio_of="CLI full"),
        _row("CLI (CPython, in-process): the rules", cli["rules"], "ms", max(runs, 5)),
        _row("CLI (CPython, in-process): rules and examples", cli["full"], "ms", max(runs, 5)),
    ]
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(format_table(run(args.runs)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
