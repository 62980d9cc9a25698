"""French formatting of numbers, euros and dates: the one implementation,
used by the verdict (CPython and Pyodide) and by the site build alike.

Standard library only. Typography follows the French usage that CLDR gives
for ``fr_FR``: a narrow no-break space between thousands (``1 000``), a comma
for decimals, a no-break space before the euro sign, ``1er`` for the first day
of a month.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

THOUSANDS = "\u202f"  # narrow no-break space
NBSP = "\u00a0"
# French punctuation spacing: a no-break space before « : » and inside guillemets, a
# narrow no-break space before « ; ? ! » (Imprimerie nationale; CLDR's fr_FR).
_BEFORE_COLON = re.compile(r"(?<=\S)[ \t\u00a0\u202f]+:(?![-:/])")
_BEFORE_TALL = re.compile(r"(?<=\S)[ \t\u00a0\u202f]+([;?!])(?![!\[])")
_OPENING = re.compile(r"«[ \t\u00a0\u202f]*")
_CLOSING = re.compile(r"(?<=\S)[ \t\u00a0\u202f]*»")
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre")


def format_number(value: float) -> str:
    """``1000`` -> ``1 000``; ``1250.5`` -> ``1 250,50`` (two decimals when not whole)."""
    if float(value).is_integer():
        whole, decimals = f"{int(value):d}", ""
    else:
        whole, _, cents = f"{value:.2f}".partition(".")
        decimals = f",{cents}"
    sign, digits = ("-", whole[1:]) if whole.startswith("-") else ("", whole)
    groups = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    return sign + THOUSANDS.join(groups) + decimals


def format_eur(value: float) -> str:
    """``1000`` -> ``1 000 €``."""
    return f"{format_number(value)}{NBSP}€"


def format_long_date(value: date | str) -> str:
    """``2022-12-31`` -> ``31 décembre 2022``; ``2022-02-01`` -> ``1er février 2022``."""
    day = date.fromisoformat(value) if isinstance(value, str) else value
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number} {MONTHS[day.month - 1]} {day.year}"


def format_words(items: Iterable[str], conjunction: str = "et") -> str:
    """``["a", "b", "c"]`` -> ``a, b et c`` (``conjunction="ou"``: ``a, b ou c``)."""
    words = list(items)
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


def lower_first(text: str) -> str:
    """``Inscrire un producteur`` -> ``inscrire un producteur``."""
    return text[:1].lower() + text[1:]


def typeset(text: str) -> str:
    """French spacing around punctuation: ``a : b ; c ? « d »`` with a no-break space
    before ``:`` and inside guillemets and a narrow one before ``; ? !`` (an ordinary
    space there lets a line break leave the sign alone at the start of a line).

    Idempotent; for plain text (the Markdown pages go through
    ``sitegen.typography``, which keeps code, links and tags as they are).
    """
    text = _BEFORE_COLON.sub(NBSP + ":", text)
    text = _BEFORE_TALL.sub(lambda m: THOUSANDS + m.group(1), text)
    text = _OPENING.sub("«" + NBSP, text)
    return _CLOSING.sub(NBSP + "»", text)
