"""The strict YAML reader: positions, duplicate keys, dates, tabs, encodings."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from rulebook.errors import RulesError
from rulebook.loader import load_rules
from rulebook.yamlload import FILE_FIELD, Position, load_yaml, path_before
from tests.conftest import DOCS_PATH, RULES_PATH


def read(tmp_path: Path, text: str | bytes, *, strict: bool = True):
    path = tmp_path / "f.yaml"
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return load_yaml(path, "f.yaml", strict=strict)


def only_problem(tmp_path: Path, text: str | bytes):
    with pytest.raises(RulesError) as raised:
        read(tmp_path, text)
    assert len(raised.value.problems) == 1, raised.value.report()
    return raised.value.problems[0]


NESTED = """\
questions:
  - id: role
    choices:
      - value: producer
        label: Producteur
      - value: coordinator
        label: "Coordinateur"
when:
  all:
    - equals: {role: producer}
"""


def test_positions_of_nested_fields(tmp_path: Path) -> None:
    loaded = read(tmp_path, NESTED)
    # A mapping entry is located at its key, a list item where it starts.
    assert loaded.positions[("questions", 0, "choices", 1, "value")] == Position(6, 9)
    assert loaded.positions[("questions", 0, "choices", 1, "label")] == Position(7, 9)
    assert loaded.positions[("when", "all", 0, "equals", "role")] == Position(10, 16)
    assert loaded.positions[("questions", 0, "choices", 1)] == Position(6, 9)
    assert loaded.where(("questions", 0, "choices", 1, "missing")) == Position(6, 9)
    assert loaded.data["questions"][0]["choices"][1]["label"] == "Coordinateur"


def test_duplicate_key_points_at_the_second_key(tmp_path: Path) -> None:
    problem = only_problem(tmp_path, NESTED.replace("        label: Producteur\n",
                                                    "        label: Producteur\n"
                                                    "        label: Productrice\n"))
    assert (problem.line, problem.column) == (6, 9)
    assert problem.field == "questions[0].choices[0].label"
    assert problem.message == "clé « label » en double (déjà définie ligne 5)"


def test_duplicate_keys_and_bad_dates_are_all_reported(tmp_path: Path) -> None:
    text = "a: 1\na: 2\nwhen: 2022-13-01\nthen: 2023-02-29\n"
    with pytest.raises(RulesError) as raised:
        read(tmp_path, text)
    assert [(p.line, p.column, p.field) for p in raised.value.problems] == [
        (2, 1, "a"), (3, 7, "when"), (4, 7, "then")]
    loaded = read(tmp_path, text, strict=False)
    assert loaded.data == {"a": 1, "when": None, "then": None}
    assert len(loaded.problems) == 3


def test_impossible_dates_are_explained_in_french(tmp_path: Path) -> None:
    month = only_problem(tmp_path, "deadline: 2022-13-45\n")
    assert (month.line, month.column, month.field) == (1, 11, "deadline")
    assert month.message.startswith("date invalide « 2022-13-45 » : il n'y a pas de mois 13")
    day = only_problem(tmp_path, "x: 1\ndeadline: 2022-02-30\n")
    assert "le mois 02/2022 n'a que 28 jours" in day.message
    assert read(tmp_path, "d: 2024-02-29\n").data == {"d": date(2024, 2, 29)}


def test_tab_indentation_is_located(tmp_path: Path) -> None:
    problem = only_problem(tmp_path, "meta:\n  title: a\n\tname: b\n")
    assert (problem.line, problem.column) == (3, 1)
    assert problem.field == "meta"
    assert "tabulation interdite" in problem.message


def test_unclosed_quote_is_shown_where_it_opens(tmp_path: Path) -> None:
    problem = only_problem(tmp_path, 'a: 1\nb:\n  c: "12:00\n  d: 2\ne: 3\n')
    assert (problem.line, problem.column, problem.field) == (3, 6, "b.c")
    assert "guillemets ouverts ici et jamais refermés" in problem.message


def test_path_before_names_the_field_being_read() -> None:
    text = "a:\n  - x: 1\n    y: 2\n  - x: 3\nb: 4\n"
    assert path_before(text, 4, 7) == ("a", 1, "x")  # between a key and its value
    assert path_before(text, 3, 5) == ("a", 0)  # at a new key of the first item
    assert path_before(text, 5, 1) == ()  # back at the top level
    assert path_before(text, 1, 1) == ()


def test_non_utf8_byte_is_located_in_characters(tmp_path: Path) -> None:
    raw = "a: 1\nlabel: été \u2014 ".encode() + "hiver".encode("latin-1") + "é\n".encode("cp1252")
    problem = only_problem(tmp_path, raw)
    assert (problem.line, problem.column) == (2, 19)  # characters, not bytes
    assert problem.field == "label"
    assert "n'est pas encodé en UTF-8" in problem.message


@pytest.mark.parametrize("text", ["", "# rien\n", "---\n"])
def test_empty_file(tmp_path: Path, text: str) -> None:
    problem = only_problem(tmp_path, text)
    assert (problem.line, problem.column, problem.field) == (1, 1, FILE_FIELD)
    assert problem.message == "le fichier est vide"


def test_block_aliases_and_deep_nesting_are_refused(tmp_path: Path) -> None:
    alias = only_problem(tmp_path, "a: &x [1, 2]\nb: *x\n")
    assert (alias.line, alias.field) == (2, "b")
    assert "alias" in alias.message
    deep = only_problem(tmp_path, "a: " + "[" * 3000 + "]" * 3000 + "\n")
    assert deep.message == "imbrication trop profonde"


def test_needle_locates_a_problem_inside_a_block_text(tmp_path: Path) -> None:
    loaded = read(tmp_path, "intro: |\n  Première ligne,\n  puis {{ x }} ici.\n")
    problem = loaded.problem(("intro",), "paramètre « x » introuvable", "{{ x }}")
    assert (problem.line, problem.column) == (3, 8)
    fallback = loaded.problem(("intro",), "…", "absent")
    assert (fallback.line, fallback.column) == (1, 1)


@pytest.mark.parametrize("transform", [
    pytest.param(lambda raw: b"\xef\xbb\xbf" + raw, id="utf8-bom"),
    pytest.param(lambda raw: raw.replace(b"\n", b"\r\n"), id="crlf"),
])
def test_windows_editors_files_stay_valid(tmp_path: Path, transform) -> None:
    path = tmp_path / "rules.yaml"
    path.write_bytes(transform(RULES_PATH.read_bytes()))
    assert load_rules(path, docs_dir=DOCS_PATH).data == load_rules(RULES_PATH).data


def test_unreadable_paths_are_explained_in_french(tmp_path: Path) -> None:
    with pytest.raises(RulesError) as missing:
        load_yaml(tmp_path / "absent.yaml", "absent.yaml")
    assert missing.value.problems[0].message == (
        "lecture impossible : fichier introuvable (vérifiez le chemin)")
    with pytest.raises(RulesError) as folder:
        load_yaml(tmp_path, "data")
    assert "c'est un dossier" in folder.value.report()


@pytest.mark.parametrize(("text", "line", "words"), [
    ("a: *nowhere\n", 1, "alias"),
    ("a: &x 1\nb: &x 2\n", 2, "ancre YAML en double"),
    ("a: 1\n---\nb: 2\n", 2, "un seul document attendu"),
])
def test_anchor_and_document_mistakes_are_syntax_errors(tmp_path: Path, text: str, line: int,
                                                        words: str) -> None:
    problem = only_problem(tmp_path, text)
    assert problem.line == line
    assert words in problem.message


def test_scalar_aliases_are_refused_where_they_are_written(tmp_path: Path) -> None:
    """A copy would be checked again: a few kilobytes of aliases could keep the checks
    busy for minutes (a million ``*a`` of a long text ran past a minute)."""
    loaded = read(tmp_path, "a: &x bonjour\nb:\n  - *x\n  - 2\n", strict=False)
    assert loaded.data == {"a": "bonjour", "b": [None, 2]}
    (problem,) = loaded.problems
    assert (problem.line, problem.column, problem.field) == (3, 5, "b[0]")
    assert problem.message == ("alias YAML (*nom) non pris en charge : recopiez la valeur à "
                               "cet endroit")
    assert loaded.positions[("b", 1)] == Position(4, 5)


def test_a_refused_key_does_not_read_its_value(tmp_path: Path) -> None:
    loaded = read(tmp_path, "a: 1\na:\n  b: 2020-02-30\n? [x]\n: 3\nc: 4\n", strict=False)
    assert loaded.data == {"a": 1, "c": 4}
    assert [(p.line, p.message.split(" :")[0]) for p in loaded.problems] == [
        (2, "clé « a » en double (déjà définie ligne 1)"), (4, "clé invalide")]
    assert loaded.positions[("c",)] == Position(6, 1)


def test_nesting_is_refused_past_the_limit_not_before(tmp_path: Path) -> None:
    depth = 100  # rules files nest about ten levels
    assert read(tmp_path, "a: " + "[" * depth + "]" * depth + "\n").data["a"] is not None
    deep = only_problem(tmp_path, "a: " + "[" * (depth + 2) + "]" * (depth + 2) + "\n")
    assert deep.message == "imbrication trop profonde"
