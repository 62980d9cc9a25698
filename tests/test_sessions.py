"""Information sessions, one-off or weekly: the checks of their kind and dates, the days
listed at each boundary (confirmed period, one-off date, build date), public holidays
skipped, the calendars read back with icalendar, the page's words; then one real
build with a one-off session added, on the day before, of and after it."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml
from icalendar import Calendar

from rulebook.declaration import Session
from rulebook.errors import FieldPath
from rulebook.loader import RulesBook, load_rules
from rulebook.public_holidays import holidays_version
from rulebook.sessions import check_session, first_to_come
from sitegen.context import SiteContext
from sitegen.pages import sessions as page
from sitegen.registry import addresses
from sitegen.render import render_page
from tests.conftest import DOCS_PATH, ROOT, RULES_PATH
from tests.sitebuild import as_built_on, make_project, run_mkdocs
from tests.test_typography import ordinary_spaces

PARIS = ZoneInfo("Europe/Paris")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")
HOST, SOURCE_PAGE = "example.org", "https://example.org/page"


def session(**fields: Any) -> Session:
    """A session like the guide's examples, with ``fields`` changed."""
    base: dict[str, Any] = {
        "id": "visio-coordinateurs", "title": "Visio spéciale coordinateurs",
        "audience": "Coordinateurs de groupe", "topics": "Le rôle des coordinateurs.",
        "description": "Une visio pour les coordinateurs de groupe.",
        "format": "Visioconférence", "start": "18:00", "end": "19:00",
        "timezone": "Europe/Paris", "sources": ("wiki_rules",)}
    return Session(**{**base, **fields})


ONE_OFF = session(date=date(2027, 1, 15))
WEEKLY = session(id="point-infos", title="Point Infos", days=WEEKDAYS, start="12:00",
                 end="12:45", confirmed_from=date(2026, 12, 1),
                 confirmed_until=date(2027, 3, 31))


def listed(item: Session, as_of: date) -> list[date]:
    """The days the page lists for ``item`` when built on ``as_of``."""
    return [date.fromisoformat(d["iso"][:10]) for d in page.listed_dates(item, as_of)]


def problems(data: dict[str, Any]) -> list[tuple[str, str]]:
    """What the checks report for a session written as ``data``: (field, message)."""
    found: list[tuple[str, str]] = []

    def report(where: FieldPath, message: str, needle: str | None = None) -> None:
        found.append((".".join(map(str, where)), message))

    check_session(data, ("sessions", 0), report)
    return found


# ------------------------------------------------------------------- the checks --

WEEKLY_DATA = {"days": ["monday"], "start": "12:00", "confirmed_from": date(2027, 1, 4),
               "confirmed_until": date(2027, 3, 31)}
ONE_OFF_DATA = {"date": date(2027, 1, 15), "start": "18:00", "end": "19:00"}


def test_well_formed_sessions_pass_even_with_a_past_date_or_a_one_day_period() -> None:
    assert problems(WEEKLY_DATA) == []
    assert problems(ONE_OFF_DATA) == []
    assert problems({**ONE_OFF_DATA, "date": date(2022, 2, 8)}) == []  # time passes
    assert problems({**WEEKLY_DATA, "confirmed_from": date(2022, 2, 8),
                     "confirmed_until": date(2022, 2, 8)}) == []


