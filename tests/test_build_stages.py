"""A failed build loses nothing, whatever stage it fails at: ``python -m sitegen.build``
(``make build``) builds into ``site.next`` and swaps it in only on success, so the
previous ``site/`` stays whole, nothing is left beside it, and the build ends with the
same French line after saying what failed and where, without a traceback.

The stages, in a build's order: the rules file and the scenarios' file (read before
MkDocs writes anything), a hand-written page (an unknown ``{{ name }}``, braces that make
no placeholder), a template of the generated pages (``sitegen/templates``, here shadowed
by a hook through the renderer's own extension point), the theme's override
(``overrides/main.html``), and MkDocs' last step (``on_post_build``, a hook's error and a
plugin's French ``PluginError``). A broken link, a strict-mode warning, is in
``test_build_command.py``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.sitebuild import ROOT, SITE_BUILD, make_project, run_mkdocs
from tests.test_build_command import snapshot

pytestmark = pytest.mark.build

STOPPED = ("La construction du site s'est arrêtée : rien n'a été publié, le site précédent "
           "({site}) est resté tel quel. Corrigez les problèmes ci-dessus, puis relancez-la.")


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def add_hook(project: Path, name: str, code: str) -> None:
    """A MkDocs hook (``hooks:`` in ``mkdocs.yml``) written in ``project``."""
    write(project / f"{name}.py", code)
    with (project / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write(f"\nhooks:\n  - {name}.py\n")


def broken_rules(project: Path) -> None:
    replace_once(project / "data" / "rules.yaml", "    unit: eur\n    value: 1000\n",
                 "    unit: euros\n    value: 1000\n")


def broken_scenarios(project: Path) -> None:
    replace_once(project / "data" / "scenarios.yaml",
                 "    as_of: {day_before: effective_date}\n    answers: {role: producer, "
                 "direct_seller: true, account: none",
                 "    as_of: 2022-13-01\n    answers: {role: producer, "
                 "direct_seller: true, account: none")


def unknown_name_in_a_page(project: Path) -> None:
    write(project / "docs" / "faq" / "casse.md",
          "# Page cassée\n\nLe plafond est de {{ plafond }}.\n")


def broken_braces_in_a_page(project: Path) -> None:
    write(project / "docs" / "faq" / "casse.md",
          "# Page cassée\n\nLe plafond est de {{ discovery_annual_limit_eur }.\n")


def broken_page_template(project: Path) -> None:
    """``faq.md.j2`` with an ``{% if %}`` left open on its line 6, found first."""
    template = (ROOT / "sitegen" / "templates" / "faq.md.j2").read_text(encoding="utf-8")
    lines = template.splitlines(keepends=True)
    assert lines[5].startswith("{% for section in sections %}")
    write(project / "gabarits" / "faq.md.j2",
          "".join([*lines[:5], "{% if sections %}\n", *lines[6:]]))
    add_hook(project, "gabarits_d_abord",
             "from pathlib import Path\n\nfrom sitegen.render import add_template_folder\n\n"
             "add_template_folder(Path(__file__).parent / 'gabarits')\n")


def broken_theme_override(project: Path) -> None:
    main = project / "overrides" / "main.html"
    lines = main.read_text(encoding="utf-8").count("\n")
    with main.open("a", encoding="utf-8") as file:
        file.write("{% block footer %}{{ super( }}{% endblock %}\n")
    assert lines >= 10


def failing_post_build(project: Path) -> None:
    add_hook(project, "fin", "def on_post_build(config):\n"
             "    raise OSError(28, 'No space left on device')\n")


def refused_post_build(project: Path) -> None:
    add_hook(project, "fin", "from mkdocs.exceptions import PluginError\n\n\n"
             "def on_post_build(config):\n"
             "    raise PluginError('Les pages de redirection sont introuvables.')\n")


@dataclass(frozen=True)
class Stage:
    """One way a build fails, and the lines (regular expressions) that must say so."""

    name: str
    breaks: Callable[[Path], None]
    said: tuple[str, ...]


def line_of(path: Path, text: str) -> int:
    """The line where ``text`` (found once) starts in the project's ``path``."""
    source = (ROOT / path).read_text(encoding="utf-8")
    assert source.count(text) == 1, text
    return source[:source.index(text)].count("\n") + 1


UNIT_LINE = line_of(Path("data/rules.yaml"), "    unit: eur\n    value: 1000\n")
AS_OF_LINE = line_of(Path("data/scenarios.yaml"), "    as_of: {day_before: effective_date}\n"
                     "    answers: {role: producer, direct_seller: true, account: none")
