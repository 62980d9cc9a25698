"""The decision diagram as a picture: the decision tree laid out by Graphviz.

The tree is the one the synthesis page lists (``decisions.decision_tree``, built
from verdicts of ``checker.evaluate``), so the picture cannot drift from the
rules. Each box starts with the answer that leads to it (in italics), then the
next question (in bold) or the outcome in the verdict's own words (plan name,
then one line per action); branches that end the same way are merged. ``dot``
lays it out from left to right (answers inside the boxes keep it narrow); the
SVG is inlined without Graphviz's colours, so the site's stylesheet paints it
in the light and dark palettes and for print.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from html import escape
from pathlib import Path
from typing import Any

from checker.french import typeset
from rulebook.decisions import Node
from rulebook.describe import AmountRange, answer_label, question
from sitegen.kept import kept

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
SIZE = re.compile(r'<svg width="(\d+)pt" height="(\d+)pt"')
# Fills of the standalone picture (written as attributes: a CSP header may forbid <style>).
FILLS = {"question": "#eef4f1", "outcome": "#fff8e6"}


class DiagramError(Exception):
    """Graphviz is missing or failed: the French message says what to do."""


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
    """The verdict's own words for a leaf: its plan, then what to do."""
    shown = verdict["display"]
    head = _lines(shown["plan"]["name"]) if shown["plan"] else []
    todo = [f"• {line}" for line in shown["todo"]] or [shown["nothing_to_do"]]
    return Box("outcome", tuple(head + [p for line in todo for p in _lines(line)]), len(head))


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


def picture(compiled: Mapping[str, Any], node: Node) -> Box:
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
    return Box("question", tuple(_lines(typeset(f"{q['short']} ?"))), 99, tuple(arrows))


def _label(answer: tuple[str, ...], box: Box) -> str:
    """An HTML-like Graphviz label: the answer in italics, then the box's lines."""
    parts = [f"<I>{escape(line)}</I>" for line in answer]
    parts += [f"<B>{escape(line)}</B>" if i < box.bold else escape(line)
              for i, line in enumerate(box.lines)]
    return f"<{BREAK.join(parts)}{BREAK}>"


def dot_source(compiled: Mapping[str, Any], root: Node, title: str) -> str:
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
def render_svg(source: str, cache_dir: Path | None = None) -> str:
    """Lay out ``source`` with ``dot`` into SVG: once per distinct diagram in a process,
    and kept in ``cache_dir`` between builds, keyed by the source and ``dot``."""
    dot = shutil.which("dot")
    if dot is None:
        raise DiagramError(
            "Graphviz (la commande « dot ») est introuvable : il dessine le schéma de décision. "
            "Installez le paquet Debian « graphviz » (« make setup » le fait).")
    stat = Path(dot).stat()
    inputs = f"{dot}|{stat.st_size}|{stat.st_mtime_ns}\n{source}"
    return kept(cache_dir, "diagrams", inputs,
                lambda: _laid_out(dot, source).encode("utf-8")).decode("utf-8")


def _laid_out(dot: str, source: str) -> str:
    result = subprocess.run([dot, "-Tsvg"], input=source, capture_output=True, text=True,
                            timeout=TIMEOUT_S, check=False)
    if result.returncode != 0:
        raise DiagramError("Graphviz n'a pas pu dessiner le schéma de décision : "
                           f"{result.stderr.strip()}")
    return result.stdout


def _bare(svg: str) -> str:
    """Graphviz's SVG without prolog, comments and tooltips."""
    return TITLES.sub("", COMMENTS.sub("", PROLOG.sub("", svg, count=1))).strip()


def inline_svg(svg: str, title_id: str, title: str) -> str:
    """The SVG ready to inline in a page: one accessible image, painted by the site's CSS."""
    svg = SIZE.sub(lambda m: f'<svg width="{m.group(1)}pt" height="{m.group(2)}pt" '
                   f'role="img" aria-labelledby="{title_id}" class="decision-diagram__svg"',
                   PAINT.sub("", _bare(svg)), count=1)
    head, rest = svg.split(">", 1)
    return f'{head}><title id="{title_id}">{escape(title)}</title>{rest}'


def standalone_svg(svg: str, title: str) -> str:
    """The same picture as a file of its own (to open full size), in Graphviz's own paint."""
    head, rest = _bare(svg).split(">", 1)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n{head}><title>{escape(title)}</title>'
            f"{rest}\n")
