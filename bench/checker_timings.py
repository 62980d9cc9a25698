"""Browser checker timings in headless Chromium on loopback, next to bare ``loadPyodide``.

Usage: ``.venv/bin/python -m bench.checker_timings [--runs N]`` (also part of
``python -m bench``).

Builds the site with the real ``mkdocs build --strict`` into a temporary
directory, adds a bare page there that only calls ``loadPyodide`` from the same
self-hosted files, serves it on 127.0.0.1 (hashed and versioned files with a
year-long ``Cache-Control``, as in production) and measures, each run in
Chromium with a new on-disk profile (cold: empty cache), then a second visit in
the same profile (warm: HTTP cache and V8/wasm code caches filled):

- form visible: first contentful paint of the checker page (the form is in the
  HTML, so it is painted with the first content);
- checker ready: Pyodide loaded in the worker, rules and checker unpacked;
- first verdict: the evaluation sent when the page binds, answered;
- re-evaluation: one later answer change until its verdict (median of several);
- bytes transferred, without and with gzip on the server, split into the
  Pyodide runtime, the checker's own files (``assets/checker/``) and the rest
  (page HTML, theme).

Prints a table (medians over the runs). Nothing here is a test.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, Page, Playwright, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.browser import CHROMIUM_ARGS, chromium_path, serve  # noqa: E402
from tests.sitebuild import build_site  # noqa: E402

BARE_HTML = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>loadPyodide seul</title></head>
<body><p id="state">chargement</p><script type="module" src="bare.mjs"></script></body></html>
"""
BARE_JS = """const index = new URL("../assets/pyodide/VERSION/", location.href).href;
const { loadPyodide } = await import(index + "pyodide.mjs");
await loadPyodide({ indexURL: index, packages: [] });
performance.mark("bare:ready");
document.getElementById("state").textContent = "prêt";
"""

MEASURE_REEVALUATION = """async ([name, value]) => {
  const before = performance.getEntriesByName("cagette-checker:verdict").length;
  const done = new Promise((resolve) => {
    const observer = new PerformanceObserver(() => {
      const marks = performance.getEntriesByName("cagette-checker:verdict");
      if (marks.length > before) { observer.disconnect(); resolve(marks.at(-1).startTime); }
    });
    observer.observe({ type: "mark" });
  });
  const start = performance.now();
  document.querySelector(`input[name="${name}"][value="${value}"]`).click();
  return (await done) - start;
}"""


def _mark(page: Page, name: str) -> float:
    return page.evaluate(f"performance.getEntriesByName({name!r})[0].startTime")


def _fcp(page: Page) -> float:
    return page.evaluate(
        "performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN")


def category(url: str) -> str:
    """Which part of the payload a URL belongs to."""
    path = urlsplit(url).path
    if "/assets/pyodide/" in path:
        return "pyodide"
    if "/assets/checker/" in path:
        return "checker"
    if path.endswith("/"):
        return "html"
    return "theme"


def _transferred(page: Page, action: Callable[[], None]) -> dict[str, int]:
    """Encoded body bytes of every response (page and worker) during ``action``, by category."""
    finished: list[Any] = []

    def record(request: Any) -> None:
        finished.append(request)

    page.on("requestfinished", record)
    action()
    page.remove_listener("requestfinished", record)
    sizes = {"pyodide": 0, "checker": 0, "html": 0, "theme": 0}
    for request in finished:
        # -1 when nothing was transferred (served from the browser's cache)
        sizes[category(request.url)] += max(0, request.sizes()["responseBodySize"])
    return sizes


# A later answer change, from the click to its verdict (the mark is set when the
# worker's answer reaches the page, before the result is drawn).
CHANGES = [("role", "producer"), ("direct_seller", "true"), ("account", "discovery"),
           ("account", "pro"), ("account", "trained"), ("account", "discovery"),
           ("account", "pro"), ("account", "trained")]


def visit_checker(context: BrowserContext, url: str, changes: bool) -> dict[str, float]:
    """One visit of the checker page: milestones (ms from navigation), bytes, re-evaluations."""
    page = context.new_page()
    page.set_default_timeout(180_000)

    def load() -> None:
        page.goto(url + "verificateur/")
        page.wait_for_selector("#cagette-checker[data-state=ready]")
        page.wait_for_function(
            "performance.getEntriesByName('cagette-checker:first-verdict').length > 0")

    sizes = _transferred(page, load)
    row = {
        "form visible": _fcp(page),
        "checker ready": _mark(page, "cagette-checker:ready"),
        "first verdict": _mark(page, "cagette-checker:first-verdict"),
        **{f"bytes {key}": float(value) for key, value in sizes.items()},
    }
    if changes:
        times = [page.evaluate(MEASURE_REEVALUATION, list(change)) for change in CHANGES]
        row["re-evaluation"] = statistics.median(times)
    page.close()
    return row


def visit_bare(context: BrowserContext, url: str) -> dict[str, float]:
    """One visit of the bare page (main-thread ``loadPyodide`` only)."""
    page = context.new_page()
    page.set_default_timeout(180_000)

    def load() -> None:
        page.goto(url + "bench-bare/")
        page.wait_for_function("performance.getEntriesByName('bare:ready').length > 0")

    sizes = _transferred(page, load)
    row = {"ready": _mark(page, "bare:ready"),
           **{f"bytes {key}": float(value) for key, value in sizes.items()}}
    page.close()
    return row


@dataclass
class Samples:
    """Per-visit rows of each kind: checker/bare × cold/warm."""

    checker_cold: list[dict[str, float]] = field(default_factory=list)
    checker_warm: list[dict[str, float]] = field(default_factory=list)
    bare_cold: list[dict[str, float]] = field(default_factory=list)
    bare_warm: list[dict[str, float]] = field(default_factory=list)


