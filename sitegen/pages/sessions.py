"""Information sessions: schedule in words, dates to come, one ``.ics`` per session
with a date to come.

A one-off session (``date``) is on the page until its day has passed at the build;
a weekly one (``days``) is announced only over the period the team confirms, and
said truthfully once that period is over; no session is held on a French public
holiday (:mod:`rulebook.sessions`). A site is published once and read for weeks:
the page lists the weekly sessions of the next weeks from the build date as
machine-readable ``<time datetime>`` values, hidden, and gives each session the
end of its last date to come; ``sessions.mjs`` shows the first few dates still to
come on the day the page is read and hides a one-off session once it is over.
Without JavaScript, the schedule in words, its confirmed period and the calendar
file say it all, and no past date is shown as to come.
"""

from __future__ import annotations

import dataclasses
import hashlib
import zoneinfo
from datetime import UTC, date, datetime, time, timedelta
from functools import cache, lru_cache
from importlib.metadata import version
from pathlib import Path
from typing import Any
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time, get_day_names, get_timezone_location

from checker import french
from checker.french import format_long_date, format_words, typeset
from rulebook import public_holidays
from rulebook import sessions as held
from rulebook.declaration import DAYS, Session
from rulebook.loader import RulesBook
from rulebook.sessions import first_to_come, held_days, last_to_come, skipped_holidays
from sitegen import render
from sitegen.build_cache import kept
from sitegen.context import SiteContext
from sitegen.render import one_line

LOCALE = "fr_FR"
WEEKDAY_IDS = tuple(DAYS)
NEXT_DATES = 5  # shown in the browser
HORIZON = timedelta(weeks=12)  # listed in the page, for a site read weeks after its build
ICAL_DAYS = dict(zip(WEEKDAY_IDS, ("MO", "TU", "WE", "TH", "FR", "SA", "SU"), strict=True))
# The page's introduction: some session has a date to come, sessions remain but none
# has, or no session remains (typeset here: sessions.mjs writes them from attributes).
INTRODUCTIONS = {state: typeset(text) for state, text in {
    "some": "On répond à vos questions en visio : choisissez la session qui vous correspond "
            "et inscrivez-vous.",
    "past": "Aucune date de session n'est annoncée pour le moment : voici les derniers "
            "horaires annoncés et leur source.",
    "none": "Aucune session d'information n'est annoncée pour le moment.",
}.items()}


@lru_cache(maxsize=256)  # the same few hours, on every session's dates
def format_time_of_day(value: time) -> str:
    """``12:00`` -> ``12 h``, ``12:45`` -> ``12 h 45`` (French typography)."""
    pattern = "H\u00a0'h'" if value.minute == 0 else "H\u00a0'h'\u00a0mm"
    return format_time(value, pattern, locale=LOCALE)


@lru_cache(maxsize=512)  # sessions share their days: each formatted once per build
def format_day_date(value: date) -> str:
    """``2026-11-30`` -> ``lundi 30 novembre 2026`` (``1er`` for the first)."""
    weekday = format_date(value, format="EEEE", locale=LOCALE)
    return f"{weekday} {format_long_date(value)}"


def weekday_name(day_id: str) -> str:
    """``monday`` -> ``lundi``."""
    return get_day_names("wide", locale=LOCALE)[WEEKDAY_IDS.index(day_id)]


def _time(text: str) -> time:
    return time.fromisoformat(text)


def days_phrase(days: list[str]) -> str:
    """``du lundi au vendredi``, ``tous les lundis``, ``tous les lundis et jeudis``…"""
    indexes = sorted(WEEKDAY_IDS.index(d) for d in days)
    if len(indexes) == 7:
        return "tous les jours"
    if len(indexes) >= 3 and indexes == list(range(indexes[0], indexes[-1] + 1)):
        return (f"du {weekday_name(WEEKDAY_IDS[indexes[0]])} "
                f"au {weekday_name(WEEKDAY_IDS[indexes[-1]])}")
    return "tous les " + format_words(weekday_name(WEEKDAY_IDS[i]) + "s" for i in indexes)


def hours_phrase(session: Session) -> str:
    """``de 12 h à 12 h 45`` or ``à 18 h``."""
    start = format_time_of_day(_time(session.start))
    if session.end:
        return f"de {start} à {format_time_of_day(_time(session.end))}"
    return f"à {start}"


