"""The checker page holds still while it loads (Debian's Chromium, real Pyodide).

Cumulative Layout Shift, as browsers define it, from the navigation to the first
complete verdict: a ``PerformanceObserver`` on ``layout-shift`` entries
(``buffered``), registered before any page script, sums the entries without
``hadRecentInput`` (a shift within 500 ms of a click or a key is the person's
doing and not counted). It must be exactly 0 on a plain visit answered by hand,
on a shared link (its answers in the address, the verdict arriving on its own)
and with the runtime's download held until the progress bar shows. A failure
lists what moved (the entries' ``sources``) and where.

And the reason it matters: an option clicked while the runtime loads is the
option found under the pointer, and the answer recorded.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qsl, urlsplit

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from checker.model import CompiledRules
from tests.browser import COMPLETE, READY, PageWatch, Server, new_context

pytestmark = [pytest.mark.browser, pytest.mark.build]

VIEWPORTS = {"ordinateur": {"width": 1280, "height": 720},
             "téléphone": {"width": 390, "height": 844}}
SHARED = "?role=producer&direct_seller=true&account=none&sales_outside_amap_eur=4800"
RUNTIME = "**/pyodide.asm.wasm"  # the largest download: held, the page keeps loading
RULES = "**/assets/checker/rules.*.json"
ROOT = "#cagette-checker"
STATUS = "#cagette-checker-status"
PROGRESS = "#cagette-checker-progress"

# Registered before any page script (an init script, which the page's CSP does not
# govern). Entries are kept with a readable account of each moved node.
OBSERVE_LAYOUT_SHIFTS = """
(() => {
  const describe = (node) => {
    if (!node) return "(nœud retiré)";
    const element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
    let text = element ? element.localName + (element.id ? `#${element.id}` : "")
      + [...element.classList].map((name) => `.${name}`).join("") : node.nodeName;
    if (node.nodeType === Node.TEXT_NODE) {
      text += ` (texte « ${node.textContent.trim().slice(0, 40)} »)`;
    }
    return text;
  };
  const rect = (r) => `(${[r.x, r.y].map(Math.round).join(", ")}, `
    + `${Math.round(r.width)}×${Math.round(r.height)})`;
  window.__layoutShifts = [];
  window.__recordLayoutShifts = (entries) => {
    for (const entry of entries) {
      window.__layoutShifts.push({
        value: entry.value,
        hadRecentInput: entry.hadRecentInput,
        time: Math.round(entry.startTime),
        sources: (entry.sources || []).map((source) =>
          `${describe(source.node)} ${rect(source.previousRect)} → ${rect(source.currentRect)}`),
      });
    }
  };
  window.__layoutShiftObserver = new PerformanceObserver(
    (list) => window.__recordLayoutShifts(list.getEntries()));
  window.__layoutShiftObserver.observe({ type: "layout-shift", buffered: true });
})();
"""
# Two animation frames: the frame that drew the last change has been laid out, its
# shifts computed; the entries not yet delivered to the observer are taken too.
LAYOUT_SHIFTS = """async () => {
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  window.__recordLayoutShifts(window.__layoutShiftObserver.takeRecords());
  return window.__layoutShifts;
}"""
# What was under the pointer when it was pressed, and the option it belongs to.
RECORD_PRESS = """
document.addEventListener("pointerdown", (event) => {
  const node = document.elementFromPoint(event.clientX, event.clientY);
  const input = node?.closest(".cagette-checker__choice")?.querySelector("input");
  window.__pressed = { node: node ? node.localName : null, id: node?.id || node?.htmlFor || null,
                       name: input?.name ?? null, value: input?.value ?? null };
}, true);
"""


@pytest.fixture(params=list(VIEWPORTS))
def sized_page(request: pytest.FixtureRequest, browser: Browser) -> Iterator[Page]:
    """A page watching its layout shifts, in a fresh context of each screen size."""
    context = new_context(browser, viewport=VIEWPORTS[request.param])
    context.add_init_script(OBSERVE_LAYOUT_SHIFTS)
    yield context.new_page()
    context.close()


def cumulative_layout_shift(page: Page) -> tuple[float, str]:
    """The sum of the shifts not caused by input so far, and an account of every shift."""
    shifts = page.evaluate(LAYOUT_SHIFTS)
    counted = [s for s in shifts if not s["hadRecentInput"]]
    lines = []
    for shift in shifts:
        why = " (après une saisie : non compté)" if shift["hadRecentInput"] else ""
        lines.append(f"{shift['value']:.4f} à {shift['time']} ms{why}")
        lines += [f"    {source}" for source in shift["sources"]]
    return sum(s["value"] for s in counted), "\n".join(lines)


def choose(page: Page, qid: str, value: str) -> None:
    """Tick an option as a person does (a real click), once Python shows its question."""
    expect(page.locator(f"fieldset[data-question='{qid}']")).to_be_visible()
    page.locator(f"input[name='{qid}'][value='{value}']").check()


def assert_still(page: Page) -> None:
    cls, account = cumulative_layout_shift(page)
    assert cls == 0, f"la page a bougé (CLS {cls:.4f}) :\n{account}"


def hold(page: Page, pattern: str) -> list[Route]:
    """Answer nothing to ``pattern`` until :func:`release`: the download stays pending."""
    held: list[Route] = []

    def keep(route: Route) -> None:
        held.append(route)

    page.route(pattern, keep)
    return held


def release(page: Page, pattern: str, held: list[Route]) -> None:
    for route in held:
        route.continue_()
    page.unroute(pattern)


def test_a_plain_visit_answered_by_hand_does_not_move(sized_page: Page, server: Server) -> None:
    """Loading moves nothing; then each answer's verdict shows the next question, which
    pushes the result down: the person's doing (within 500 ms of the click), not counted."""
    page = sized_page
    watch = PageWatch().attach(page)
    page.goto(f"{server.url}verificateur/")
    page.wait_for_selector(READY)
    page.wait_for_selector(f"{ROOT}[data-verdict]")  # the first (empty) verdict is shown
    choose(page, "role", "coordinator")
    choose(page, "group_mode", "shop")
    page.wait_for_selector(COMPLETE)
    assert_still(page)
    watch.assert_clean()