def test_a_session_is_one_off_or_weekly_with_what_each_kind_needs() -> None:
    kinds = ("une session ponctuelle a une « date », une session hebdomadaire des jours "
             "(« days »)")
    assert problems({**WEEKLY_DATA, "date": date(2027, 1, 15)}) == [
        ("sessions.0.date", f"« date » et « days » ensemble : {kinds} ; gardez l'une des deux")]
    assert problems({"start": "12:00"}) == [
        ("sessions.0", f"ni « date » ni « days » : {kinds} ; écrivez l'une des deux")]
    assert problems({"days": ["monday"], "start": "12:00"}) == [
        ("sessions.0.confirmed_from", "clé « confirmed_from » obligatoire pour une session "
         "hebdomadaire (« days ») : le premier jour où l'équipe confirme ces horaires, "
         "AAAA-MM-JJ"),
        ("sessions.0.confirmed_until", "clé « confirmed_until » obligatoire pour une session "
         "hebdomadaire (« days ») : le dernier jour confirmé (inclus), AAAA-MM-JJ ; aucune "
         "date n'est annoncée après")]
    assert problems({**ONE_OFF_DATA, "confirmed_until": date(2027, 1, 15)}) == [
        ("sessions.0.confirmed_until", "« confirmed_until » ne va qu'avec une session "
         "hebdomadaire (« days ») : une session ponctuelle n'a que sa « date »")]
    assert problems({"date": date(2027, 1, 15), "start": "18:00"}) == [
        ("sessions.0.end", "clé « end » obligatoire pour une session ponctuelle (« date ») : "
         "son heure de fin, \"HH:MM\"")]


def test_a_confirmed_period_ends_on_or_after_its_first_day() -> None:
    assert problems({**WEEKLY_DATA, "confirmed_until": date(2027, 1, 3)}) == [
        ("sessions.0.confirmed_until", "la période confirmée finirait le 3 janvier 2027, "
         "avant de commencer le 4 janvier 2027 : « confirmed_until » est le même jour que "
         "« confirmed_from » ou un jour après")]
    assert problems({**WEEKLY_DATA, "confirmed_until": date(2027, 1, 4)}) == []


@pytest.mark.parametrize(("day", "name"), [(date(2026, 12, 25), "Noël"),
                                           (date(2027, 1, 1), "Jour de l'an"),
                                           (date(2027, 5, 17), "Lundi de Pentecôte")])
def test_a_one_off_date_on_a_public_holiday_is_refused_with_its_name(day: date,
                                                                       name: str) -> None:
    from checker.french import format_long_date

    assert problems({**ONE_OFF_DATA, "date": day}) == [
        ("sessions.0.date", f"le {format_long_date(day)} est un jour férié ({name}) : aucune "
         "session n'a lieu un jour férié, choisissez un autre jour")]
    assert problems({**ONE_OFF_DATA, "date": date(2026, 12, 24)}) == []  # the eve is not


# ------------------------------------------------------------ the days listed --

@pytest.mark.parametrize(("as_of", "first"), [
    (date(2026, 11, 30), date(2026, 12, 1)),  # before the period: from its first day
    (date(2026, 12, 1), date(2026, 12, 1)),   # its first day
    (date(2026, 12, 2), date(2026, 12, 2)),   # inside: from the build day
])
def test_weekly_dates_start_at_the_later_of_the_build_day_and_the_period(
        as_of: date, first: date) -> None:
    assert listed(WEEKLY, as_of)[0] == first


@pytest.mark.parametrize(("as_of", "days"), [
    (date(2027, 3, 30), [date(2027, 3, 30), date(2027, 3, 31)]),  # the day before the end
    (date(2027, 3, 31), [date(2027, 3, 31)]),                     # the last day
    (date(2027, 4, 1), []),                                       # the day after
])
def test_weekly_dates_stop_at_the_end_of_the_confirmed_period(as_of: date,
                                                              days: list[date]) -> None:
    assert listed(WEEKLY, as_of) == days
    assert first_to_come(WEEKLY, as_of) == (days[0] if days else None)
    assert page.ends(WEEKLY, as_of) == ("2027-03-31T12:45+02:00" if days else None)


def test_weekly_dates_cover_twelve_weeks_at_most() -> None:
    days = listed(dataclasses.replace(WEEKLY, confirmed_until=date(2027, 12, 31)),
                  date(2027, 6, 1))  # a Tuesday: twelve weeks end on Monday 23 August
    assert days[0] == date(2027, 6, 1) and days[-1] == date(2027, 8, 23)
    assert len(days) == 12 * 5 - 1 and date(2027, 7, 14) not in days  # Bastille Day


