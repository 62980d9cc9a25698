"""Information sessions: schedule in words, dates to come, one ``.ics`` per session.

A site is published once and read for weeks: the page lists the sessions of
the next weeks from the build date as machine-readable ``<time datetime>``
values, hidden; ``sessions.mjs`` shows the first few still to come on the day
the page is read. Without JavaScript, the recurrence in words and the
calendar file (weekly ``RRULE``) say it all, and no past date is shown.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, time, timedelta
from functools import cache, lru_cache
from importlib.metadata import version
from pathlib import Path
from typing import Any
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time, get_day_names, get_timezone_location

from checker.french import format_long_date, format_words, typeset
from rulebook.declaration import DAYS, Session
from rulebook.loader import RulesBook
from sitegen.context import SiteContext
from sitegen.kept import kept
from sitegen.render import one_line

LOCALE = "fr_FR"
WEEKDAY_IDS = tuple(DAYS)
NEXT_DATES = 5  # shown in the browser
HORIZON = timedelta(weeks=12)  # listed in the page, for a site read weeks after its build
ICAL_DAYS = dict(zip(WEEKDAY_IDS, ("MO", "TU", "WE", "TH", "FR", "SA", "SU"), strict=True))


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
    """``Du lundi au vendredi, de 12 h à 12 h 45 (heure de Paris)``."""
    city = get_timezone_location(session.timezone, locale=LOCALE, return_city=True)
    text = f"{days_phrase(session.days)}, {hours_phrase(session)} (heure de {city})"
    return text[:1].upper() + text[1:]


def next_dates(session: Session, since: date, count: int = NEXT_DATES) -> list[date]:
    """The next ``count`` days of the session, from ``since`` included."""
    wanted = {WEEKDAY_IDS.index(d) for d in session.days}
    found: list[date] = []
    day = since
    while len(found) < count:
        if day.weekday() in wanted:
            found.append(day)
        day += timedelta(days=1)
    return found


def listed_dates(session: Session, since: date) -> list[dict[str, str]]:
    """Every session from ``since`` over the horizon: ISO start (with the zone's offset)
    and the French words, for ``<time datetime="…">…</time>``."""
    zone = ZoneInfo(session.timezone)
    start = _time(session.start)
    count = len(session.days) * (HORIZON.days // 7)
    listed = []
    for day in next_dates(session, since, count):
        moment = datetime.combine(day, start, tzinfo=zone)
        listed.append({"iso": moment.isoformat(timespec="minutes"),
                       "text": f"{format_day_date(day)} à {format_time_of_day(start)}"})
    return listed


def calendar(session: Session, since: date, host: str, source_page: str) -> bytes:
    """A weekly recurring event (``RRULE``) in the session's time zone, as iCalendar bytes."""
    from icalendar import Calendar, Event, vText  # only when a calendar is not kept

    zone = ZoneInfo(session.timezone)
    first = next_dates(session, since, 1)[0]
    start = datetime.combine(first, _time(session.start), tzinfo=zone)
    cal = Calendar()
    cal.add("prodid", f"-//{host}//Sessions d'information//FR")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", vText(typeset(session.title)))  # escaped like any text
    cal.add("x-wr-timezone", session.timezone)
    event = Event()
    event.add("uid", f"{session.id}@{host}")
    event.add("dtstamp", datetime.combine(since, time(0), tzinfo=UTC))
    event.add("dtstart", start)
    if session.end:  # none when the sources give none: the event has no length then
        event.add("dtend", datetime.combine(first, _time(session.end), tzinfo=zone))
    event.add("rrule", {"freq": "weekly", "byday": [ICAL_DAYS[d] for d in session.days]})
    event.add("summary", typeset(session.title))
    description = one_line(session.description)
    registration = session.registration_url
    how = registration or f"lien donné sur {source_page}, rubrique « On répond à vos questions »"
    ends = "" if session.end else "\nHeure de fin non précisée."
    event.add("description", typeset(f"{description}\nInscription : {how}{ends}"))
    event.add("location", typeset(session.format))
    if registration:
        event.add("url", registration)
    cal.add_component(event)
    head, event_start, rest = cal.to_ical().partition(b"BEGIN:VEVENT\r\n")
    return head + _vtimezone(session.timezone) + event_start + rest  # zone, then event


@cache
def _vtimezone(tzid: str) -> bytes:
    """The ``VTIMEZONE`` block of a time zone, made and serialised once per build
    (it is costly, and the same in every calendar of that zone)."""
    from icalendar import Timezone

    return Timezone.from_tzid(tzid).to_ical()


def kept_calendar(session: Session, since: date, host: str, source_page: str,
                  cache_dir: Path | None) -> bytes:
    """:func:`calendar`, kept in the build cache for the same session, date, code and
    icalendar version."""
    inputs = repr((session, since, host, source_page, _calendar_code()))
    return kept(cache_dir, "calendars", inputs,
                lambda: calendar(session, since, host, source_page))


@cache
def _calendar_code() -> str:
    """What else makes a calendar: this module's code and icalendar's version (read once)."""
    return f"{version('icalendar')}\n{Path(__file__).read_text(encoding='utf-8')}"


def calendar_uri(uri: str, session_id: str) -> str:
    """A session's calendar file, beside the page: ``sessions/<id>.ics``."""
    return f"{uri.removesuffix('.md')}/{session_id}.ics"


def files(ctx: SiteContext, uri: str) -> dict[str, str | bytes]:
    """One calendar file per session (texts as written: a calendar is not HTML)."""
    plain = ctx.source_book
    source_page = plain.rules.meta.source_page
    host = urlparse(source_page).hostname or "localhost"
    return {calendar_uri(uri, s.id): kept_calendar(_rendered(plain, s), ctx.as_of, host,
                                                   source_page, ctx.cache)
            for s in plain.rules.sessions}


def build(ctx: SiteContext, uri: str) -> dict[str, Any]:
    """The sessions page's variables."""
    sessions = [{"session": s, "schedule": schedule(s), "ics": calendar_uri(uri, s.id),
                 "dates": listed_dates(s, ctx.as_of)}
                for s in (_rendered(ctx.book, s) for s in ctx.rules.sessions)]
    return {"sessions": sessions, "shown": NEXT_DATES,
            "source_page": ctx.rules.meta.source_page}


def _rendered(book: RulesBook, session: Session) -> Session:
    """The session with its texts' placeholders rendered."""
    return dataclasses.replace(session, **{
        f.name: book.render(value) for f in dataclasses.fields(session)
        if isinstance(value := getattr(session, f.name), str)})
