"""Edited copies of the real ``data/rules.yaml`` and temporary git repositories, for
the impact tests (the CLI's and the preview's).

Every edit is an exact substring replacement checked to apply once, so a test
cannot silently compare the file with itself.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from tests.conftest import ROOT, RULES_PATH

RULES_TEXT = RULES_PATH.read_text(encoding="utf-8")

Edit = tuple[str, str]

THRESHOLD_1500: list[Edit] = [("unit: eur\n    value: 1000\n", "unit: eur\n    value: 1500\n")]
SWITCH_DEADLINE_MARCH: list[Edit] = [(
    "(ce jour compte encore)\n    unit: date\n    value: 2022-12-31\n",
    "(ce jour compte encore)\n    unit: date\n    value: 2023-03-31\n",
)]
NEW_ACTION: list[Edit] = [
    ("  - id: hand_over_catalogues\n",
     "  - id: join_info_session\n"
     "    title: Participer à un Point Infos\n"
     "    text: >-\n"
     "      Posez vos questions sur les nouvelles règles lors d'un Point Infos, en visio.\n"
     "  - id: hand_over_catalogues\n"),
    ("          manage_amap_contracts: true\n",
     "          manage_amap_contracts: true\n        action: join_info_session\n"),
]
WORDING: list[Edit] = [("rien d'autre ne change pour vous.", "rien de plus ne change pour vous.")]
BROKEN_THRESHOLD: list[Edit] = [("unit: eur\n    value: 1000\n", "unit: eur\n    value: mille\n")]
BROKEN_RULE_KEY: list[Edit] = [("    slug: charte-producteurs\n    number: 1\n",
                                "    slug: charte-producteurs\n    numbre: 1\n")]


def edited(edits: list[Edit], text: str = RULES_TEXT) -> str:
    """``text`` with each ``(old, new)`` applied; each ``old`` must occur exactly once."""
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    assert edits == [] or text != RULES_TEXT
    return text


def line_of(text: str, needle: str) -> int:
    """1-based line where ``needle`` starts in ``text``."""
    return text[: text.index(needle)].count("\n") + 1


def git(repo: Path, *args: str) -> None:
    """Run git in ``repo`` (identity given here: no global configuration needed)."""
    subprocess.run(["git", "-c", "user.name=Tests", "-c", "user.email=tests@example.org",
                    "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *args],
                   cwd=repo, check=True, capture_output=True)


def commit_rules(repo: Path, committed: str = RULES_TEXT, working: str | None = None,
                 path: str = "data/rules.yaml") -> Path:
    """A git repository in ``repo`` whose ``HEAD`` holds ``committed`` at ``path``, the
    working copy then overwritten with ``working``; returns the rules file."""
    rules = repo / path
    rules.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(ROOT / "docs", repo / "docs", dirs_exist_ok=True)  # pages ``more:`` names
    rules.write_text(committed, encoding="utf-8")
    if not (repo / ".git").exists():
        git(repo, "init", "-q")
    git(repo, "add", path)
    git(repo, "commit", "-q", "-m", "Rules")
    if working is not None:
        rules.write_text(working, encoding="utf-8")
    return rules
LAUNCH_OFFER_MARCH: list[Edit] = [
    ("(ce jour compte encore)\n    unit: date\n    value: 2022-02-01\n",
     "(ce jour compte encore)\n    unit: date\n    value: 2022-03-01\n")]
NEW_QUESTION: list[Edit] = [
    ("\n# The plan applies to every complete profile",
     "  - id: has_newsletter\n"
     "    type: boolean\n"
     "    label: Envoyez-vous une lettre d'information à vos membres ?\n"
     "    short: Lettre d'information\n"
     "    help: Une lettre par courriel, même rare.\n"
     "    ask_when:\n"
     "      equals: {role: coordinator}\n"
     "\n# The plan applies to every complete profile"),
    ("      - when:\n          equals: {group_mode: shop}\n        explain: >-",
     "      - when:\n          equals: {has_newsletter: true}\n"
     "        explain: Annoncez les nouvelles règles dans votre lettre d'information.\n"
     "      - when:\n          equals: {group_mode: shop}\n        explain: >-"),
]
