"""End to end: the built site's checker in Debian's Chromium, served on 127.0.0.1.

Real build, real Pyodide, real worker. The expected texts come from CPython's
``checker.evaluate`` on the same answers, so the page is checked against the
engine, not against a copy of the rules.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from playwright.sync_api import Browser, Page, Route, expect
from playwright.sync_api import Error as PlaywrightError

from checker import as_text, evaluate, parse_form_answers
from checker.model import CompiledRules
from tests.browser import (
    LOAD_TIMEOUT_MS,
    READY,
    PageWatch,
    Server,
    new_context,
    pause_clock,
    serve,
)
from tests.sitebuild import build_site

pytestmark = pytest.mark.browser

RESULT = "#cagette-checker-result-body"


# ------------------------------------------------------------------ fixtures --


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Server]]:
    """The site built by the real ``mkdocs build --strict``, served on 127.0.0.1.

    The server starts first so the site is built for its address (``SITE_URL``):
    Material's instant navigation only follows links listed in the sitemap.
    """
    dest = tmp_path_factory.mktemp("site")
    with serve(dest / "site") as running:
        result = build_site(dest, env={"SITE_URL": running.url})
        assert result.returncode == 0, result.stdout + result.stderr
        yield dest / "site", running


@pytest.fixture(scope="session")
def site(served: tuple[Path, Server]) -> Path:
    return served[0]


@pytest.fixture(scope="session")
def server(served: tuple[Path, Server]) -> Server:
    return served[1]


# ------------------------------------------------------------------- helpers --


def open_checker(page: Page, server: Server, query: str = "") -> None:
    page.goto(f"{server.url}verificateur/{query}")
    page.wait_for_selector(READY)


def question(page: Page, qid: str):
    return page.locator(f"fieldset[data-question='{qid}']")


def choose(page: Page, qid: str, value: str) -> None:
    """Tick the option whose contract value is ``value`` once the question is shown."""
    expect(question(page, qid)).to_be_visible()
    page.locator(f"input[name='{qid}'][value='{value}']").check()


def type_amount(page: Page, qid: str, text: str) -> None:
    expect(question(page, qid)).to_be_visible()
    field = page.locator(f"input[name='{qid}']")
    field.fill(text)
    field.press("Tab")


def wait_complete(page: Page) -> None:
    page.wait_for_selector("#cagette-checker[data-verdict=complete]")


def expected(compiled: CompiledRules, form: dict[str, str],
             as_of: date | None = None) -> dict[str, Any]:
    """CPython's verdict for the same form strings (the oracle)."""
    return evaluate(compiled, parse_form_answers(compiled, form), as_of=as_of)


def result_text(page: Page) -> str:
    return page.locator(RESULT).inner_text()


def url_answers(page: Page) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(page.url).query))


def assert_actions_shown(page: Page, verdict: dict[str, Any]) -> None:
    titles = page.locator(".cagette-checker__actions > li > strong").all_inner_texts()
    assert titles == [a["title"] for a in verdict["actions"]]


# --------------------------------------------------------------------- tests --


def test_page_is_a_real_form_before_any_script(site: Path, compiled: CompiledRules) -> None:
    html = (site / "verificateur" / "index.html").read_text(encoding="utf-8")
    for q in compiled.questions:
        assert f'data-question="{q.id}"' in html
        for choice in q.choices or ():
            assert f'name="{q.id}" value="{choice.value}"' in html
    assert 'name="direct_seller" value="true"' in html
    assert 'inputmode="decimal"' in html
    assert 'aria-live="polite"' in html
    assert "<noscript>" in html
    assert re.search(r'data-rules="\.\./assets/checker/rules\.[0-9a-f]{12}\.json"', html)
    assert re.search(r'data-checker-zip="\.\./assets/checker/checker\.[0-9a-f]{12}\.zip"', html)
    runtime = sorted(p.name for p in (site / "assets" / "pyodide").glob("*/*")
                     if not p.name.endswith((".br", ".gz")))
    # The checker's trimmed stdlib, and the full one only the rules editor loads.
    assert [re.sub(r"\.[0-9a-f]{12}\.", ".*.", name) for name in runtime] == [
        "pyodide.asm.mjs", "pyodide.asm.wasm", "pyodide.mjs", "python_stdlib.zip", "stdlib.*.zip"]
    for name in runtime:  # precompressed siblings, each smaller than its file
        path = next((site / "assets" / "pyodide").glob(f"*/{name}"))
        for suffix in (".br", ".gz"):
            assert path.with_name(name + suffix).stat().st_size < path.stat().st_size
    # The size announced is the compressed one (about 4 MB), formatted at build time.
    assert re.search(r'data-download-size="[34],\d\xa0Mo"', html)
    progress = re.search(r'<progress[^>]*id="cagette-checker-progress"[^>]*>', html)
    assert progress and re.search(r'max="\d{7,}"', progress.group())


