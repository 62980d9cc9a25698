"""The page generators without MkDocs: conditions in French, decision rows,
sessions, the CSP helper (fast; the real build is in test_site_build.py)."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from pathlib import Path

import pytest
import yaml
from icalendar import Calendar

from checker import evaluate
from checker.model import CompiledRules
from rulebook.answer_space import complete_profiles
from rulebook.decisions import Node, decision_tree, decisions
from rulebook.describe import AmountRange, clause, condition_lines
from rulebook.loader import RulesBook, load_rules
from sitegen.build_cache import kept
from sitegen.context import SiteContext
from sitegen.pages.sessions import calendar, days_phrase, kept_calendar, schedule
from sitegen.registry import addresses, generate, navigation, rule_page_uri
from tests.conftest import DOCS_PATH, RULES_PATH

AS_OF = date(2022, 6, 1)


def test_simple_conditions_read_as_french_with_labels(compiled: CompiledRules) -> None:
    assert clause(compiled, {"equals": {"direct_seller": False}}) == (
        "*Vente directe de sa propre production* : non")
    assert clause(compiled, {"equals": {"role": "coordinator"}}) == (
        "*Rôle* : Coordinateur ou coordinatrice de groupe")
    assert clause(compiled, {"compare": {"question": "sales_outside_amap_eur", "op": "at_most",
                                         "parameter": "discovery_annual_limit_eur"}}) == (
        "*Ventes hors AMAP sur un an* : au plus 1\u202f000\u00a0€")
    text = clause(compiled, {"one_of": {"account": ["pro", "trained"]}})
    assert text.startswith("*Situation sur Cagette.net* : « J'ai souscrit la Formule PRO » ou « ")


def test_nested_conditions_become_nested_bullets(compiled: CompiledRules) -> None:
    cond = {"all": [{"equals": {"role": "producer"}},
                    {"any": [{"equals": {"account": "pro"}},
                             {"not": {"equals": {"direct_seller": True}}}]}]}
    assert condition_lines(compiled, cond) == [
        "- *Rôle* : Producteur ou productrice",
        "- l'une des situations suivantes :",
        "    - *Situation sur Cagette.net* : J'ai souscrit la Formule PRO",
        "    - il n'est pas vrai que :",
        "        - *Vente directe de sa propre production* : oui",
    ]
    inner_all = {"not": {"all": [{"equals": {"role": "producer"}},
                                 {"date": {"after": "switch_deadline"}}]}}
    assert condition_lines(compiled, inner_all, indent=2) == [
        "  - il n'est pas vrai que :",
        "      - toutes ces conditions :",
        "          - *Rôle* : Producteur ou productrice",
        "          - *Date* : après le 31 décembre 2022",
    ]


def test_amount_ranges_read_naturally() -> None:
    assert AmountRange(None, ("le", 1000)).label() == "jusqu'à 1\u202f000\u00a0€"
    assert AmountRange(("gt", 1000), None).label() == "plus de 1\u202f000\u00a0€"
    assert AmountRange(("ge", 50), ("lt", 80)).label() == "50\u00a0€ ou plus et moins de 80\u00a0€"
    assert AmountRange().label() == "quel que soit le montant"


def _matches(answers: dict, profile: dict) -> bool:
    if answers.keys() != profile.keys():
        return False
    for key, value in answers.items():
        if isinstance(value, AmountRange):
            amount = profile[key]
            if value.low and not (amount > value.low[1] if value.low[0] == "gt"
                                  else amount >= value.low[1]):
                return False
            if value.high and not (amount <= value.high[1] if value.high[0] == "le"
                                   else amount < value.high[1]):
                return False
        elif profile[key] != value:
            return False
    return True


def test_every_profile_falls_in_exactly_one_row_with_the_same_verdict(
        compiled: CompiledRules) -> None:
    rows = decisions(compiled, AS_OF)
    probes = list(complete_profiles(compiled, AS_OF))
    probes += [{**p, "sales_outside_amap_eur": v} for p in probes
               if "sales_outside_amap_eur" in p
               for v in (1000.5, 999.99, 800, 799.99, 250, 1_000_000)]
    for profile in probes:
        (row,) = [r for r in rows if _matches(r.answers, profile)]
        expected = evaluate(compiled, profile, as_of=AS_OF)
        for key in ("plan", "actions", "permissions", "reasons"):
            assert json.dumps(row.verdict[key]) == json.dumps(expected[key]), profile


def test_the_tree_has_one_leaf_per_row(compiled: CompiledRules) -> None:
    rows = decisions(compiled, AS_OF)

    def leaves(node: Node) -> int:
        return 1 if node.leaf else sum(leaves(child) for _, child in node.branches)

    root = decision_tree(rows)
    assert root.question_id == compiled.questions[0].id
    assert leaves(root) == len(rows)


def test_session_schedule_and_calendar(book: RulesBook) -> None:
    point, techniques = book.rules.sessions
    assert days_phrase(["monday", "tuesday", "wednesday", "thursday", "friday"]) == (
        "du lundi au vendredi")
    assert days_phrase(["thursday", "monday"]) == "tous les lundis et jeudis"
    assert schedule(techniques) == "Tous les lundis, à 18\u00a0h (heure de Paris)"
    # Built before the one day the wiki's schedule is confirmed for: that day only.
    ics = calendar(point, date(2022, 1, 1), "example.org", "https://example.org/page")
    event = Calendar.from_ical(ics).walk("VEVENT")[0]
    assert event.decoded("DTSTART").isoformat() == "2022-02-08T12:00:00+01:00"
    assert event.decoded("DTEND").isoformat() == "2022-02-08T12:45:00+01:00"
    assert str(event["UID"]) == "point-infos@example.org"
    assert "Inscription\u00a0: lien donné sur https://example.org/page" in str(
        event["DESCRIPTION"])  # no registration link known yet: where to find it
    assert "URL" not in event


def test_generated_pages_and_navigation(book: RulesBook) -> None:
    ctx = SiteContext(book, AS_OF, addresses())
    pages = generate(ctx)
    assert rule_page_uri("charte-producteurs") == "regles/charte-producteurs.md"
    assert all(rule_page_uri(r.slug) in pages for r in book.compiled.rules)
    assert all(ctx.rule_uris[r.id] in pages for r in book.rules.rules)
    checker, editing = addresses()["checker"], addresses()["editing"]
    assert checker not in str(navigation(ctx, set(pages)))
    with_checker = navigation(ctx, {*pages, checker, "a-propos.md"})
    assert with_checker[1] == {"Quelle formule pour moi\u202f?": checker}
    assert with_checker[-1] == "a-propos.md"  # hand-written pages are kept, at the end
    for uri, content in pages.items():  # every placeholder rendered (the guide shows some)
        if isinstance(content, str) and uri != editing:
            assert "{{" not in content and "}}" not in content, uri


def test_a_kept_result_is_made_once_per_distinct_input(tmp_path: Path) -> None:
    made: list[str] = []

    def make(text: str) -> bytes:
        made.append(text)
        return text.encode()

    assert kept(tmp_path, "kind", "a", lambda: make("a")) == b"a"
    assert kept(tmp_path, "kind", "a", lambda: make("again")) == b"a"  # from the cache
    assert kept(tmp_path, "kind", "b", lambda: make("b")) == b"b"  # other inputs, made
    assert kept(None, "kind", "a", lambda: make("no cache")) == b"no cache"
    assert made == ["a", "b", "no cache"]
    assert len(list((tmp_path / "kind").iterdir())) == 2  # no temporary file left


def test_a_kept_calendar_is_the_calendar_and_follows_the_session(book: RulesBook,
                                                                  tmp_path: Path) -> None:
    point = book.rules.sessions[0]
    args = (date(2022, 1, 1), "example.org", "https://example.org/page")
    fresh = calendar(point, *args)
    assert kept_calendar(point, *args, tmp_path) == fresh
    assert kept_calendar(point, *args, tmp_path) == fresh  # read back
    moved = dataclasses.replace(point, start="18:00")
    assert b"T180000" in kept_calendar(moved, *args, tmp_path)  # an edit is never stale
    assert kept_calendar(point, date(2022, 2, 1), *args[1:], tmp_path) != fresh


def test_the_pages_rows_are_those_of_the_rules_as_written(tmp_path: Path) -> None:
    """The rows and their verdicts are found once, on the rules as written (one book);
    the pages escape the verdicts' texts where they show them."""
    data = yaml.safe_load(RULES_PATH.read_text(encoding="utf-8"))
    added = " <b>*a*</b> [lien](http://x) | `c`"
    for rule in data["rules"]:
        for effect in rule["effects"]:
            effect["explain"] += added
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    book = load_rules(path, docs_dir=DOCS_PATH)
    ctx = SiteContext(book, AS_OF, addresses())
    written = decisions(book.compiled, AS_OF)
    assert [(d.answers, d.sample, d.verdict) for d in ctx.decisions] == [
        (d.answers, d.sample, d.verdict) for d in written]
    assert all(added in e.explain for e in book.compiled.rules[0].effects)
    pages = generate(ctx)
    escaped = " &lt;b&gt;&#42;a&#42;&lt;/b&gt; &#91;lien&#93;(http://x) | &#96;c&#96;"
    for rule in book.rules.rules:  # every rule page shows its effects' explanations
        assert escaped in pages[ctx.rule_uris[rule.id]], rule.id
        assert added not in pages[ctx.rule_uris[rule.id]], rule.id


