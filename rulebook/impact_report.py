"""An :class:`~rulebook.impact.Impact` as plain text, for ``cagette-rules impact``.

The preview's admonition (:mod:`sitegen.pages.preview`) places the same strings
in the same order: kind of change, role, situation, amounts, period, then the
"avant → après" lines."""

from __future__ import annotations

from rulebook.impact import Impact


def as_text(impact: Impact) -> str:
    """The report printed by ``cagette-rules impact``."""
    lines = [impact.title(), impact.summary()]
    for section in impact.outline():
        lines += ["", section.title]
        for role in section.roles:
            lines += ["", f"  {role.label}"]
            for situation in role.situations:
                lines.append(f"    • {situation.text}")
                for amount, changes in situation.amounts:
                    pad = "      "
                    if amount:
                        lines.append(f"{pad}◦ {amount}")
                        pad += "  "
                    for change in changes:
                        lines.append(f"{pad}  {change.period.label()} :")
                        lines += [f"{pad}    {line.text()}" for line in change.lines]
    return "\n".join(lines)