def test_producer_over_the_limit(page: Page, server: Server, watch: PageWatch,
                                 compiled: CompiledRules) -> None:
    open_checker(page, server)
    expect(question(page, "direct_seller")).to_be_hidden()
    choose(page, "role", "producer")
    choose(page, "direct_seller", "true")
    choose(page, "account", "discovery")
    type_amount(page, "sales_outside_amap_eur", "1 500")
    wait_complete(page)
    verdict = expected(compiled, url_answers(page))
    assert verdict["plan"] == "discovery"
    text = result_text(page)
    assert f"Votre formule\u00a0: {verdict['plan_name']}" in text
    plan = compiled.plan("discovery")
    assert plan is not None
    facts = {f["label"]: f["value"] for f in verdict["display"]["plan"]["facts"]}
    assert str(plan.annual_limit_display) in text and facts["Ce qui compte"] in text
    assert_actions_shown(page, verdict)
    for reason in verdict["reasons"]:
        assert reason["text"] in text
    for hint in verdict["hints"]:
        assert hint in text
    assert "Tarifs des formules" in text
    rule_links = page.locator(".cagette-checker__reasons a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))")
    assert rule_links and all(href.startswith("../regles/") for href in rule_links)
    assert url_answers(page) == {"role": "producer", "direct_seller": "true",
                                 "account": "discovery", "sales_outside_amap_eur": "1 500"}


def test_coordinator_permissions_and_actions(page: Page, server: Server, watch: PageWatch,
                                             compiled: CompiledRules) -> None:
    open_checker(page, server)
    choose(page, "role", "coordinator")
    choose(page, "group_mode", "amap")
    wait_complete(page)
    verdict = expected(compiled, {"role": "coordinator", "group_mode": "amap"})
    labels = {p.id: p.label for p in compiled.permissions}
    shown = page.locator(".cagette-checker__permissions li").all_inner_texts()
    assert len(shown) == len(verdict["permissions"]) > 0
    for pid, allowed in verdict["permissions"].items():
        status = "Autorisé" if allowed else "Non autorisé"
        assert any(f"{status}\u00a0: {labels[pid]}" in line for line in shown), (pid, shown)
    assert_actions_shown(page, verdict)
    assert page.locator(".cagette-checker__plan").count() == 0
    for qid in ("direct_seller", "account", "sales_outside_amap_eur"):
        expect(question(page, qid)).to_be_hidden()


def test_nothing_to_do_is_said_where_the_cli_says_it(page: Page, server: Server,
                                                    watch: PageWatch,
                                                    compiled: CompiledRules) -> None:
    """The result places the verdict's layout (checker.wording.layout): the CLI's sections
    under the same headings, and "Rien à faire." under "À faire" exactly when the CLI's
    text says it: never while a question is left."""
    open_checker(page, server, "?role=producer&direct_seller=true")
    page.wait_for_selector("#cagette-checker[data-verdict=partial]")
    partial = expected(compiled, url_answers(page))
    assert "Rien à faire" not in as_text(partial) and "Rien à faire" not in result_text(page)
    choose(page, "account", "pro")
    wait_complete(page)
    verdict = expected(compiled, url_answers(page))
    assert verdict["actions"] == [] and "\nÀ faire\u00a0: Rien à faire.\n" in as_text(verdict)
    result = page.locator(RESULT)
    assert result.locator("h3").all_inner_texts() == [
        s["heading"] for s in verdict["display"]["sections"] if s["heading"]]
    expect(result.locator("h3:text-is('À faire') + p")).to_have_text("Rien à faire.")
    assert page.locator(".cagette-checker__actions").count() == 0


