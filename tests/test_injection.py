"""HTML and script in every text field of the rules: shown as text, never run.

A copy of the real ``data/rules.yaml`` gets payloads (a ``<script>``, an
``<img onerror>``, a ``"><svg onload>`` attribute break-out and a
``</title>`` break-out) appended to every text field, each tagged with the
field's name, and the site is built for real. Decision (documented in
handbook/checker.md): plain-text fields are escaped everywhere; the Markdown fields
(``body``, ``answer``, ``intro``) are Markdown written by the trusted support
team, so their raw HTML is rendered as Markdown does, and is inert under the
Content-Security-Policy (no hash for it, no inline handler allowed).
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from jinja2 import FileSystemBytecodeCache
from playwright.sync_api import Dialog, Page, expect

from rulebook.declaration import ROOT
from rulebook.spec import ListOf, MapOf, Obj, Spec, Text
from sitegen.markdown_text import Markdown
from sitegen.render import ENV, TEMPLATE_CACHE, NotMarkdown
from tests.browser import (
    PageWatch,
    Server,
    csp_violations,
)
from tests.conftest import RULES_PATH
from tests.sitebuild import as_built_on, html_pages, make_project, run_mkdocs

pytestmark = pytest.mark.build

MARKDOWN_FIELDS = {"rules.body", "faq.answer", "context.intro"}
# Plain-text fields that no HTML page shows as text (checked elsewhere below).
NOT_IN_PAGE_TEXT = {"meta.site_name", "meta.description", "rules.effects.hint"}


def script_payload(tag: str) -> str:
    """The text of the injected ``<script>`` (also what must show literally)."""
    return f'<script>window.__inj="{tag}";alert(self)</script>'


def html_payload(tag: str) -> str:
    """Every HTML payload, each element tagged with ``data-inj`` = the field's name."""
    return (f"{script_payload(tag)} <img src=x data-inj=\"{tag}\" onerror=\"alert(self)\">"
            f" \"><svg data-inj=\"{tag}\" onload=\"document.title='pwned'\">"
            f" </title><b data-inj=\"{tag}\">t</b>")


EVIL = "https://evil.example"


def markdown_payload(tag: str) -> str:
    """Markdown and HTML that would act if let through: a ``javascript:`` link, an image
    from another site, a refresh to another site, a fake checker root whose data URLs
    point elsewhere, and an attribute list giving the checker's id (last: it is read at
    the end of a line)."""
    return (f" [lien-{tag}](javascript:alert(self)) ![image-{tag}]({EVIL}/{tag}.png)"
            f' <meta http-equiv="refresh" content="0;url={EVIL}/{tag}">'
            f' <div id="cagette-checker" data-rules="{EVIL}/{tag}.json"></div>'
            ' { #cagette-checker onclick="alert(self)" }')


def payload(tag: str) -> str:
    """What is appended to a field: the HTML payloads, Markdown emphasis, then the
    Markdown payloads."""
    return f" {html_payload(tag)} **gras-{tag}**{markdown_payload(tag)}"


def _inject(container: Any, key: Any, tag: str, fields: set[str]) -> None:
    container[key] = f"{container[key]}{payload(tag)}"
    fields.add(tag)


