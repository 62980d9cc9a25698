"""The rules editor's code editor (``editor/``: CodeMirror 6 bundled by esbuild).

Fast tests: ``sitegen.editor_bundle`` caches the bundle (a second call runs no Node), the
bundle is deterministic and fetches nothing, its French build errors, and the YAML
position logic (``editor/src/yaml-context.mjs``, run under Node) on the real rules.

Browser tests (Debian's Chromium): a test page of our own, under the site's CSP, with
Material's styles, mounts the bundle on the real ``data/rules.yaml`` with the real JSON
Schema; typing, ``onChange``, diagnostics, ``goTo``, completion from the schema and the
parameters, hover help, Tab not trapped, Escape closing panels, axe-core (every rule) in
both palettes, no console error, no CSP violation, no request outside 127.0.0.1.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from rulebook.compile import content_hash
from sitegen import csp
from sitegen.editor_bundle import (
    CACHE_KIND,
    EditorBuildError,
    bundle_key,
    editor_bundle,
)

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "schema" / "rules.schema.json"
RULES = ROOT / "data" / "rules.yaml"
CONTEXT_MODULE = ROOT / "editor" / "src" / "yaml-context.mjs"
LABEL = "Fichier de règles data/rules.yaml"
PARAMETERS = [
    {"id": "effective_date", "label": "Date d'entrée en vigueur des nouvelles règles",
     "display": "3\u00a0novembre 2021"},
    {"id": "discovery_annual_limit_eur",
     "label": "Plafond annuel de ventes hors AMAP du compte Découverte",
     "display": "1\u202f000\u00a0€"},
    {"id": "switch_deadline", "label": "Date limite pour basculer sur un compte Découverte",
     "display": "31\u00a0décembre 2022"},
]
# A namespace name in CodeMirror's inline SVG, never fetched.
NAMESPACES = {"http://www.w3.org/2000/svg"}


def material_styles() -> list[Path]:
    """Material's own stylesheets (the palette's custom properties) and the site's."""
    import material

    folder = Path(material.__file__).parent / "templates" / "assets" / "stylesheets"
    return [*sorted(folder.glob("main.*.min.css")), *sorted(folder.glob("palette.*.min.css")),
            ROOT / "docs" / "assets" / "stylesheets" / "site.css"]


# ------------------------------------------------------------------ fast tests --