def test_deadline_then_overdue(page: Page, server: Server, watch: PageWatch,
                               compiled: CompiledRules) -> None:
    form = {"role": "producer", "direct_seller": "true", "account": "trained",
            "manages_other_producers": "true"}
    query = "?" + "&".join(f"{k}={v}" for k, v in form.items())
    open_checker(page, server, query + "&as_of=2022-06-01")
    wait_complete(page)
    before = expected(compiled, form, date(2022, 6, 1))
    action = next(a for a in before["actions"] if a["deadline"])
    assert not action["overdue"]
    item = page.locator(".cagette-checker__actions > li", has_text=action["title"])
    assert action["due"] == "au plus tard le 31 décembre 2022"  # the verdict's own words…
    expect(item.locator(".cagette-checker__deadline")).to_have_text(
        f"{action['title']} ({action['due']})")  # …placed as they are
    open_checker(page, server, query)  # no date in the address: today, long after the deadline
    wait_complete(page)
    after = next(a for a in expected(compiled, form)["actions"] if a["id"] == action["id"])
    assert after["overdue"] and after["due"].startswith("échéance du 31 décembre 2022 dépassée")
    item = page.locator(".cagette-checker__actions > li.is-overdue", has_text=action["title"])
    expect(item.locator(".cagette-checker__deadline--overdue")).to_have_text(
        f"{after['title']} ({after['due']})")
    expect(page.locator(".cagette-checker__date")).to_have_text(
        f"{expected(compiled, form)['display']['title']}.")  # Python's today is the browser's


def test_invalid_amount_error_next_to_field(page: Page, server: Server, watch: PageWatch,
                                            compiled: CompiledRules) -> None:
    open_checker(page, server)
    choose(page, "role", "producer")
    choose(page, "direct_seller", "true")
    choose(page, "account", "none")
    type_amount(page, "sales_outside_amap_eur", "-5")
    message = expected(compiled, url_answers(page))["errors"]["sales_outside_amap_eur"]
    error = page.locator("#q-sales_outside_amap_eur-error")
    expect(error).to_have_text(message)
    field = page.locator("input[name='sales_outside_amap_eur']")
    expect(field).to_have_attribute("aria-invalid", "true")
    assert "q-sales_outside_amap_eur-error" in field.get_attribute("aria-describedby").split()
    type_amount(page, "sales_outside_amap_eur", "800")
    wait_complete(page)
    expect(error).to_be_hidden()
    assert field.get_attribute("aria-invalid") is None
    assert "q-sales_outside_amap_eur-error" not in (field.get_attribute("aria-describedby") or "")


def test_changed_answer_hides_questions_and_drops_answers(
    page: Page, server: Server, watch: PageWatch
) -> None:
    open_checker(page, server)
    choose(page, "role", "producer")
    choose(page, "direct_seller", "true")
    choose(page, "account", "invited")
    type_amount(page, "sales_outside_amap_eur", "500")
    wait_complete(page)
    page.locator("input[name='direct_seller'][value='false']").check()
    expect(question(page, "account")).to_be_hidden()
    expect(question(page, "sales_outside_amap_eur")).to_be_hidden()
    wait_complete(page)
    assert page.locator("input[name='account']:checked").count() == 0
    assert page.locator("input[name='sales_outside_amap_eur']").input_value() == ""
    assert url_answers(page) == {"role": "producer", "direct_seller": "false"}
    page.locator("input[name='direct_seller'][value='true']").check()
    expect(question(page, "account")).to_be_visible()
    expect(question(page, "sales_outside_amap_eur")).to_be_hidden()  # unknown until asked
    assert page.locator("input[name='account']:checked").count() == 0


