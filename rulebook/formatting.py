"""French display of parameter values by unit (``1 000 €``, ``29 € HT/mois``, ``21 heures``)."""

from __future__ import annotations

from typing import Any

from checker.french import (
    NBSP,
    THOUSANDS,
    format_eur,
    format_long_date,
    format_number,
    format_words,
)

# Numbers, euros, dates and lists have one formatter, in checker/ (also run by the browser).
__all__ = ["format_eur", "format_long_date", "format_number", "format_words"]

def format_eur_ht_per_month(value: float) -> str:
    """``29`` -> ``29 € HT/mois``."""
    return f"{format_eur(value)}{NBSP}HT/mois"


def format_percent(value: float) -> str:
    """``100`` -> ``100 %`` (French typography: a narrow no-break space before %)."""
    return f"{format_number(value)}{THOUSANDS}%"


def format_hours(value: float) -> str:
    """``21`` -> ``21 heures``."""
    return f"{format_number(value)}{NBSP}heure{'s' if value >= 2 else ''}"


def format_months(value: float) -> str:
    """``2`` -> ``2 mois``."""
    return f"{format_number(value)}{NBSP}mois"


def format_eur_ht(value: float) -> str:
    """``348`` -> ``348 € HT``."""
    return f"{format_eur(value)}{NBSP}HT"


def yearly_total(price_per_month: float) -> float:
    """What twelve monthly prices add up to over a year (``29`` -> ``348``)."""
    return 12 * price_per_month


UNIT_FORMATTERS: dict[str, Any] = {
    "eur": format_eur,
    "eur_ht_per_month": format_eur_ht_per_month,
    "count": format_number,
    "percent": format_percent,
    "hours": format_hours,
    "months": format_months,
    "date": format_long_date,
    "year": str,
    "text": str,
}


def format_parameter(unit: str, value: Any) -> str:
    """Format a parameter value for French prose according to its unit."""
    return UNIT_FORMATTERS[unit](value)
