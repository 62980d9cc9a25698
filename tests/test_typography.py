"""French set as French: a no-break space before « : » and inside guillemets, a narrow
one before « ; ? ! », applied in one place (``checker.french.typeset``) to everything a
person reads: the pages (and what MkDocs derives from them: titles, table of contents,
search index), the calendars, the checker's words in the CLI and the browser. Code is
left as written. The public pages show no word meant for the team, and one name per
concept (the glossary's)."""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest

from checker import as_text, evaluate
from checker.french import NBSP, THOUSANDS, typeset
from checker.model import CompiledRules
from rulebook.answer_space import profiles_by_period
from rulebook.loader import RulesBook
from sitegen.pages.sessions import calendar
from sitegen.typography import typeset_markdown
from tests.conftest import ROOT
from tests.sitebuild import html_pages

# An ordinary space (or a line break) where French wants a no-break one.
ORDINARY = re.compile(r"[ \t\r\n]+[:;?!»]|«[ \t\r\n]")
SKIPPED = {"code", "pre", "script", "style", "textarea"}
# Words for the team that a reader must never see (the editing guide is for the team).
INTERNAL = re.compile(r"\bticket\b|\bTODO\b|\bFIXME\b|\bignoré(?:e|s|es)?\b|\binvariant\b|"
                      r"\bplaceholder\b|\bslug\b|exemple du", re.IGNORECASE)
TEAM_PAGES = {"modifier-le-contenu"}


def ordinary_spaces(text: str) -> list[str]:
    """Each place of ``text`` with an ordinary space French typesetting forbids."""
    return [text[max(0, m.start() - 25):m.end() + 5] for m in ORDINARY.finditer(text)]


class _Text(HTMLParser):
    """The text a person reads on a page (not its code, scripts or styles)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skip = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.skip += tag in SKIPPED

    def handle_endtag(self, tag: str) -> None:
        self.skip -= tag in SKIPPED

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def page_text(path: Path) -> str:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return "".join(parser.parts)


# ------------------------------------------------------------------ the rules --

@pytest.mark.parametrize(("written", "set_as"), [
    ("Votre formule : PRO", f"Votre formule{NBSP}: PRO"),
    ("Pourquoi ?", f"Pourquoi{THOUSANDS}?"),
    ("oui ; non !", f"oui{THOUSANDS}; non{THOUSANDS}!"),
    ("la formation « Développer »", f"la formation «{NBSP}Développer{NBSP}»"),
    ("«collé»", f"«{NBSP}collé{NBSP}»"),
    ("deux  espaces  :", f"deux  espaces{NBSP}:"),
    ("https://wiki.cagette.net/page?rev=1", "https://wiki.cagette.net/page?rev=1"),
    ("de 12:00 à 12:45", "de 12:00 à 12:45"),
    (": en tête de ligne", ": en tête de ligne"),
])
def test_typeset_spaces_french_punctuation(written: str, set_as: str) -> None:
    assert typeset(written) == set_as
    assert typeset(set_as) == set_as  # idempotent: applying it again changes nothing


def test_markdown_prose_is_typeset_and_code_targets_and_tags_are_not() -> None:
    markdown = (
        '!!! abstract "En bref : oui"\n'
        "    Texte : ok !\n\n"
        "Voir [la Formule PRO](../formules.md#pro) : texte ; `code : ici ?` "
        '<span title="a : b">c</span>{ .md-button }\n\n'
        "```\nbloc : de code ?\n```\n\n"
        "| a | b |\n| :--- | ---: |\n"
    )
    out = typeset_markdown(markdown)
    assert f'!!! abstract "En bref{NBSP}: oui"' in out
    assert f"Texte{NBSP}: ok{THOUSANDS}!" in out
    assert f"(../formules.md#pro){NBSP}: texte{THOUSANDS};" in out
    assert "`code : ici ?`" in out and '<span title="a : b">' in out
    assert "```\nbloc : de code ?\n```" in out
    assert "| :--- | ---: |" in out


def test_the_counter_sees_an_ordinary_space() -> None:
    """The checks below would fail on one ordinary space (they can fail)."""
    assert ordinary_spaces("Pourquoi ?") and ordinary_spaces("« a »")
    assert not ordinary_spaces(typeset("Pourquoi ? « a »"))


def test_every_word_of_every_verdict_is_typeset(compiled: CompiledRules) -> None:
    """The checker's words, over the whole answer space, on every period (the CLI's text
    and every string the browser places), and its answers' errors."""
    found: list[str] = []
    count = 0
    for period, answers in profiles_by_period(compiled):
        verdict = evaluate(compiled, answers, as_of=period.sample)
        count += 1
        found += ordinary_spaces(as_text(verdict))
        found += ordinary_spaces(json.dumps(verdict, ensure_ascii=False))
    wrong = evaluate(compiled, {"role": "producer", "bogus": 1, "account": "pro",
                                "direct_seller": "peut-être"}, as_of="2022-01-10")
    found += ordinary_spaces(json.dumps(wrong["errors"], ensure_ascii=False))
    assert count > 100 and found == []


