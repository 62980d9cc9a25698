"""The decision diagram's layout: Graphviz compiled to WebAssembly (``@viz-js/viz``)
run by Node, so a build needs no system Graphviz; French errors when Node or the npm
package is missing; the outline for narrow screens; the page on a phone."""

from __future__ import annotations

import html
import json
import re
import shutil
import sys
from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from checker.model import CompiledRules
from rulebook.decisions import decision_tree, decisions
from sitegen.build_cache import cache_root
from sitegen.diagram import (
    CACHE_KIND,
    LAYOUT_SCRIPT,
    OUTLINE_INDENT,
    OUTLINE_PAD,
    VIZ_DIR,
    DiagramError,
    dot_source,
    inline_svg,
    narrow_svg,
    render_svg,
    standalone_svg,
)
from tests.browser import Server, axe_violations, new_context
from tests.sitebuild import ROOT, build_site

if TYPE_CHECKING:
    from playwright.sync_api import Browser

TITLE = "Schéma de décision : essai"
NB = "\u00a0"  # French typography: before « : », inside guillemets
AS_OF = date(2026, 12, 4)
TINY = 'digraph { a [label="Question ?"]; b [label="Réponse"]; a -> b; }\n'
BOX = re.compile(r'<g class="node (\w+)" transform="translate\(([-\d.]+) ([-\d.]+)\)">'
                 r'<path d="([^"]*)"/>(.*?)</g>', re.DOTALL)


@pytest.fixture(scope="module")
def source(compiled: CompiledRules) -> str:
    """The real rules' diagram, as Graphviz reads it."""
    return dot_source(compiled, decision_tree(decisions(compiled, AS_OF)), TITLE)


@pytest.fixture(scope="module")
def laid_out(source: str) -> str:
    """The real rules' diagram laid out by viz-js (no build cache: Node runs)."""
    return render_svg(source, None)


def texts(svg: str) -> list[str]:
    return [html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]


def boxes(svg: str) -> list[tuple[str, float, float, float, float, list[str]]]:
    """Each box of the outline in drawing order: kind, left, top, right, bottom, texts."""
    found = []
    for kind, dx, dy, shape, body in BOX.findall(svg):
        numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", shape)]
        xs, ys = numbers[0::2], numbers[1::2]
        found.append((kind, min(xs) + float(dx), min(ys) + float(dy),
                      max(xs) + float(dx), max(ys) + float(dy), texts(body)))
    return found


def test_viz_js_lays_out_an_svg_the_page_can_inline(laid_out: str) -> None:
    assert "graphviz version 16." in laid_out  # the WebAssembly build, not Debian's 2.x
    inline = inline_svg(laid_out, "titre", TITLE)
    assert inline.startswith('<svg width="') and inline.endswith("</svg>")
    assert "<!DOCTYPE" not in inline and "<?xml" not in inline and "<!--" not in inline
    assert "xml:space" not in inline
    assert not re.search(r'\s(?:fill|stroke|font-family)="', inline)  # the CSS paints it
    assert not re.search(r"\b(?:xlink:)?href=|url\(|@import", inline)  # nothing fetched
    assert inline.count(f'<title id="titre">{html.escape(TITLE)}</title>') == 1
    assert inline.count("<title") == 1  # no Graphviz tooltips
    assert inline.count('class="node question"') >= 5
    assert inline.count('class="node outcome"') >= 8
    assert "Rôle\u202f?" in texts(inline) and "Compte Découverte" in texts(inline)
    width, height = map(int, re.match(r'<svg width="(\d+)pt" height="(\d+)pt"', inline).groups())
    assert 400 < width < 2000 and 300 < height < 2000
    standalone = standalone_svg(laid_out, TITLE)
    assert standalone.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<svg')
    assert 'fill="#fff8e6"' in standalone and "<style" not in standalone


