"""French page addresses derived from titles: ``Le compte producteur en Formule
Découverte`` -> ``compte-producteur-formule-decouverte``."""

from __future__ import annotations

import re
import unicodedata

# Little words an address does without (articles, prepositions, possessives).
SMALL_WORDS = {"le", "la", "les", "l", "un", "une", "des", "de", "du", "d", "en", "et", "ou",
               "a", "au", "aux", "pour", "par", "sur", "vos", "votre", "nos", "notre", "ses",
               "son", "sa", "leur", "leurs", "plus"}
NOT_WORD = re.compile(r"[^a-z0-9]+")


def slugify(title: str) -> str:
    """A lowercase ASCII address from ``title``: the part before a colon, little words
    dropped, accents removed, words joined with ``-``."""
    head = title.split(":", 1)[0]
    ascii_text = unicodedata.normalize("NFKD", head).encode("ascii", "ignore").decode()
    words = [w for w in NOT_WORD.split(ascii_text.lower()) if w and w not in SMALL_WORDS]
    return "-".join(words)