def test_a_second_call_reuses_the_cache_without_node(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    first = editor_bundle(ROOT, cache)
    entries = list((cache / CACHE_KIND).iterdir())
    assert [entry.name for entry in entries] == [bundle_key(ROOT)]
    assert entries[0].read_bytes() == first

    def no_node(*args: Any, **kwargs: Any) -> None:
        raise AssertionError(f"Node lancé alors que le cache est à jour : {args}")

    monkeypatch.setattr(subprocess, "run", no_node)
    assert editor_bundle(ROOT, cache) == first
    assert list((cache / CACHE_KIND).iterdir()) == entries


def test_the_key_follows_every_file_of_editor_and_the_lock(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(ROOT / "editor", root / "editor")
    shutil.copy(ROOT / "package-lock.json", root)
    keys = {bundle_key(root)}
    (root / "editor" / "src" / "theme.mjs").write_text("// changed\n", encoding="utf-8")
    keys.add(bundle_key(root))
    (root / "editor" / "src" / "extra.mjs").write_text("", encoding="utf-8")  # a new file
    keys.add(bundle_key(root))
    (root / "package-lock.json").write_text("{}", encoding="utf-8")
    keys.add(bundle_key(root))
    assert len(keys) == 4


def test_the_bundle_is_deterministic_and_fetches_nothing(tmp_path: Path) -> None:
    bundle = editor_bundle(ROOT, tmp_path / "one")
    assert editor_bundle(ROOT, tmp_path / "two") == bundle  # two Node runs, same bytes
    text = bundle.decode("utf-8")
    notice, _, code = text.partition("*/\n")
    assert notice.startswith("/*! ") and "@codemirror/view" in notice and "(MIT)" in notice
    urls = set(re.findall(r"https?://[^\s\"'`)<>]*", code))
    assert urls <= NAMESPACES, f"adresses dans l'éditeur : {urls - NAMESPACES}"
    # The site's CSP has no 'unsafe-eval'.
    assert not re.search(r"\beval\(|new Function\b|\bFunction\(", code)
    assert "sourceMappingURL" not in code
    assert str(ROOT) not in text and str(tmp_path) not in text


def test_without_node_the_error_is_french(tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(EditorBuildError, match=r"^Node\.js introuvable"):
        editor_bundle(ROOT, tmp_path)


def test_an_esbuild_failure_is_reported_in_french(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(ROOT / "editor", root / "editor")
    shutil.copy(ROOT / "package-lock.json", root)
    (root / "node_modules").symlink_to(ROOT / "node_modules")
    view = root / "editor" / "src" / "view.mjs"
    view.write_text(view.read_text(encoding="utf-8") + "\nexport const broken = ;\n",
                    encoding="utf-8")
    with pytest.raises(EditorBuildError) as failure:
        editor_bundle(root, tmp_path / "cache")
    assert str(failure.value).startswith("L'assemblage de l'éditeur des règles (esbuild) a échoué")
    assert "view.mjs" in str(failure.value)
    assert not (tmp_path / "cache").exists()  # nothing cached


def test_without_esbuild_the_error_is_french(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(ROOT / "editor", root / "editor")
    shutil.copy(ROOT / "package-lock.json", root)
    with pytest.raises(EditorBuildError, match=r"^esbuild est introuvable.*« make setup »"):
        editor_bundle(root, tmp_path / "cache")


CONTEXT_SCRIPT = """
import { readFileSync } from "node:fs";
import * as Y from %(module)s;
const schema = JSON.parse(readFileSync(%(schema)s, "utf8"));
const lines = readFileSync(%(rules)s, "utf8").split("\\n");
const read = Y.lineReader((n) => lines[n - 1]);
const unknown = [];
let keys = 0;
for (let n = 1; n <= lines.length; n += 1) {
  for (const item of read(n)?.items ?? []) {
    if (item.kind !== "key") continue;
    const found = Y.keyAt(schema, read, n, item.col);
    if (found === null) continue;  // inside a text (a block scalar)
    keys += 1;
    if (!found.known) unknown.push(found.path.join("/") + " " + item.name);
  }
}
const at = (text, line, before) => {
  const doc = text.split("\\n");
  const r = Y.lineReader((n) => doc[n - 1]);
  const found = Y.cursorContext(schema, r, doc.length, line, before);
  return found && { kind: found.kind, path: found.path, keys: (found.keys ?? []).map(([k]) => k),
                    values: found.values };
};
const cases = {
  top: at("meta:\\n  title: x\\n\\n", 3, ""),
  item: at("rules:\\n  - id: a\\n    ti", 3, "    ti"),
  new_item: at("rules:\\n  - id: a\\n  - ", 3, "  - "),
  same_column_list: at("rules:\\n- id: a\\n  ", 3, "  "),
  effect: at("rules:\\n  - id: a\\n    effects:\\n      - when:\\n          ", 5, "          "),
  unit: at("parameters:\\n  seuil:\\n    unit: e", 3, "    unit: e"),
  days: at("sessions:\\n  - id: s\\n    days:\\n      - ", 4, "      - "),
  in_text: at("meta:\\n  description: >-\\n    Un texte\\n    ", 4, "    "),
};
const offsets = [Y.offsetOfColumn("a🥕b", 3), Y.offsetOfColumn("abc", 9)];
const ends = [Y.problemEnd("  title: 🥕 Carottes # c", 13), Y.problemEnd("  unit: [a, bb, c]", 14),
              Y.problemEnd("  nom: x", 2), Y.problemEnd("x", 5)];
console.log(JSON.stringify({ keys, unknown, cases, offsets, ends }));
"""


def test_yaml_positions_on_the_real_rules() -> None:
    """Every key of the real file (outside free maps) is one the schema allows at its place;
    the completion context of typical places."""
    script = CONTEXT_SCRIPT % {"module": json.dumps(CONTEXT_MODULE.as_uri()),
                               "schema": json.dumps(str(SCHEMA)), "rules": json.dumps(str(RULES))}
    result = subprocess.run(["node", "--input-type=module", "-e", script], capture_output=True,
                            text=True, check=True, timeout=60)
    found = json.loads(result.stdout)
    assert found["keys"] > 500
    # Free maps: the parameters' ids and an effect's permissions.
    free = {line.split()[0] for line in found["unknown"]}
    assert free <= {"parameters", "rules/[]/effects/[]/permissions"}, found["unknown"]
    cases = found["cases"]
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert set(cases["top"]["keys"]) == set(schema["properties"]) - {"meta"}
    rule_keys = set(schema["properties"]["rules"]["items"]["properties"])
    assert cases["item"]["path"] == ["rules", "[]"]
    assert set(cases["item"]["keys"]) == rule_keys - {"id"}
    assert set(cases["new_item"]["keys"]) == rule_keys  # a new item: nothing written yet
    assert set(cases["same_column_list"]["keys"]) == rule_keys - {"id"}
    assert cases["effect"]["path"] == ["rules", "[]", "effects", "[]", "when"]
    assert {"all", "any", "not", "equals", "one_of", "compare", "date"} <= set(
        cases["effect"]["keys"])
    assert cases["unit"]["kind"] == "value"
    assert cases["unit"]["values"] == schema["properties"]["parameters"][
        "additionalProperties"]["properties"]["unit"]["enum"]
    assert cases["days"]["values"][:2] == ["monday", "tuesday"]
    assert cases["in_text"] is None
    assert found["offsets"] == [3, 3]  # the carrot is one character, two UTF-16 units
    assert found["ends"] == [20, 15, 5, 1]


# --------------------------------------------------------------- browser tests --

PAGE_SCRIPT = """\
import { createEditor } from "./%(bundle)s";

const scheme = new URLSearchParams(location.search).get("scheme") ?? "default";
document.body.dataset.mdColorScheme = scheme;
const [schema, doc] = await Promise.all([
  fetch("rules.schema.json").then((response) => response.json()),
  fetch("rules.yaml").then((response) => response.text()),
]);
window.changes = [];
window.editor = createEditor({
  parent: document.getElementById("editor"),
  doc,
  label: %(label)s,
  schema,
  parameters: %(parameters)s,
  onChange: (text) => window.changes.push(text),
});
document.body.dataset.editor = "ready";
"""

PAGE = """\
<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>Éditeur des règles (test)</title>
<link rel="icon" href="data:,">
%(styles)s
<script type="module" src="page.mjs"></script>
</head>
<body dir="ltr" data-md-color-scheme="default" data-md-color-primary="custom"
      data-md-color-accent="custom">
<main class="md-main">
<div class="md-main__inner md-grid">
<div class="md-content">
<article class="md-content__inner md-typeset">
<h1>Modifier les règles</h1>
<p><button type="button" class="md-button" id="before">Avant l'éditeur</button></p>
<div id="editor"></div>
<p><button type="button" class="md-button" id="after">Après l'éditeur</button></p>
</article>
</div>
</div>
</main>
</body>
</html>
"""

READY = "body[data-editor=ready]"
CODE_BACKGROUND = {"default": "rgb(245, 245, 245)", "slate": "rgb(39, 42, 53)"}  # Material's
ACCENT = {"default": "rgb(191, 54, 12)", "slate": "rgb(255, 171, 145)"}  # site.css
CONTENT = ".cm-content"


@pytest.fixture(scope="module")
def editor_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test page, the bundle (``editor_bundle``), the schema, the rules, Material's CSS."""
    from sitegen.build_cache import cache_root

    folder = tmp_path_factory.mktemp("editor-site")
    bundle = editor_bundle(ROOT, cache_root(ROOT))
    name = f"editor-view.{content_hash(bundle)}.js"
    (folder / name).write_bytes(bundle)
    shutil.copy(SCHEMA, folder / "rules.schema.json")
    shutil.copy(RULES, folder / "rules.yaml")
    links = []
    for style in material_styles():
        shutil.copy(style, folder / style.name)
        links.append(f'<link rel="stylesheet" href="{style.name}">')
    (folder / "page.mjs").write_text(PAGE_SCRIPT % {
        "bundle": name, "label": json.dumps(LABEL, ensure_ascii=False),
        "parameters": json.dumps(PARAMETERS, ensure_ascii=False)}, encoding="utf-8")
    html = PAGE % {"styles": "\n".join(links)}
    (folder / "index.html").write_text(csp.add_csp_meta(html), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def editor_server(editor_site: Path) -> Iterator[Any]:
    from tests.browser import serve

    with serve(editor_site) as running:
        yield running


def open_editor(browser: Any, server: Any, scheme: str = "default") -> tuple[Any, Any]:
    """A fresh page with the editor mounted on the real rules, and its watch."""
    from tests.browser import PageWatch, new_context

    page = new_context(browser, color_scheme="dark" if scheme == "slate" else "light").new_page()
    watch = PageWatch().attach(page)
    page.goto(f"{server.url}?scheme={scheme}")
    page.wait_for_selector(READY)
    return page, watch


def finish(page: Any, watch: Any) -> None:
    """No CSP violation, console error or request outside 127.0.0.1; close the page."""
    from tests.browser import csp_violations

    assert csp_violations(page) == []
    watch.assert_clean()
    page.context.close()


def text_of(page: Any) -> str:
    return page.evaluate("window.editor.getText()")


def set_text(page: Any, text: str) -> None:
    page.evaluate("(text) => window.editor.setText(text)", text)


def cursor(page: Any) -> dict[str, int]:
    """The main cursor as 1-based line and column (UTF-16 units)."""
    return page.evaluate("""() => {
      const { state } = window.editor.view;
      const head = state.selection.main.head;
      const line = state.doc.lineAt(head);
      return { line: line.number, column: head - line.from + 1 };
    }""")


def go_to(page: Any, line: int, column: int) -> None:
    page.evaluate("([line, column]) => window.editor.goTo(line, column)", [line, column])


def accept(page: Any) -> None:
    """Choose the selected completion with Enter, once CodeMirror takes it: it ignores
    Enter for 75 ms after the list changes (``interactionDelay``), which a loaded machine
    can outlast between typing and pressing."""
    page.wait_for_timeout(200)
    page.keyboard.press("Enter")


def options(page: Any) -> list[str]:
    """Labels of the completion list now open."""
    listbox = page.locator(".cm-tooltip-autocomplete [role=listbox]")
    listbox.wait_for()
    return listbox.locator("[role=option] .cm-completionLabel").all_inner_texts()


@pytest.mark.browser
def test_mounts_with_the_text_and_its_label(browser: Any, editor_server: Any) -> None:
    from playwright.sync_api import expect

    page, watch = open_editor(browser, editor_server)
    content = page.locator(CONTENT)
    expect(content).to_have_attribute("aria-label", LABEL)
    expect(content).to_have_attribute("role", "textbox")
    expect(content).to_have_attribute("contenteditable", "true")
    assert text_of(page) == RULES.read_text(encoding="utf-8")
    expect(page.locator(".cm-line").first).to_have_text(RULES.read_text(
        encoding="utf-8").splitlines()[0])
    # Keys and parameters are highlighted; the line numbers are shown.
    expect(page.locator(".cm-cagette-parameter", has_text="{{ effective_date }}").first
           ).to_be_visible()
    expect(page.locator(".cm-lineNumbers .cm-gutterElement", has_text="1").first).to_be_visible()
    # A fixed height with its own scroll, inside the viewport.
    height = page.locator(".cm-editor").evaluate("e => e.getBoundingClientRect().height")
    assert 100 < height <= page.viewport_size["height"] * 0.7 + 1
    finish(page, watch)


@pytest.mark.browser
def test_typing_changes_the_text_and_calls_on_change(browser: Any, editor_server: Any) -> None:
    page, watch = open_editor(browser, editor_server)
    set_text(page, "meta:\n  title: Titre\n")
    assert page.evaluate("window.changes.length") == 1  # setText is a change too
    go_to(page, 2, 15)
    page.keyboard.type(" modifié")
    assert text_of(page) == "meta:\n  title: Titre modifié\n"
    changes = page.evaluate("window.changes")
    assert changes[-1] == text_of(page)
    assert len(changes) == 1 + len(" modifié")  # one call per change
    page.keyboard.press("Control+z")
    assert text_of(page) == "meta:\n  title: Titre\n"
    assert page.evaluate("window.changes.at(-1)") == text_of(page)
    set_text(page, text_of(page))  # the same text: no change, no call
    assert page.evaluate("window.changes.length") == len(changes) + 1
    finish(page, watch)


@pytest.mark.browser
def test_diagnostics_show_the_french_message_at_their_line(browser: Any,
                                                           editor_server: Any) -> None:
    from playwright.sync_api import expect

    page, watch = open_editor(browser, editor_server)
    set_text(page, "meta:\n  title: 🥕 Carottes\n  site_name: Cagette\nparameters: {}\n")
    message = "Le titre ne doit pas contenir d'émoji\u00a0: « 🥕 »."
    last = "Il manque la clé « rules » (obligatoire)."
    page.evaluate("(problems) => window.editor.setDiagnostics(problems)", [
        {"line": 2, "column": 12, "message": message, "field": "meta.title"},  # code points
        {"line": 40, "column": 1, "message": last, "field": "rules"},  # past the end
    ])
    ranges = page.locator(".cm-lintRange-error")
    expect(ranges).to_have_count(1)
    expect(ranges.first).to_have_text("Carottes")
    line_two = page.locator(".cm-line").nth(1)
    expect(line_two.locator(".cm-lintRange-error")).to_have_text("Carottes")
    # The last problem, clamped to the last line (empty: a point is shown there).
    expect(page.locator(".cm-line").last.locator(".cm-lintPoint")).to_have_count(1)
    expect(page.locator(".cm-gutter-lint .cm-lint-marker-error")).to_have_count(2)
    # The tooltip on hover, the message exactly.
    ranges.first.hover()
    tooltip = page.locator(".cm-tooltip-lint .cm-diagnosticText")
    expect(tooltip).to_have_text(message)
    page.mouse.move(0, 0)
    # The panel (Ctrl+Shift+M), every message exactly, in French.
    go_to(page, 1, 1)
    page.keyboard.press("Control+Shift+M")
    panel = page.locator(".cm-panel-lint")
    expect(panel.locator(".cm-diagnosticText")).to_have_text([message, last])
    expect(panel.locator("[role=listbox]")).to_have_attribute("aria-label", "Problèmes")
    expect(panel.locator("button[name=close]")).to_have_attribute("aria-label", "fermer")
    page.keyboard.press("Escape")
    expect(panel).to_have_count(0)
    # Cleared.
    page.evaluate("window.editor.setDiagnostics([])")
    expect(page.locator(".cm-lintRange-error")).to_have_count(0)
    expect(page.locator(".cm-gutter-lint .cm-lint-marker-error")).to_have_count(0)
    finish(page, watch)


@pytest.mark.browser
def test_go_to_moves_the_cursor_scrolls_and_focuses(browser: Any, editor_server: Any) -> None:
    from playwright.sync_api import expect

    page, watch = open_editor(browser, editor_server)
    lines = RULES.read_text(encoding="utf-8").splitlines()
    target = next(n for n in range(len(lines) - 1, 0, -1) if lines[n].startswith("  - ")) + 1
    go_to(page, target, 5)
    assert cursor(page) == {"line": target, "column": 5}
    expect(page.locator(CONTENT)).to_be_focused()
    line = page.locator(".cm-activeLine")
    expect(line).to_have_text(lines[target - 1])
    expect(line).to_be_in_viewport()
    go_to(page, 10_000, 1)  # clamped to the last line
    assert cursor(page)["line"] == len(RULES.read_text(encoding="utf-8").split("\n"))
    finish(page, watch)


@pytest.mark.browser
def test_completion_proposes_the_schema_keys_and_the_parameters(browser: Any,
                                                                editor_server: Any) -> None:
    from playwright.sync_api import expect

    page, watch = open_editor(browser, editor_server)
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    # A new line at the top level: the top-level keys not written yet.
    set_text(page, "meta:\n  title: Depuis le \n")
    go_to(page, 3, 1)
    page.keyboard.press("Control+Space")
    proposed = options(page)
    assert {"parameters", "rules", "questions", "faq"} <= set(proposed)
    assert set(proposed) == set(schema["properties"]) - {"meta"}
    details = page.locator(".cm-tooltip-autocomplete [role=option]", has_text="parameters")
    assert "les chiffres et dates" in details.inner_text()
    page.keyboard.type("rul")
    assert options(page) == ["rules"]
    accept(page)
    assert text_of(page) == "meta:\n  title: Depuis le \nrules:\n  - "
    page.keyboard.type("ti")
    assert "title" in options(page)
    page.keyboard.press("Escape")
    # Enter indents inside a key without value, then beside the item's keys.
    set_text(page, "parameters:\n  seuil:\nrules:\n  - id: regle\n")
    go_to(page, 2, 9)
    page.keyboard.press("Enter")
    assert cursor(page) == {"line": 3, "column": 5}
    page.keyboard.press("Control+Space")
    assert set(options(page)) == {"label", "unit", "value", "changes", "description"}
    page.keyboard.press("Escape")
    go_to(page, 5, 14)
    page.keyboard.press("Enter")
    assert cursor(page) == {"line": 6, "column": 5}
    page.keyboard.press("Control+Space")
    assert "id" not in options(page) and "title" in options(page)
    page.keyboard.press("Escape")
    set_text(page, "meta:\n  title: Depuis le \nrules:\n  - ti\n")
    # Inside {{ }}: the parameters' ids.
    go_to(page, 2, 20)
    page.keyboard.type("{{ ")
    assert sorted(options(page)) == sorted(p["id"] for p in PARAMETERS)
    selected = page.locator(".cm-tooltip-autocomplete [role=option][aria-selected]")
    chosen = next(p for p in PARAMETERS
                  if p["id"] == selected.locator(".cm-completionLabel").inner_text())
    assert chosen["display"] in selected.inner_text()  # the value beside the id
    expect(page.locator(".cm-completionInfo")).to_contain_text(chosen["label"])
    page.keyboard.type("swi")
    accept(page)
    assert text_of(page).splitlines()[1] == "  title: Depuis le {{ switch_deadline }}"
    finish(page, watch)


@pytest.mark.browser
def test_an_enum_value_is_proposed_after_unit(browser: Any, editor_server: Any) -> None:
    page, watch = open_editor(browser, editor_server)
    units = json.loads(SCHEMA.read_text(encoding="utf-8"))["properties"]["parameters"][
        "additionalProperties"]["properties"]["unit"]["enum"]
    set_text(page, "parameters:\n  seuil:\n    label: Seuil\n    unit:")
    go_to(page, 4, 10)
    page.keyboard.type(" ")
    assert sorted(options(page)) == sorted(units)
    page.keyboard.type("eur_")
    assert options(page) == ["eur_ht_per_month"]
    accept(page)
    assert text_of(page).endswith("    unit: eur_ht_per_month")
    # A key of the parameter, then its values right away.
    page.keyboard.press("Enter")
    page.keyboard.press("Control+Space")
    assert set(options(page)) == {"value", "changes", "description"}  # label, unit written
    finish(page, watch)


@pytest.mark.browser
def test_hover_explains_keys_and_parameters(browser: Any, editor_server: Any) -> None:
    from playwright.sync_api import expect

    page, watch = open_editor(browser, editor_server)
    set_text(page, "parameters:\n  seuil:\n    unit: eur\n"
                   "meta:\n  title: Depuis le {{ effective_date }}\n")
    help_box = page.locator(".cm-tooltip-hover .cm-cagette-help")
    page.locator(".cm-line").nth(2).get_by_text("unit").hover()
    expect(help_box).to_contain_text("unité : règle le format d'affichage")
    page.mouse.move(0, 0)
    expect(help_box).to_have_count(0)
    page.locator(".cm-cagette-parameter").hover()
    expect(help_box).to_contain_text(PARAMETERS[0]["label"])
    expect(help_box).to_contain_text(PARAMETERS[0]["display"])
    finish(page, watch)


@pytest.mark.browser
def test_tab_is_not_trapped_and_escape_closes_panels(browser: Any, editor_server: Any) -> None:
    from playwright.sync_api import expect

    page, watch = open_editor(browser, editor_server)
    content = page.locator(CONTENT)
    page.locator("#before").focus()
    page.keyboard.press("Tab")
    expect(content).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator("#after")).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(content).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(page.locator("#before")).to_be_focused()
    before = text_of(page)
    # Search and replace, in French; Escape closes it and gives the focus back.
    content.focus()
    page.keyboard.press("Control+f")
    panel = page.locator(".cm-search")
    expect(panel.locator("input[name=search]")).to_be_focused()
    expect(panel.locator("input[name=search]")).to_have_attribute("aria-label", "Rechercher")
    expect(panel.locator("input[name=replace]")).to_have_attribute("aria-label", "Remplacer")
    expect(panel.locator("button")).to_have_text(
        ["suivant", "précédent", "tout", "remplacer", "remplacer tout", "×"])
    expect(panel.locator("label")).to_have_text(
        ["respecter la casse", "expression régulière", "mot entier"])
    expect(panel.locator("button[name=close]")).to_have_attribute("aria-label", "fermer")
    page.keyboard.press("Escape")
    expect(panel).to_have_count(0)
    expect(content).to_be_focused()
    # Go to line, in French.
    page.keyboard.press("Control+Alt+g")
    dialog = page.locator(".cm-panel.cm-gotoLine, .cm-dialog")
    expect(dialog).to_contain_text("Aller à la ligne")
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(content).to_be_focused()
    assert text_of(page) == before  # Tab inserted nothing
    finish(page, watch)


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_axe_finds_nothing_in_either_palette(browser: Any, editor_server: Any,
                                             scheme: str) -> None:
    from playwright.sync_api import expect

    from tests.browser import axe_violations

    page, watch = open_editor(browser, editor_server, scheme)
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", scheme)
    # Material's code background, and its accent for the focus ring.
    expect(page.locator(".cm-editor")).to_have_css("background-color", CODE_BACKGROUND[scheme])
    found = axe_violations(page, "au chargement")
    # Focused, with problems (gutter markers and underlines) on the visible lines.
    page.evaluate("""() => window.editor.setDiagnostics([
      {line: 10, column: 3, message: "Titre trop long.", field: "meta.title"},
      {line: 11, column: 14, message: "Nom inconnu.", field: "meta.site_name"}])""")
    go_to(page, 10, 3)
    focused = page.locator(".cm-editor.cm-focused")
    expect(focused).to_have_css("outline-color", ACCENT[scheme])
    expect(focused).to_have_css("outline-style", "solid")
    found |= axe_violations(page, "problèmes, en focus")
    page.locator(".cm-lintRange-error").first.hover()
    expect(page.locator(".cm-tooltip-lint")).to_be_visible()
    found |= axe_violations(page, "bulle d'un problème")
    page.mouse.move(0, 0)
    go_to(page, 1, 1)
    page.keyboard.press("Control+Shift+M")
    expect(page.locator(".cm-panel-lint")).to_be_visible()
    found |= axe_violations(page, "liste des problèmes")
    page.keyboard.press("Escape")
    page.keyboard.press("Control+f")
    page.keyboard.type("Cagette")
    expect(page.locator(".cm-searchMatch").first).to_be_visible()
    found |= axe_violations(page, "recherche")
    page.keyboard.press("Escape")
    # Completion with its side information, then hover help.
    set_text(page, "parameters:\n  seuil:\n    label: Seuil {{ effective_date }}\n    \n")
    go_to(page, 4, 5)
    page.keyboard.press("Control+Space")
    expect(page.locator(".cm-tooltip-autocomplete")).to_be_visible()
    found |= axe_violations(page, "suggestions")
    page.keyboard.press("Escape")
    page.locator(".cm-cagette-parameter").hover()
    expect(page.locator(".cm-tooltip-hover")).to_be_visible()
    found |= axe_violations(page, "aide au survol")
    page.mouse.move(0, 0)
    # A folded block.
    page.locator(".cm-foldGutter [title='Replier la ligne']").first.click()
    expect(page.locator(".cm-foldPlaceholder")).to_have_count(1)
    found |= axe_violations(page, "bloc replié")
    assert found == {}
    finish(page, watch)
