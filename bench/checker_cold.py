"""Cold visits of the checker page on two built sites, in turn: first verdict, medians.

Usage: ``.venv/bin/python -m bench.checker_cold SITE OTHER_SITE [--runs N]``: each site
folder (``python -m sitegen.build --site-dir DIR``, in this checkout and in another) is
served as production serves it, and its checker page visited with a new Chromium profile
each time, the two sites in turn. Prints each site's median first verdict (ms from
navigation) and the ratio of the first to the second: a change's cost on a first visit,
without the other pages ``make bench-checker`` also measures.
"""

from __future__ import annotations

import argparse
import statistics
from contextlib import ExitStack
from pathlib import Path

from playwright.sync_api import sync_playwright

from bench.checker_timings import CHECKER_DONE, CHECKER_MARK, _mark, fresh_profile
from sitegen.site_server import serve


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sites", type=Path, nargs=2)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    firsts: dict[Path, list[float]] = {site: [] for site in args.sites}
    with sync_playwright() as playwright, ExitStack() as servers:
        urls = {site: servers.enter_context(serve(site, cache_immutable=True,
                                                  dynamic_gzip=True)).url
                for site in args.sites}
        for run in range(args.runs):
            for site in args.sites if run % 2 == 0 else reversed(args.sites):
                with fresh_profile(playwright) as context:
                    page = context.new_page()
                    page.goto(urls[site] + "verificateur/")
                    page.wait_for_selector(CHECKER_DONE, timeout=120_000)
                    firsts[site].append(_mark(page, CHECKER_MARK))
    medians = {site: statistics.median(found) for site, found in firsts.items()}
    for site, found in firsts.items():
        print(f"{site}: first verdict {medians[site]:.0f} ms (median of {len(found)}; "
              f"{min(found):.0f}–{max(found):.0f})")
    first, second = args.sites
    print(f"ratio {medians[first] / medians[second]:.2f} × {second}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