def test_the_layout_is_kept_under_the_source_the_version_and_the_script(
        source: str, laid_out: str, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert render_svg(source, cache) == laid_out  # same picture, once in the cache
    assert len(list((cache / CACHE_KIND).iterdir())) == 1
    other = tmp_path / "viz"  # the same package under another version number
    shutil.copytree(VIZ_DIR, other)
    meta = json.loads((other / "package.json").read_text(encoding="utf-8"))
    (other / "package.json").write_text(json.dumps({**meta, "version": "0.0.1"}),
                                        encoding="utf-8")
    assert render_svg(source, cache, other) == laid_out
    assert len(list((cache / CACHE_KIND).iterdir())) == 2  # laid out again, not reused
    assert "@viz-js/viz" in LAYOUT_SCRIPT.read_text(encoding="utf-8")


def test_without_viz_js_the_error_is_french_and_names_the_fix(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(DiagramError, match=rf"^Graphviz \(le paquet npm «{NB}@viz-js/viz{NB}»\) "
                       rf"est introuvable dans .*{NB}: il dessine le schéma de décision\. "
                       rf".*«{NB}make setup{NB}» \(npm ci\)\.$"):
        render_svg(TINY, None, empty)
    # A package.json without the code: Node cannot import it.
    (empty / "package.json").write_text('{"version": "3.31.0", "main": "dist/viz.js"}',
                                        encoding="utf-8")
    with pytest.raises(DiagramError, match=rf"(?s)^Graphviz \(le paquet npm «{NB}@viz-js/viz"
                       rf"{NB}»\) est introuvable.*«{NB}make setup{NB}».*dist/viz\.js"):
        render_svg(TINY, tmp_path / "cache", empty)
    assert not (tmp_path / "cache").exists()  # nothing kept


def test_without_node_the_error_is_french(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                          ) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # a real search that finds no node
    with pytest.raises(DiagramError, match=rf"^Node\.js introuvable{NB}: il dessine le schéma "
                       rf"de décision .*«{NB}make setup{NB}»\.$"):
        render_svg(TINY.replace("Réponse", "Sans Node"), None)


def test_a_graphviz_failure_is_reported_in_french() -> None:
    with pytest.raises(DiagramError, match=rf"^Graphviz n'a pas pu dessiner le schéma de "
                       rf"décision{NB}: .*syntax error"):
        render_svg("digraph { a -> ; }\n", None)


def test_the_outline_shows_every_box_root_first_and_narrow(laid_out: str) -> None:
    wide = inline_svg(laid_out, "large", TITLE)
    narrow = narrow_svg(laid_out, "etroit", TITLE)
    assert narrow.startswith('<svg width="') and 'aria-labelledby="etroit"' in narrow
    assert "decision-diagram__svg--narrow" in narrow and "decision-diagram__svg--wide" in wide
    drawing = narrow.split("</title>", 1)[1]  # Graphviz's paint and ids (the wide one's) gone
    assert not re.search(r'\s(?:fill|stroke|font-family|xml:space|id)="', drawing)
    found = boxes(narrow)
    # The same boxes, in the order of the DOT source (n0, n1…: a question, then each
    # answer's subtree), whatever order Graphviz draws them in.
    drawn = re.findall(r'<g id="node\d+" class="node \w+">\s*<title>n(\d+)</title>(.*?)</g>',
                       laid_out, re.DOTALL)
    in_source = [texts(body) for _, body in sorted(drawn, key=lambda d: int(d[0]))]
    assert len(in_source) >= 13 and [box[5] for box in found] == in_source
    kind, left, top, right, _, words = found[0]
    assert (kind, words) == ("question", ["Rôle\u202f?"]) and (left, top) == (
        OUTLINE_PAD, OUTLINE_PAD)  # the root at the top left
    width, height = map(int, re.match(r'<svg width="(\d+)pt" height="(\d+)pt"', narrow).groups())
    assert width <= 300 < height  # fits a phone's width (390 px) at a readable size
    for (_, before, _, _, above, _), (_, left, top, right, _, _) in pairwise(found):
        assert top > above  # one box per row, in reading order: no overlap
        assert left >= OUTLINE_PAD and right <= width
        assert round(left - OUTLINE_PAD, 2) % OUTLINE_INDENT == 0  # indented by whole steps
        assert left <= before + OUTLINE_INDENT + 0.01  # an answer, one step under its question
    assert max(box[4] for box in found) <= height
    # One elbow per question, an arrowhead pointing at the middle of each other box.
    assert narrow.count('<g class="edge">') == sum(kind == "question" for kind, *_ in found)
    tips = {(round(float(x), 1), round(float(y), 1)) for x, y in
            re.findall(r'<polygon points="[^ ]+ ([-\d.]+),([-\d.]+) ', narrow)}
    assert tips == {(round(left, 1), round((top + bottom) / 2, 1))
                    for _, left, top, _, bottom, _ in found[1:]}


@pytest.mark.build
def test_the_site_builds_without_a_system_graphviz(tmp_path: Path) -> None:
    tools = tmp_path / "bin"
    tools.mkdir()
    (tools / "node").symlink_to(shutil.which("node") or "node")
    path = f"{tools}:{Path(sys.executable).parent}"
    assert shutil.which("dot", path=path) is None and shutil.which("node", path=path)
    # The repository's build cache (runtime, bundles), without its laid-out diagrams.
    cache = tmp_path / "cache"
    cache.mkdir()
    for entry in cache_root(ROOT).glob("*"):
        if entry.name != CACHE_KIND:
            (cache / entry.name).symlink_to(entry)
    result = build_site(tmp_path / "project", env={"PATH": path,
                                                    "CAGETTE_BUILD_CACHE": str(cache)})
    assert result.returncode == 0, result.stderr
    assert len(list((cache / CACHE_KIND).iterdir())) == 1  # laid out in this build
    page = (tmp_path / "project" / "site" / "synthese" / "index.html").read_text(
        encoding="utf-8")
    for kind in ("wide", "narrow"):
        svg = re.search(rf'<svg [^>]*class="decision-diagram__svg decision-diagram__svg--{kind}"'
                        r".*?</svg>", page, re.DOTALL)
        assert svg and svg.group(0).count('class="node question"') >= 5, kind
    standalone = tmp_path / "project" / "site" / "synthese" / "schema-de-decision.svg"
    assert "Compte Découverte" in standalone.read_text(encoding="utf-8")


# The visible part of the diagram's frame (its scroll position) and the root's box in it.
FRAME_AND_ROOT = """(frame) => {
  const shown = [...frame.querySelectorAll("svg")].filter((svg) => svg.getClientRects().length);
  const root = [...shown[0].querySelectorAll(".node")]
    .filter((node) => node.textContent.trim() === "R\u00f4le\u202f?");
  const outer = frame.getBoundingClientRect();
  const left = outer.left + frame.clientLeft, top = outer.top + frame.clientTop;
  const box = root[0].getBoundingClientRect();
  return {
    shown: shown.map((svg) => svg.getAttribute("class")), roots: root.length,
    frame: [left, top, left + frame.clientWidth, top + frame.clientHeight],
    root: [box.left, box.top, box.right, box.bottom],
    scroll: [frame.scrollLeft, frame.scrollTop, frame.scrollWidth - frame.clientWidth],
    scale: shown[0].getBoundingClientRect().width / shown[0].width.baseVal.value,
  };
}"""

@pytest.mark.browser
@pytest.mark.build
@pytest.mark.parametrize(("width", "scheme"), [(390, "light"), (390, "dark"), (1280, "light")])
def test_the_diagram_opens_on_its_root_on_a_phone_and_a_desktop(
        browser: Browser, server: Server, width: int, scheme: str) -> None:
    context = new_context(browser, viewport={"width": width, "height": 844},
                          color_scheme=scheme)
    page = context.new_page()
    page.goto(server.url + "synthese/", wait_until="load")
    seen = page.locator(".decision-diagram__frame").evaluate(FRAME_AND_ROOT)
    kind = "narrow" if width < 720 else "wide"
    assert seen["shown"] == [f"decision-diagram__svg decision-diagram__svg--{kind}"]
    assert seen["roots"] == 1 and seen["scroll"][:2] == [0, 0]  # first paint, not scrolled
    left, top, right, bottom = seen["frame"]
    r_left, r_top, r_right, r_bottom = seen["root"]
    assert left <= r_left < r_right <= right and top <= r_top < r_bottom <= bottom, seen
    if kind == "narrow":  # the whole width in the frame, text near its natural size
        assert seen["scroll"][2] <= 0 and seen["scale"] >= 0.85, seen
    found = axe_violations(page, f"{width} px {scheme}")  # every rule, the whole page
    context.close()
    assert found == {}