def injected_rules(data: dict[str, Any]) -> set[str]:
    """Append the payloads to every text field of ``data`` (in place); the fields' names."""
    fields: set[str] = set()
    for key in ("title", "site_name", "description", "checker_intro"):
        _inject(data["meta"], key, f"meta.{key}", fields)
    for audience in data["audiences"]:
        _inject(audience, "label", "audiences.label", fields)
    for key in ("title", "intro"):
        _inject(data["context"], key, f"context.{key}", fields)
    goals = data["context"]["goals"]
    for index in range(len(goals)):
        _inject(goals, index, "context.goals", fields)
    for parameter in data["parameters"].values():
        _inject(parameter, "label", "parameters.label", fields)
        if parameter["unit"] == "text":
            _inject(parameter, "value", "parameters.value", fields)
    for question in data["questions"]:
        for key in ("label", "short", "help"):
            if key in question:
                _inject(question, key, f"questions.{key}", fields)
        for choice in question.get("choices", []):
            _inject(choice, "label", "questions.choices.label", fields)
    for plan in data["plans"]:
        for key in ("name", "limit_label", "price", "counts", "how_to_get", "summary"):
            if key in plan:
                _inject(plan, key, f"plans.{key}", fields)
    for key in ("counts", "blocked", "until_reset", "unaffected"):
        _inject(data["limit"], key, f"limit.{key}", fields)
    for term in data["glossary"]:
        for key in ("term", "definition"):
            _inject(term, key, f"glossary.{key}", fields)
    for permission in data["permissions"]:
        _inject(permission, "label", "permissions.label", fields)
    for action in data["actions"]:
        for key in ("title", "text"):
            _inject(action, key, f"actions.{key}", fields)
    new_producer = next(e for r in data["rules"] for e in r["effects"]
                        if e["when"] == {"equals": {"account": "none"}})
    new_producer.setdefault("hint", "Une piste.")  # no effect has one in the real file
    for rule in data["rules"]:
        for key in ("title", "summary", "body"):
            _inject(rule, key, f"rules.{key}", fields)
        for effect in rule["effects"]:
            for key in ("explain", "hint"):
                if key in effect:
                    _inject(effect, key, f"rules.effects.{key}", fields)
    for section in data["faq"]:
        _inject(section, "title", "faq.title", fields)
        groups = section.get("groups", [])
        for group in groups:
            _inject(group, "title", "faq.groups.title", fields)
        for entry in [*section.get("entries", []), *(e for g in groups for e in g["entries"])]:
            _inject(entry, "question", "faq.question", fields)
            _inject(entry, "answer", "faq.answer", fields)
    for session in data["sessions"]:
        for key in ("title", "audience", "topics", "description", "format"):
            _inject(session, key, f"sessions.{key}", fields)
    for source in data["sources"]:
        _inject(source, "title", "sources.title", fields)
    for change in data["changelog"]:
        _inject(change, "text", "changelog.text", fields)
    return fields


