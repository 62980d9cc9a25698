"""Offline revisits (Debian's Chromium, real Pyodide, the real service worker).

Once the checker has worked, it works again with the network cut: the server
stopped (connections refused) and the browser offline. A new build (another
manifest) replaces the kept files cleanly: one cache, the new one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from checker import evaluate
from checker.model import CompiledRules
from tests.browser import (
    COMPLETE,
    LOAD_TIMEOUT_MS,
    READY,
    PageWatch,
    new_context,
    serve,
)
from tests.sitebuild import ROOT, build_site, default_site

pytestmark = [pytest.mark.browser, pytest.mark.build]

# The service worker's caches (the worker's memory snapshot has its own).
CACHES = """async () => {
  const names = (await caches.keys()).filter((name) => name.startsWith("cagette-checker:"));
  const urls = {};
  for (const name of names) urls[name] = (await (await caches.open(name)).keys()).map((r) => r.url);
  return urls;
}"""


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh context whose pages register the service worker, as a visitor's do."""
    opened = new_context(browser, service_workers="allow")
    yield opened
    opened.close()


def kept(page: Page, manifest: str, theme_file: str) -> dict[str, list[str]]:
    """Wait until the service worker of ``manifest`` keeps its files and the theme's."""
    for _ in range(LOAD_TIMEOUT_MS // 250):
        caches = page.evaluate(CACHES)
        name = f"cagette-checker:{manifest}"
        if list(caches) == [name] and any(url.endswith(theme_file) for url in caches[name]):
            return caches
        page.wait_for_timeout(250)
    raise AssertionError(f"service worker files never kept: {page.evaluate(CACHES)}")


def manifest_of(site: Path) -> dict:
    html = (site / "verificateur" / "index.html").read_text(encoding="utf-8")
    uri = re.search(r'data-manifest="\.\./([^"]+)"', html).group(1)
    return {"name": uri.rsplit("/", 1)[1], **json.loads((site / uri).read_text())}


def theme_bundle(site: Path) -> str:
    return next((site / "assets" / "javascripts").glob("bundle.*.min.js")).name


def test_the_checker_works_again_with_the_network_cut(context: BrowserContext,
                                                      compiled: CompiledRules) -> None:
    site = default_site()
    manifest = manifest_of(site)
    page = context.new_page()
    with serve(site) as server:
        page.goto(f"{server.url}verificateur/")
        page.wait_for_selector(READY)
        caches = kept(page, manifest["name"], theme_bundle(site))
        url = server.url
    name = f"cagette-checker:{manifest['name']}"
    wanted = {url + path for path in [manifest["offline"]["page"], *manifest["offline"]["files"]]}
    assert wanted <= set(caches[name])
    assert all(kept_url.startswith(url) for kept_url in caches[name])  # the site's own only

    context.set_offline(True)  # and the server is gone: connections are refused
    offline = context.new_page()
    watch = PageWatch().attach(offline)
    failed: list[str] = []
    offline.on("requestfailed", lambda request: failed.append(request.url))
    offline.goto(f"{url}verificateur/?role=coordinator&group_mode=shop")
    offline.wait_for_selector(READY)
    offline.wait_for_selector(COMPLETE)
    verdict = evaluate(compiled, {"role": "coordinator", "group_mode": "shop"})
    for action in verdict["actions"]:
        expect(offline.locator(".cagette-checker__actions")).to_contain_text(action["title"])
    offline.locator("input[name='role'][value='producer']").check()  # Python still answers
    expect(offline.locator("fieldset[data-question='direct_seller']")).to_be_visible()
    # What failed is the site's search and sitemap, never the checker's files.
    assert failed, "the network was not cut"
    assert not [u for u in failed if u in wanted or "/assets/checker/" in u
                or "/assets/pyodide/" in u], failed
    assert watch.outside == []


def test_a_new_build_replaces_the_kept_files(context: BrowserContext, tmp_path: Path) -> None:
    first = default_site()
    rules = (ROOT / "data" / "rules.yaml").read_text(encoding="utf-8")
    changed = rules.replace("  title: Nouvelles règles sur Cagette depuis le {{ effective_date }}",
                            "  title: Nouvelles règles sur Cagette (mise à jour)", 1)
    assert changed != rules
    result = build_site(tmp_path / "second", changed)
    assert result.returncode == 0, result.stdout + result.stderr
    second = tmp_path / "second" / "site"
    old, new = manifest_of(first), manifest_of(second)
    assert old["name"] != new["name"]

    live = tmp_path / "live"
    live.symlink_to(first, target_is_directory=True)
    page = context.new_page()
    with serve(live) as server:
        page.goto(f"{server.url}verificateur/")
        page.wait_for_selector(READY)
        kept(page, old["name"], theme_bundle(first))
        live.unlink()
        live.symlink_to(second, target_is_directory=True)  # the new build is deployed
        page.reload()  # the page comes from the network first: the new one
        page.wait_for_selector(READY)
        caches = kept(page, new["name"], theme_bundle(second))
        url = server.url
    assert list(caches) == [f"cagette-checker:{new['name']}"]  # the old cache is gone
    assert url + new["rules"] in caches[f"cagette-checker:{new['name']}"]

    context.set_offline(True)
    offline = context.new_page()
    offline.goto(f"{url}verificateur/")
    offline.wait_for_selector(READY)
    expect(offline.locator("#cagette-checker")).to_have_attribute(
        "data-rules", f"../{new['rules']}")
