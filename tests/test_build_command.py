"""``python -m sitegen.build`` (what ``make build`` and ``make serve`` run): the new site
replaces the old one only when the build succeeded, and a failure ends in French.

MkDocs empties ``site/`` before writing the pages: a problem found in a page (here a
broken link in a hand-written page, a warning in strict mode) used to leave it empty.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tests.sitebuild import SITE_BUILD, make_project, run_mkdocs

pytestmark = pytest.mark.build


def snapshot(site: Path) -> dict[str, str]:
    return {str(p.relative_to(site)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


def test_a_page_failure_keeps_the_previous_site_and_says_so_in_french(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    first = run_mkdocs(project, command=SITE_BUILD)
    assert first.returncode == 0, first.stderr
    site = project / "site"
    assert (site / "index.html").is_file() and (site / "404.html").is_file()
    assert not (project / "site.next").exists() and not (project / "site.old").exists()
    before = snapshot(site)

    page = project / "docs" / "faq" / "lien-casse.md"
    page.write_text("# Lien cassé\n\nVoir [la page absente](absente.md).\n", encoding="utf-8")
    failed = run_mkdocs(project, command=SITE_BUILD)
    said = failed.stdout + failed.stderr
    assert failed.returncode == 1
    assert "absente.md" in said  # MkDocs' own report of the problem stays
    assert "Aborted" not in said and "Traceback" not in said
    assert failed.stderr.rstrip().splitlines()[-1] == (
        "La construction du site s'est arrêtée (1 avertissement en mode strict) : rien n'a "
        f"été publié, le site précédent ({site.resolve()}) est resté tel quel. Corrigez les "
        "problèmes ci-dessus, puis relancez-la.")
    assert snapshot(site) == before
    assert not (project / "site.next").exists()

    page.unlink()
    (project / "docs" / "faq" / "nouvelle.md").write_text("# Nouvelle page\n\nBonjour.\n",
                                                        encoding="utf-8")
    again = run_mkdocs(project, command=SITE_BUILD)
    assert again.returncode == 0, again.stderr
    assert (site / "faq" / "nouvelle" / "index.html").is_file()  # the new site, swapped in
    assert not (project / "site.next").exists() and not (project / "site.old").exists()


def test_a_first_build_that_fails_says_there_was_no_site(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    rules = project / "data" / "rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("    unit: eur\n",
                                                               "    unit: euros\n", 1),
                     encoding="utf-8")
    failed = run_mkdocs(project, command=SITE_BUILD)
    assert failed.returncode == 1
    assert "Le fichier de règles contient 1 problème :" in failed.stderr
    assert failed.stderr.rstrip().splitlines()[-1] == (
        "La construction du site s'est arrêtée : rien n'a été publié, aucun site n'avait "
        "encore été construit. Corrigez les problèmes ci-dessus, puis relancez-la.")
    assert not (project / "site").exists() and not (project / "site.next").exists()
