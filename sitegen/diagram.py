"""The decision diagram as a picture: the decision tree laid out by Graphviz.

The tree is the one the synthesis page lists (``decisions.decision_tree``, built
from verdicts of ``checker.evaluate``), so the picture cannot drift from the
rules. Each box starts with the answer that leads to it (in italics), then the
next question (in bold) or the outcome in the verdict's own words (plan name,
then one line per action); branches that end the same way are merged. Graphviz
lays it out from left to right (answers inside the boxes keep it narrow): the
pinned npm ``@viz-js/viz`` (Graphviz compiled to WebAssembly) run by Node
(``graphviz_layout.mjs``), so a build needs no system package. The SVG is
inlined without Graphviz's colours, so the site's stylesheet paints it in the
light and dark palettes and for print. Narrow screens get the same boxes as an
outline (``narrow_svg``): root at the top left, each answer below and indented
under its question, read from top to bottom without scrolling sideways.
"""

from __future__ import annotations

import json
import re
import subprocess
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from html import escape, unescape
from math import ceil
from pathlib import Path
from typing import Any

from checker.french import typeset
from checker.model import CompiledRules
from checker.wording import section
from rulebook.decisions import Node
from rulebook.describe import AmountRange, answer_label, question
from sitegen.build_cache import kept
from sitegen.runtime import RuntimeBuildError, _node

HERE = Path(__file__).resolve().parent
LAYOUT_SCRIPT = HERE / "graphviz_layout.mjs"
VIZ_DIR = HERE.parent / "node_modules" / "@viz-js" / "viz"  # the repository's npm packages
CACHE_KIND = "diagrams"  # the build cache's folder of laid-out diagrams
VIZ_MISSING_EXIT = 3  # graphviz_layout.mjs's exit code when @viz-js/viz cannot be loaded
VIZ_MISSING = ("Graphviz (le paquet npm « @viz-js/viz ») est introuvable dans {} : il dessine "
               "le schéma de décision. Installez les paquets npm figés avec « make setup » "
               "(npm ci).")
FONT = "DejaVu Sans"
WRAP = 26  # characters per line: narrow boxes keep the picture narrow
TIMEOUT_S = 60
GRAPH = (f'graph [rankdir=LR, nodesep=0.12, ranksep=0.3, fontname="{FONT}", '
         'bgcolor="transparent", pad=0.1];\n'
         f'node [shape=box, style="rounded,filled", fontname="{FONT}", fontsize=11, '
         'margin="0.12,0.06", fillcolor=white, color=gray40];\n'
         'edge [arrowsize=0.6, color=gray40];\n')
BREAK = '<BR ALIGN="LEFT"/>'
# Graphviz's own paint, removed so that the stylesheet decides (palettes, print).
PAINT = re.compile(r'\s(?:fill|stroke|font-family)="[^"]*"')
PROLOG = re.compile(r"^.*?(?=<svg)", re.DOTALL)
TITLES = re.compile(r"<title>[^<]*</title>\s*")
COMMENTS = re.compile(r"<!--.*?-->\s*", re.DOTALL)
# Recent Graphviz writes it on every text; the wrapped labels have no run of spaces to keep.
XML_SPACE = re.compile(r'\sxml:space="preserve"')
SIZE = re.compile(r'<svg width="(\d+)pt" height="(\d+)pt"')
NODE = re.compile(r'<g id="node\d+" class="node (\w+)">\s*<title>([^<]*)</title>(.*?)</g>',
                  re.DOTALL)
EDGE_TITLE = re.compile(r'<g id="edge\d+" class="edge">\s*<title>([^<]*)</title>')
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
# The outline for narrow screens, in points like Graphviz's drawing.
OUTLINE_INDENT = 18  # one answer's step to the right
OUTLINE_TRUNK = 8  # the vertical line, from the question's bottom, this far in
OUTLINE_GAP = 6  # between rows
OUTLINE_PAD = 4
ARROW, ARROW_HALF = 6, 2.1  # Graphviz's normal arrowhead at arrowsize=0.6
# Fills of the standalone picture (written as attributes: a CSP header may forbid <style>).
FILLS = {"question": "#eef4f1", "outcome": "#fff8e6"}


class DiagramError(RuntimeBuildError):
    """Graphviz (Node, ``@viz-js/viz``) is missing or failed: the French message says
    what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(typeset(message))


@dataclass(frozen=True)
class Box:
    """One box of the picture and the boxes it leads to, each with the answer that
    leads there (hashable: equal subtrees are found and merged)."""

    kind: str  # "question" or "outcome"
    lines: tuple[str, ...]
    bold: int
    arrows: tuple[tuple[tuple[str, ...], Box], ...] = ()


def _lines(text: str) -> list[str]:
    return textwrap.wrap(text, WRAP, break_long_words=False, break_on_hyphens=False) or [text]


def _outcome(verdict: Mapping[str, Any]) -> Box:
    """The verdict's own words for a leaf: its plan, then what to do (one bullet per
    action, or its layout's "Rien à faire.")."""
    shown = verdict["display"]
    head = _lines(shown["plan"]["name"]) if shown["plan"] else []
    actions = section(shown, "actions")
    todo = [f"• {item['label']}" for item in actions["items"]] + actions["lead"]
    lines = head + [p for line in todo for p in _lines(line)]
    return Box("outcome", tuple(lines or ["—"]), len(head))  # "—": nothing decided yet


