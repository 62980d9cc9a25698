"""Fault tolerance of the checker page (Debian's Chromium, real Pyodide).

Each case breaks one file the checker needs (Playwright answers the request
instead of the server): the checker zip or the rules JSON missing or
corrupt, the trimmed standard library missing or corrupt, a Pyodide runtime
file failing. The faulty answer is held until the
user has answered the first question, so the answers typed before the
failure are really there. Then: a French error naming what failed, a
"Réessayer" button, the decision-table link, the answer kept; after
"Réessayer" with the fault gone, the checker works.

The page's clock stands still (``tests.browser.pause_clock``): its watchdog never
fires, so the error shown is the one the page found in the file, however long a busy
machine takes to start Python; a fault the page failed to detect ends at the tests'
generous limit (with no error, or the watchdog's message, which is not accepted).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, Route, expect

from tests.browser import (
    LOAD_TIMEOUT_MS,
    READY,
    PageWatch,
    Server,
    pause_clock,
)

pytestmark = [pytest.mark.browser, pytest.mark.build]

TECHNICAL = re.compile(r"Traceback|Error|undefined|exit\(|https?://")


@dataclass(frozen=True)
class Fault:
    """One broken file: which requests, the answer given instead, the expected message."""

    pattern: str
    status: int
    body: bytes
    message: str


FAULTS = {
    "zip-404": Fault("**/assets/checker/checker.*.zip", 404, b"absent",
                              "checker.*.zip n'a pas pu être téléchargé (erreur HTTP 404)"),
    # A file whose bytes do not give the hash in its name is refused before use.
    "zip-corrupt": Fault("**/assets/checker/checker.*.zip", 200,
                          b"PK\x03\x04 ceci n'est pas une archive",
                          "le fichier checker.*.zip est altéré (son contenu ne correspond pas "
                          "à son empreinte)"),
    "rules-404": Fault("**/assets/checker/rules.*.json", 404, b"absent",
                                   "rules.*.json n'a pas pu être téléchargé (erreur HTTP 404)"),
    "rules-corrupt": Fault("**/assets/checker/rules.*.json", 200, b'{"questions": [',
                           "le fichier rules.*.json est altéré (son contenu ne correspond pas "
                           "à son empreinte)"),
    "stdlib-404": Fault(
        "**/pyodide/*/stdlib.*.zip", 404, b"absent",
        "stdlib.*.zip n'a pas pu être téléchargé (erreur HTTP 404)"),
    "stdlib-corrupt": Fault("**/pyodide/*/stdlib.*.zip", 200, b"PK\x03\x04 illisible",
                            "le fichier stdlib.*.zip est altéré (son contenu ne correspond pas "
                            "à son empreinte)"),
    "wasm-500": Fault(
        "**/pyodide.asm.wasm", 500, b"erreur",
        "pyodide.asm.wasm n'a pas pu être téléchargé (erreur HTTP 500)"),
    "pyodide-mjs-404": Fault("**/pyodide/*/pyodide.mjs", 404, b"absent",
                                      "le moteur Python (Pyodide) n'a pas pu être chargé"),
}


def expected_message(fault: Fault) -> re.Pattern[str]:
    return re.compile(re.escape(fault.message).replace(r"\*", r"[0-9a-f]{12}"))


@pytest.mark.parametrize("name", list(FAULTS))
def test_a_broken_file_gives_a_french_error_with_retry(page: Page, server: Server,
                                                       name: str) -> None:
    fault = FAULTS[name]
    held: list[Route] = []
    watch = PageWatch().attach(page)
    pause_clock(page)

    def hold(route: Route) -> None:
        held.append(route)

    page.route(fault.pattern, hold)
    page.goto(f"{server.url}verificateur/")
    producer = page.locator("input[name='role'][value='producer']")
    producer.check()  # typed while the file is still on its way
    expect(page.locator("#cagette-checker")).to_have_attribute("data-state", "loading")
    for _ in range(LOAD_TIMEOUT_MS // 50):  # wait until the checker asks for the file…
        if held:
            break
        page.wait_for_timeout(50)
    assert held, f"{fault.pattern} jamais demandé"
    headers = {"Cache-Control": "no-store", "Content-Type": "application/octet-stream"}
    for route in held:
        route.fulfill(status=fault.status, body=fault.body, headers=headers)

    failure = page.locator("#cagette-checker-failure")
    # Some faults show only once the runtime is loaded: the load's generous limit.
    expect(page.locator("#cagette-checker")).to_have_attribute("data-state", "error",
                                                              timeout=LOAD_TIMEOUT_MS)
    expect(failure).to_be_visible()
    expect(failure).to_contain_text(expected_message(fault))
    assert not TECHNICAL.search(failure.inner_text()), failure.inner_text()
    expect(failure.get_by_role("link", name="tableau de décision")).to_have_attribute(
        "href", re.compile(r"tableau-de-decision/$"))
    expect(producer).to_be_checked()  # the answer is still there

    page.unroute(fault.pattern)
    failure.get_by_role("button", name="Réessayer").click()
    page.wait_for_selector(READY)
    expect(failure).to_be_hidden()
    expect(producer).to_be_checked()
    expect(page.locator("fieldset[data-question='direct_seller']")).to_be_visible()  # Python ran
    page.locator("input[name='direct_seller'][value='false']").check()
    page.wait_for_selector("#cagette-checker[data-verdict=complete]")
    expect(page.locator("#cagette-checker-result-body")).to_contain_text(
        "Pas de compte producteur")
    assert watch.outside == []
    assert watch.page_errors == []
