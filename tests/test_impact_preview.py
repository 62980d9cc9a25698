"""The preview (``mkdocs serve``) shows the impact of an unpublished edit on the
decision table; a build never does, and the preview goes on without git.

The plugin's hooks run in-process on a temporary copy of the project inside a
temporary git repository (``HEAD``: the real rules, working copy: an edit).
"""

from __future__ import annotations

import logging
import re
import shutil
from pathlib import Path

import markdown
import pytest
from mkdocs.config import load_config

from sitegen.registry import addresses
from tests.impactcases import BROKEN_THRESHOLD, THRESHOLD_1500, commit_rules, edited
from tests.sitebuild import html_pages, make_project, run_mkdocs

pytestmark = pytest.mark.build

TITLE = '!!! warning "Aperçu : modifications non publiées"'


def project(tmp_path: Path, working: str | None = None, committed: str | None = None,
            git: bool = True) -> Path:
    """A copy of the site's sources; in a git repository unless ``git`` is false."""
    dest = make_project(tmp_path / "project")
    if git:
        commit_rules(dest, **({"committed": committed} if committed else {}), working=working)
    elif working is not None:
        (dest / "data" / "rules.yaml").write_text(working, encoding="utf-8")
    return dest


def decision_table(dest: Path, command: str) -> str:
    """The decision table's Markdown, as the plugin generates it for ``command``."""
    config = load_config(str(dest / "mkdocs.yml"))
    config.plugins.on_startup(command=command, dirty=False)
    config = config.plugins.on_config(config)
    site = config.plugins["cagette-rules"].site
    return site.pages[addresses()["decision_table"]]


def admonitions(page: str) -> list[str]:
    html = markdown.markdown(page, extensions=["admonition", "tables"])
    return re.findall(r'<div class="admonition warning">(.*?)</div>', html, re.DOTALL)


def test_serve_shows_the_impact_of_an_unpublished_edit(tmp_path: Path) -> None:
    page = decision_table(project(tmp_path, edited(THRESHOLD_1500)), "serve")
    assert page.count(TITLE) == 1
    (block,) = admonitions(page)
    text = block.replace("\u202f", " ").replace("\u00a0", " ")
    assert "Aperçu : modifications non publiées" in text
    assert ("1 valeur change. Dans le vérificateur : 16 situations sur 22 changent de "
            "décision, et 2 autres seulement de mots.") in text
    assert "<code>HEAD:data/rules.yaml</code>" in text
    assert ("<li>Plafond annuel de ventes hors AMAP du compte Découverte : 1 500 € au lieu de "
            "1 000 €</li>") in text
    assert ("<p>Plafond : « 1 500 € » au lieu de « 1 000 € », dans « 1 500 € de ventes par an, "
            "hors ventes en AMAP »<br />\n  sur 16 situations :</p>") in text
    assert ("; Ventes hors AMAP sur un an : 1 000 € ou plus et moins de 1 500 € — à partir du "
            "2 février 2022</li>") in text
    assert "Mêmes décisions, autres mots" in text
    assert "Trouvez la ligne" not in block  # the page goes on after the warning
    assert page.index(TITLE) < page.index("Trouvez la ligne") < page.index("| Votre situation")


def test_a_build_never_shows_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dest = project(tmp_path, edited(THRESHOLD_1500))

    def no_git(*args: object) -> None:
        raise AssertionError("a build must not compare with git")

    with monkeypatch.context() as patch:
        patch.setattr("rulebook.baseline.uncommitted_impact", no_git)
        assert TITLE not in decision_table(dest, "build")
        assert TITLE not in decision_table(dest, "gh-deploy")
    result = run_mkdocs(dest)
    assert result.returncode == 0, result.stderr
    html = (dest / "site" / "tableau-de-decision" / "index.html").read_text(encoding="utf-8")
    assert "1\u202f500\u00a0€ ou plus" in html  # the build shows the edited rules…
    assert "admonition" not in html and "Aperçu" not in html  # …and no preview warning
    for page in html_pages(dest / "site"):
        assert '<p class="admonition-title">Aperçu' not in page.read_text(encoding="utf-8")
    guide = (dest / "site" / "modifier-le-contenu" / "index.html").read_text(encoding="utf-8")
    assert "cagette-rules impact" in guide  # the guide explains the command and the preview


def test_serve_says_nothing_when_the_rules_are_as_committed(tmp_path: Path) -> None:
    assert TITLE not in decision_table(project(tmp_path), "serve")


def test_serve_goes_on_without_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                   caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    outside = project(tmp_path / "outside", edited(THRESHOLD_1500), git=False)
    page = decision_table(outside, "serve")
    assert TITLE not in page and "| Votre situation" in page
    assert "n'est pas dans un dépôt git" in caplog.text

    inside = project(tmp_path / "inside", edited(THRESHOLD_1500))
    tools = tmp_path / "no-git"  # Node stays (it builds the checker's runtime); git goes
    tools.mkdir()
    (tools / "node").symlink_to(shutil.which("node") or "node")
    monkeypatch.setenv("PATH", str(tools))
    assert TITLE not in decision_table(inside, "serve")
    assert "git est introuvable" in caplog.text


def test_serve_goes_on_when_the_committed_rules_are_broken(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    dest = project(tmp_path, committed=edited(BROKEN_THRESHOLD), working=edited(THRESHOLD_1500))
    assert TITLE not in decision_table(dest, "serve")
    assert "La version de référence (HEAD) contient 1 problème" in caplog.text