def test_weekly_dates_skip_public_holidays() -> None:
    assert listed(WEEKLY, date(2026, 12, 21))[:9] == [
        date(2026, 12, 21), date(2026, 12, 22), date(2026, 12, 23), date(2026, 12, 24),
        date(2026, 12, 28), date(2026, 12, 29), date(2026, 12, 30), date(2026, 12, 31),
        date(2027, 1, 4)]  # neither Friday 25 December nor Friday 1 January
    assert date(2027, 3, 29) not in listed(WEEKLY, date(2027, 3, 1))  # Easter Monday
    fridays = dataclasses.replace(WEEKLY, days=("friday",))
    assert first_to_come(fridays, date(2026, 12, 25)) == date(2027, 1, 8)


def test_listed_dates_are_moments_in_the_zone_with_french_words() -> None:
    assert page.listed_dates(WEEKLY, date(2027, 3, 26))[:2] == [
        {"iso": "2027-03-26T12:00+01:00", "text": "vendredi 26 mars 2027 à 12\u00a0h"},
        {"iso": "2027-03-30T12:00+02:00", "text": "mardi 30 mars 2027 à 12\u00a0h"}]
    assert page.listed_dates(ONE_OFF, date(2027, 1, 1)) == []  # its one <time> is its schedule


@pytest.mark.parametrize(("as_of", "shown"), [(date(2027, 1, 14), True),
                                              (date(2027, 1, 15), True),
                                              (date(2027, 1, 16), False)])
def test_a_one_off_session_is_shown_until_its_day_has_passed(as_of: date, shown: bool) -> None:
    assert page.on_page(ONE_OFF, as_of) is shown
    assert first_to_come(ONE_OFF, as_of) == (date(2027, 1, 15) if shown else None)
    assert page.ends(ONE_OFF, as_of) == ("2027-01-15T19:00+01:00" if shown else None)
    assert page.on_page(WEEKLY, date(2030, 1, 1))  # a weekly one always: its period is told


# ------------------------------------------------------------------ the words --

def test_the_schedule_in_words_for_both_kinds() -> None:
    assert page.schedule(ONE_OFF) == (
        "Le vendredi 15 janvier 2027, de 18\u00a0h à 19\u00a0h (heure de Paris)")
    assert page.schedule(WEEKLY) == (
        "Du lundi au vendredi, de 12\u00a0h à 12\u00a0h\u00a045 (heure de Paris)")


def test_the_confirmed_period_is_said_truthfully_on_the_build_day() -> None:
    assert page.period(ONE_OFF, date(2027, 1, 1)) is None
    for as_of in (date(2026, 11, 30), date(2027, 3, 31)):
        assert page.period(WEEKLY, as_of) == (
            "Horaires confirmés du 1er décembre 2026 au 31 mars 2027, hors jours fériés.")
    assert page.period(WEEKLY, date(2027, 4, 1)) == (
        "Ces horaires étaient annoncés jusqu'au 31 mars 2027 ; aucune date n'est annoncée "
        "depuis.")
    one_day = dataclasses.replace(WEEKLY, confirmed_from=date(2022, 2, 8),
                                  confirmed_until=date(2022, 2, 8))
    assert page.period(one_day, date(2022, 2, 8)) == (
        "Horaires confirmés pour le 8 février 2022 seulement.")
    assert page.period(one_day, date(2022, 2, 9)) == (
        "Ces horaires étaient annoncés jusqu'au 8 février 2022 ; aucune date n'est annoncée "
        "depuis.")


def sessions_page(book: RulesBook, as_of: date, *sessions: Session) -> str:
    """The sessions page's Markdown for ``sessions`` (the real ones when none given)."""
    rules = dataclasses.replace(book.rules, sessions=sessions or book.rules.sessions)
    ctx = SiteContext(dataclasses.replace(book, rules=rules, displays=dict(book.displays)),
                      as_of, addresses())
    return render_page("sessions.md.j2", "sessions.md", addresses(),
                       **page.build(ctx, "sessions.md"))


def intro(markdown: str) -> str:
    """The introduction the page shows as built."""
    found = re.search(r"<p data-sessions-intro[^>]*>([^<]*)</p>", markdown)
    assert found
    return found.group(1)