def _merged(branches: list[tuple[Any, Box]]) -> list[tuple[Any, Box]]:
    """Branches ending the same way, merged: adjacent amount ranges become one range;
    choices share one box (``a`` ou ``b``)."""
    merged: list[tuple[Any, Box]] = []
    for value, box in branches:
        if isinstance(value, AmountRange):
            if merged and merged[-1][1] == box:
                merged[-1] = (AmountRange(merged[-1][0].low, value.high), box)
            else:
                merged.append((value, box))
            continue
        same = next((i for i, (_, b) in enumerate(merged) if b == box), None)
        if same is None:
            merged.append(([value], box))
        else:
            merged[same][0].append(value)
    return merged


def picture(compiled: CompiledRules, node: Node) -> Box:
    """The tree as boxes, identical branches merged."""
    if node.leaf is not None:
        return _outcome(node.leaf.verdict)
    q = question(compiled, node.question_id)
    arrows = []
    for value, box in _merged([(v, picture(compiled, c)) for v, c in node.branches]):
        if isinstance(value, AmountRange):
            answer = _lines(value.label())
        else:
            answer = [part for i, v in enumerate(value)
                      for part in (["ou"] if i else []) + _lines(answer_label(q, v))]
        arrows.append((tuple(answer), box))
    return Box("question", tuple(_lines(typeset(f"{q.short} ?"))), 99, tuple(arrows))


def _label(answer: tuple[str, ...], box: Box) -> str:
    """An HTML-like Graphviz label: the answer in italics, then the box's lines."""
    parts = [f"<I>{escape(line)}</I>" for line in answer]
    parts += [f"<B>{escape(line)}</B>" if i < box.bold else escape(line)
              for i, line in enumerate(box.lines)]
    return f"<{BREAK.join(parts)}{BREAK}>"


def dot_source(compiled: CompiledRules, root: Node, title: str) -> str:
    """The Graphviz description of the tree (deterministic: same rules, same text)."""
    statements: list[str] = []
    counter = iter(range(1_000_000))

    def visit(box: Box, answer: tuple[str, ...] = ()) -> str:
        name = f"n{next(counter)}"
        statements.append(f'{name} [label={_label(answer, box)}, class="{box.kind}", '
                          f'fillcolor="{FILLS[box.kind]}"];')
        for label, child in box.arrows:
            statements.append(f"{name} -> {visit(child, label)};")
        return name

    visit(picture(compiled, root))
    body = "\n".join(statements)
    return f'digraph "{escape(title)}" {{\n{GRAPH}{body}\n}}\n'


@cache
def render_svg(source: str, cache_dir: Path | None = None, viz_dir: Path = VIZ_DIR) -> str:
    """Lay out ``source`` into SVG with ``@viz-js/viz`` (found in ``viz_dir``): once per
    distinct diagram in a process, and kept in ``cache_dir`` between builds, keyed by
    the source, the package's version and the layout script."""
    try:
        meta = json.loads((viz_dir / "package.json").read_bytes())
    except (OSError, ValueError):
        raise DiagramError(VIZ_MISSING.format(viz_dir)) from None
    inputs = f"{meta.get('version')}\n{LAYOUT_SCRIPT.read_text(encoding='utf-8')}\n{source}"
    return kept(cache_dir, CACHE_KIND, inputs,
                lambda: _laid_out(source, viz_dir).encode("utf-8")).decode("utf-8")


