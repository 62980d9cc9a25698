"""The preview's warning on the decision table: what the uncommitted edit changes.

Rendered only when the plugin runs under ``mkdocs serve`` and the rules differ
from ``HEAD``; the same report as ``cagette-rules impact``, in Markdown lists.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rulebook.impact import TEXTS_TITLE, VALUES_TITLE, pages_of, periods_label
from sitegen.markdown_text import Markdown, escape_text

if TYPE_CHECKING:  # the impact is computed only for a preview
    from rulebook.impact import Impact

PREVIEW_TITLE = "Aperçu : modifications non publiées"
PREVIEW_INTRO = ("Ce cadre n'apparaît que dans l'aperçu (`make serve`), jamais sur le site "
                 "publié : il compare `{working}` à sa dernière version enregistrée "
                 "(`{baseline}`), {scope}. Le tableau ci-dessous montre déjà la version de "
                 "travail.")


def admonition(impact: Impact) -> Markdown:
    """The preview's warning block (Markdown), the same report in lists (its texts
    escaped as plain texts)."""
    pad = "    "
    intro = PREVIEW_INTRO.format(working=escape_text(impact.working),
                                 baseline=escape_text(impact.baseline),
                                 scope=escape_text(impact.scope()))
    lines = [f'!!! warning "{PREVIEW_TITLE}"', "", pad + intro, "",
             f"{pad}**{escape_text(impact.summary())}**", ""]
    if impact.values:
        lines += [f"{pad}**{VALUES_TITLE}**", ""]
        lines += [f"{pad}- {escape_text(v.text())}" for v in impact.values] + [""]
    if impact.texts:
        lines += [f"{pad}**{TEXTS_TITLE}**", ""]
        for page, changes in pages_of(impact).items():
            lines += [f"{pad}*{escape_text(page)}*", ""]
            lines += [f"{pad}- {escape_text(t.text())}" for t in changes] + [""]
    for section in impact.outline():
        lines += [f"{pad}**{escape_text(section.title)}**", ""]
        for group in section.groups:
            shared = group.shared_periods()
            when = f", {periods_label(shared)}" if shared else ""
            lines.append(f"{pad}- {escape_text(group.line.short())}  ")
            lines.append(f"{pad}  {escape_text(group.count() + when)} :")
            lines.append("")
            for role, situations in group.roles().items():
                lines.append(f"{pad * 2}- *{escape_text(role)}*")
                for situated in situations:
                    periods = "" if shared else f" — {periods_label(situated.periods)}"
                    lines.append(f"{pad * 3}- {escape_text(situated.text + periods)}")
            lines.append("")
    return Markdown("\n".join(lines).rstrip() + "\n")
