"""Where dates meet, the equal value decides: each boundary is tested on the day (or the
minute) before, of and after it.

An action reached twice with different deadlines keeps the earliest, in either order of
the rules; a deadline may not fall on the day the rules come into force; the checker
applies the rules from that day itself; a session may not end when it starts, and one
may start when another ends; on the day a session is held (whatever the weekday), the
sessions page lists it and its calendar starts that day: the build date is fixed, never
the day the tests run.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest

from checker import evaluate
from checker.model import CompiledRules, Effect
from rulebook.errors import RulesError
from rulebook.loader import RulesBook, load_rules
from sitegen.context import SiteContext
from sitegen.pages import sessions as page
from sitegen.registry import addresses
from tests.conftest import DOCS_PATH, RULES_PATH
from tests.sitebuild import as_built_on, make_project, run_mkdocs
from tests.test_sessions import ONE_OFF_SESSION, PARIS, read_event, session

RULES_TEXT = RULES_PATH.read_text(encoding="utf-8")
ONE_DAY = timedelta(days=1)


def edited(old: str, new: str) -> str:
    """The real rules with ``old`` (found once) replaced by ``new``."""
    assert RULES_TEXT.count(old) == 1, old
    return RULES_TEXT.replace(old, new)


def problems_of(text: str, tmp_path: Path) -> list[str]:
    """``field message`` of each problem the loader finds in ``text`` (none: valid)."""
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        load_rules(path, display_name="rules.yaml", docs_dir=DOCS_PATH)
    except RulesError as exc:
        return [f"{p.field} {p.message}" for p in exc.problems]
    return []


# ------------------------------------------------ one action, two deadlines --

GROUP_CATALOGUE = {"role": "producer", "direct_seller": True, "account": "group_catalogue",
                   "sales_outside_amap_eur": 0}
EARLIER = "2022-06-30"  # before the switch deadline (2022-12-31) of the same action


def with_effects(compiled: CompiledRules, rule_id: str,
                 effects: Callable[[tuple[Effect, ...]], tuple[Effect, ...]]) -> CompiledRules:
    """``compiled`` with the effects of rule ``rule_id`` replaced by ``effects(them)``."""
    (rule,) = [r for r in compiled.rules if r.id == rule_id]
    return dataclasses.replace(compiled, rules=tuple(
        dataclasses.replace(r, effects=effects(r.effects)) if r is rule else r
        for r in compiled.rules))


def two_deadlines(compiled: CompiledRules, earlier_first: bool) -> CompiledRules:
    """The rules where a second effect gives ``open_discovery_account`` (due on the switch
    deadline) an earlier deadline, placed before or after the first one."""
    (rule,) = [r for r in compiled.rules if r.id == "already_registered"]
    first = rule.effects[0]
    assert (first.action, first.deadline) == ("open_discovery_account", "2022-12-31")
    second = dataclasses.replace(first, deadline=EARLIER)
    pair = (second, first) if earlier_first else (first, second)
    return with_effects(compiled, "already_registered",
                        lambda effects: (*pair, *effects[1:]))


@pytest.mark.parametrize("earlier_first", [True, False], ids=["earlier-first", "later-first"])
def test_an_action_reached_twice_keeps_the_earliest_deadline(compiled: CompiledRules,
                                                             earlier_first: bool) -> None:
    rules = two_deadlines(compiled, earlier_first)
    expected = {
        date(2022, 6, 29): (False, "au plus tard le 30 juin 2022"),
        date(2022, 6, 30): (False, "au plus tard aujourd'hui, 30 juin 2022"),
        date(2022, 7, 1): (True, "échéance du 30 juin 2022 dépassée\u00a0: à faire dès "
                                 "maintenant"),
    }
    for day, (overdue, due) in expected.items():
        actions = evaluate(rules, GROUP_CATALOGUE, as_of=day)["actions"]
        (action,) = [a for a in actions if a["id"] == "open_discovery_account"]
        assert (action["deadline"], action["overdue"], action["due"]) == (EARLIER, overdue,
                                                                          due), day
        assert action["rules"] == ["already_registered"]  # one rule, cited once


def test_the_same_deadline_twice_is_that_deadline(compiled: CompiledRules) -> None:
    rules = with_effects(compiled, "already_registered",
                         lambda effects: (effects[0], *effects))
    (action,) = [a for a in evaluate(rules, GROUP_CATALOGUE, as_of="2022-12-31")["actions"]
                 if a["id"] == "open_discovery_account"]
    assert (action["deadline"], action["overdue"]) == ("2022-12-31", False)


# ------------------------------------------------------- the day the rules apply --

SWITCH_DEADLINE = "    value: 2022-12-31\n  charter_review_end:\n"


@pytest.mark.parametrize(("deadline", "when"), [
    ("2021-11-02", "avant"),            # the day before the rules apply
    ("2021-11-03", "le jour même de"),  # the very day they apply: no time to act under them
    ("2021-11-04", None),               # the day after
])
def test_a_deadline_falls_after_the_day_the_rules_apply(tmp_path: Path, deadline: str,
                                                        when: str | None) -> None:
    text = edited(SWITCH_DEADLINE, f"    value: {deadline}\n  charter_review_end:\n")
    assert problems_of(text, tmp_path) == ([
        f"parameters.switch_deadline.value l'échéance {deadline} tombe {when} l'entrée en "
        "vigueur des règles (2021-11-03, « effective_date ») : elle doit venir après"]
        if when else [])


@pytest.mark.parametrize(("day", "in_force"), [(date(2021, 11, 2), False),
                                               (date(2021, 11, 3), True),
                                               (date(2021, 11, 4), True)])
def test_the_rules_apply_from_their_effective_date_itself(compiled: CompiledRules, day: date,
                                                          in_force: bool) -> None:
    answers = {"role": "producer", "direct_seller": True, "account": "none",
               "sales_outside_amap_eur": 0}
    verdict = evaluate(compiled, answers, as_of=day)
    assert verdict["in_force"] is in_force
    assert verdict["plan"] == ("discovery" if in_force else None)


# --------------------------------------------------------- a session's hours --

POINT_HOURS = '    start: "12:00"\n    end: "12:45"\n'


@pytest.mark.parametrize(("end", "refused"), [("11:59", True), ("12:00", True),
                                              ("12:01", False)])
def test_a_session_ends_after_it_starts(tmp_path: Path, end: str, refused: bool) -> None:
    text = edited(POINT_HOURS, f'    start: "12:00"\n    end: "{end}"\n')
    assert problems_of(text, tmp_path) == ([
        f"sessions[0].end l'heure de fin {end} doit suivre l'heure de début 12:00"]
        if refused else [])


def sessions_context(book: RulesBook, as_of: date, *sessions: Any) -> SiteContext:
    """The site's context on ``as_of`` with these sessions instead of the real ones."""
    rules = dataclasses.replace(book.rules, sessions=sessions)
    return SiteContext(dataclasses.replace(book, rules=rules, displays=dict(book.displays)),
                       as_of, addresses())