def test_the_page_for_both_kinds(book: RulesBook) -> None:
    text = sessions_page(book, date(2026, 12, 21), ONE_OFF, WEEKLY)
    assert intro(text).startswith("On répond à vos questions en visio")
    assert ('- **Quand :** <time datetime="2027-01-15T18:00+01:00">Le vendredi 15 janvier '
            "2027, de 18\u00a0h à 19\u00a0h (heure de Paris)</time>\n") in text
    assert ("- **Quand :** Du lundi au vendredi, de 12\u00a0h à 12\u00a0h\u00a045 (heure de "
            "Paris). Horaires confirmés du 1er décembre 2026 au 31 mars 2027, hors jours "
            "fériés.\n") in text
    assert text.count("- **Source :** [Wiki Cagette.net — Nouvelles règles sur Cagette depuis "
                      "le 3 novembre 2021 (révision du 8 février 2022)](https://wiki.cagette."
                      "net/nouvellesregles?rev=1644314884)\n") == 2
    assert 'data-session-once data-session-ends="2027-01-15T19:00+01:00"' in text
    assert 'data-session-ends="2027-03-31T12:45+02:00"' in text
    times = re.findall(r'<li hidden><time datetime="([^"]+)">', text)
    assert times[:5] == ["2026-12-21T12:00+01:00", "2026-12-22T12:00+01:00",
                         "2026-12-23T12:00+01:00", "2026-12-24T12:00+01:00",
                         "2026-12-28T12:00+01:00"]
    assert text.count("[Ajouter à mon agenda (.ics)](sessions/") == 2
    # No registration link known: the page says where to register (and not that one must).
    assert text.count("**Inscription :** le lien d'inscription est donné sur") == 2


def test_the_real_sessions_announce_no_date_and_say_why(book: RulesBook) -> None:
    text = sessions_page(book, date(2026, 12, 4))
    assert intro(text) == ("Aucune date de session n'est annoncée pour le moment\u00a0: voici "
                           "les derniers horaires annoncés et leur source.")
    assert text.count("Ces horaires étaient annoncés jusqu'au 8 février 2022 ; aucune date "
                      "n'est annoncée depuis.") == 2
    assert "<time" not in text and "data-session-ends" not in text
    assert "Ajouter à mon agenda" not in text and "Inscription" not in text


def test_a_page_with_no_session_left_says_so_in_one_sentence(book: RulesBook) -> None:
    text = sessions_page(book, date(2027, 1, 16), ONE_OFF)
    assert intro(text) == "Aucune session d'information n'est annoncée pour le moment."
    assert "<section" not in text and "Visio spéciale" not in text


# -------------------------------------------------------------- the calendars --

