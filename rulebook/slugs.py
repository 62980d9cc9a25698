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


RULES_INDEX = "index"  # the rules' list: its address is the rules section's own


def rule_slug(written: str | None, rendered_title: str) -> str:
    """The one place a rule's page address is made: its ``slug:`` when written, else
    from its title as pages show it (placeholders rendered)."""
    return written or slugify(rendered_title)


def address_clashes(rules: list[tuple[str, str]], complements: list[str]
                    ) -> list[tuple[int, str, str]]:
    """``(index of the rule, the address, what already takes it)`` for every rule page
    whose address another page would take too. ``rules``: each rule's id and slug;
    ``complements``: the hand-written pages of the rules section, by file name without
    ``.md`` (published at the same addresses)."""
    taken = {RULES_INDEX: "la liste des règles"}
    taken.update({name: f"la page écrite à la main docs/rules/{name}.md" for name in complements})
    moved = {rid for rid, slug in rules if slug != rid}  # old addresses, now redirects
    clashes = []
    for i, (rid, slug) in enumerate(rules):
        if slug in taken:
            clashes.append((i, slug, taken[slug]))
        elif slug in moved and slug != rid:
            clashes.append((i, slug, f"l'ancienne adresse de la règle « {slug} », qui "
                            "redirige vers sa nouvelle adresse"))
        taken.setdefault(slug, f"la règle « {rid} »")
    for i, (rid, _) in enumerate(rules):
        if rid in moved and rid in complements:
            clashes.append((i, rid, f"la page écrite à la main docs/rules/{rid}.md (l'ancienne "
                            f"adresse de la règle « {rid} » y redirige)"))
    return clashes
