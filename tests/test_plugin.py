"""The MkDocs plugin in-process (as mkdocstrings tests its plugin): its options, and a
page added through the registry with one entry and one template."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, PluginError
from mkdocs.structure.files import File

from sitegen import registry, render
from sitegen import site as site_module
from sitegen.context import SiteContext
from sitegen.plugin import RulesPlugin
from tests.sitebuild import make_project

pytestmark = pytest.mark.build


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project")


def test_the_plugin_reads_its_options_from_mkdocs_yml(project: Path) -> None:
    config = load_config(str(project / "mkdocs.yml"))
    plugin = config.plugins["cagette-rules"]
    assert isinstance(plugin, RulesPlugin)
    assert (plugin.config.rules_file, plugin.config.scenarios_file, plugin.config.csp) == (
        "data/rules.yaml", "data/scenarios.yaml", True)


def test_a_wrong_option_is_refused_by_mkdocs(project: Path) -> None:
    text = (project / "mkdocs.yml").read_text(encoding="utf-8")
    (project / "mkdocs.yml").write_text(text.replace(
        "      rules_file: data/rules.yaml", "      rules_file: 3"), encoding="utf-8")
    with pytest.raises(Abort):
        load_config(str(project / "mkdocs.yml"))


def test_a_missing_rules_file_is_a_french_plugin_error(project: Path) -> None:
    (project / "data" / "rules.yaml").unlink()
    config = load_config(str(project / "mkdocs.yml"))
    with pytest.raises(PluginError, match=r"data/rules\.yaml.*introuvable"):
        config.plugins.on_config(config)


@pytest.fixture
def extra_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """One registry entry and one template, removed afterwards."""
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "essai.md.j2").write_text(
        "# Une page de plus\n\n{{ sessions }} sessions ; retour à [l'accueil]({{ link('home') }})."
        "\n", encoding="utf-8")

    def build_essai(ctx: SiteContext, uri: str) -> dict[str, Any]:
        return {"sessions": len(ctx.rules.sessions)}

    monkeypatch.setattr(registry, "PAGES", list(registry.PAGES))
    loaders = list(render._LOADERS)
    registry.register(registry.Page("essai", "essai.md", "Une page de plus", "essai.md.j2",
                                    build_essai, shows=("sessions",)), templates)
    yield templates
    render._LOADERS[:] = loaders


def test_a_page_is_added_with_one_entry_and_one_template(project: Path,
                                                         extra_page: Path) -> None:
    config = load_config(str(project / "mkdocs.yml"))
    build(config)
    site = project / "site"
    page = (site / "essai" / "index.html").read_text(encoding="utf-8")
    assert "Une page de plus" in page and "2 sessions" in page
    assert 'href="../"' in page  # link("home") resolved
    nav = re.findall(r'<a href="([^"#]+)" class="md-nav__link', (site / "index.html")
                     .read_text(encoding="utf-8"))
    assert "essai/" in nav and nav.index("essai/") < nav.index("modifier-le-contenu/")
    guide = (site / "modifier-le-contenu" / "index.html").read_text(encoding="utf-8")
    row = re.search(r"<code>sessions</code>.*?</tr>", guide, re.DOTALL)
    assert row and 'href="../essai/">Une page de plus</a>' in row.group(0)


def test_generated_pages_are_held_once_and_built_whole(project: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """MkDocs keeps each page's Markdown once read: the generated text is let go then."""
    released: list[tuple[str, str]] = []
    release = site_module.release

    def watched(file: File, unread: set[str]) -> None:
        was = file.src_uri in unread
        release(file, unread)
        if was:
            released.append((file.src_uri, file.content_string))

    monkeypatch.setattr(site_module, "release", watched)
    config = load_config(str(project / "mkdocs.yml"))
    build(config)
    plugin = config.plugins["cagette-rules"]
    assert plugin.unread == set()  # every generated page read, once
    uris = [uri for uri, _ in released]
    assert len(uris) == len(set(uris)) > 10 and "index.md" in uris
    assert {text for _, text in released} == {""}
    home = (project / "site" / "index.html").read_text(encoding="utf-8")
    assert "3 novembre 2021" in home  # built from the text read before it was let go
