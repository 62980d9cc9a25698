"""Information sessions: when they are held, and the checks of their dates.

A one-off session has its ``date``; a weekly one its ``days``, announced only over
the period the support team confirms (``confirmed_from`` … ``confirmed_until``,
both included). No session is held on a French public holiday: a one-off date on
one is refused, a weekly session skips it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from checker.french import format_long_date
from rulebook.declaration import DAYS, Session
from rulebook.errors import FieldPath, Report
from rulebook.public_holidays import holiday_name

WEEKLY_ONLY = {
    "confirmed_from": "le premier jour où l'équipe confirme ces horaires, AAAA-MM-JJ",
    "confirmed_until": "le dernier jour confirmé (inclus), AAAA-MM-JJ ; aucune date n'est "
                       "annoncée après",
}
TWO_KINDS = ("une session ponctuelle a une « date », une session hebdomadaire des jours "
             "(« days »)")


def check_session(session: dict[str, Any], path: FieldPath, report: Report) -> None:
    """Report what the kind of a session (a mapping as read, at ``path``) lacks or
    refuses, and its dates that cannot be."""
    _check_kind(session, path, report)
    _check_dates(session, path, report)


def _check_kind(session: dict[str, Any], path: FieldPath, report: Report) -> None:
    """Exactly one of ``date`` (one-off, with its ``end``) and ``days`` (weekly, with its
    confirmed period)."""
    one_off, weekly = "date" in session, "days" in session
    if one_off and weekly:
        report((*path, "date"), f"« date » et « days » ensemble : {TWO_KINDS} ; gardez l'une des "
               "deux")
    elif not one_off and not weekly:
        report(path, f"ni « date » ni « days » : {TWO_KINDS} ; écrivez l'une des deux")
    elif weekly:
        for key, doc in WEEKLY_ONLY.items():
            if key not in session:
                report((*path, key), f"clé « {key} » obligatoire pour une session "
                       f"hebdomadaire (« days ») : {doc}")
    else:
        for key in WEEKLY_ONLY:
            if key in session:
                report((*path, key), f"« {key} » ne va qu'avec une session hebdomadaire "
                       "(« days ») : une session ponctuelle n'a que sa « date »")
        if "end" not in session:
            report((*path, "end"), "clé « end » obligatoire pour une session ponctuelle "
                   "(« date ») : son heure de fin, \"HH:MM\"")


def _check_dates(session: dict[str, Any], path: FieldPath, report: Report) -> None:
    """A one-off date is no public holiday (a past one is fine: time passes after a file
    is written); a confirmed period ends on or after its first day."""
    day = session.get("date")
    if isinstance(day, date) and (name := holiday_name(day)):
        report((*path, "date"), f"le {format_long_date(day)} est un jour férié ({name}) : "
               "aucune session n'a lieu un jour férié, choisissez un autre jour")
    first, last = session.get("confirmed_from"), session.get("confirmed_until")
    if isinstance(first, date) and isinstance(last, date) and last < first:
        report((*path, "confirmed_until"), f"la période confirmée finirait le "
               f"{format_long_date(last)}, avant de commencer le {format_long_date(first)} : "
               "« confirmed_until » est le même jour que « confirmed_from » ou un jour après")


def _session_days(session: Session, since: date, until: date,
                  backwards: bool = False) -> Iterator[date]:
    """The days of ``session`` from ``since`` to ``until`` (included), public holidays
    among them: its one date, or its weekdays inside its confirmed period."""
    if session.date is not None:
        if since <= session.date <= until:
            yield session.date
        return
    assert session.days and session.confirmed_from and session.confirmed_until  # validated
    first, last = max(since, session.confirmed_from), min(until, session.confirmed_until)
    wanted = {DAYS.index(d) for d in session.days}
    offsets = range((last - first).days + 1)
    for offset in reversed(offsets) if backwards else offsets:
        day = first + timedelta(days=offset)
        if day.weekday() in wanted:
            yield day


def held_days(session: Session, since: date, until: date = date.max,
              backwards: bool = False) -> Iterator[date]:
    """The days ``session`` is held, from ``since`` to ``until`` (included), in order
    (latest first when ``backwards``): no public holiday."""
    return (day for day in _session_days(session, since, until, backwards)
            if holiday_name(day) is None)


def skipped_holidays(session: Session, since: date, until: date) -> list[date]:
    """The public holidays on which a weekly ``session`` would fall, from ``since`` to
    ``until`` (included)."""
    return [day for day in _session_days(session, since, until)
            if holiday_name(day) is not None]


def first_to_come(session: Session, as_of: date) -> date | None:
    """The first day ``session`` is held on ``as_of`` or after, if any."""
    return next(held_days(session, as_of), None)


def last_to_come(session: Session, as_of: date) -> date | None:
    """The last day ``session`` is held on ``as_of`` or after, if any."""
    return next(held_days(session, as_of, backwards=True), None)
