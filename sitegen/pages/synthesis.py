""""Synthèse des nouveautés": the summary table and the decision diagram.

The diagram is a nested list (HTML and CSS, no JavaScript, no Mermaid): light
on slow connections, read naturally by screen readers, and built from the
verdicts of the representative profiles, so it follows the conditions.
"""

from __future__ import annotations

from sitegen.describe import answer_label, question
from sitegen.pages import uris
from sitegen.pages.context import SiteContext
from sitegen.pages.decisions import Node, decision_tree
from sitegen.pages.render import relative, render_page
from sitegen.pages.rules import action_lines, concerns_label, plan_link


def tree_lines(ctx: SiteContext, node: Node, page_uri: str, indent: int = 0) -> list[str]:
    """The branches of ``node`` as nested Markdown bullets."""
    q = question(ctx.compiled, node.question_id)
    lines = []
    for value, child in node.branches:
        head = f"{' ' * indent}- *{answer_label(q, value)}* →"
        if child.leaf is not None:
            verdict = child.leaf.verdict
            outcome = []
            if verdict["plan"]:
                outcome.append(f"**{plan_link(ctx, verdict['plan'], page_uri)}**")
            actions = action_lines(verdict)
            outcome.append(f"à faire : {' ; '.join(actions)}" if actions else "rien à faire")
            lines.append(f"{head} {' — '.join(outcome)}")
        else:
            lines.append(f"{head} **{question(ctx.compiled, child.question_id)['short']} ?**")
            lines += tree_lines(ctx, child, page_uri, indent + 4)
    return lines


def pages(ctx: SiteContext) -> dict[str, str]:
    """The synthesis page."""
    book = ctx.book
    rows = []
    for rule in book.data["rules"]:
        deadlines = sorted({book.displays[e["deadline"]] for e in rule["effects"]
                            if e.get("deadline")})
        rows.append({
            "link": f"[{rule['number']}. {book.render(rule['title'])}]"
                    f"({relative(uris.SYNTHESIS, uris.rule_page_uri(rule['id']))})",
            "concerns": concerns_label(rule["concerns"]),
            "summary": book.render(rule["summary"]),
            "deadline": ", ".join(f"avant le {d}" for d in deadlines) or "—",
        })
    root = decision_tree(ctx.decisions)
    return {uris.SYNTHESIS: render_page(
        "synthesis.md.j2", uris.SYNTHESIS, uris=uris, rows=rows,
        effective_date=book.displays.get("effective_date"),
        root_question=question(ctx.compiled, root.question_id)["short"],
        tree=tree_lines(ctx, root, uris.SYNTHESIS),
    )}
