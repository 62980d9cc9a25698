"""French formatting of amounts, prices, counts and dates (Babel)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, time
from typing import Any

from babel.dates import format_date, format_time, get_day_names
from babel.lists import format_list
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


def format_eur_ht(value: float) -> str:
    """``348`` -> ``348 € HT``."""
    return f"{format_eur(value)}\u00a0HT"


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


def format_words(items: Iterable[str], style: str = "standard") -> str:
    """``a, b et c`` (``style="or"``: ``a, b ou c``)."""
    return format_list(list(items), style=style, locale=LOCALE)


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