def _laid_out(source: str, viz_dir: Path) -> str:
    try:
        node = _node()
    except RuntimeBuildError:
        raise DiagramError("Node.js introuvable : il dessine le schéma de décision (Graphviz "
                           "compilé en WebAssembly). Installez Node.js 20 puis lancez "
                           "« make setup ».") from None
    try:
        result = subprocess.run([node, str(LAYOUT_SCRIPT), str(viz_dir)], input=source,
                                capture_output=True, text=True, encoding="utf-8",
                                timeout=TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired:
        raise DiagramError("Graphviz n'a pas dessiné le schéma de décision en "
                           f"{TIMEOUT_S} secondes.") from None
    if result.returncode == VIZ_MISSING_EXIT:
        raise DiagramError(VIZ_MISSING.format(viz_dir) + "\n" + result.stderr.strip())
    if result.returncode != 0 or "<svg" not in result.stdout:
        raise DiagramError("Graphviz n'a pas pu dessiner le schéma de décision : "
                           f"{result.stderr.strip()}")
    return result.stdout


def _bare(svg: str) -> str:
    """Graphviz's SVG without prolog, comments, tooltips and ``xml:space``."""
    svg = COMMENTS.sub("", PROLOG.sub("", svg, count=1))
    return XML_SPACE.sub("", TITLES.sub("", svg)).strip()


def _accessible(svg: str, title_id: str, title: str, kind: str) -> str:
    """``svg`` as one image named by its title, painted by the site's CSS."""
    svg = SIZE.sub(lambda m: f'<svg width="{m.group(1)}pt" height="{m.group(2)}pt" '
                   f'role="img" aria-labelledby="{title_id}" '
                   f'class="decision-diagram__svg decision-diagram__svg--{kind}"',
                   PAINT.sub("", svg), count=1)
    head, rest = svg.split(">", 1)
    return f'{head}><title id="{title_id}">{escape(title)}</title>{rest}'


def inline_svg(svg: str, title_id: str, title: str) -> str:
    """The SVG ready to inline in a page: one accessible image, painted by the site's CSS."""
    return _accessible(_bare(svg), title_id, title, "wide")


def standalone_svg(svg: str, title: str) -> str:
    """The same picture as a file of its own (to open full size), in Graphviz's own paint."""
    head, rest = _bare(svg).split(">", 1)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n{head}><title>{escape(title)}</title>'
            f"{rest}\n")


def _box(body: str) -> tuple[float, float, float, float]:
    """The left, top, right and bottom of a node's shape (its first path)."""
    shape = re.search(r'\sd="([^"]*)"', body)
    assert shape is not None, "a Graphviz node without a shape"
    numbers = [float(n) for n in NUMBER.findall(shape.group(1))]
    xs, ys = numbers[0::2], numbers[1::2]
    return min(xs), min(ys), max(xs), max(ys)


def _f(value: float) -> str:
    """A coordinate as Graphviz writes them: two decimals at most."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def narrow_svg(svg: str, title_id: str, title: str) -> str:
    """The same boxes as Graphviz drew them, placed as an outline for narrow screens:
    each box on its own row in reading order (a question, then each answer's subtree),
    indented one step under the question it answers, joined by elbow arrows."""
    nodes = {name: (kind, body) for kind, name, body in NODE.findall(svg)}
    children: dict[str, list[str]] = {name: [] for name in nodes}
    for edge in EDGE_TITLE.findall(svg):
        tail, head = unescape(edge).split("->")
        children[tail].append(head)
    heads = {child for kids in children.values() for child in kids}
    root = next(name for name in nodes if name not in heads)
    place: dict[str, tuple[float, float, float, float]] = {}  # x, y, width, height
    drawn: list[str] = []
    bottom = OUTLINE_PAD

    def visit(name: str, depth: int) -> None:
        nonlocal bottom
        kind, body = nodes[name]
        left, top, right, low = _box(body)
        x, y = OUTLINE_PAD + depth * OUTLINE_INDENT, bottom
        place[name] = (x, y, right - left, low - top)
        bottom = y + low - top + OUTLINE_GAP
        drawn.append(f'<g class="node {kind}" transform="translate({_f(x - left)} '
                     f'{_f(y - top)})">{TITLES.sub("", body).strip()}</g>')
        for child in children[name]:
            visit(child, depth + 1)

    visit(root, 0)
    for name, kids in children.items():
        if not kids:
            continue
        x, y, _, height = place[name]
        trunk = x + OUTLINE_TRUNK
        ends = [(place[k][0], place[k][1] + place[k][3] / 2) for k in kids]
        path = f"M{_f(trunk)},{_f(y + height)}V{_f(ends[-1][1])}" + "".join(
            f"M{_f(trunk)},{_f(mid)}H{_f(tip - ARROW)}" for tip, mid in ends)
        arrows = "".join(
            f'<polygon points="{_f(tip - ARROW)},{_f(mid - ARROW_HALF)} {_f(tip)},{_f(mid)} '
            f'{_f(tip - ARROW)},{_f(mid + ARROW_HALF)}"/>' for tip, mid in ends)
        drawn.append(f'<g class="edge"><path d="{path}"/>{arrows}</g>')
    width = ceil(max(x + w for x, _, w, _ in place.values()) + OUTLINE_PAD)
    height = ceil(bottom - OUTLINE_GAP + OUTLINE_PAD)
    picture = (f'<svg width="{width}pt" height="{height}pt" viewBox="0 0 {width} {height}" '
               'xmlns="http://www.w3.org/2000/svg">'
               f'<g class="graph">{"".join(drawn)}</g></svg>')
    return _accessible(XML_SPACE.sub("", picture), title_id, title, "narrow")
