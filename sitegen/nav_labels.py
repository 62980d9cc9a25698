"""Name each navigation section by its title, for assistive technologies.

Material labels a section's ``<nav>`` with the toggle next to its index page's link
(``navigation.indexes``), a label that holds only an arrow icon: every such section
is then an unnamed navigation landmark, the same for all (axe's ``landmark-unique``,
read on phones, where the drawer is in the page). The section's own title label,
just inside the ``<nav>``, holds its name: point the ``<nav>`` at it.
"""

from __future__ import annotations

import re

SECTION = re.compile(
    r'(<nav class="md-nav"[^>]*?aria-labelledby=")(?P<id>__nav_[\w]+)_label("[^>]*>\s*'
    r'<label class="md-nav__title" for=")(?P=id)(")')


def name_nav_sections(html: str) -> str:
    """``html`` with each section's ``<nav>`` labelled by its title (an ``id`` added)."""
    return SECTION.sub(r'\1\g<id>_title\3\g<id>" id="\g<id>_title\4', html)