class _Scan(HTMLParser):
    """Live injected elements, page text, CSP meta and inline scripts of one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.live: list[tuple[str, str]] = []  # (element, field tag)
        self.acting: list[str] = []  # links, images, refreshes and ids that would act
        self.text: list[str] = []
        self.scripts: list[str] = []
        self.csp = ""
        self.description = ""
        self._script: list[str] | None = None
        self._executable = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if "data-inj" in values:
            self.live.append((tag, values["data-inj"]))
        elif any(name.startswith("on") for name in values):
            self.live.append((tag, f"handler {values}"))
        href = values.get("href", "") + values.get("src", "")
        if href.lower().startswith("javascript:") or EVIL in href:
            self.acting.append(f"{tag} {href}")
        if (tag == "meta" and values.get("http-equiv", "").lower() == "refresh"
                and EVIL in values.get("content", "")):
            self.acting.append(f"meta refresh {values.get('content')}")
        if values.get("id") == "cagette-checker":
            self.acting.append(f"{tag}#cagette-checker {values.get('data-rules', '')}")
        if tag == "meta" and values.get("http-equiv") == "Content-Security-Policy":
            self.csp = values.get("content", "")
        if tag == "meta" and values.get("name") == "description":
            self.description = values.get("content", "")
        if tag == "script" and "src" not in values:
            self._script = []
            self._executable = values.get("type", "") in ("", "module", "text/javascript")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            if self._executable:
                self.scripts.append("".join(self._script))
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script.append(data)
            if "__inj" in data:
                match = re.search(r'__inj="([a-z_.]+)"', data)
                self.live.append(("script", match.group(1) if match else data))
        else:
            self.text.append(data)


def scan(path: Path) -> _Scan:
    parser = _Scan()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


BUILT_ON = date(2026, 12, 4)  # a fixed build day: the test's dates do not follow the clock


def sha256_source(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"


# ------------------------------------------------------------------ fixtures --


@pytest.fixture(scope="module")
def injected(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, set[str]]:
    """The site built from the rules with payloads in every text field."""
    data = yaml.safe_load(RULES_PATH.read_text(encoding="utf-8"))
    fields = injected_rules(data)
    for session in data["sessions"]:  # dates to come: the calendars are written too
        session["confirmed_until"] = BUILT_ON + timedelta(weeks=4)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000)
    dest = make_project(tmp_path_factory.mktemp("injected"), rules_text=text)
    # The golden scenarios expect the real rules' words: not these (a build checks them).
    (dest / "data" / "scenarios.yaml").unlink()
    result = run_mkdocs(dest, env=as_built_on(BUILT_ON))
    assert result.returncode == 0, result.stdout + result.stderr
    return dest / "site", fields


@pytest.fixture(scope="module")
def site(injected: tuple[Path, set[str]]) -> Path:
    return injected[0]


@pytest.fixture(scope="module")
def scans(site: Path) -> dict[str, _Scan]:
    return {p.relative_to(site).as_posix(): scan(p) for p in html_pages(site)}


# --------------------------------------------------------------- the build --


def schema_text_fields(spec: Spec = ROOT, path: str = "") -> set[str]:
    """Dotted paths of every free-text field of the schema (lists and maps flattened)."""
    if isinstance(spec, Obj):
        return {f for key, field in spec.fields.items()
                for f in schema_text_fields(field.spec, f"{path}.{key}".strip("."))}
    if isinstance(spec, ListOf):
        return schema_text_fields(spec.item, path)
    if isinstance(spec, MapOf):
        return schema_text_fields(spec.value, path)
    if type(spec) is Text and spec.pattern is None:
        return {re.sub(r"^faq\.(groups\.)?entries\.", "faq.", path)}
    return set()


def test_every_text_field_of_the_schema_carries_a_payload(injected: tuple[Path, set[str]]
                                                          ) -> None:
    _, fields = injected
    print(f"\nchamps injectés : {len(fields)} ({len(MARKDOWN_FIELDS)} en Markdown)")
    assert fields >= MARKDOWN_FIELDS
    # The time zone must stay a real zone name; parameter descriptions and the names
    # the glossary sets aside are not shown.
    not_shown = {"sessions.timezone", "parameters.description", "glossary.avoid"}
    assert fields - {"parameters.value"} == schema_text_fields() - not_shown


def test_plain_text_fields_create_no_element_on_any_page(scans: dict[str, _Scan]) -> None:
    live = {(page, element, tag) for page, found in scans.items() for element, tag in found.live
            if tag not in MARKDOWN_FIELDS}
    assert live == set()


def test_plain_text_fields_show_literally(injected: tuple[Path, set[str]],
                                          scans: dict[str, _Scan]) -> None:
    _, fields = injected
    shown: dict[str, set[str]] = defaultdict(set)
    for page, found in scans.items():
        text = "".join(found.text)
        for tag in fields:
            if html_payload(tag) in text:  # every character as written, markup included
                shown[tag].add(page)
    expected = fields - MARKDOWN_FIELDS - NOT_IN_PAGE_TEXT
    assert {tag for tag in expected if not shown[tag]} == set()
    # The checker form: question labels, help texts and choices, as text.
    form = "".join(scans["verificateur/index.html"].text)
    for tag in ("questions.label", "questions.help", "questions.choices.label"):
        assert html_payload(tag) in form, tag
    # The description is an attribute: its quotes do not close it.
    assert scans["index.html"].description.endswith(payload("meta.description"))


def test_no_link_image_refresh_or_id_of_the_payloads_acts(scans: dict[str, _Scan]) -> None:
    """No ``javascript:`` link, no image or refresh to another site, and the checker's id
    only once, on its own page, with the site's own data URLs."""
    acting = {page: found.acting for page, found in scans.items() if found.acting}
    checker = acting.pop("verificateur/index.html", [])
    assert acting == {}
    assert len(checker) == 1 and checker[0].startswith("div#cagette-checker ../assets/")


def test_markdown_fields_are_markdown_and_nothing_else(scans: dict[str, _Scan]) -> None:
    """Markdown applies; the HTML it makes goes through an allowlist: the payloads' tags,
    handlers and attributes are gone, from the Markdown fields too."""
    live = {(page, tag) for page, found in scans.items() for _, tag in found.live}
    assert live == set()
    bold = "".join(scans["regles/charte-producteurs/index.html"].text)
    assert "gras-rules.body" in bold and "**gras-rules.body**" not in bold


