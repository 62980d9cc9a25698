"""``cagette-rules impact``: what an edit of the rules changes, situation by situation.

The CLI runs as a real subprocess in a temporary git repository whose ``HEAD``
holds the real ``data/rules.yaml`` and whose working copy holds an edited
copy (never the project's own git state).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from checker.model import CompiledRules
from rulebook.answer_space import Period
from rulebook.describe import AmountRange
from rulebook.impact import impact
from rulebook.loader import load_rules
from rulebook.verdict_diff import NO_DEADLINE
from tests.conftest import ROOT
from tests.impactcases import (
    BROKEN_RULE_KEY,
    BROKEN_THRESHOLD,
    LAUNCH_OFFER_MARCH,
    NEW_ACTION,
    NEW_QUESTION,
    RULES_TEXT,
    SWITCH_DEADLINE_MARCH,
    THRESHOLD_1500,
    WORDING,
    commit_rules,
    edited,
    line_of,
)

CLI = [sys.executable, "-m", "rulebook.cli", "impact"]
CHANGED = 3
TITLE = ("Impact de data/rules.yaml (version de travail) par rapport à HEAD:data/rules.yaml "
         "(référence), à toute date ({} périodes comparées).")


def run(cwd: Path, *args: str, env: dict[str, str] | None = None
        ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], cwd=cwd, capture_output=True, text=True, check=False,
                          env=env)


def plain(text: str) -> str:
    """The report with French no-break spaces as plain spaces (to write expectations)."""
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def impact_of(tmp_path: Path, edits: list[tuple[str, str]], *args: str
              ) -> subprocess.CompletedProcess[str]:
    commit_rules(tmp_path, working=edited(edits))
    return run(tmp_path, *args)


THRESHOLD_REPORT = """\
1 valeur change. Dans le vérificateur : 16 situations sur 22 changent de décision, et 2 autres seulement de mots.

Valeurs qui changent
  • Plafond annuel de ventes hors AMAP du compte Découverte : 1 500 € au lieu de 1 000 €

Décisions qui changent

  • Plafond : « 1 500 € » au lieu de « 1 000 € », dans « Sans limite jusqu'au 1er février 2022 inclus ; ensuite : 1 500 € de ventes par an, hors ventes en AMAP »
    sur 8 situations, du 3 novembre 2021 au 1er février 2022 :
      Producteur ou productrice
        ◦ Vente directe de sa propre production : oui ; Situation sur Cagette.net : « Je ne suis pas encore sur Cagette.net » ou « J'ai mon propre compte Découverte » ; Ventes hors AMAP sur un an : moins de 1 000 €
        ◦ Vente directe de sa propre production : oui ; Situation sur Cagette.net : « Je ne suis pas encore sur Cagette.net » ou « J'ai mon propre compte Découverte » ; Ventes hors AMAP sur un an : 1 000 € ou plus et moins de 1 500 €
        ◦ Vente directe de sa propre production : oui ; Situation sur Cagette.net : « Je ne suis pas encore sur Cagette.net » ou « J'ai mon propre compte Découverte » ; Ventes hors AMAP sur un an : 1 500 € ou plus

  • Plafond : « 1 500 € » au lieu de « 1 000 € », dans « 1 500 € de ventes par an, hors ventes en AMAP »
    sur 16 situations :
      Producteur ou productrice
        ◦ Vente directe de sa propre production : oui ; Situation sur Cagette.net : « Je ne suis pas encore sur Cagette.net » ou « J'ai mon propre compte Découverte » ; Ventes hors AMAP sur un an : moins de 1 000 € — à partir du 2 février 2022
        ◦ Vente directe de sa propre production : oui ; Situation sur Cagette.net : « Je ne suis pas encore sur Cagette.net » ou « J'ai mon propre compte Découverte » ; Ventes hors AMAP sur un an : 1 000 € ou plus et moins de 1 500 € — à partir du 2 février 2022
        ◦ Vente directe de sa propre production : oui ; Situation sur Cagette.net : « Je ne suis pas encore sur Cagette.net » ou « J'ai mon propre compte Découverte » ; Ventes hors AMAP sur un an : 1 500 € ou plus — à partir du 2 février 2022
        ◦ Vente directe de sa propre production : oui ; Situation sur Cagette.net : « Un coordinateur a créé mon catalogue dans son groupe, je n'ai pas de compte producteur à moi » ou « Mes produits sont gérés dans le compte d'un producteur formé qui m'a invité » ; Ventes hors AMAP sur un an : moins de 1 000 € — à partir du 3 novembre 2021
        ◦ Vente directe de sa propre production : oui ; Situation sur Cagette.net : « Un coordinateur a créé mon catalogue dans son groupe, je n'ai pas de compte producteur à moi » ou « Mes produits sont gérés dans le compte d'un producteur formé qui m'a invité » ; Ventes hors AMAP sur un an : 1 000 € ou plus et moins de 1 500 € — à partir du 3 novembre 2021
        ◦ Vente directe de sa propre production : oui ; Situation sur Cagette.net : « Un coordinateur a créé mon catalogue dans son groupe, je n'ai pas de compte producteur à moi » ou « Mes produits sont gérés dans le compte d'un producteur formé qui m'a invité » ; Ventes hors AMAP sur un an : 1 500 € ou plus — à partir du 3 novembre 2021

  • À faire : Choisir la Formule PRO ou la Formule MEMBRE pour vendre sans limite → —
    sur 4 situations, à partir du 3 novembre 2021 :
      Producteur ou productrice
        ◦ Vente directe de sa propre production : oui ; Situation sur Cagette.net : « Je ne suis pas encore sur Cagette.net » ou « J'ai mon propre compte Découverte » ; Ventes hors AMAP sur un an : 1 000 € ou plus et moins de 1 500 €
        ◦ Vente directe de sa propre production : oui ; Situation sur Cagette.net : « Un coordinateur a créé mon catalogue dans son groupe, je n'ai pas de compte producteur à moi » ou « Mes produits sont gérés dans le compte d'un producteur formé qui m'a invité » ; Ventes hors AMAP sur un an : 1 000 € ou plus et moins de 1 500 €

