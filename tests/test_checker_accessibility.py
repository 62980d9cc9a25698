"""The checker page in Debian's Chromium: axe-core finds no WCAG 2.1 A/AA
violation in any of its states, in the light and the dark scheme; the verdict
lands in an ``aria-live`` region; and the whole run happens under the page's
CSP meta tag and the HTTP header policy (which governs the worker) with no
``securitypolicyviolation`` event and no console error."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, Response, expect

from tests.browser import (
    CHECKER_CSP,
    COMPLETE,
    LOAD_TIMEOUT_MS,
    READY,
    PageWatch,
    Server,
    axe_violations,
    csp_violations,
    new_context,
)

pytestmark = [pytest.mark.browser, pytest.mark.build]

SCHEMES = ["light", "dark"]
FOCUSED_BUTTON = {"light": "rgb(191, 54, 12)", "dark": "rgb(255, 171, 145)"}  # the accent


def new_page(browser: Browser, scheme: str) -> Page:
    return new_context(browser, color_scheme=scheme).new_page()


def choose(page: Page, qid: str, value: str) -> None:
    expect(page.locator(f"fieldset[data-question='{qid}']")).to_be_visible()
    page.locator(f"input[name='{qid}'][value='{value}']").check()


@pytest.mark.parametrize("scheme", SCHEMES)
def test_every_state_of_the_checker_passes_axe_under_the_csp(browser: Browser, server: Server,
                                                              scheme: str) -> None:
    page = new_page(browser, scheme)
    watch = PageWatch().attach(page)
    worker_csp: list[str | None] = []

    def on_response(response: Response) -> None:
        if urlsplit(response.url).path.endswith("/checker-worker.mjs"):
            worker_csp.append(response.header_value("content-security-policy"))

    page.on("response", on_response)
    page.goto(f"{server.url}verificateur/?as_of=2022-06-01")
    page.wait_for_selector(READY)
    found = axe_violations(page, "avant réponse")
    # A focused button (keyboard users), once its colours have settled.
    reset = page.locator("#cagette-checker-reset")
    reset.focus()
    expect(reset).to_have_css("background-color", FOCUSED_BUTTON[scheme])
    found |= axe_violations(page, "bouton en focus")
    reset.blur()

    # A complete producer verdict, with actions and a deadline.
    choose(page, "role", "producer")
    choose(page, "direct_seller", "true")
    choose(page, "account", "trained")
    choose(page, "manages_other_producers", "true")
    page.wait_for_selector(COMPLETE)
    result = page.locator("#cagette-checker-result")
    expect(result).to_have_attribute("aria-live", "polite")
    expect(result.locator(".cagette-checker__plan")).to_contain_text("Votre formule")
    expect(result.locator(".cagette-checker__deadline").first).to_contain_text(
        "au plus tard le 31 décembre 2022")
    found |= axe_violations(page, "verdict producteur")

    # An answer error shown next to its field.
    choose(page, "account", "none")
    amount = page.locator("input[name='sales_outside_amap_eur']")
    expect(amount).to_be_visible()
    amount.fill("-5")  # checked as typed (no Tab: the focus stays in the field)
    expect(page.locator("#q-sales_outside_amap_eur-error")).to_be_visible()
    found |= axe_violations(page, "erreur de saisie")

    # A coordinator verdict (permissions, no plan).
    choose(page, "role", "coordinator")
    choose(page, "group_mode", "shop")
    page.wait_for_selector(COMPLETE)
    expect(result.locator(".cagette-checker__permissions")).to_be_visible()
    found |= axe_violations(page, "verdict coordinateur")

    assert found == {}
    assert csp_violations(page) == []
    assert page.locator("meta[http-equiv='Content-Security-Policy']").count() == 1
    assert worker_csp == [CHECKER_CSP]  # the header policy governed the worker
    watch.assert_clean()  # includes the worker's console: no CSP report there either
    page.context.close()


@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_load_failure_passes_axe(browser: Browser, server: Server, scheme: str) -> None:
    page = new_page(browser, scheme)
    page.route("**/checker.*.zip", lambda route: route.fulfill(status=404, body="absent"))
    page.goto(f"{server.url}verificateur/")
    failure = page.locator("#cagette-checker-failure")
    expect(failure.get_by_role("button", name="Réessayer")).to_be_visible(timeout=LOAD_TIMEOUT_MS)
    expect(failure).to_have_attribute("role", "alert")
    assert axe_violations(page, "échec du chargement") == {}
    assert csp_violations(page) == []
    page.context.close()


def test_axe_would_see_a_violation(browser: Browser, server: Server) -> None:
    """The helper really reports: an unlabelled field added to the page is caught."""
    page = new_page(browser, "light")
    page.goto(f"{server.url}verificateur/")
    page.locator("#cagette-checker-form").evaluate(
        "form => form.append(Object.assign(document.createElement('input'), {type: 'text'}))")
    assert "label" in {key.split()[-1] for key in axe_violations(page)}
    page.context.close()