def schedule(session: Session) -> str:
    """``Du lundi au vendredi, de 12 h à 12 h 45 (heure de Paris)``; for a one-off
    session ``Le vendredi 15 janvier 2027, de 18 h à 19 h (heure de Paris)``."""
    city = get_timezone_location(session.timezone, locale=LOCALE, return_city=True)
    when = (f"le {format_day_date(session.date)}" if session.date is not None
            else days_phrase(list(session.days or ())))
    text = f"{when}, {hours_phrase(session)} (heure de {city})"
    return text[:1].upper() + text[1:]


def period(session: Session, as_of: date) -> str | None:
    """A weekly schedule's confirmed period, said truthfully on ``as_of`` (``None`` for a
    one-off session)."""
    first, last = session.confirmed_from, session.confirmed_until
    if first is None or last is None:
        return None
    if last < as_of:
        return (f"Ces horaires étaient annoncés jusqu'au {format_long_date(last)} ; aucune "
                "date n'est annoncée depuis.")
    if first == last:
        return f"Horaires confirmés pour le {format_long_date(last)} seulement."
    return (f"Horaires confirmés du {format_long_date(first)} au {format_long_date(last)}, "
            "hors jours fériés.")


def moment(session: Session, day: date, at: str | None = None) -> datetime:
    """``day`` at the session's start (or ``at``, ``"HH:MM"``) in its time zone."""
    return datetime.combine(day, _time(at or session.start), tzinfo=ZoneInfo(session.timezone))


def _iso(value: datetime) -> str:
    return value.isoformat(timespec="minutes")


def listed_dates(session: Session, since: date) -> list[dict[str, str]]:
    """Every day a weekly session is held over the horizon from ``since`` (twelve weeks,
    inside its confirmed period, no public holiday): ISO start (with the zone's offset)
    and the French words, for ``<time datetime="…">…</time>``."""
    if session.date is not None:
        return []  # a one-off session has its one <time>, with its schedule
    start = format_time_of_day(_time(session.start))
    return [{"iso": _iso(moment(session, day)), "text": f"{format_day_date(day)} à {start}"}
            for day in held_days(session, since, since + HORIZON - timedelta(days=1))]


def ends(session: Session, as_of: date) -> str | None:
    """When the last date of ``session`` still to come on ``as_of`` ends (its start when
    no end is given), ISO; ``None`` when none is to come."""
    last = last_to_come(session, as_of)
    return None if last is None else _iso(moment(session, last, session.end))


def calendar(session: Session, since: date, host: str, source_page: str) -> bytes:
    """The session from its first date to come on ``since`` (there must be one) in its
    time zone, as iCalendar bytes: one event for a one-off session; for a weekly one,
    a weekly ``RRULE`` until the end of its confirmed period, public holidays excepted."""
    from icalendar import Calendar, Event, vText  # only when a calendar is not kept

    first = first_to_come(session, since)
    if first is None:
        raise ValueError(f"session {session.id!r}: no date to come on {since}")
    cal = Calendar()
    cal.add("prodid", f"-//{host}//Sessions d'information//FR")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", vText(typeset(session.title)))  # escaped like any text
    cal.add("x-wr-timezone", session.timezone)
    event = Event()
    event.add("uid", f"{session.id}@{host}")
    event.add("dtstamp", datetime.combine(since, time(0), tzinfo=UTC))
    event.add("dtstart", moment(session, first))
    if session.end:  # none when the sources give none: the event has no length then
        event.add("dtend", moment(session, first, session.end))
    if session.days:
        _add_recurrence(event, session, first)
    event.add("summary", typeset(session.title))
    description = one_line(session.description)
    registration = session.registration_url
    how = registration or f"lien donné sur {source_page}, rubrique « On répond à vos questions »"
    end_note = "" if session.end else "\nHeure de fin non précisée."
    event.add("description", typeset(f"{description}\nInscription : {how}{end_note}"))
    event.add("location", typeset(session.format))
    if registration:
        event.add("url", registration)
    cal.add_component(event)
    head, event_start, rest = cal.to_ical().partition(b"BEGIN:VEVENT\r\n")
    return head + _vtimezone(session.timezone) + event_start + rest  # zone, then event


