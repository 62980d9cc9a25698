"""An :class:`~rulebook.impact.Impact` as plain text, for ``cagette-rules impact``.

The preview's admonition (:mod:`sitegen.pages.impact_admonition`) places the same strings
in the same order: the values, the pages' texts, then for each kind of change each
"avant → après" line once, with the situations it applies to and their periods."""

from __future__ import annotations

from rulebook.impact import TEXTS_TITLE, VALUES_TITLE, Impact, pages_of, periods_label


def as_text(impact: Impact) -> str:
    """The report printed by ``cagette-rules impact``."""
    lines = [impact.title(), impact.summary()]
    if impact.values:
        lines += ["", VALUES_TITLE, *(f"  • {v.text()}" for v in impact.values)]
    if impact.texts:
        lines += ["", TEXTS_TITLE]
        for page, changes in pages_of(impact).items():
            lines += ["", f"  {page}", *(f"    • {t.text()}" for t in changes)]
    for section in impact.outline():
        lines += ["", section.title]
        for group in section.groups:
            shared = group.shared_periods()
            when = f", {periods_label(shared)}" if shared else ""
            lines += ["", f"  • {group.line.short()}", f"    {group.count()}{when} :"]
            for role, situations in group.roles().items():
                lines.append(f"      {role}")
                for situated in situations:
                    periods = "" if shared else f" — {periods_label(situated.periods)}"
                    lines.append(f"        ◦ {situated.text}{periods}")
    return "\n".join(lines)
