""""Synthèse des nouveautés": the summary table and the decision diagram.

The diagram is a picture laid out by Graphviz at build time (inline SVG, no
JavaScript, no Mermaid, nothing fetched), with the same tree as a nested list
for its text alternative; both are built from the verdicts of the
representative profiles, so they follow the conditions.
"""

from __future__ import annotations

from checker.wording import deadline_note
from rulebook.decisions import Node, decision_tree, decisions
from rulebook.describe import answer_label, question
from rulebook.formatting import format_long_date
from sitegen.pages import uris
from sitegen.pages.context import SiteContext
from sitegen.pages.diagram import dot_source, inline_svg, render_svg, standalone_svg
from sitegen.pages.render import relative, render_page
from sitegen.pages.rules import concerns_label, plan_link

DIAGRAM_TITLE = "Schéma de décision : votre formule et vos démarches selon vos réponses"


def tree_lines(ctx: SiteContext, node: Node, page_uri: str, indent: int = 0) -> list[str]:
    """The branches of ``node`` as nested Markdown bullets."""
    q = question(ctx.compiled, node.question_id)
    lines = []
    for value, child in node.branches:
        head = f"{' ' * indent}- *{answer_label(q, value)}* →"
        if child.leaf is not None:
            verdict = child.leaf.verdict
            shown = verdict["display"]
            plan = verdict["plan"]
            outcome = [f"**{plan_link(ctx, plan, page_uri)}**"] if plan else []
            outcome.append(f"{shown['headings']['actions']} : {' ; '.join(shown['todo'])}"
                           if shown["todo"] else shown["nothing_to_do"])
            lines.append(f"{head} {' — '.join(outcome)}")
        else:
            lines.append(f"{head} **{question(ctx.compiled, child.question_id)['short']} ?**")
            lines += tree_lines(ctx, child, page_uri, indent + 4)
    return lines


def pages(ctx: SiteContext) -> dict[str, str | bytes]:
    """The synthesis page."""
    book = ctx.book
    compiled_rules = {r["id"]: r for r in ctx.compiled["rules"]}
    rows = []
    for rule in book.data["rules"]:
        deadlines = sorted({e["deadline"] for e in compiled_rules[rule["id"]]["effects"]
                            if e["deadline"]})
        rows.append({
            "link": f"[{rule['number']}. {book.render(rule['title'])}]"
                    f"({relative(uris.SYNTHESIS, ctx.rule_uris[rule['id']])})",
            "concerns": concerns_label(rule["concerns"]),
            "summary": book.render(rule["summary"]),
            "deadline": ", ".join(deadline_note(d, ctx.as_of) for d in deadlines) or "—",
        })
    root = decision_tree(ctx.decisions)
    # The picture escapes its own texts: it is drawn from the rules as written.
    source = ctx.source_book.compiled
    svg = render_svg(dot_source(source, decision_tree(decisions(source, ctx.as_of)),
                                DIAGRAM_TITLE))
    return {uris.DIAGRAM: standalone_svg(svg, DIAGRAM_TITLE), uris.SYNTHESIS: render_page(
        "synthesis.md.j2", uris.SYNTHESIS, uris=uris, rows=rows,
        effective_date=book.displays.get("effective_date"),
        root_question=question(ctx.compiled, root.question_id)["short"],
        as_of=format_long_date(ctx.as_of),
        tree=tree_lines(ctx, root, uris.SYNTHESIS),
        diagram=inline_svg(svg, "schema-de-decision-titre", DIAGRAM_TITLE),
    )}