def _add_recurrence(event: Any, session: Session, first: date) -> None:
    """Weekly on the session's days from ``first`` until the last second of its confirmed
    period (in UTC, as RFC 5545 requires beside a ``DTSTART`` with a ``TZID``), every
    public holiday on one of those days excepted (``EXDATE``)."""
    assert session.days and session.confirmed_until  # a weekly session, validated
    last = datetime.combine(session.confirmed_until, time(23, 59, 59),
                            tzinfo=ZoneInfo(session.timezone))
    event.add("rrule", {"freq": "weekly", "byday": [ICAL_DAYS[d] for d in session.days],
                        "until": last.astimezone(UTC)})
    skipped = skipped_holidays(session, first, session.confirmed_until)
    if skipped:
        event.add("exdate", [moment(session, day) for day in skipped])


@cache
def _vtimezone(tzid: str) -> bytes:
    """The ``VTIMEZONE`` block of a time zone, made and serialised once per build
    (it is costly, and the same in every calendar of that zone)."""
    from icalendar import Timezone

    return Timezone.from_tzid(tzid).to_ical()


def kept_calendar(session: Session, since: date, host: str, source_page: str,
                  cache_dir: Path | None) -> bytes:
    """:func:`calendar`, kept in the build cache for the same session, date, code, time
    zone rules and versions of icalendar and holidays."""
    inputs = repr((session, since, host, source_page, _calendar_code(),
                   _zone_rules(session.timezone)))
    return kept(cache_dir, "calendars", inputs,
                lambda: calendar(session, since, host, source_page))


@cache
def _calendar_code() -> str:
    """What else makes a calendar: the code that computes its dates and writes it, and
    the versions of icalendar and holidays (a newer one may know other holidays); read
    once."""
    modules = (__file__, held.__file__, public_holidays.__file__, french.__file__,
               render.__file__)
    return "\n".join([version("icalendar"), public_holidays.holidays_version(),
                      *(Path(m).read_text(encoding="utf-8") for m in modules)])


@cache
def _zone_rules(tzid: str) -> str:
    """The rules of a time zone as ``zoneinfo`` reads them (the system's database first,
    then the tzdata package), as a digest: new rules, new calendars."""
    for root in zoneinfo.TZPATH:
        path = Path(root, tzid)
        if path.is_file():
            return hashlib.sha256(path.read_bytes()).hexdigest()
    return f"tzdata {version('tzdata')}"


def calendar_uri(uri: str, session_id: str) -> str:
    """A session's calendar file, beside the page: ``sessions/<id>.ics``."""
    return f"{uri.removesuffix('.md')}/{session_id}.ics"


def on_page(session: Session, as_of: date) -> bool:
    """A weekly session is always on the page (its period said truthfully); a one-off
    one until its day has passed."""
    return session.date is None or session.date >= as_of


def files(ctx: SiteContext, uri: str) -> dict[str, str | bytes]:
    """One calendar file per session with a date to come (texts as written: a calendar
    is not HTML)."""
    source_page = ctx.rules.meta.source_page
    host = urlparse(source_page).hostname or "localhost"
    return {calendar_uri(uri, s.id): kept_calendar(_rendered(ctx.book, s), ctx.as_of, host,
                                                   source_page, ctx.cache)
            for s in ctx.rules.sessions if first_to_come(s, ctx.as_of)}


def build(ctx: SiteContext, uri: str) -> dict[str, Any]:
    """The sessions page's variables: the sessions on the page, and which introduction
    is true (a session with a date to come, none, or no session at all)."""
    sessions = [_item(ctx, uri, s) for s in (_rendered(ctx.book, s) for s in ctx.rules.sessions)
                if on_page(s, ctx.as_of)]
    state = ("some" if any(i["ends"] for i in sessions) else "past" if sessions else "none")
    return {"sessions": sessions, "shown": NEXT_DATES, "intro": INTRODUCTIONS, "state": state,
            "source_page": ctx.rules.meta.source_page}


def _item(ctx: SiteContext, uri: str, session: Session) -> dict[str, Any]:
    """What the page shows of one session (the calendar only with a date to come)."""
    last = ends(session, ctx.as_of)
    start = None if session.date is None else _iso(moment(session, session.date))
    return {"session": session, "schedule": schedule(session), "start": start,
            "period": period(session, ctx.as_of), "dates": listed_dates(session, ctx.as_of),
            "sources": [ctx.sources[i] for i in session.sources], "ends": last,
            "ics": calendar_uri(uri, session.id) if last else None}


def _rendered(book: RulesBook, session: Session) -> Session:
    """The session with its texts' placeholders rendered."""
    return dataclasses.replace(session, **{
        f.name: book.render(value) for f in dataclasses.fields(session)
        if isinstance(value := getattr(session, f.name), str)})