def shown(ctx: SiteContext) -> dict[str, dict[str, Any]]:
    """What the sessions page shows of each session, by id."""
    return {item["session"].id: item for item in page.build(ctx, "sessions.md")["sessions"]}


def calendars(ctx: SiteContext) -> dict[str, datetime]:
    """The start of each calendar file the build writes, by file name."""
    return {uri.rsplit("/", 1)[1]: read_event(ics).decoded("DTSTART")
            for uri, ics in page.files(ctx, "sessions.md").items()}


def test_a_session_may_start_when_another_ends(book: RulesBook, tmp_path: Path) -> None:
    day = date(2027, 1, 15)
    first = session(id="avant", date=day, start="18:00", end="19:00")
    then = session(id="apres", title="Visio suivante", date=day, start="19:00", end="20:00")
    ctx = sessions_context(book, day, first, then)
    items = shown(ctx)
    assert [(i, items[i]["start"], items[i]["ends"]) for i in items] == [
        ("avant", "2027-01-15T18:00+01:00", "2027-01-15T19:00+01:00"),
        ("apres", "2027-01-15T19:00+01:00", "2027-01-15T20:00+01:00")]
    assert calendars(ctx) == {"avant.ics": datetime(2027, 1, 15, 18, tzinfo=PARIS),
                              "apres.ics": datetime(2027, 1, 15, 19, tzinfo=PARIS)}
    # In the rules file too: the weekly session starts the minute the other one ends.
    text = edited('    start: "18:00"\n    timezone', '    start: "12:45"\n    timezone')
    assert problems_of(text, tmp_path) == []


# ------------------------------------------------- today is a session day --

WEEK = [date(2026, 12, 7) + timedelta(days=n) for n in range(7)]  # Monday to Sunday