Mêmes décisions, autres mots

  • Explication : « 1 500 € » au lieu de « 1 000 € », dans « Votre groupe est en mode AMAP : vous gardez la gestion de vos contrats AMAP, et les ventes de vos producteurs dans ce groupe ne comptent pas dans le plafond de 1 500 € du compte Découverte. (règle 4 — Coordinateurs de groupe : plus d'autonomie pour vos producteurs) »
    pour 1 situation, à partir du 3 novembre 2021 :
      Coordinateur ou coordinatrice de groupe
        ◦ Mode du groupe : Mode AMAP (contrats)

  • Explication : « 1 500 € » au lieu de « 1 000 € », dans « Votre groupe est en mode boutique : les ventes de vos producteurs en compte Découverte y comptent dans leur plafond de 1 500 € par an. (règle 4 — Coordinateurs de groupe : plus d'autonomie pour vos producteurs) »
    pour 1 situation, à partir du 3 novembre 2021 :
      Coordinateur ou coordinatrice de groupe
        ◦ Mode du groupe : Mode boutique (groupement d'achats, drive, magasin…)

  • Explication : « 1 500 € » au lieu de « 1 000 € », dans « Jusqu'au 1er février 2022 inclus, l'offre de lancement lève le plafond du compte Découverte pour les comptes qu'elle concerne ; à partir du 2 février 2022, quand un producteur atteint son plafond de 1 500 € par an, le catalogue du producteur n'est plus proposé à la commande dans les groupes en mode boutique et il ne peut plus rejoindre de nouvelles distributions jusqu'à la date anniversaire de l'inscription, où le compteur repart à zéro, sauf passage à une formule sans limite (Formule PRO ou Formule MEMBRE). Les contrats AMAP continuent. (règle 4 — Coordinateurs de groupe : plus d'autonomie pour vos producteurs) »
    pour 1 situation, du 3 novembre 2021 au 1er février 2022 :
      Coordinateur ou coordinatrice de groupe
        ◦ Mode du groupe : Mode boutique (groupement d'achats, drive, magasin…)

  • Explication : « 1 500 € » au lieu de « 1 000 € », dans « Quand un producteur en compte Découverte atteint son plafond de 1 500 € par an, le catalogue du producteur n'est plus proposé à la commande dans les groupes en mode boutique et il ne peut plus rejoindre de nouvelles distributions jusqu'à la date anniversaire de l'inscription, où le compteur repart à zéro, sauf passage à une formule sans limite (Formule PRO ou Formule MEMBRE). Les contrats AMAP continuent. (règle 4 — Coordinateurs de groupe : plus d'autonomie pour vos producteurs) »
    pour 1 situation, à partir du 2 février 2022 :
      Coordinateur ou coordinatrice de groupe
        ◦ Mode du groupe : Mode boutique (groupement d'achats, drive, magasin…)
"""  # noqa: E501

SWITCH_REPORT = """\
1 valeur change. Dans le vérificateur : 8 situations sur 18 changent de décision.

Valeurs qui changent
  • Date limite pour basculer sur un compte Découverte (ce jour compte encore) : 31 mars 2023 au lieu de 31 décembre 2022

Décisions qui changent

  • À faire « Ouvrir votre compte Découverte » : « 31 mars 2023 » au lieu de « 31 décembre 2022 », dans « au plus tard le 31 mars 2023 »
    sur 6 situations, du 3 novembre 2021 au 30 décembre 2022 :
      Producteur ou productrice
        ◦ Vente directe de sa propre production : oui ; Situation sur Cagette.net : « Un coordinateur a créé mon catalogue dans son groupe, je n'ai pas de compte producteur à moi » ou « Mes produits sont gérés dans le compte d'un producteur formé qui m'a invité »

  • À faire « Transférer vos catalogues vers votre compte » : « 31 mars 2023 » au lieu de « 31 décembre 2022 », dans « au plus tard le 31 mars 2023 »
    sur 6 situations, du 3 novembre 2021 au 30 décembre 2022 :
      Producteur ou productrice
        ◦ Vente directe de sa propre production : oui ; Situation sur Cagette.net : « Un coordinateur a créé mon catalogue dans son groupe, je n'ai pas de compte producteur à moi » ou « Mes produits sont gérés dans le compte d'un producteur formé qui m'a invité »

  • À faire « Ouvrir votre compte Découverte » : « le 31 mars 2023 » au lieu de « aujourd'hui, 31 décembre 2022 », dans « au plus tard le 31 mars 2023 »
    sur 6 situations, le 31 décembre 2022 :
      Producteur ou productrice
        ◦ Vente directe de sa propre production : oui ; Situation sur Cagette.net : « Un coordinateur a créé mon catalogue dans son groupe, je n'ai pas de compte producteur à moi » ou « Mes produits sont gérés dans le compte d'un producteur formé qui m'a invité »

  • À faire « Transférer vos catalogues vers votre compte » : « le 31 mars 2023 » au lieu de « aujourd'hui, 31 décembre 2022 », dans « au plus tard le 31 mars 2023 »
    sur 6 situations, le 31 décembre 2022 :
      Producteur ou productrice
        ◦ Vente directe de sa propre production : oui ; Situation sur Cagette.net : « Un coordinateur a créé mon catalogue dans son groupe, je n'ai pas de compte producteur à moi » ou « Mes produits sont gérés dans le compte d'un producteur formé qui m'a invité »

  • À faire « Ouvrir votre compte Découverte » : échéance du 31 décembre 2022 dépassée : à faire dès maintenant → au plus tard le 31 mars 2023
    sur 6 situations, du 1er janvier 2023 au 30 mars 2023 :
      Producteur ou productrice
        ◦ Vente directe de sa propre production : oui ; Situation sur Cagette.net : « Un coordinateur a créé mon catalogue dans son groupe, je n'ai pas de compte producteur à moi » ou « Mes produits sont gérés dans le compte d'un producteur formé qui m'a invité »

  • À faire : — → Transférer vos catalogues vers votre compte (au plus tard le 31 mars 2023)
    sur 6 situations, du 1er janvier 2023 au 30 mars 2023 :
      Producteur ou productrice
        ◦ Vente directe de sa propre production : oui ; Situation sur Cagette.net : « Un coordinateur a créé mon catalogue dans son groupe, je n'ai pas de compte producteur à moi » ou « Mes produits sont gérés dans le compte d'un producteur formé qui m'a invité »

  • À faire « Ouvrir votre compte Découverte » : échéance du 31 décembre 2022 dépassée : à faire dès maintenant → au plus tard aujourd'hui, 31 mars 2023
    sur 6 situations, le 31 mars 2023 :
      Producteur ou productrice
        ◦ Vente directe de sa propre production : oui ; Situation sur Cagette.net : « Un coordinateur a créé mon catalogue dans son groupe, je n'ai pas de compte producteur à moi » ou « Mes produits sont gérés dans le compte d'un producteur formé qui m'a invité »

  • À faire : — → Transférer vos catalogues vers votre compte (au plus tard aujourd'hui, 31 mars 2023)
    sur 6 situations, le 31 mars 2023 :
      Producteur ou productrice
        ◦ Vente directe de sa propre production : oui ; Situation sur Cagette.net : « Un coordinateur a créé mon catalogue dans son groupe, je n'ai pas de compte producteur à moi » ou « Mes produits sont gérés dans le compte d'un producteur formé qui m'a invité »

  • À faire « Ouvrir votre compte Découverte » : « 31 mars 2023 » au lieu de « 31 décembre 2022 », dans « échéance du 31 mars 2023 dépassée : à faire dès maintenant »
    sur 6 situations, à partir du 1er avril 2023 :
      Producteur ou productrice
        ◦ Vente directe de sa propre production : oui ; Situation sur Cagette.net : « Un coordinateur a créé mon catalogue dans son groupe, je n'ai pas de compte producteur à moi » ou « Mes produits sont gérés dans le compte d'un producteur formé qui m'a invité »

  • À faire « Ne plus gérer les catalogues d'autres producteurs » : « 31 mars 2023 » au lieu de « 31 décembre 2022 », dans « au plus tard le 31 mars 2023 »
    pour 1 situation, du 3 novembre 2021 au 30 décembre 2022 :
      Producteur ou productrice
        ◦ Vente directe de sa propre production : oui ; Situation sur Cagette.net : J'ai suivi la formation « Développer sa vente directe en ligne » ; Gère les catalogues d'autres producteurs : oui

  • À faire « Ne plus gérer les catalogues d'autres producteurs » : « le 31 mars 2023 » au lieu de « aujourd'hui, 31 décembre 2022 », dans « au plus tard le 31 mars 2023 »
    pour 1 situation, le 31 décembre 2022 :
      Producteur ou productrice
        ◦ Vente directe de sa propre production : oui ; Situation sur Cagette.net : J'ai suivi la formation « Développer sa vente directe en ligne » ; Gère les catalogues d'autres producteurs : oui

  • À faire « Ne plus gérer les catalogues d'autres producteurs » : échéance du 31 décembre 2022 dépassée : à faire dès maintenant → au plus tard le 31 mars 2023
    pour 1 situation, du 1er janvier 2023 au 30 mars 2023 :
      Producteur ou productrice
        ◦ Vente directe de sa propre production : oui ; Situation sur Cagette.net : J'ai suivi la formation « Développer sa vente directe en ligne » ; Gère les catalogues d'autres producteurs : oui

  • À faire « Ne plus gérer les catalogues d'autres producteurs » : échéance du 31 décembre 2022 dépassée : à faire dès maintenant → au plus tard aujourd'hui, 31 mars 2023
    pour 1 situation, le 31 mars 2023 :
      Producteur ou productrice
        ◦ Vente directe de sa propre production : oui ; Situation sur Cagette.net : J'ai suivi la formation « Développer sa vente directe en ligne » ; Gère les catalogues d'autres producteurs : oui

  • À faire « Ne plus gérer les catalogues d'autres producteurs » : « 31 mars 2023 » au lieu de « 31 décembre 2022 », dans « échéance du 31 mars 2023 dépassée : à faire dès maintenant »
    pour 1 situation, à partir du 1er avril 2023 :
      Producteur ou productrice
        ◦ Vente directe de sa propre production : oui ; Situation sur Cagette.net : J'ai suivi la formation « Développer sa vente directe en ligne » ; Gère les catalogues d'autres producteurs : oui

  • À faire « Faire reprendre par vos producteurs les catalogues que vous avez créés » : « 31 mars 2023 » au lieu de « 31 décembre 2022 », dans « au plus tard le 31 mars 2023 »
    pour 1 situation, du 3 novembre 2021 au 30 décembre 2022 :
      Coordinateur ou coordinatrice de groupe
        ◦ Mode du groupe : Mode boutique (groupement d'achats, drive, magasin…)

  • À faire « Faire reprendre par vos producteurs les catalogues que vous avez créés » : « le 31 mars 2023 » au lieu de « aujourd'hui, 31 décembre 2022 », dans « au plus tard le 31 mars 2023 »
    pour 1 situation, le 31 décembre 2022 :
      Coordinateur ou coordinatrice de groupe
        ◦ Mode du groupe : Mode boutique (groupement d'achats, drive, magasin…)

  • À faire : — → Faire reprendre par vos producteurs les catalogues que vous avez créés (au plus tard le 31 mars 2023)
    pour 1 situation, du 1er janvier 2023 au 30 mars 2023 :
      Coordinateur ou coordinatrice de groupe
        ◦ Mode du groupe : Mode boutique (groupement d'achats, drive, magasin…)

  • À faire : — → Faire reprendre par vos producteurs les catalogues que vous avez créés (au plus tard aujourd'hui, 31 mars 2023)
    pour 1 situation, le 31 mars 2023 :
      Coordinateur ou coordinatrice de groupe
        ◦ Mode du groupe : Mode boutique (groupement d'achats, drive, magasin…)

Mêmes décisions, autres mots

  • Explication : « 31 mars 2023 » au lieu de « 31 décembre 2022 », dans « La période prévue pour que vos producteurs reprennent les catalogues créés pour eux s'est terminée le 31 mars 2023 ; un producteur qui n'a pas encore son compte Découverte l'ouvre lui-même, et vous pouvez l'y aider. (règle 4 — Coordinateurs de groupe : plus d'autonomie pour vos producteurs) »
    pour 1 situation, à partir du 1er avril 2023 :
      Coordinateur ou coordinatrice de groupe
        ◦ Mode du groupe : Mode boutique (groupement d'achats, drive, magasin…)
"""  # noqa: E501


def test_raising_the_threshold_reports_every_situation_it_changes(tmp_path: Path) -> None:
    result = impact_of(tmp_path, THRESHOLD_1500)
    assert result.returncode == CHANGED, result.stderr
    assert plain(result.stdout) == f"{TITLE.format(7)}\n{THRESHOLD_REPORT}"
    assert "1\u202f000\u00a0€ → " not in result.stdout  # amounts keep French typography
    assert "1\u202f500\u00a0€ de ventes par an" in result.stdout


def test_moving_the_switch_deadline_reports_each_period_it_splits(tmp_path: Path) -> None:
    result = impact_of(tmp_path, SWITCH_DEADLINE_MARCH)
    assert result.returncode == CHANGED, result.stderr
    assert plain(result.stdout) == f"{TITLE.format(9)}\n{SWITCH_REPORT}"


def test_a_new_action_is_reported_where_it_applies(tmp_path: Path) -> None:
    result = impact_of(tmp_path, NEW_ACTION)
    assert result.returncode == CHANGED, result.stderr
    assert plain(result.stdout) == TITLE.format(7) + """
1 situation sur 18 change de décision.

Décisions qui changent

  • À faire : — → Participer à un Point Infos
    pour 1 situation, à partir du 3 novembre 2021 :
      Coordinateur ou coordinatrice de groupe
        ◦ Mode du groupe : Mode AMAP (contrats)
"""


def test_a_wording_edit_is_reported_apart_from_decisions(tmp_path: Path) -> None:
    result = impact_of(tmp_path, WORDING)
    assert result.returncode == CHANGED, result.stderr
    assert plain(result.stdout) == TITLE.format(7) + """
Aucune décision ne change ; 1 situation sur 18 change seulement de mots.

Mêmes décisions, autres mots

  • Explication : « de plus » au lieu de « d'autre », dans « Vous ne gérez pas d'autres producteurs : rien de plus ne change pour vous. (règle 5 — Les producteurs déjà formés) »
    pour 1 situation, à partir du 3 novembre 2021 :
      Producteur ou productrice
        ◦ Vente directe de sa propre production : oui ; Situation sur Cagette.net : J'ai suivi la formation « Développer sa vente directe en ligne » ; Gère les catalogues d'autres producteurs : non
"""  # noqa: E501


def test_a_new_question_shows_who_is_asked_it(tmp_path: Path) -> None:
    result = impact_of(tmp_path, NEW_QUESTION, "--as-of", "2022-06-01")
    assert result.returncode == CHANGED, result.stderr
    text = plain(result.stdout)
    assert text.endswith("""
6 situations sur 22 changent de décision.

Décisions qui changent

  • Questions restantes : — → « Lettre d'information »
    sur 2 situations, le 1er juin 2022 :
      Coordinateur ou coordinatrice de groupe
        ◦ Quelles que soient les autres réponses

  • Réponses refusées : Question inconnue : « has_newsletter ». Questions possibles : role, direct_seller, account, sales_outside_amap_eur, manages_other_producers, group_mode. → —
    sur 4 situations, le 1er juin 2022 :
      Coordinateur ou coordinatrice de groupe
        ◦ Lettre d'information : « oui » ou « non »
""")  # noqa: E501


def test_no_edit_changes_nothing_and_exits_0(tmp_path: Path) -> None:
    result = impact_of(tmp_path, [])
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{TITLE.format(7)}\nAucune des 18 situations ne change.\n"


def test_as_of_compares_that_day_only(tmp_path: Path) -> None:
    result = impact_of(tmp_path, SWITCH_DEADLINE_MARCH, "--as-of", "2023-01-15")
    assert result.returncode == CHANGED, result.stderr
    text = plain(result.stdout)
    assert ("(référence), au 15 janvier 2023.\n1 valeur change. Dans le vérificateur : "
            "8 situations sur 18 changent de décision.") in text
    periods = set(re.findall(r"^ +(?:sur \d+ situations|pour 1 situation), (.*) :$", text,
                             re.MULTILINE))
    assert periods == {"le 15 janvier 2023"}
    assert ("À faire « Ouvrir votre compte Découverte » : échéance du 31 décembre "
            "2022 dépassée : à faire dès maintenant → au plus tard le 31 mars 2023") in text
    before = impact_of(tmp_path / "again", SWITCH_DEADLINE_MARCH, "--as-of", "2021-06-01")
    assert before.returncode == CHANGED  # the value changes, whatever the day
    # The rules were not in force yet: no verdict changes. Neither the Découverte account
    # nor PRO exists yet: they are not among the answers.
    assert ("au 1er juin 2021.\n1 valeur change. Dans le vérificateur : aucune des 8 "
            "situations ne change.") in plain(before.stdout)


def test_json_is_the_documented_structure(tmp_path: Path) -> None:
    result = impact_of(tmp_path, THRESHOLD_1500, "--json")
    assert result.returncode == CHANGED, result.stderr
    report = json.loads(result.stdout)
    assert set(report) == {"format", "baseline", "working", "as_of", "periods", "situations",
                           "changed", "title", "summary", "changes", "values", "texts"}
    assert (report["format"], report["baseline"], report["working"], report["as_of"]) == (
        1, "HEAD:data/rules.yaml", "data/rules.yaml", None)
    assert report["changed"] == {"decisions": 16, "words": 2, "values": 1, "texts": 0}
    assert report["situations"] == 22 and report["texts"] == []
    assert report["values"] == [{
        "label": "Plafond annuel de ventes hors AMAP du compte Découverte",
        "before": "1\u202f000\u00a0€", "after": "1\u202f500\u00a0€", "since": None, "until": None,
        "text": "Plafond annuel de ventes hors AMAP du compte Découverte\u00a0: 1\u202f500\u00a0€ "
                "au lieu de 1\u202f000\u00a0€"}]
    assert [p["label"] for p in report["periods"]][:2] == ["jusqu'au 2 novembre 2021",
                                                           "le 3 novembre 2021"]
    # 1 200 € is a situation of its own: over the old threshold, under the new one.
    # (Découverte accounts, whose launch offer ended on 1 February 2022.)
    between = [c for c in report["changes"] if c["situation"][-1].get("range") ==
               {"low": ["ge", 1000], "high": ["lt", 1500]} and c["period"]["last"] is None
               and "discovery" in c["situation"][2]["values"]]
    (change,) = between
    assert change["kind"] == "decision" and change["period"]["first"] == "2022-02-02"
    assert 1000 <= change["example"]["answers"]["sales_outside_amap_eur"] < 1500
    removed = [line for line in change["lines"] if line["field"] == "action:upgrade_for_unlimited"]
    assert removed == [{"field": "action:upgrade_for_unlimited", "heading": "À faire",
                        "before": "Choisir la Formule PRO ou la Formule MEMBRE pour vendre "
                                  "sans limite", "after": None,
                        "text": "À faire : Choisir la Formule PRO ou la Formule MEMBRE pour "
                                "vendre sans limite → —"}]
    words = [c for c in report["changes"] if c["kind"] == "words"]
    assert {c["role"] for c in words} == {"Coordinateur ou coordinatrice de groupe"}
    assert all(line["field"] == "words:reasons" for c in words for line in c["lines"])


def test_json_deadline_lines_carry_the_verdicts_due_wording(tmp_path: Path) -> None:
    report = json.loads(impact_of(tmp_path, SWITCH_DEADLINE_MARCH, "--json").stdout)
    first = report["changes"][0]
    assert first["period"] == {"first": "2021-11-03", "last": "2022-12-30",
                               "label": "du 3 novembre 2021 au 30 décembre 2022"}
    assert [v for s in first["situation"] if s["question"] == "account"
            for v in s["values"]] == ["group_catalogue", "invited"]
    (line, _) = first["lines"]
    assert (line["field"], line["before"], line["after"]) == (
        "action:open_discovery_account", "au plus tard le 31 décembre 2022",
        "au plus tard le 31 mars 2023")


def test_the_working_copy_is_compared_with_a_file(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "docs", tmp_path / "docs")  # the pages ``more:`` points to
    (tmp_path / "before.yaml").write_text(RULES_TEXT, encoding="utf-8")
    (tmp_path / "after.yaml").write_text(edited(NEW_ACTION), encoding="utf-8")
    result = run(tmp_path, "--rules", "after.yaml", "--against", "before.yaml")
    assert result.returncode == CHANGED, result.stderr
    assert result.stdout.startswith("Impact de after.yaml (version de travail) par rapport à "
                                    "before.yaml (référence)")
    assert "À faire : — → Participer à un Point Infos" in result.stdout
    same = run(tmp_path, "--rules", "before.yaml", "--against", "before.yaml")
    assert same.returncode == 0 and "Aucune des 18 situations ne change." in same.stdout


def test_another_revision_is_compared_with_against(tmp_path: Path) -> None:
    rules = commit_rules(tmp_path)
    commit_rules(tmp_path, committed=edited(NEW_ACTION))
    assert run(tmp_path).returncode == 0  # HEAD is the new action: nothing to compare
    result = run(tmp_path, "--against", "HEAD~1")
    assert result.returncode == CHANGED, result.stderr
    assert "par rapport à HEAD~1:data/rules.yaml (référence)" in result.stdout
    assert "À faire : — → Participer à un Point Infos" in result.stdout
    # Run from a subfolder with a path to the rules: git still reads from the repository root.
    sub = tmp_path / "docs"
    sub.mkdir(exist_ok=True)
    assert run(sub, "--rules", str(rules), "--against", "HEAD~1").returncode == CHANGED


def test_a_broken_baseline_is_named_and_located(tmp_path: Path) -> None:
    broken = edited(BROKEN_THRESHOLD)
    commit_rules(tmp_path, committed=broken, working=RULES_TEXT)
    result = run(tmp_path)
    assert result.returncode == 2
    line = line_of(broken, "value: mille")
    assert result.stderr.startswith(
        "La version de référence (HEAD:data/rules.yaml) contient 1 problème :\n"
        f"  HEAD:data/rules.yaml:{line}:5: [parameters.discovery_annual_limit_eur.value] ")
    assert "Elle ne peut pas servir de comparaison" in result.stderr
    assert "Votre version de travail" not in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_a_broken_working_copy_is_named_and_located(tmp_path: Path) -> None:
    broken = edited(BROKEN_RULE_KEY)
    commit_rules(tmp_path, working=broken)
    result = run(tmp_path)
    assert result.returncode == 2
    line = line_of(broken, "    numbre: 1")
    assert result.stderr.startswith(
        "Votre version de travail (data/rules.yaml) contient 1 problème :\n"
        f"  data/rules.yaml:{line}:5: [rules[0].numbre] clé inconnue « numbre »")
    assert "La version de référence" not in result.stderr
    assert "Traceback" not in result.stderr


def test_both_sides_broken_are_both_reported(tmp_path: Path) -> None:
    commit_rules(tmp_path, committed=edited(BROKEN_THRESHOLD), working=edited(BROKEN_RULE_KEY))
    result = run(tmp_path)
    assert result.returncode == 2
    assert "Votre version de travail (data/rules.yaml) contient 1 problème" in result.stderr
    assert "La version de référence (HEAD:data/rules.yaml) contient 1 problème" in result.stderr


def test_git_problems_are_explained_in_french(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "rules.yaml").write_text(RULES_TEXT, encoding="utf-8")
    no_repo = run(outside, "--rules", "rules.yaml")
    assert no_repo.returncode == 2
    assert "n'est pas dans un dépôt git" in no_repo.stderr
    assert "--against FICHIER" in no_repo.stderr

    repo = tmp_path / "repo"
    commit_rules(repo, path="README.md")
    commit_rules(repo)
    unknown = run(repo, "--against", "v-nope")
    assert unknown.returncode == 2
    assert "« v-nope » n'est ni un fichier ni une révision connue du dépôt git" in unknown.stderr
    absent = run(repo, "--against", "HEAD~1")
    assert absent.returncode == 2
    assert ("Le fichier « data/rules.yaml » n'existe pas dans la révision « HEAD~1 »"
            in absent.stderr)
    option = run(repo, "--against=--output=x")
    assert option.returncode == 2 and not (repo / "x").exists()

    no_git = run(repo, env={**os.environ, "PATH": str(tmp_path / "empty")})
    assert no_git.returncode == 2
    assert "git est introuvable" in no_git.stderr
    for result in (no_repo, unknown, absent, option, no_git):
        assert "Traceback" not in result.stderr and result.stdout == ""


def test_the_editing_guide_shows_the_real_output(tmp_path: Path) -> None:
    """The example pasted in "Modifier le contenu" is what the command prints today."""
    guide = (ROOT / "sitegen" / "templates" / "editing.md.j2").read_text(encoding="utf-8")
    example = re.search(r"```text\n\$ \.venv/bin/cagette-rules impact (.*?)\n(.*?)```", guide,
                        re.DOTALL)
    assert example, "exemple introuvable dans le guide"
    result = impact_of(tmp_path, SWITCH_DEADLINE_MARCH, *example.group(1).split())
    assert result.returncode == CHANGED, result.stderr
    assert result.stdout == example.group(2)


def test_usage_errors_exit_2() -> None:
    result = run(Path.cwd(), "--as-of", "demain")
    assert result.returncode == 2 and "date invalide « demain »" in result.stderr


# --- in process: the comparison itself ----------------------------------------------------


def test_identical_rules_change_nothing_on_any_day(compiled: CompiledRules) -> None:
    same = impact(compiled, compiled)
    assert not same.changed and same.changes == []
    assert same.situations == 18 and len(same.periods) == 7
    assert impact(compiled, compiled, as_of=date(2022, 6, 1)).periods[0].label() == (
        "le 1er juin 2022")


def test_both_files_thresholds_are_sampled(tmp_path: Path, compiled: CompiledRules) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(edited(THRESHOLD_1500), encoding="utf-8")
    raised = load_rules(path).compiled
    for before, after in ((compiled, raised), (raised, compiled)):
        result = impact(before, after, as_of=date(2022, 6, 1))
        upgrade = [c for c in result.changes
                   if any(line.field == "action:upgrade_for_unlimited" for line in c.lines)]
        assert [dict(c.answers)["sales_outside_amap_eur"] for c in upgrade] == [
            AmountRange(("ge", 1000), ("lt", 1500))]
        assert 1000 <= upgrade[0].example["answers"]["sales_outside_amap_eur"] < 1500


def test_both_files_dates_cut_the_periods(tmp_path: Path, compiled: CompiledRules) -> None:
    """A date only the baseline has still splits time (and one only the working copy has)."""
    path = tmp_path / "rules.yaml"
    path.write_text(edited(LAUNCH_OFFER_MARCH), encoding="utf-8")
    moved = load_rules(path).compiled
    february = Period(date(2022, 2, 2), date(2022, 2, 28))
    for before, after in ((compiled, moved), (moved, compiled)):
        result = impact(before, after)
        assert february in result.periods
        lines = [line.text() for c in result.changes if c.period.contains(date(2022, 2, 15))
                 for line in c.lines]
        assert any("Sans limite jusqu'au 1er mars 2022" in line for line in lines)


@pytest.mark.parametrize("edits", [THRESHOLD_1500, SWITCH_DEADLINE_MARCH, NEW_ACTION, WORDING,
                                   LAUNCH_OFFER_MARCH])
def test_every_reported_change_is_what_the_checker_says(tmp_path: Path, compiled: CompiledRules,
                                                        edits: list[tuple[str, str]]) -> None:
    """Each change's example, evaluated again by each file, shows its "avant" and "après":
    the report words no verdict itself."""
    from checker import evaluate

    path = tmp_path / "rules.yaml"
    path.write_text(edited(edits), encoding="utf-8")
    after = load_rules(path).compiled
    result = impact(compiled, after)
    assert result.changes
    for change in result.changes:
        day = change.example["as_of"]
        old = evaluate(compiled, change.example["answers"], as_of=day)
        new = evaluate(after, change.example["answers"], as_of=day)
        texts = [json.dumps(v, ensure_ascii=False) for v in (old, new)]
        for line in change.lines:
            for side, text in zip((line.before, line.after), texts, strict=True):
                if side not in (None, NO_DEADLINE):  # the one value worded here
                    assert json.dumps(side, ensure_ascii=False)[1:-1] in text, (side, change)