def test_a_hand_written_page_with_braces_that_make_no_placeholder_is_refused(
        book: RulesBook) -> None:
    """Published as they are otherwise: ``{{ name }`` shown to readers as written."""
    from rulebook.errors import RulesError
    from rulebook.placeholders import render_page_placeholders

    page = ("# Plafond\n\nJusqu'à {{ discovery_annual_limit_eur }} par an.\n"
            "Le {{ \"3\" }} novembre : {{ discovery_annual_limit_eur }.\n"
            "Rien ici : {{ }}, ni là }}.\n")
    with pytest.raises(RulesError) as raised:
        render_page_placeholders(page, book.displays, "docs/faq/plafond.md")
    assert raised.value.report().splitlines() == [
        "La page contient 2 problèmes :",
        "  docs/faq/plafond.md:4:25: accolades mal formées dans « {{ "
        "discovery_annual_limit_eur }. » : écrivez {{ nom_du_parametre }}",
        "  docs/faq/plafond.md:5:12: accolades mal formées dans « {{ }}, ni » : écrivez "
        "{{ nom_du_parametre }}"]  # one per line: its first stray brace
    fixed = page.replace("_eur }.", "_eur }}.").replace("{{ }}, ni là }}", "rien")
    assert render_page_placeholders(fixed, book.displays, "docs/faq/plafond.md") == (
        "# Plafond\n\nJusqu'à 1\u202f000\u00a0€ par an.\nLe 3 novembre : 1\u202f000\u00a0€.\n"
        "Rien ici : rien.\n")