@pytest.mark.parametrize("day", WEEK, ids=[d.strftime("%A") for d in WEEK])
def test_on_a_session_day_the_page_and_its_calendar_start_that_day(book: RulesBook,
                                                                    day: date) -> None:
    weekday = page.WEEKDAY_IDS[day.weekday()]
    weekly = session(id="hebdo", title="Visio hebdomadaire", days=(weekday,), start="12:00",
                     end="12:45", confirmed_from=date(2026, 12, 1),
                     confirmed_until=date(2027, 3, 31))
    one_off = session(id="ponctuelle", date=day)  # 18 h to 19 h
    noon, evening = (datetime.combine(day, time(h), tzinfo=PARIS) for h in (12, 18))

    on_the_day = sessions_context(book, day, weekly, one_off)
    items = shown(on_the_day)
    assert items["hebdo"]["dates"][0]["iso"] == f"{day.isoformat()}T12:00+01:00"
    assert items["hebdo"]["ics"] == "sessions/hebdo.ics"
    assert items["ponctuelle"]["ends"] == f"{day.isoformat()}T19:00+01:00"
    assert items["ponctuelle"]["ics"] == "sessions/ponctuelle.ics"
    assert calendars(on_the_day) == {"hebdo.ics": noon, "ponctuelle.ics": evening}

    the_day_before = sessions_context(book, day - ONE_DAY, weekly, one_off)
    items = shown(the_day_before)
    assert items["hebdo"]["dates"][0]["iso"] == f"{day.isoformat()}T12:00+01:00"
    assert items["ponctuelle"]["ends"] == f"{day.isoformat()}T19:00+01:00"
    assert calendars(the_day_before) == {"hebdo.ics": noon, "ponctuelle.ics": evening}

    the_day_after = sessions_context(book, day + ONE_DAY, weekly, one_off)
    items = shown(the_day_after)
    next_week = day + 7 * ONE_DAY
    assert list(items) == ["hebdo"]  # the one-off session has passed
    assert items["hebdo"]["dates"][0]["iso"] == f"{next_week.isoformat()}T12:00+01:00"
    assert calendars(the_day_after) == {
        "hebdo.ics": datetime.combine(next_week, time(12), tzinfo=PARIS)}




@pytest.mark.build
def test_a_site_built_on_a_session_day_lists_it_and_its_calendars_start_then(
        tmp_path: Path) -> None:
    """A real build on Monday 7 December 2026 (``SOURCE_DATE_EPOCH``): the weekly sessions
    of that Monday and a one-off one of that day are all to come, first."""
    day = date(2026, 12, 7)
    assert day.weekday() == 0  # the technical sessions are held on Mondays only
    text = RULES_TEXT.replace("confirmed_from: 2022-02-08", "confirmed_from: 2026-12-01")
    text = text.replace("confirmed_until: 2022-02-08", "confirmed_until: 2027-03-31")
    added = ONE_OFF_SESSION.format(id="du-jour", day=day)
    text = text.replace("\nsources:\n", f"{added}\nsources:\n", 1)
    project = make_project(tmp_path, text)
    built = run_mkdocs(project, env=as_built_on(day))
    assert built.returncode == 0, built.stdout + built.stderr
    folder = project / "site" / "sessions"
    html = (folder / "index.html").read_text(encoding="utf-8")
    sections = {key: opening + body for opening, key, body in re.findall(
        r'(<section class="session"[^>]*>)\s*<h2 id="([^"]+)"(.*?)</section>', html, re.DOTALL)}
    assert list(sections) == ["point-infos", "visios-techniques", "visio-du-jour"]
    first_dates = {key: re.findall(r'<li hidden[^>]*><time datetime="([^"]+)"', body)[:1]
                   for key, body in sections.items()}
    assert first_dates == {"point-infos": ["2026-12-07T12:00+01:00"],
                           "visios-techniques": ["2026-12-07T18:00+01:00"],
                           "visio-du-jour": []}  # a one-off session: its one <time>
    assert 'data-session-ends="2026-12-07T19:00+01:00"' in sections["visio-du-jour"]
    starts = {p.name: read_event(p.read_bytes()).decoded("DTSTART")
              for p in sorted(folder.glob("*.ics"))}
    assert starts == {
        "point-infos.ics": datetime(2026, 12, 7, 12, tzinfo=PARIS),
        "visio-du-jour.ics": datetime(2026, 12, 7, 18, tzinfo=PARIS),
        "visios-techniques.ics": datetime(2026, 12, 7, 18, tzinfo=PARIS)}