def test_share_link_reopens_same_answers(page: Page, browser: Browser, server: Server,
                                         watch: PageWatch) -> None:
    open_checker(page, server)
    choose(page, "role", "producer")
    choose(page, "direct_seller", "true")
    choose(page, "account", "none")
    type_amount(page, "sales_outside_amap_eur", "2 400,50")
    wait_complete(page)
    link = page.locator("#cagette-checker-share").get_attribute("href")
    assert link == page.url
    first = result_text(page)
    other = new_context(browser).new_page()
    other_watch = PageWatch().attach(other)
    other.goto(link)
    other.wait_for_selector(READY)
    wait_complete(other)
    assert other.locator("input[name='account'][value='none']").is_checked()
    assert other.locator("input[name='sales_outside_amap_eur']").input_value() == "2 400,50"
    assert result_text(other) == first
    other_watch.assert_clean()
    other.context.close()


def test_link_with_invalid_answer_is_checked_by_python(
    page: Page, server: Server, watch: PageWatch, compiled: CompiledRules
) -> None:
    open_checker(page, server, "?role=producer&direct_seller=peut-etre")
    message = expected(compiled, {"role": "producer", "direct_seller": "peut-etre"})["errors"][
        "direct_seller"]
    expect(page.locator("#q-direct_seller-error")).to_have_text(message)
    expect(page.locator("input[name='direct_seller']").first).to_have_attribute(
        "aria-invalid", "true")
    choose(page, "direct_seller", "false")
    wait_complete(page)
    expect(page.locator("#q-direct_seller-error")).to_be_hidden()


def test_instant_navigation_keeps_the_worker(page: Page, server: Server,
                                             watch: PageWatch) -> None:
    open_checker(page, server)
    page.evaluate("window.__sameDocument = true")
    page.locator("a.md-header__button.md-logo").click()  # Material's home link
    expect(page.locator("#cagette-checker")).to_have_count(0)  # no JS predicate: CSP, no eval
    page.locator("a[href$='verificateur/']:visible").first.click()
    page.wait_for_selector(READY)
    assert page.evaluate("window.__sameDocument") is True, "full reload instead of instant"
    expect(page.locator("#cagette-checker")).to_have_attribute("data-worker-generation", "1")
    assert watch.count("/pyodide.asm.wasm") == 1
    assert watch.count("/checker-worker.mjs") == 1
    choose(page, "role", "coordinator")
    choose(page, "group_mode", "shop")
    wait_complete(page)
    expect(page.locator(RESULT)).to_contain_text("Inviter vos producteurs")


def test_keyboard_only(page: Page, server: Server, watch: PageWatch) -> None:
    open_checker(page, server)
    page.locator("input[name='role']").first.focus()
    page.keyboard.press("Space")  # producer
    expect(question(page, "direct_seller")).to_be_visible()
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # direct seller: yes
    expect(question(page, "account")).to_be_visible()
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # first option: not on Cagette.net yet
    for _ in range(3):
        page.keyboard.press("ArrowDown")  # … down to "discovery"
    expect(page.locator("input[name='account'][value='discovery']")).to_be_checked()
    expect(question(page, "sales_outside_amap_eur")).to_be_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "sales_outside_amap_eur"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none")
    page.keyboard.type("300")
    page.keyboard.press("Tab")
    wait_complete(page)
    expect(page.locator(RESULT)).to_contain_text("Compte Découverte")


def shorten_watchdog(page: Page, ms: int) -> None:
    """The checker page served with its watchdog at ``ms`` (30 s otherwise)."""
    def shorten(route: Route) -> None:
        response = route.fetch()
        body = response.text().replace('data-timeout-ms="30000"', f'data-timeout-ms="{ms}"')
        route.fulfill(response=response, body=body)

    page.route("**/verificateur/", shorten)