def test_a_shared_link_does_not_move(sized_page: Page, server: Server) -> None:
    """The verdict arrives with no input at all: every shift would count."""
    page = sized_page
    watch = PageWatch().attach(page)
    page.goto(f"{server.url}verificateur/{SHARED}")
    page.wait_for_selector(COMPLETE)
    assert_still(page)
    watch.assert_clean()


def test_the_progress_bar_moves_nothing(browser: Browser, server: Server) -> None:
    """The runtime's download held until its progress bar shows, then let through."""
    context = new_context(browser, viewport=VIEWPORTS["téléphone"])
    try:
        context.add_init_script(OBSERVE_LAYOUT_SHIFTS)
        page = context.new_page()
        watch = PageWatch().attach(page)
        held = hold(page, RUNTIME)
        page.goto(f"{server.url}verificateur/{SHARED}")
        expect(page.locator(PROGRESS)).to_be_visible()  # other downloads counted meanwhile
        expect(page.locator(PROGRESS)).not_to_have_attribute("value", "0")
        expect(page.locator(ROOT)).to_have_attribute("data-state", "loading")
        release(page, RUNTIME, held)
        page.wait_for_selector(COMPLETE)
        expect(page.locator(PROGRESS)).to_be_hidden()
        assert_still(page)
        watch.assert_clean()
    finally:
        context.close()


def test_an_option_clicked_while_the_runtime_loads_is_the_answer_recorded(
    page: Page, server: Server, watch: PageWatch, compiled: CompiledRules
) -> None:
    first = compiled.questions[0]
    choice = (first.choices or ())[0]
    assert (first.id, choice.value) == ("role", "producer")
    assert choice.label.startswith("Producteur")
    page.add_init_script(RECORD_PRESS)
    held_runtime = hold(page, RUNTIME)
    held_rules = hold(page, RULES)
    page.goto(f"{server.url}verificateur/")
    expect(page.locator(ROOT)).to_have_attribute("data-worker-generation", "1")  # loading
    label = page.locator("label", has_text=choice.label)
    seen = label.bounding_box()  # where the person sees the option
    assert seen is not None
    # The page goes on loading: the rules arrive (another status), bytes are counted
    # (the progress bar shows). The option stays where it was seen.
    release(page, RULES, held_rules)
    expect(page.locator(STATUS)).to_contain_text("Règles reçues")
    expect(page.locator(PROGRESS)).to_be_visible()
    assert label.bounding_box() == seen
    x, y = seen["x"] + seen["width"] / 2, seen["y"] + seen["height"] / 2
    page.mouse.click(x, y)
    assert page.evaluate("window.__pressed") == {
        "node": "label", "id": "q-role-0", "name": "role", "value": "producer"}
    expect(page.locator("#q-role-0")).to_be_checked()
    expect(page.locator(ROOT)).to_have_attribute("data-state", "loading")  # still loading
    release(page, RUNTIME, held_runtime)

    page.wait_for_selector(READY)
    page.wait_for_selector(f"{ROOT}[data-verdict]")
    expect(page.locator("#q-role-0")).to_be_checked()
    assert dict(parse_qsl(urlsplit(page.url).query)) == {"role": "producer"}
    expect(page.locator("fieldset[data-question='direct_seller']")).to_be_visible()
    answers = page.locator(".cagette-checker__answers")  # the verdict's own account
    assert answers.locator("dd").first.text_content() == choice.label


def test_without_javascript_nothing_promises_a_result(browser: Browser, server: Server) -> None:
    """Without scripts: the question and the table's link, no loading line that never ends,
    no result box that stays empty."""
    context = new_context(browser, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{server.url}verificateur/", wait_until="load")
    expect(page.locator(".cagette-checker__noscript")).to_be_visible()
    expect(page.locator(".cagette-checker__noscript a")).to_have_attribute(
        "href", "../tableau-de-decision/")
    expect(page.locator("fieldset[data-question='role']")).to_be_visible()
    for hidden in (STATUS, PROGRESS, "#cagette-checker-result", "#cagette-checker-reset"):
        expect(page.locator(hidden)).to_be_hidden()
    context.close()
