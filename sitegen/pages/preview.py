"""The preview's warning on the decision table: what the unpublished edit changes.

Rendered only when the plugin runs under ``mkdocs serve`` and the rules differ
from ``HEAD``; the same report as ``cagette-rules impact``, in Markdown lists.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sitegen.escape import escape_text

if TYPE_CHECKING:  # the impact is computed only by the preview
    from rulebook.impact import Impact

PREVIEW_TITLE = "Aperçu : modifications non publiées"
PREVIEW_INTRO = ("Ce cadre n'apparaît que dans l'aperçu (`make serve`), jamais sur le site "
                 "publié : il compare `{working}` à sa dernière version enregistrée "
                 "(`{baseline}`), {scope}. Le tableau ci-dessous montre déjà la version de "
                 "travail.")


def admonition(impact: Impact) -> str:
    """The preview's warning block (Markdown), the same report in lists."""
    pad = "    "
    intro = PREVIEW_INTRO.format(working=escape_text(impact.working),
                                 baseline=escape_text(impact.baseline),
                                 scope=escape_text(impact.scope()))
    lines = [f'!!! warning "{PREVIEW_TITLE}"', "", pad + intro, "",
             f"{pad}**{escape_text(impact.summary())}**", ""]
    for section in impact.outline():
        lines += [f"{pad}**{escape_text(section.title)}**", ""]
        for role in section.roles:
            lines += [f"{pad}*{escape_text(role.label)}*", ""]
            for situation in role.situations:
                lines.append(f"{pad}- {escape_text(situation.text)}")
                for amount, changes in situation.amounts:
                    inner = pad * 2
                    if amount:
                        lines.append(f"{inner}- {escape_text(amount)}")
                        inner += pad
                    for change in changes:
                        lines.append(f"{inner}- {escape_text(change.period.label())} :")
                        lines += [f"{inner}{pad}- {escape_text(line.text())}"
                                  for line in change.lines]
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"