def test_no_injected_script_reaches_a_page(scans: dict[str, _Scan]) -> None:
    """Not as an element (the policy would refuse it anyway: it has no hash)."""
    for page, found in scans.items():
        assert found.csp, page
        for script in found.scripts:
            assert "__inj" not in script, (page, script[:80])
            assert sha256_source(script) in found.csp, page


def test_calendars_and_checker_json_keep_the_texts_as_written(site: Path) -> None:
    calendar = (site / "sessions" / "point-infos.ics").read_text(encoding="utf-8")
    assert "&lt;" not in calendar and "<script>" in calendar.replace("\r\n ", "")
    rules_json = next((site / "assets" / "checker").glob("rules.*.json")).read_text("utf-8")
    assert "&lt;" not in rules_json and "<script>" in rules_json


# ------------------------------------------------ the templates' escaping --


PLAIN = "<b>*x*</b> [l](y) | {z} _a_ `c` \\"
PLAIN_ESCAPED = ("&lt;b&gt;&#42;x&#42;&lt;/b&gt; &#91;l&#93;(y) | &#123;z&#125; &#95;a&#95; "
                 "&#96;c&#96; &#92;")


def test_a_template_escapes_every_plain_text_it_prints_and_keeps_markdown() -> None:
    """Safe by default: a value is a plain text unless a builder made it ``Markdown``; the
    filters escape the plain parts and keep the Markdown ones; a macro's text (the
    template's own) is not escaped again."""
    template = ENV.from_string(
        "{% macro bold(x) %}**{{ x }}**{% endmacro %}"
        "{{ plain }}\n{{ md }}\n{{ [plain, md]|join('<br>') }}\n{{ [plain, md]|join('<br>')|cell }}"
        "\n{{ plain|one_line }}\n{{ bold(plain) }}\n{{ 3 }}")
    md = Markdown("[lien](regles/a.md) **gras**")
    lines = template.render(plain=PLAIN, md=md).split("\n")
    in_cell = PLAIN_ESCAPED.replace("|", "\\|")
    assert lines == [PLAIN_ESCAPED, md, f"{PLAIN_ESCAPED}<br>{md}", f"{in_cell}<br>{md}",
                     PLAIN_ESCAPED, f"**{PLAIN_ESCAPED}**", "3"]
    for jinja_html in ("{{ plain|e }}", "{{ plain|safe }}", "{{ plain|tojson }}"):
        with pytest.raises(NotMarkdown):  # HTML-safe is not Markdown-safe
            ENV.from_string(jinja_html).render(plain=PLAIN)


def test_the_filters_write_a_value_where_markdown_does_not_read_text() -> None:
    def one(source: str, value: Any) -> str:
        return ENV.from_string(source).render(value=value)

    assert one('<p data-x="{{ value|attr }}">', '"><b a=\'1\'>&') == (
        '<p data-x="&#34;&gt;&lt;b a=&#39;1&#39;&gt;&amp;">')
    assert one("[t]({{ value|url }})", f"https://x.fr/a_b)![i]({EVIL}/i.png)") == (
        f"[t](https://x.fr/a_b%29!%5Bi%5D%28{EVIL}/i.png%29)")
    assert one("{ #{{ value|id }} }", "vente_directe") == "{ #vente_directe }"
    with pytest.raises(ValueError):
        one("{ #{{ value|id }} }", "a } { #cagette-checker")
    assert one("{{ value|code }}", "parameters.<id>.unit") == "`parameters.<id>.unit`"
    assert one("{{ value|code }}", "a `b`") == "`` a `b` ``"
    assert one("{{ value|verbatim }}", "<b>*x*</b>\n```") == "<b>*x*</b> ```"
    front = one("description: {{ value|front_matter_text }}", f'{PLAIN} "q"')
    assert yaml.safe_load(front) == {"description": f"{PLAIN_ESCAPED} &quot;q&quot;"}


