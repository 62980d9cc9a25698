"""French formatting of numbers, euros and dates: the one implementation,
used by the verdict (CPython and Pyodide) and by the site build alike.

Standard library only. Typography follows the French usage that CLDR gives
for ``fr_FR``: a narrow no-break space between thousands (``1 000``), a comma
for decimals, a no-break space before the euro sign, ``1er`` for the first day
of a month.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

THOUSANDS = "\u202f"  # narrow no-break space
NBSP = "\u00a0"
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
