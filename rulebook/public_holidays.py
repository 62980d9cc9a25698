"""French public holidays (metropolitan France, national days), from python-holidays:
no information session is held on one.

The browser editor does not ship the library (14 MB for every country): it is given
the days the library gives for the years around the build (:func:`holidays_table`,
:func:`use_table`), so that its checks read the same days.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import cache
from importlib.metadata import version
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from holidays import HolidayBase

_table: dict[date, str] | None = None  # set by use_table(): the library is not there


@cache
def _french_holidays() -> HolidayBase:
    """The French calendar, named in French; it adds each year when first asked."""
    import holidays  # imported once asked: most checks never need it

    return holidays.country_holidays("FR", language="fr")


def holiday_name(day: date) -> str | None:
    """The French name of the public holiday on ``day`` (``Noël``), or ``None``."""
    if _table is not None:
        return _table.get(day)
    return _french_holidays().get(day)


def holidays_table(first_year: int, last_year: int) -> dict[str, str]:
    """Every public holiday of those years (included): ISO day -> French name."""
    calendar = _french_holidays()
    for year in range(first_year, last_year + 1):
        calendar.get(date(year, 1, 1))  # makes the library compute that year
    return {day.isoformat(): name for day, name in sorted(calendar.items())
            if first_year <= day.year <= last_year}


def use_table(table: Mapping[str, str]) -> None:
    """Read the public holidays from ``table`` (:func:`holidays_table`) from now on."""
    global _table
    _table = {date.fromisoformat(day): name for day, name in table.items()}


def holidays_version() -> str:
    """The version of the holidays library: a newer one may know other holidays."""
    return version("holidays")