def read_event(ics: bytes) -> Any:
    """The one event of a calendar, checked to come with its zone."""
    calendar = Calendar.from_ical(ics)
    assert [z["TZID"] for z in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    (event,) = calendar.walk("VEVENT")
    return event


def test_a_one_off_calendar_is_one_event_in_its_zone() -> None:
    ics = page.calendar(ONE_OFF, date(2026, 12, 4), HOST, SOURCE_PAGE)
    event = read_event(ics)
    assert event.decoded("DTSTART") == datetime(2027, 1, 15, 18, tzinfo=PARIS)
    assert event.decoded("DTEND") == datetime(2027, 1, 15, 19, tzinfo=PARIS)
    assert event["DTSTART"].params["TZID"] == event["DTEND"].params["TZID"] == "Europe/Paris"
    assert "RRULE" not in event and "EXDATE" not in event
    assert str(event["UID"]) == "visio-coordinateurs@example.org"
    assert b"DTSTART;TZID=Europe/Paris:20270115T180000\r\n" in ics


def test_a_weekly_calendar_recurs_until_the_period_ends_without_holidays() -> None:
    ics = page.calendar(WEEKLY, date(2026, 12, 4), HOST, SOURCE_PAGE)
    event = read_event(ics)
    assert event.decoded("DTSTART") == datetime(2026, 12, 4, 12, tzinfo=PARIS)
    assert event.decoded("DTEND") == datetime(2026, 12, 4, 12, 45, tzinfo=PARIS)
    rule = event["RRULE"]
    assert dict(rule) == {"FREQ": ["WEEKLY"], "BYDAY": ["MO", "TU", "WE", "TH", "FR"],
                          "UNTIL": [datetime(2027, 3, 31, 21, 59, 59, tzinfo=UTC)]}
    assert event["EXDATE"].params["TZID"] == "Europe/Paris"
    assert [d.dt for d in event["EXDATE"].dts] == [
        datetime(2026, 12, 25, 12, tzinfo=PARIS), datetime(2027, 1, 1, 12, tzinfo=PARIS),
        datetime(2027, 3, 29, 12, tzinfo=PARIS)]  # Christmas, New Year, Easter Monday
    assert b"RRULE:FREQ=WEEKLY;UNTIL=20270331T215959Z;BYDAY=MO,TU,WE,TH,FR\r\n" in ics


def test_a_weekly_calendar_starts_on_its_first_date_to_come_and_ends_in_winter_time() -> None:
    winter = dataclasses.replace(WEEKLY, confirmed_until=date(2027, 1, 31))
    event = read_event(page.calendar(winter, date(2026, 12, 25), HOST, SOURCE_PAGE))
    assert event.decoded("DTSTART") == datetime(2026, 12, 28, 12, tzinfo=PARIS)  # not the 25th
    assert event["RRULE"]["UNTIL"] == [datetime(2027, 1, 31, 22, 59, 59, tzinfo=UTC)]
    assert [d.dt for d in event["EXDATE"].dts] == [datetime(2027, 1, 1, 12, tzinfo=PARIS)]
    no_holiday = dataclasses.replace(WEEKLY, confirmed_until=date(2026, 12, 18))
    assert "EXDATE" not in read_event(page.calendar(no_holiday, date(2026, 12, 4), HOST,
                                                    SOURCE_PAGE))


def test_no_calendar_for_a_session_with_no_date_to_come() -> None:
    with pytest.raises(ValueError, match="no date to come"):
        page.calendar(ONE_OFF, date(2027, 1, 16), HOST, SOURCE_PAGE)


def test_a_kept_calendar_follows_the_session_and_the_holidays_library(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    args = (date(2026, 12, 4), HOST, SOURCE_PAGE)
    fresh = page.calendar(WEEKLY, *args)
    assert page.kept_calendar(WEEKLY, *args, tmp_path) == fresh
    assert page.kept_calendar(WEEKLY, *args, tmp_path) == fresh  # read back
    longer = dataclasses.replace(WEEKLY, confirmed_until=date(2027, 6, 30))
    assert b"UNTIL=20270630T215959Z" in page.kept_calendar(longer, *args, tmp_path)
    moved = dataclasses.replace(WEEKLY, start="18:00")
    assert b"T180000" in page.kept_calendar(moved, *args, tmp_path)  # an edit is never stale
    assert page.kept_calendar(WEEKLY, date(2026, 12, 7), *args[1:], tmp_path) != fresh
    code = page._calendar_code()
    assert holidays_version() in code.splitlines()[:2]  # a newer library: made again
    assert "def held_days" in code and "def holiday_name" in code
    monkeypatch.setattr(page, "calendar", lambda *_: b"made again")
    monkeypatch.setattr(page, "_zone_rules", lambda _: "other rules for the zone")
    assert page.kept_calendar(WEEKLY, *args, tmp_path) == b"made again"
    monkeypatch.undo()
    monkeypatch.setattr(page, "calendar", lambda *_: b"made again")
    monkeypatch.setattr(page, "_calendar_code", lambda: f"{code}\nholidays 9.9")
    assert page.kept_calendar(WEEKLY, *args, tmp_path) == b"made again"


# ------------------------------------------------------------ the editing guide --

def test_the_guides_session_examples_are_valid(tmp_path: Path) -> None:
    guide = (ROOT / "sitegen" / "templates" / "editing.md.j2").read_text(encoding="utf-8")
    section = guide[guide.index("## Ajouter une session"):guide.index("## Ajouter un scénario")]
    examples = re.findall(r"```yaml\n(.*?)```", section, re.DOTALL)
    assert len(examples) == 2
    written = yaml.safe_load(examples[0] + examples[1])["sessions"]
    data = yaml.safe_load(RULES_PATH.read_text(encoding="utf-8"))
    for item in written:  # a real address where the guide writes « https://… »
        item.pop("registration_url", None)
    data["sessions"] = written
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    one_off, weekly = load_rules(path, docs_dir=DOCS_PATH).rules.sessions
    assert (one_off.title, one_off.date, one_off.start, one_off.end) == (
        "Visio spéciale coordinateurs", date(2027, 1, 15), "18:00", "19:00")
    assert weekly.days and weekly.confirmed_from and weekly.confirmed_until


# ------------------------------------------------------------ the real build --

VISIO = """\
  - id: visio-coordinateurs
    title: Visio spéciale coordinateurs
    audience: Coordinateurs de groupe
    topics: Les questions sur le rôle des coordinateurs.
    description: Une visio pour les coordinateurs de groupe.
    format: Visioconférence
    date: 2027-01-15
    start: "18:00"
    end: "19:00"
    timezone: Europe/Paris
    sources: [wiki_rules]
"""


def built_on(project: Path, day: date) -> Path:
    """Build ``project`` as on ``day`` (``SOURCE_DATE_EPOCH``); its site."""
    result = run_mkdocs(project, env=as_built_on(day))
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


@pytest.mark.build
def test_a_one_off_session_added_to_the_rules_is_on_the_page_and_in_its_calendar(
        tmp_path: Path) -> None:
    text = RULES_PATH.read_text(encoding="utf-8")
    assert text.count("\nsources:\n") == 1
    project = make_project(tmp_path, text.replace("\nsources:\n", f"{VISIO}\nsources:\n"))
    site = built_on(project, date(2026, 12, 4))
    html = (site / "sessions" / "index.html").read_text(encoding="utf-8")
    assert ('<time datetime="2027-01-15T18:00+01:00">Le vendredi 15 janvier 2027, de '
            "18\u00a0h à 19\u00a0h (heure de Paris)</time>") in html
    assert 'data-session-ends="2027-01-15T19:00+01:00"' in html
    assert re.search(r"<p data-sessions-intro[^>]*>On répond à vos questions", html)
    assert 'href="visio-coordinateurs.ics"' in html
    assert html.count("Ces horaires étaient annoncés jusqu'au 8 février 2022") == 2
    ics = (site / "sessions" / "visio-coordinateurs.ics").read_bytes()
    event = read_event(ics)
    assert event.decoded("DTSTART") == datetime(2027, 1, 15, 18, tzinfo=PARIS)
    assert event.decoded("DTEND") == datetime(2027, 1, 15, 19, tzinfo=PARIS)
    assert "RRULE" not in event and str(event["SUMMARY"]) == "Visio spéciale coordinateurs"
    unfolded = ics.decode("utf-8").replace("\r\n ", "").replace("\\n", "\n")
    assert ordinary_spaces(unfolded) == []
    assert sorted(p.name for p in (site / "sessions").iterdir()) == [
        "index.html", "visio-coordinateurs.ics"]  # the real sessions: no date, no calendar

    assert 'href="visio-coordinateurs.ics"' in (
        built_on(project, date(2027, 1, 15)) / "sessions" / "index.html").read_text("utf-8")
    after = built_on(project, date(2027, 1, 16))
    html = (after / "sessions" / "index.html").read_text(encoding="utf-8")
    assert "Visio spéciale coordinateurs" not in html
    assert not (after / "sessions" / "visio-coordinateurs.ics").exists()
    assert re.search(r"<p data-sessions-intro[^>]*>Aucune date de session n'est annoncée", html)


# A one-off session to add to the rules' sessions (``.format(id=…, day=…)``).
ONE_OFF_SESSION = """\
  - id: visio-{id}
    title: Visio de {id}
    audience: Coordinateurs de groupe
    topics: Les questions des coordinateurs.
    description: Une visio pour les coordinateurs de groupe.
    format: Visioconférence
    date: {day}
    start: "18:00"
    end: "19:00"
    timezone: Europe/Paris
    sources: [wiki_rules]
"""