@contextlib.contextmanager
def fresh_profile(playwright: Playwright) -> Iterator[BrowserContext]:
    """Chromium with a new, empty on-disk profile (a real HTTP cache, as a visitor has).

    Incognito contexts keep a small in-memory cache that refuses files as big
    as the Pyodide runtime, so a warm visit there would download it again.
    """
    with tempfile.TemporaryDirectory(prefix="bench-profile-") as profile:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=chromium_path(), args=CHROMIUM_ARGS, locale="fr-FR")
        try:
            yield context
        finally:
            context.close()


def measure(site: Path, runs: int, gzip_bodies: bool) -> Samples:
    """``runs`` cold+warm visit pairs of each page, interleaved (same machine load)."""
    samples = Samples()
    with serve(site, gzip_bodies=gzip_bodies, cache_immutable=True) as server, \
            sync_playwright() as playwright:
        for _ in range(runs):
            with fresh_profile(playwright) as context:
                samples.checker_cold.append(visit_checker(context, server.url, changes=True))
                samples.checker_warm.append(visit_checker(context, server.url, changes=False))
            with fresh_profile(playwright) as context:
                samples.bare_cold.append(visit_bare(context, server.url))
                samples.bare_warm.append(visit_bare(context, server.url))
    return samples


def median(rows: list[dict[str, float]], key: str) -> float:
    """Median of one measure over the visits."""
    return statistics.median(row[key] for row in rows)


def prepare_site(dest: Path) -> Path:
    """Build the site into ``dest`` and add the bare ``loadPyodide`` page; return the site."""
    result = build_site(dest)
    if result.returncode != 0:
        raise RuntimeError(f"mkdocs build failed:\n{result.stdout}\n{result.stderr}")
    site = dest / "site"
    version = next((site / "assets" / "pyodide").iterdir()).name
    bare = site / "bench-bare"
    bare.mkdir()
    (bare / "index.html").write_text(BARE_HTML, encoding="utf-8")
    (bare / "bare.mjs").write_text(BARE_JS.replace("VERSION", version), encoding="utf-8")
    return site


def _total(row: dict[str, float]) -> float:
    return sum(value for key, value in row.items() if key.startswith("bytes "))


def run(runs: int = 5) -> list[dict[str, Any]]:
    """Benchmark rows: browser milestones (ms) and payload (KB), each next to its baseline."""
    with tempfile.TemporaryDirectory(prefix="checker-bench-") as tmp:
        site = prepare_site(Path(tmp))
        raw = measure(site, runs, gzip_bodies=False)
        gz = measure(site, 1, gzip_bodies=True)  # bytes only: the same on every run

    section = "Checker in headless Chromium (ms from navigation start)"
    rows: list[dict[str, Any]] = []
    for visit, checker, bare in (("cold", raw.checker_cold, raw.bare_cold),
                                 ("warm", raw.checker_warm, raw.bare_warm)):
        bare_ready = median(bare, "ready")
        ready = median(checker, "checker ready")
        common = {"section": section, "unit": "ms", "runs": runs}
        rows += [
            {**common, "benchmark": f"{visit}: bare page, loadPyodide ready (baseline)",
             "value": bare_ready},
            {**common, "benchmark": f"{visit}: form visible (first contentful paint)",
             "value": median(checker, "form visible")},
            {**common, "benchmark": f"{visit}: checker ready", "value": ready,
             "ratio": ready / bare_ready, "ratio_of": "bare", "goal": "≤ 1.10",
             "met": ready / bare_ready <= 1.10},
            {**common, "benchmark": f"{visit}: first verdict", "value": median(checker,
                                                                            "first verdict"),
             "ratio": median(checker, "first verdict") / bare_ready, "ratio_of": "bare"},
        ]
    reevaluation = median(raw.checker_cold, "re-evaluation")
    rows.append({"section": section, "unit": "ms", "runs": runs * len(CHANGES),
                 "benchmark": "later re-evaluation (click to verdict)", "value": reevaluation,
                 "goal": "< 20", "met": reevaluation < 20})

    section = "Payload of a cold visit (KB = 1000 bytes)"
    for label, samples in (("raw", raw), ("gzip", gz)):
        checker, bare = samples.checker_cold[0], samples.bare_cold[0]
        common = {"section": section, "unit": "KB", "runs": 1}
        ours = checker["bytes checker"] + checker["bytes html"]
        rows += [
            {**common, "benchmark": f"{label}: bare page, Pyodide files (baseline)",
             "value": bare["bytes pyodide"] / 1000},
            {**common, "benchmark": f"{label}: checker page, total", "value": _total(checker)
             / 1000, "ratio": _total(checker) / _total(bare), "ratio_of": "bare"},
            {**common, "benchmark": f"{label}: Material theme files (any page of the site)",
             "value": checker["bytes theme"] / 1000},
            {**common, "benchmark": f"{label}: our additions (assets/checker/ + page HTML)",
             "value": ours / 1000,
             **({"goal": "< 100", "met": ours < 100_000} if label == "gzip" else {})},
        ]
    warm = statistics.median(_total(row) for row in raw.checker_warm)
    rows.append({"section": section, "unit": "KB", "runs": runs, "value": warm / 1000,
                 "benchmark": "warm visit of the checker page: bytes downloaded again"})
    return rows


def main() -> int:
    from bench.table import format_table

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="cold+warm visits of each page")
    args = parser.parse_args()
    rows = run(args.runs)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"{os.cpu_count()} CPUs, load average {load}")
    print(format_table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
