"""French formatting of amounts, prices, counts and dates (Babel)."""

from __future__ import annotations

from datetime import date
from typing import Any

from babel.dates import format_date
from babel.numbers import format_decimal

LOCALE = "fr_FR"


def format_number(value: float) -> str:
    """``1000`` -> ``1 000`` (narrow no-break space, French grouping)."""
    return format_decimal(value, locale=LOCALE)


def format_eur(value: float) -> str:
    """``1000`` -> ``1 000 €``."""
    return f"{format_number(value)}\u00a0€"


def format_eur_ht_per_month(value: float) -> str:
    """``29`` -> ``29 € HT/mois``."""
    return f"{format_eur(value)}\u00a0HT/mois"


def format_long_date(value: date) -> str:
    """``2022-12-31`` -> ``31 décembre 2022`` (``1er`` for the first of the month)."""
    text = format_date(value, format="d MMMM y", locale=LOCALE)
    return "1er" + text[1:] if value.day == 1 else text


UNIT_FORMATTERS: dict[str, Any] = {
    "eur": format_eur,
    "eur_ht_per_month": format_eur_ht_per_month,
    "count": format_number,
    "date": format_long_date,
    "year": str,
    "text": str,
}


def format_parameter(unit: str, value: Any) -> str:
    """Format a parameter value for French prose according to its unit."""
    return UNIT_FORMATTERS[unit](value)
