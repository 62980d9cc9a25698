"""French public holidays (metropolitan France, national days), from python-holidays:
no information session is held on one."""

from __future__ import annotations

from datetime import date
from functools import cache
from importlib.metadata import version
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from holidays import HolidayBase


@cache
def _french_holidays() -> HolidayBase:
    """The French calendar, named in French; it adds each year when first asked."""
    import holidays  # imported once asked: most checks never need it

    return holidays.country_holidays("FR", language="fr")


def holiday_name(day: date) -> str | None:
    """The French name of the public holiday on ``day`` (``Noël``), or ``None``."""
    return _french_holidays().get(day)


def holidays_version() -> str:
    """The version of the holidays library: a newer one may know other holidays."""
    return version("holidays")
