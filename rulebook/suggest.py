"""Typo suggestions for the support team's mistakes: a misspelt key, or a French
word written for an English key or value of the rules file."""

from __future__ import annotations

import difflib
from typing import Any

FRENCH_WORDS = {
    "lundi": "monday", "mardi": "tuesday", "mercredi": "wednesday", "jeudi": "thursday",
    "vendredi": "friday", "samedi": "saturday", "dimanche": "sunday",
    "aide": "help", "libellé": "label", "libelle": "label", "titre": "title",
    "texte": "text", "réponse": "answer", "reponse": "answer", "résumé": "summary",
    "resume": "summary", "corps": "body", "lien": "link", "liens": "sources",
    "valeur": "value", "unité": "unit", "unite": "unit", "numéro": "number",
    "numero": "number", "prix": "price", "formule": "plan", "droits": "permissions",
    "quand": "when", "échéance": "deadline", "echeance": "deadline", "début": "start",
    "debut": "start", "fin": "end", "jours": "days", "fuseau": "timezone",
    "producteur": "producer", "coordinateur": "coordinator", "boutique": "shop",
    "avant": "before", "jusqu'au": "until", "le": "on_day", "on": "on_day", "depuis": "from",
    "après": "after", "apres": "after",
}


def suggest(word: Any, options: list[str]) -> str:
    """`` (vouliez-vous dire « x » ?)`` for the option ``word`` most likely meant, or ``""``."""
    if not isinstance(word, str):
        return ""
    translated = FRENCH_WORDS.get(word.strip().lower())
    if translated in options:
        return f" (vouliez-vous dire « {translated} » ?)"
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f" (vouliez-vous dire « {close[0]} » ?)" if close else ""