MAIN_LINE = sum(1 for _ in (ROOT / "overrides" / "main.html").open(encoding="utf-8")) + 1
STAGES = [
    Stage("rules", broken_rules, (
        r"^ERROR +- +Le fichier de règles contient 1 problème :$",
        rf"^  data/rules\.yaml:{UNIT_LINE}:5: \[parameters\.discovery_annual_limit_eur\.unit\] "
        r"le texte « euros » n'est pas permis")),
    Stage("scenarios", broken_scenarios, (
        r"^ERROR +- +Le fichier des scénarios contient 1 problème :$",
        rf"^  /.+/data/scenarios\.yaml:{AS_OF_LINE}:12: \[scenarios\[0\]\.as_of\] date invalide "
        r"« 2022-13-01 »")),
    Stage("page-unknown-name", unknown_name_in_a_page, (
        r"^ERROR +- +La page contient 1 problème :$",
        r"^  /.+/docs/faq/casse\.md:3:19: paramètre « plafond » introuvable ; possibles : ")),
    Stage("page-broken-braces", broken_braces_in_a_page, (
        r"^ERROR +- +La page contient 1 problème :$",
        r"^  /.+/docs/faq/casse\.md:3:19: accolades mal formées dans « \{\{ "
        r"discovery_annual_limit_eur \}\. » : écrivez \{\{ nom_du_parametre \}\}$")),
    Stage("page-template", broken_page_template, (
        r"^Erreur pendant la construction \(gabarits/faq\.md\.j2, ligne \d+\) : .+ "
        r"\(TemplateSyntaxError\)\.$",)),
    Stage("theme-override", broken_theme_override, (
        rf"^Erreur pendant la construction \(overrides/main\.html, ligne {MAIN_LINE}\) : "
        r".+ \(TemplateSyntaxError\)\.$",)),
    Stage("post-build-error", failing_post_build, (
        r"^Erreur pendant la construction \(fin\.py, ligne 2\) : \[Errno 28\] No space left "
        r"on device \(OSError\)\.$",)),
    Stage("post-build-refusal", refused_post_build, (
        r"^ERROR +- +Les pages de redirection sont introuvables\.$",)),
]


def previous_site(project: Path) -> dict[str, str]:
    """A site as a previous build left it; its files' digests."""
    site = project / "site"
    write(site / "index.html", "<p>site précédent</p>")
    write(site / "assets" / "rules.json", "{}")
    return snapshot(site)


def attempt(stage: Stage, base: Path) -> tuple[Stage, Path, str, int, dict[str, str]]:
    project = make_project(base / stage.name)
    before = previous_site(project)
    stage.breaks(project)
    done = run_mkdocs(project, command=SITE_BUILD)
    return stage, project, done.stdout + done.stderr, done.returncode, before


@pytest.fixture(scope="module")
def attempts(tmp_path_factory: pytest.TempPathFactory
             ) -> dict[str, tuple[Stage, Path, str, int, dict[str, str]]]:
    """Every stage's failed build (two at a time)."""
    base = tmp_path_factory.mktemp("stages")
    with ThreadPoolExecutor(max_workers=2) as pool:
        return {found[0].name: found for found in pool.map(lambda s: attempt(s, base), STAGES)}


@pytest.mark.parametrize("stage", STAGES, ids=[s.name for s in STAGES])
def test_a_failed_stage_keeps_the_previous_site_and_says_so_in_french(
        stage: Stage, attempts: dict) -> None:
    _, project, said, returncode, before = attempts[stage.name]
    site = project / "site"
    assert returncode == 1, said
    assert "Traceback" not in said and "Aborted" not in said, said
    lines = said.rstrip().splitlines()
    assert lines[-1] == STOPPED.format(site=site.resolve()), said
    for expected in stage.said:
        assert re.search(expected, said, re.MULTILINE), (expected, said)
    assert snapshot(site) == before  # whole: the same files, the same bytes
    assert not (project / "site.next").exists() and not (project / "site.old").exists()


def test_verbose_shows_the_traceback_of_an_unexpected_error(tmp_path: Path) -> None:
    """``--verbose`` (MkDocs' own option, passed through) also prints where in the code the
    error went: the same ending, the previous site kept."""
    project = make_project(tmp_path / "project")
    before = previous_site(project)
    failing_post_build(project)
    done = run_mkdocs(project, command=(*SITE_BUILD, "--verbose"))
    said = done.stdout + done.stderr
    assert done.returncode == 1, said
    assert "Traceback (most recent call last):" in said
    assert "OSError: [Errno 28] No space left on device" in said
    assert said.rstrip().splitlines()[-2:] == [
        "Erreur pendant la construction (fin.py, ligne 2) : [Errno 28] No space left on "
        "device (OSError).", STOPPED.format(site=(project / "site").resolve())]
    assert snapshot(project / "site") == before
