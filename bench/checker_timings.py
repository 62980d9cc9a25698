"""Checker start-up in headless Chromium, next to bare ``loadPyodide`` from the same files.

Usage: ``.venv/bin/python -m bench.checker_timings [--runs N]`` (also part of
``python -m bench``; ``make bench-checker``).

Builds the site with the real ``mkdocs build --strict`` plus reference pages
(``bench/checker_site.py``): a bare ``loadPyodide``, the checker page with the
runtime shipped before issue 10 ("today"), and the trimmed runtime with and
without a memory snapshot. Serves it on 127.0.0.1 as production should
(``sitegen.site_server``: brotli/gzip siblings, gzip on the fly for the rest,
year-long ``Cache-Control`` on hashed and versioned files) and measures, each
run with a new on-disk Chromium profile per page:

- cold (empty profile) then warm (second visit: HTTP cache, code caches,
  service worker, the checker's kept snapshot) first verdict; the checker
  page's form paint, readiness and later re-evaluations; each cold visit stays
  ``DWELL_MS`` more, as a reader would (the checker page until its snapshot is
  kept);
- whether the warm visit reused the compiled wasm: Chromium's trace event
  ``v8.wasm.moduleCacheHit`` (no V8 flag: the real rate);
- a cold visit on a 4 Mbit/s, 40 ms link (Chromium's network emulation);
- the bytes of a cold visit with brotli, with gzip only, and uncompressed.

Prints a table of medians with ratios to the baseline of the same run.
Nothing here is a test.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, Page, Playwright, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.checker_site import prepare_site  # noqa: E402
from sitegen.site_server import serve  # noqa: E402
from tests.browser import CHROMIUM_ARGS, chromium_path, traced, wasm_cache_events  # noqa: E402

# 4 Mbit/s down and up (bytes per second), 40 ms of latency.
THROTTLE = {"offline": False, "latency": 40, "downloadThroughput": 500_000,
            "uploadThroughput": 500_000}
DWELL_MS = 3000  # after a cold visit: V8 stores the compiled wasm after 2 s of quiet
SNAPSHOTS = """async () => {
  const cache = await caches.open("cagette-checker-snapshot");
  return (await cache.keys()).length;
}"""
READING_MS = 2000  # a person reads the first question before answering it
WASM = "/pyodide.asm.wasm"
CODINGS = {"brotli": ("br", "gzip"), "gzip": ("gzip",), "raw": ()}

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
# A later answer change, from the click to its verdict (the mark is set when the
# worker's answer reaches the page, before the result is drawn).
CHANGES = [("role", "producer"), ("direct_seller", "true"), ("account", "discovery"),
           ("account", "pro"), ("account", "trained"), ("account", "discovery"),
           ("account", "pro"), ("account", "trained")]


@dataclass(frozen=True)
class Target:
    """A page measured: where, what tells it is done, the mark timing it."""

    path: str
    done: str
    mark: str


CHECKER_DONE = "#cagette-checker[data-verdict]"
CHECKER_MARK = "cagette-checker:first-verdict"
VARIANT_DONE = "body[data-done=verdict]"
VARIANT_MARK = "variant:first-verdict"
TARGETS = {
    "checker": Target("verificateur/", CHECKER_DONE, CHECKER_MARK),
    "today": Target("bench-today/", CHECKER_DONE, CHECKER_MARK),
    "bare": Target("bench-bare/", "body[data-done=ready]", "bare:ready"),
    "trimmed": Target("bench-variant/?mode=trimmed", VARIANT_DONE, VARIANT_MARK),
    "shipped-snapshot": Target("bench-variant/?mode=shipped-snapshot", VARIANT_DONE,
                               VARIANT_MARK),
    "browser-snapshot": Target("bench-variant/?mode=browser-snapshot", VARIANT_DONE,
                               VARIANT_MARK),
}
THROTTLED = ("checker", "today", "trimmed", "shipped-snapshot", "browser-snapshot")


def category(url: str) -> str:
    """Which part of the payload a URL belongs to."""
    path = urlsplit(url).path
    if "/assets/pyodide/" in path or "/pyodide/" in path or "/bench-variant/snapshot" in path:
        return "runtime"
    if "/assets/checker/" in path or "/bench-today/ui/" in path:
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
    sizes = {"runtime": 0, "checker": 0, "html": 0, "theme": 0}
    for request in finished:
        # -1 when nothing was transferred (served from a cache)
        sizes[category(request.url)] += max(0, request.sizes()["responseBodySize"])
    return sizes


def _mark(page: Page, name: str) -> float:
    return float(page.evaluate(f"performance.getEntriesByName({name!r})[0]?.startTime ?? NaN"))


def wait_snapshot(page: Page) -> None:
    """Stay on the checker page until its worker keeps the memory snapshot."""
    for _ in range(600):
        if page.evaluate(SNAPSHOTS):
            return
        page.wait_for_timeout(100)
    raise RuntimeError("the checker kept no snapshot")


def visit(context: BrowserContext, url: str, name: str, *, cold: bool,
          throttle: bool = False, extras: bool = True) -> dict[str, float]:
    """One visit: first verdict (ms from navigation), bytes, code-cache facts.

    ``extras``: after a cold visit, the re-evaluations, the snapshots, the dwell.
    """
    target = TARGETS[name]
    page = context.new_page()
    page.set_default_timeout(300_000)
    if throttle:
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", THROTTLE)

    def load() -> None:
        page.goto(url + target.path)
        page.wait_for_selector(target.done)

    hits: dict[str, int] = {}

    def load_traced() -> None:
        hits.update(wasm_cache_events(traced(page, load), WASM))

    sizes = _transferred(page, load if cold or throttle else load_traced)
    start = page.locator("#cagette-checker").get_attribute("data-start") if name in (
        "checker", "today") else None
    row = {"first": _mark(page, target.mark), "fcp": _mark(page, "first-contentful-paint"),
           "ready": _mark(page, "cagette-checker:ready"),
           "from snapshot": float(start == "snapshot"),
           **{f"bytes {key}": float(value) for key, value in sizes.items()}}
    if hits:
        row["hit"] = float(hits["v8.wasm.moduleCacheHit"] > 0)
    extras = extras and cold and not throttle
    if name == "checker" and extras:
        half = len(CHANGES) // 2
        soon = [page.evaluate(MEASURE_REEVALUATION, list(c)) for c in CHANGES[:half]]
        page.wait_for_timeout(READING_MS)
        later = [page.evaluate(MEASURE_REEVALUATION, list(c)) for c in CHANGES[half:]]
        row["re-evaluation at once"] = statistics.median(soon)
        row["re-evaluation"] = statistics.median(later)
    if name == "browser-snapshot" and extras:
        page.wait_for_selector("body[data-stored=yes]")
        row["snapshot ms"] = float(page.locator("body").get_attribute("data-snapshot-ms") or 0)
        row["snapshot bytes"] = float(page.locator("body").get_attribute("data-snapshot-bytes")
                                      or 0)
    if name == "checker" and extras:
        wait_snapshot(page)
    if extras:
        page.wait_for_timeout(DWELL_MS)
    page.close()
    return row


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


Samples = dict[str, list[dict[str, float]]]  # "checker cold" -> one row per run


def measure(site: Path, runs: int, throttled_runs: int) -> tuple[Samples, Samples]:
    """Cold+warm visits of every page, then throttled cold visits, interleaved per run."""
    samples: Samples = {}
    payload: Samples = {}
    with sync_playwright() as playwright:
        with serve(site, cache_immutable=True, dynamic_gzip=True) as server:
            for _ in range(runs):
                for name in TARGETS:
                    with fresh_profile(playwright) as context:
                        samples.setdefault(f"{name} cold", []).append(
                            visit(context, server.url, name, cold=True))
                        samples.setdefault(f"{name} warm", []).append(
                            visit(context, server.url, name, cold=False))
            for _ in range(throttled_runs):
                for name in THROTTLED:
                    with fresh_profile(playwright) as context:
                        samples.setdefault(f"{name} throttled", []).append(
                            visit(context, server.url, name, cold=True, throttle=True))
        for label, codings in CODINGS.items():
            with serve(site, cache_immutable=True, dynamic_gzip="gzip" in codings,
                       codings=codings) as server:
                for name in ("checker", "today", "bare"):
                    with fresh_profile(playwright) as context:
                        payload[f"{name} {label}"] = [
                            visit(context, server.url, name, cold=True, extras=False)]
    return samples, payload


def median(rows: list[dict[str, float]], key: str) -> float:
    """Median of one measure over the visits."""
    return statistics.median(row[key] for row in rows)


def _total(row: dict[str, float]) -> float:
    return sum(value for key, value in row.items() if key.startswith("bytes "))


def _row(section: str, benchmark: str, value: float, unit: str, runs: int | str,
         baseline: float | None = None, of: str = "", goal: str = "",
         met: bool | None = None) -> dict[str, Any]:
    row: dict[str, Any] = {"section": section, "benchmark": benchmark, "value": value,
                           "unit": unit, "runs": runs}
    if baseline:
        row |= {"ratio": value / baseline, "ratio_of": of}
    if goal:
        row |= {"goal": goal, "met": bool(met)}
    return row


def startup_rows(s: Samples, runs: int) -> list[dict[str, Any]]:
    """Cold and warm start-up next to bare ``loadPyodide``, and the code-cache facts."""
    section = "Checker start-up in headless Chromium, loopback (ms from navigation start)"
    rows: list[dict[str, Any]] = []
    for visit_kind, goal in (("cold", 0.60), ("warm", 0.50)):
        bare = median(s[f"bare {visit_kind}"], "first")
        first = median(s[f"checker {visit_kind}"], "first")
        rows += [
            _row(section, f"{visit_kind}: bare page, loadPyodide ready (baseline)", bare, "ms",
                 runs),
            _row(section, f"{visit_kind}: form visible (first contentful paint)",
                 median(s[f"checker {visit_kind}"], "fcp"), "ms", runs),
            _row(section, f"{visit_kind}: checker ready", median(s[f"checker {visit_kind}"],
                                                                 "ready"), "ms", runs, bare,
                 "bare"),
            _row(section, f"{visit_kind}: first verdict", first, "ms", runs, bare, "bare",
                 f"≤ {goal:.2f}", first / bare <= goal),
            _row(section, f"{visit_kind}: first verdict, today's runtime",
                 median(s[f"today {visit_kind}"], "first"), "ms", runs, bare, "bare"),
        ]
    rows.append(_row(section, "warm: checker started from its kept snapshot",
                     sum(r["from snapshot"] for r in s["checker warm"]), "of runs", runs))
    for name, label in (("checker", "checker"), ("today", "today's runtime"),
                        ("bare", "bare page")):
        hits = sum(r.get("hit", 0) for r in s[f"{name} warm"])
        rows.append(_row(section, f"warm: compiled wasm reused (code cache), {label}", hits,
                         "of runs", runs))
    half = len(CHANGES) // 2
    reevaluation = median(s["checker cold"], "re-evaluation")
    rows += [
        _row(section, "re-evaluation right after the first verdict (click to verdict)",
             median(s["checker cold"], "re-evaluation at once"), "ms", runs * half),
        _row(section, f"re-evaluation after {READING_MS / 1000:.0f} s of reading", reevaluation,
             "ms", runs * (len(CHANGES) - half), goal="< 5", met=reevaluation < 5),
    ]
    return rows


def throttled_rows(s: Samples, runs: int) -> list[dict[str, Any]]:
    """First verdict of a cold visit on a 4 Mbit/s, 40 ms link."""
    section = "Cold visit on a 4 Mbit/s, 40 ms link (Chromium network emulation; ms)"
    today = median(s["today throttled"], "first")
    ours = median(s["checker throttled"], "first")
    return [
        _row(section, "today's runtime: first verdict (baseline)", today, "ms", runs),
        _row(section, "our runtime: first verdict", ours, "ms", runs, today, "today",
             "≤ 0.70", ours / today <= 0.70),
    ]


def payload_rows(p: Samples, warm: list[dict[str, float]]) -> list[dict[str, Any]]:
    """Bytes of a cold visit of each page, by encoding."""
    section = "Payload of a cold visit (KB = 1000 bytes)"
    rows: list[dict[str, Any]] = []
    for label in CODINGS:
        checker, today, bare = (p[f"{name} {label}"][0] for name in ("checker", "today", "bare"))
        total = _total(checker)
        ours = checker["bytes checker"] + checker["bytes html"]
        rows += [
            _row(section, f"{label}: bare page, Pyodide files (baseline)",
                 bare["bytes runtime"] / 1000, "KB", 1),
            _row(section, f"{label}: checker page, total", total / 1000, "KB", 1,
                 _total(bare) / 1000, "bare",
                 **({"goal": "≤ 4500", "met": total <= 4_500_000} if label == "brotli" else {})),
            _row(section, f"{label}: checker page, today's runtime, total",
                 _total(today) / 1000, "KB", 1, _total(bare) / 1000, "bare"),
            _row(section, f"{label}: runtime (Pyodide + trimmed stdlib)",
                 checker["bytes runtime"] / 1000, "KB", 1),
            _row(section, f"{label}: Material theme files (any page of the site)",
                 checker["bytes theme"] / 1000, "KB", 1),
            _row(section, f"{label}: our additions (assets/checker/ + page HTML)",
                 ours / 1000, "KB", 1,
                 **({"goal": "< 100", "met": ours < 100_000} if label != "raw" else {})),
        ]
    rows.append(_row(section, "warm visit of the checker page: bytes downloaded again",
                     statistics.median(_total(row) for row in warm) / 1000, "KB", len(warm)))
    return rows


def snapshot_rows(s: Samples, runs: int, throttled: int) -> list[dict[str, Any]]:
    """The memory-snapshot options next to the trimmed runtime alone (same minimal page)."""
    section = "Memory snapshot options (minimal page, worker; ms)"
    rows: list[dict[str, Any]] = []
    for kind, count in (("cold", runs), ("warm", runs), ("throttled", throttled)):
        base = median(s[f"trimmed {kind}"], "first")
        rows += [
            _row(section, f"{kind}: trimmed runtime, first verdict (baseline)", base, "ms",
                 count),
            _row(section, f"{kind}: + snapshot shipped with the site (rejected)", median(
                s[f"shipped-snapshot {kind}"], "first"), "ms", count, base, "trimmed"),
        ]
        rows.append(_row(section, f"{kind}: + snapshot made by the browser (adopted)", median(
            s[f"browser-snapshot {kind}"], "first"), "ms", count, base, "trimmed"))
    cold = s["browser-snapshot cold"]
    rows += [
        _row(section, "first visit: making and storing the browser's snapshot",
             median(cold, "snapshot ms"), "ms", runs),
        _row(section, "browser's snapshot kept in Cache Storage (MB)",
             median(cold, "snapshot bytes") / 1e6, "MB", runs),
        _row(section, "shipped snapshot over the wire (brotli 9, KB)",
             median(s["shipped-snapshot cold"], "bytes runtime") / 1000
             - median(s["trimmed cold"], "bytes runtime") / 1000, "KB", runs),
    ]
    return rows


def run(runs: int = 5, throttled_runs: int = 3) -> list[dict[str, Any]]:
    """Every row of the checker benchmarks (the raw samples kept in bench/results/)."""
    with tempfile.TemporaryDirectory(prefix="checker-bench-") as tmp:
        site = prepare_site(Path(tmp))
        samples, payload = measure(site, runs, throttled_runs)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "checker-samples.json").write_text(
        json.dumps({"samples": samples, "payload": payload}, indent=1))
    return rows_of(samples, payload, runs, throttled_runs)


def rows_of(samples: Samples, payload: Samples, runs: int, throttled_runs: int
            ) -> list[dict[str, Any]]:
    """The table's rows from the samples."""
    return [*startup_rows(samples, runs), *throttled_rows(samples, throttled_runs),
            *payload_rows(payload, samples["checker warm"]),
            *snapshot_rows(samples, runs, throttled_runs)]


def main() -> int:
    from bench.table import format_table

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="cold+warm visits of each page")
    parser.add_argument("--throttled-runs", type=int, default=3,
                        help="cold visits of each page on the 4 Mbit/s link")
    args = parser.parse_args()
    rows = run(args.runs, args.throttled_runs)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"{os.cpu_count()} CPUs, load average {load}")
    print(format_table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