def test_watchdog_turns_a_hang_into_an_error_with_retry(
    page: Page, server: Server, watch: PageWatch
) -> None:
    """The page's clock stands still (:func:`pause_clock`): the watchdog fires when the
    test lets its 3 s of silence pass, after the runtime's download has hung, never
    because a busy machine was slow before that."""
    held: list[Route] = []

    def hang(route: Route) -> None:
        held.append(route)  # never answered: the download hangs

    shorten_watchdog(page, 3_000)
    pause_clock(page)
    page.route("**/pyodide.asm.wasm", hang)
    page.goto(f"{server.url}verificateur/")
    choose(page, "role", "producer")
    failure = page.locator("#cagette-checker-failure")
    root = page.locator("#cagette-checker")
    for _ in range(LOAD_TIMEOUT_MS // 50):
        if held:
            break
        page.wait_for_timeout(50)
    assert len(held) == 1, "pyodide.asm.wasm jamais demandé"
    silences = 0
    while root.get_attribute("data-state") == "loading":
        silences += 1  # 3 s of page time; bytes of other files may still have come
        assert silences <= 100, "the watchdog never fired"
        page.clock.run_for(3_000)
    expect(failure).to_be_visible()
    expect(failure).to_contain_text("n'a pas répondu en 3 secondes")
    expect(failure.locator("a")).to_have_attribute("href", re.compile("tableau-de-decision"))
    expect(root).to_have_attribute("data-state", "error")
    page.unroute("**/pyodide.asm.wasm")
    for route in held:
        with contextlib.suppress(PlaywrightError):  # gone with the worker the error ended
            route.abort()
    # The retry starts afresh with the page's (restored) configuration.
    root.evaluate(f"root => root.dataset.timeoutMs = '{LOAD_TIMEOUT_MS}'")
    failure.get_by_role("button", name="Réessayer").click()
    page.wait_for_selector(READY)
    expect(page.locator("input[name='role'][value='producer']")).to_be_checked()
    expect(question(page, "direct_seller")).to_be_visible()


def test_slow_download_is_not_a_hang(page: Page, server: Server, watch: PageWatch) -> None:
    """The watchdog waits for silence, not for a fast line: bytes keep it quiet.

    The page's clock stands still (:func:`pause_clock`); each time new bytes have arrived
    (on a throttled line), the test moves it just short of the watchdog's 8 s. The page
    time of the load then outlasts the watchdog many times over, without it firing, and
    however long a busy machine takes to start Python (no bytes then: page time stands
    still), it is never read as a hang."""
    timeout_ms = 8_000
    step = timeout_ms - 1_000
    throughput = 200_000  # bytes per second: the runtime arrives over many seconds

    shorten_watchdog(page, timeout_ms)
    pause_clock(page)
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {
        "offline": False, "latency": 100,
        "downloadThroughput": throughput, "uploadThroughput": throughput})
    page.goto(f"{server.url}verificateur/")
    root = page.locator("#cagette-checker")
    progress = page.locator("#cagette-checker-progress")
    expect(progress).to_be_visible()  # bytes arrive: the bar shows them…
    expect(progress).not_to_have_attribute("value", "0")
    assert page.locator("#cagette-checker-status progress").count() == 0  # not announced
    steps = 0
    while True:
        # Read after the clock moved: new bytes seen now re-armed the watchdog since.
        seen = progress.get_attribute("value")
        page.locator(f'#cagette-checker:not([data-state="loading"]), '
                     f'#cagette-checker-progress:not([value="{seen}"])').first.wait_for(
                         state="attached")  # new bytes, or the load's end
        if root.get_attribute("data-state") != "loading":
            break
        page.clock.run_for(step)
        steps += 1
    expect(root).to_have_attribute("data-state", "ready")
    expect(progress).to_be_hidden()
    expect(page.locator("#cagette-checker-failure")).to_be_hidden()
    # The load really outlasted the watchdog (page time), in steps each just short of it.
    assert steps * step > 2 * timeout_ms, steps
    page.clock.run_for(2 * timeout_ms)  # ready: the watchdog is off
    expect(root).to_have_attribute("data-state", "ready")


def test_print_gives_one_clean_page(page: Page, server: Server, watch: PageWatch) -> None:
    # The longest producer result: three actions, every section shown.
    open_checker(page, server, "?role=producer&direct_seller=true&account=none"
                 "&sales_outside_amap_eur=4800")
    wait_complete(page)
    page.emulate_media(media="print")
    expect(page.locator("#cagette-checker-form")).to_be_hidden()
    expect(page.locator(".md-sidebar--primary")).to_be_hidden()
    expect(page.locator(".cagette-checker__summary")).to_be_visible()  # the answers, printed
    expect(page.locator(".cagette-checker__actions")).to_be_visible()
    pdf = page.pdf(format="A4")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
