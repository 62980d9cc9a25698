"""Browser checker timings in headless Chromium on loopback, next to bare ``loadPyodide``.

Usage: ``.venv/bin/python -m bench.checker_timings [--runs N]``

Builds the site with the real ``mkdocs build --strict`` into a temporary
directory, adds a bare page there that only calls ``loadPyodide`` from the same
self-hosted files, serves it on 127.0.0.1 and measures, each run with a cold
browser context (empty cache):

- form visible: first contentful paint of the checker page (the form is in the
  HTML, so it is painted with the first content);
- checker ready: Pyodide loaded in the worker, rules and checker unpacked;
- first verdict: the evaluation sent when the page binds, answered;
- re-evaluation: one later answer change until its verdict (median of several);
- bytes transferred, without and with gzip on the server.

Prints a table (medians over the runs). Nothing here is a test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.browser import launch_chromium, serve  # noqa: E402
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


def _transferred(page: Page, action: Callable[[], None]) -> int:
    """Encoded body bytes of every response (page and worker) during ``action``."""
    finished: list[Any] = []

    def record(request: Any) -> None:
        finished.append(request)

    page.on("requestfinished", record)
    action()
    page.remove_listener("requestfinished", record)
    return sum(r.sizes()["responseBodySize"] for r in finished)


def run_checker(browser: Browser, url: str) -> dict[str, float]:
    """One cold load of the checker page and a few answer changes."""
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(180_000)

    def load() -> None:
        page.goto(url + "verificateur/")
        page.wait_for_selector("#cagette-checker[data-state=ready]")
        page.wait_for_function(
            "performance.getEntriesByName('cagette-checker:first-verdict').length > 0")

    size = _transferred(page, load)
    row = {
        "form visible (FCP)": _fcp(page),
        "checker ready": _mark(page, "cagette-checker:ready"),
        "first verdict": _mark(page, "cagette-checker:first-verdict"),
    }
    changes = [("role", "producer"), ("direct_seller", "true"), ("account", "discovery"),
               ("account", "pro"), ("account", "trained"), ("account", "discovery")]
    times = [page.evaluate(MEASURE_REEVALUATION, list(change)) for change in changes]
    row["re-evaluation (median)"] = statistics.median(times)
    row["bytes"] = float(size)
    context.close()
    return row


def run_bare(browser: Browser, url: str) -> dict[str, float]:
    """One cold load of the bare page (main-thread ``loadPyodide`` only)."""
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(180_000)

    def load() -> None:
        page.goto(url + "bench-bare/")
        page.wait_for_function("performance.getEntriesByName('bare:ready').length > 0")

    size = _transferred(page, load)
    row = {"loadPyodide ready": _mark(page, "bare:ready"), "bytes": float(size)}
    context.close()
    return row


def measure(site: Path, runs: int, gzip_bodies: bool) -> tuple[list[dict], list[dict]]:
    checker_rows, bare_rows = [], []
    with serve(site, gzip_bodies=gzip_bodies) as server, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        for _ in range(runs):  # interleaved, so both see the same machine load
            checker_rows.append(run_checker(browser, server.url))
            bare_rows.append(run_bare(browser, server.url))
        browser.close()
    return checker_rows, bare_rows


def median(rows: list[dict], key: str) -> float:
    return statistics.median(row[key] for row in rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="cold loads of each page")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="checker-bench-") as tmp:
        dest = Path(tmp)
        result = build_site(dest)
        if result.returncode != 0:
            print(result.stdout, result.stderr, file=sys.stderr)
            return 1
        site = dest / "site"
        version = next((site / "assets" / "pyodide").iterdir()).name
        bare = site / "bench-bare"
        bare.mkdir()
        (bare / "index.html").write_text(BARE_HTML, encoding="utf-8")
        (bare / "bare.mjs").write_text(BARE_JS.replace("VERSION", version), encoding="utf-8")
        checker_raw, bare_raw = measure(site, args.runs, gzip_bodies=False)
        checker_gz, bare_gz = measure(site, 1, gzip_bodies=True)

    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"Headless Chromium, loopback, cold cache, median of {args.runs} runs (ms); "
          f"{os.cpu_count()} CPUs, load average {load}:")
    print(f"{'':<34}{'checker page':>14}{'bare loadPyodide':>18}")
    for key in ("form visible (FCP)", "checker ready", "first verdict", "re-evaluation (median)"):
        print(f"{key:<34}{median(checker_raw, key):>14.1f}{'':>18}")
    bare_ready = median(bare_raw, "loadPyodide ready")
    print(f"{'Pyodide ready (bare page)':<34}{'':>14}{bare_ready:>18.1f}")
    mb = 1_000_000
    print(f"{'bytes transferred, raw (MB)':<34}{median(checker_raw, 'bytes') / mb:>14.2f}"
          f"{median(bare_raw, 'bytes') / mb:>18.2f}")
    print(f"{'bytes transferred, gzip (MB)':<34}{checker_gz[0]['bytes'] / mb:>14.2f}"
          f"{bare_gz[0]['bytes'] / mb:>18.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
