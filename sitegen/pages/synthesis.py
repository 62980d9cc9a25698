""""Synthèse des nouveautés": the summary table and the decision diagram.

The diagram is a picture laid out by Graphviz at build time (inline SVG, no
JavaScript, no Mermaid, nothing fetched), from left to right, and the same boxes
as an outline that narrow screens show instead (root first, no sideways
scrolling), with the same tree as a nested list for its text alternative; all
are built from the verdicts of the representative profiles, so they follow the
conditions.
"""

from __future__ import annotations

from typing import Any

from mkdocs.exceptions import PluginError

from checker.wording import deadline_note, section
from rulebook.decisions import Node, decision_tree
from rulebook.describe import answer_label, question
from sitegen.context import SiteContext
from sitegen.diagram import (
    DiagramError,
    dot_source,
    inline_svg,
    narrow_svg,
    render_svg,
    standalone_svg,
)
from sitegen.markdown_text import Markdown, escape_text
from sitegen.pages.common import bold_plan, concerns_label, rule_link

DIAGRAM_TITLE = "Schéma de décision : votre formule et vos démarches selon vos réponses"
DIAGRAM_ID = "schema-de-decision-titre"
NARROW_ID = "schema-de-decision-etroit-titre"


def diagram_uri(uri: str) -> str:
    """The standalone picture, beside the page: ``synthese.md`` -> ``synthese/….svg``."""
    return f"{uri.removesuffix('.md')}/schema-de-decision.svg"


def tree_lines(ctx: SiteContext, node: Node, page_uri: str,
               indent: int = 0) -> list[Markdown]:
    """The branches of ``node`` as nested Markdown bullets (texts escaped)."""
    q = question(ctx.compiled, node.question_id)
    lines = []
    for value, child in node.branches:
        head = f"{' ' * indent}- *{escape_text(answer_label(q, value))}* →"
        if child.leaf is not None:
            verdict = child.leaf.verdict
            actions = section(verdict["display"], "actions")
            todo = [item["label"] for item in actions["items"]]
            plan = verdict["plan"]
            outcome = [bold_plan(ctx, plan, page_uri)] if plan else []
            outcome += ([escape_text(f"{actions['heading']} : {' ; '.join(todo)}")]
                        if todo else [])
            # the nothing-to-do line, when the layout says it
            outcome += [escape_text(line) for line in actions["lead"]]
            # "—": nothing decided yet
            lines.append(Markdown(f"{head} {' — '.join(outcome) or '—'}"))
        else:
            short = escape_text(question(ctx.compiled, child.question_id).short)
            lines.append(Markdown(f"{head} **{short} ?**"))
            lines += tree_lines(ctx, child, page_uri, indent + 4)
    return lines


def _svg(ctx: SiteContext) -> str:
    """The picture, drawn from the rules as written (it escapes its own texts); Graphviz
    runs once per distinct picture (``render_svg`` keeps it in the build cache)."""
    source = dot_source(ctx.book.compiled, decision_tree(ctx.decisions), DIAGRAM_TITLE)
    try:
        return render_svg(source, ctx.cache)
    except DiagramError as exc:  # French already: the build stops on it
        raise PluginError(str(exc)) from None


def files(ctx: SiteContext, uri: str) -> dict[str, str | bytes]:
    """The standalone picture, to open full size."""
    return {diagram_uri(uri): standalone_svg(_svg(ctx), DIAGRAM_TITLE)}


def build(ctx: SiteContext, uri: str) -> dict[str, Any]:
    """The synthesis page's variables."""
    rows = []
    for rule in ctx.rules.rules:
        compiled = ctx.compiled_rules[rule.id]
        deadlines = sorted({e.deadline for e in compiled.effects if e.deadline})
        rows.append({
            "link": rule_link(ctx, rule.id, uri, f"{rule.number}. {ctx.book.render(rule.title)}"),
            "concerns": concerns_label(ctx, rule.concerns),
            "summary": ctx.book.render(rule.summary),
            "deadline": ", ".join(deadline_note(d, ctx.as_of) for d in deadlines) or "—",
        })
    root = decision_tree(ctx.decisions)
    svg = _svg(ctx)
    return {
        "rows": rows,
        "root_question": question(ctx.compiled, root.question_id).short,
        "tree": tree_lines(ctx, root, uri),
        "diagram": Markdown(inline_svg(svg, DIAGRAM_ID, DIAGRAM_TITLE)),
        "diagram_narrow": Markdown(narrow_svg(svg, NARROW_ID, DIAGRAM_TITLE)),
        "diagram_uri": diagram_uri(uri),
    }