def test_the_compiled_templates_are_cached_apart_from_unescaped_ones() -> None:
    """A template compiled before the escaping (no ``finalize``, constants unescaped) is
    compiled again, not loaded from Jinja's cache."""
    source = "{{ '*' }}"
    assert (TEMPLATE_CACHE.get_source_checksum(source)
            != FileSystemBytecodeCache().get_source_checksum(source))


# ------------------------------------------------------------- the browser --


@pytest.fixture
def dialogs(page: Page) -> list[str]:
    """Messages of every dialog (``alert``) the page opens; dismissed at once."""
    opened: list[str] = []

    def record(dialog: Dialog) -> None:
        opened.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", record)
    return opened


def assert_nothing_ran(page: Page, dialogs: list[str]) -> None:
    assert page.evaluate("typeof __md_get") == "function"  # the theme's own scripts did run
    assert page.evaluate("window.__inj") is None
    assert page.title() != "pwned"
    assert dialogs == []


@pytest.mark.browser
@pytest.mark.parametrize("path", ["", "faq/", "regles/charte-producteurs/"])
def test_markdown_fields_make_nothing_that_acts_in_a_browser(
        page: Page, dialogs: list[str], server: Server, path: str) -> None:
    """No injected element reaches the page (so the policy has nothing to refuse), nothing
    runs, no request leaves the site, the page is not sent elsewhere."""
    watch = PageWatch().attach(page)
    page.goto(server.url + path, wait_until="load")
    assert page.locator("[data-inj]").count() == 0
    assert page.locator("#cagette-checker").count() == 0
    assert_nothing_ran(page, dialogs)
    assert csp_violations(page) == []
    page.wait_for_timeout(300)  # a refresh of 0 s would have left by now
    assert page.url == server.url + path
    assert watch.outside == []


@pytest.mark.browser
def test_search_results_show_injected_titles_as_text(page: Page, dialogs: list[str],
                                                      server: Server) -> None:
    page.goto(server.url, wait_until="networkidle")
    box = page.get_by_role("textbox", name="Rechercher")
    box.click()
    box.press_sequentially("charte")
    results = page.locator(".md-search-result__item")
    expect(results.first).to_contain_text("charte")
    assert page.locator(".md-search-result [data-inj]").count() == 0
    assert_nothing_ran(page, dialogs)


def _choose(page: Page, qid: str, value: str) -> None:
    expect(page.locator(f"fieldset[data-question='{qid}']")).to_be_visible()
    page.locator(f"input[name='{qid}'][value='{value}']").check()


def _result(page: Page) -> Callable[[], str]:
    return lambda: page.locator("#cagette-checker-result-body").evaluate("n => n.textContent")


@pytest.mark.browser
def test_checker_result_shows_payloads_as_text(page: Page, dialogs: list[str],
                                               server: Server) -> None:
    watch = PageWatch().attach(page)
    page.goto(server.url + "verificateur/")
    page.wait_for_selector("#cagette-checker[data-state=ready]")
    _choose(page, "role", "producer")
    _choose(page, "direct_seller", "true")
    _choose(page, "account", "none")
    amount = page.locator("input[name='sales_outside_amap_eur']")
    amount.fill("800")
    amount.press("Tab")
    page.wait_for_selector("#cagette-checker[data-verdict=complete]")
    text = _result(page)()
    for tag in ("plans.name", "plans.summary", "limit.counts", "limit.blocked",
                "limit.until_reset", "limit.unaffected", "plans.price",
                "plans.how_to_get", "actions.title", "actions.text", "rules.effects.explain",
                "rules.effects.hint", "rules.title", "questions.short",
                "questions.choices.label"):
        assert script_payload(tag) in text, tag
    _choose(page, "role", "coordinator")
    _choose(page, "group_mode", "amap")
    page.wait_for_selector("#cagette-checker[data-verdict=complete]")
    expect(page.locator(".cagette-checker__permissions")).to_be_visible()
    assert script_payload("permissions.label") in _result(page)()
    assert page.locator("[data-inj]").count() == 0  # the whole page: nav, form, result
    assert_nothing_ran(page, dialogs)
    assert csp_violations(page) == []
    assert watch.outside == []
