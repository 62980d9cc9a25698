"""``{{ parameter_id }}`` placeholders in the YAML's prose."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
BRACES = re.compile(r"\{\{|\}\}")


def placeholder_names(text: str) -> Iterator[str]:
    """Yield the parameter ids that ``text`` refers to."""
    for match in PLACEHOLDER.finditer(text):
        yield match.group(1)


def has_stray_braces(text: str) -> bool:
    """True when ``{{`` or ``}}`` remain outside well-formed placeholders."""
    return bool(BRACES.search(PLACEHOLDER.sub("", text)))


def render(text: str, displays: Mapping[str, str]) -> str:
    """Replace each placeholder by the parameter's French display string."""
    return PLACEHOLDER.sub(lambda m: displays[m.group(1)], text)