class ScriptTexts:
    """The texts a script writes: its double-quoted strings and the written parts of its
    template literals (an interpolation is code, and the words it places come typeset
    from Python; a template nested in one is read too). Comments are skipped."""

    def __init__(self, source: str) -> None:
        self.source, self.texts = source, []
        i = 0
        while i < len(source):
            i = self._step(i)

    def _step(self, i: int) -> int:
        source = self.source
        if source.startswith("//", i):
            return source.find("\n", i) % (len(source) + 1) + 1
        if source.startswith("/*", i):
            return source.index("*/", i) + 2
        if source[i] == '"':
            end = re.compile(r'"(?:[^"\\\n]|\\.)*"').match(source, i)
            if end:
                self.texts.append(end.group(0)[1:-1])
                return end.end()
        if source[i] == "`":
            return self._template(i + 1)
        return i + 1

    def _template(self, i: int) -> int:
        written = []
        while self.source[i] != "`":
            if self.source[i] == "\\":
                written.append(self.source[i:i + 2])
                i += 2
            elif self.source.startswith("${", i):
                written.append("x")
                i = self._interpolation(i + 2)
            else:
                written.append(self.source[i])
                i += 1
        self.texts.append("".join(written))
        return i + 1

    def _interpolation(self, i: int) -> int:
        depth = 1
        while depth:
            char = self.source[i]
            if char in '`"':
                i = self._step(i)
                continue
            depth += {"{": 1, "}": -1}.get(char, 0)
            i += 1
        return i


def test_script_texts_are_the_written_words_only() -> None:
    texts = ScriptTexts('const a = "Oui : non"; // « commentaire »\n'
                        'f(`${x ? `?${q}` : ""} ${y}\u00a0: fin`);').texts
    assert texts == ["Oui : non", "?x", "", "x x\u00a0: fin"]
    assert ordinary_spaces(texts[0]) and not ordinary_spaces(texts[3])


def test_the_browsers_own_words_are_typeset() -> None:
    """The strings the checker's scripts write themselves (the rest comes from Python)."""
    found = []
    scripts = sorted((ROOT / "docs" / "assets").rglob("*.mjs"))
    assert len(scripts) >= 3, scripts  # the checker's page, worker and shared files
    for script in scripts:
        for text in ScriptTexts(script.read_text(encoding="utf-8")).texts:
            found += [(script.name, s) for s in ordinary_spaces(text)]
    assert found == []


# ------------------------------------------------------------- the built site --

@pytest.mark.build
def test_no_ordinary_space_where_french_needs_a_no_break_one(site: Path) -> None:
    pages = html_pages(site)
    found = {str(p.relative_to(site)): ordinary_spaces(page_text(p)) for p in pages}
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    for doc in index["docs"]:
        for key in ("title", "text"):
            prose = re.sub(r"<(code|pre)>.*?</\1>", "", doc[key], flags=re.DOTALL)
            found[f"search:{doc['location']}:{key}"] = ordinary_spaces(prose)
    wrong = {where: hits for where, hits in found.items() if hits}
    print(f"\n{len(pages)} pages, {len(index['docs'])} entrées de recherche : "
          f"{sum(map(len, wrong.values()))} espace(s) ordinaire(s) mal placée(s)")
    assert wrong == {}


def test_the_real_sessions_calendars_are_typeset(book: RulesBook) -> None:
    """The real sessions announce no date today, so the built site has no calendar: each
    is made here as it would be, confirmed for twelve weeks from a build day."""
    day = date(2026, 12, 4)
    sessions = [dataclasses.replace(s, confirmed_from=day, confirmed_until=day + timedelta(
        weeks=12)) if s.days else dataclasses.replace(s, date=day) for s in book.rules.sessions]
    assert len(sessions) >= 2
    for item in sessions:
        ics = calendar(item, day, "example.org", "https://example.org/sessions/")
        unfolded = ics.decode("utf-8").replace("\r\n ", "").replace("\\n", "\n")
        assert item.title in unfolded
        assert ordinary_spaces(unfolded) == [], item.id


@pytest.mark.build
def test_public_pages_show_no_internal_word_and_one_name_per_concept(
        site: Path, book: RulesBook) -> None:
    avoided = [n for term in book.rules.glossary or () for n in term.avoid or ()]
    names = re.compile("|".join(re.escape(n) for n in avoided), re.IGNORECASE)
    internal: dict[str, list[str]] = {}
    other_names: dict[str, list[str]] = {}
    for page in html_pages(site):
        where = str(page.relative_to(site))
        if where.split("/")[0] in TEAM_PAGES:
            continue
        text = page_text(page)
        if where.startswith("lexique/"):  # the glossary names what it sets aside
            text = re.sub(r"«\s*Compte Producteur en Formule Découverte\s*»", "", text)
        internal[where] = INTERNAL.findall(text)
        other_names[where] = names.findall(text)
    assert {k: v for k, v in internal.items() if v} == {}
    assert {k: v for k, v in other_names.items() if v} == {}


@pytest.mark.build
def test_every_page_shows_the_same_date_the_build_is_for(site: Path) -> None:
    dates = {re.search(r'<p class="page-as-of"><small>Situation au ([^<]+)\.</small></p>',
                       p.read_text(encoding="utf-8")).group(1)
             for p in html_pages(site) if "page-as-of" in p.read_text(encoding="utf-8")}
    assert len(dates) == 1
    (as_of,) = dates
    synthesis = page_text(site / "synthese" / "index.html")
    assert f"Échéances au {as_of}" in synthesis
