"""French formatting for the site: units of parameters, times and weekdays (Babel)."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from babel.dates import format_date, format_time, get_day_names

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

LOCALE = "fr_FR"


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


def format_time_of_day(value: time) -> str:
    """``12:00`` -> ``12 h``, ``12:45`` -> ``12 h 45`` (French typography)."""
    pattern = "H\u00a0'h'" if value.minute == 0 else "H\u00a0'h'\u00a0mm"
    return format_time(value, pattern, locale=LOCALE)


def format_day_date(value: date) -> str:
    """``2026-11-30`` -> ``lundi 30 novembre 2026`` (``1er`` for the first)."""
    weekday = format_date(value, format="EEEE", locale=LOCALE)
    return f"{weekday} {format_long_date(value)}"


WEEKDAY_IDS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def weekday_name(day_id: str) -> str:
    """``monday`` -> ``lundi``."""
    return get_day_names("wide", locale=LOCALE)[WEEKDAY_IDS.index(day_id)]


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
