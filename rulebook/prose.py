"""Checks of the prose of ``rules.yaml``: placeholders, figures written once, and
sentences that stay true on the date they are shown."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from checker.conditions import walk
from rulebook.compile import IN_FORCE
from rulebook.errors import FieldPath, Problem
from rulebook.placeholders import BRACES, COMPUTED, LITERAL, LITERAL_CONTENT, PLACEHOLDER
from rulebook.refs import Refs, dicts

# Fields holding prose that people read (where a figure must be a {{ parameter }}).
PROSE_KEYS = {"title", "site_name", "description", "intro", "goals", "label", "short", "help",
              "summary", "body", "price", "counts", "how_to_get", "limit_label", "text",
              "explain", "hint", "question", "answer", "audience", "topics", "format",
              "blocked", "until_reset", "unaffected", "term", "definition"}
# Not parameters (values), sources or changelog (citations).
PROSE_SECTIONS = {"meta", "context", "questions", "plans", "permissions", "actions", "rules",
                  "faq", "sessions", "limit", "glossary"}
URLS = re.compile(r"https?://\S+|\]\([^)]*\)")
FIGURE = re.compile(r"(?<![\w{])\d+(?:[.,\u00a0\u202f ]\d+)*(?:\s?%)?")
RULE_NUMBER = re.compile(r"(?:règles?|points?)\s$", re.IGNORECASE)
SINGLE_BRACES = re.compile(r"(?<!\{)\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}(?!\})")
# Where a text may use a placeholder computed for the publication date: page prose only.
MARKDOWN_KEYS = {"intro", "body", "answer"}
BLOCKING = re.compile(r"\bbloqu\w*", re.IGNORECASE)
# Parts whose texts are not prose shown as a statement of the rules, or say the limit.
NOT_STATEMENTS = {"limit", "parameters", "sources", "changelog"}
# Texts the checker shows whatever the date: they may not cite a date that will pass.
TIMELESS = (("actions", ("title", "text")),
            ("plans", ("name", "summary", "price", "counts", "how_to_get", "limit_label")),
            ("permissions", ("label",)),
            ("questions", ("label", "short", "help")))


def text_fields(data: Any, path: FieldPath = ()) -> Iterator[tuple[FieldPath, str]]:
    """Every string of the document with its path (placeholders may stand in any)."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from text_fields(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from text_fields(value, (*path, i))
    elif isinstance(data, str):
        yield path, data


def _blank(pattern: re.Pattern[str], text: str) -> str:
    return pattern.sub(lambda m: " " * len(m.group(0)), text)


def check_placeholders(data: dict[str, Any], refs: Refs) -> None:
    """Every ``{{ name }}`` names a parameter; braces are well formed."""
    for path, text in text_fields(data):
        if path and path[0] == "parameters":
            continue
        for match in PLACEHOLDER.finditer(text):
            if match.group(1) in COMPUTED:
                if not isinstance(data.get("limit"), dict):
                    refs.report(path, f"{match.group(0)} est calculé depuis « limit », "
                                "absent de ce fichier", match.group(0))
                elif _key(path) not in MARKDOWN_KEYS:
                    refs.report(path, f"{match.group(0)} est calculé pour la date de "
                                "publication : il ne va que dans un texte de page (body, "
                                "answer, intro), pas dans une phrase du vérificateur",
                                match.group(0))
                continue
            refs.ref(match.group(1), path, "parameters", match.group(0))
        for match in LITERAL.finditer(text):
            if not LITERAL_CONTENT.fullmatch(match.group(1)):
                refs.report(path, f"« {match.group(0)} » : seuls des chiffres s'écrivent "
                            "ainsi (un numéro d'article, une année, un nombre d'éléments) ; "
                            "un montant, un prix, une durée ou une date se déclare sous "
                            "« parameters »", match.group(0))
            elif same := parameter_with_value(match.group(1), refs):
                refs.report(path, _same_value(match.group(0), same, refs), match.group(0))
        rest = _blank(LITERAL, _blank(PLACEHOLDER, text))
        stray = BRACES.search(rest)
        if stray:
            refs.dangling.add("parameters")
            tail = text[stray.start():].split("\n")[0]
            fragment = " ".join(tail.split()[:3])
            refs.report(path, f"accolades mal formées dans « {fragment} » : écrivez "
                        "{{ nom_du_parametre }}", tail[:30])
        for match in SINGLE_BRACES.finditer(rest):
            if match.group(1) in refs.parameters:
                refs.dangling.add("parameters")
                refs.report(path, f"accolades simples « {match.group(0)} » : écrivez "
                            f"{{{{ {match.group(1)} }}}}", match.group(0))


def _dates_cited(text: Any, refs: Refs) -> Iterator[str]:
    """The date parameters a text cites, except the date the rules apply from."""
    if not isinstance(text, str):
        return
    for match in PLACEHOLDER.finditer(text):
        name = match.group(1)
        if name != IN_FORCE and refs.parameters.get(name, {}).get("unit") == "date":
            yield name


def check_dated_texts(effect: dict[str, Any], path: FieldPath, refs: Refs) -> None:
    """A sentence citing a date is true on one side of it only: the effect must say which."""
    guarded = {pid if isinstance(pid, str) else repr(pid)
               for _, kind, arg in walk(effect.get("when"))
               if kind == "date" and isinstance(arg, dict) for pid in arg.values()}
    if any(refs.parameters.get(name, {}).get("unit") != "date" for name in guarded):
        return  # a period against an unknown or non-date parameter: reported already
    for key in ("explain", "hint"):
        for name in _dates_cited(effect.get(key), refs):
            if name not in guarded:
                refs.report((*path, key), f"cette phrase cite la date {{{{ {name} }}}} sans "
                            "dire de quel côté de cette date elle est vraie : ajoutez à "
                            f"« when » une condition « date: {{until: {name}}} » (ou after, "
                            "before, from) et écrivez un autre effet pour l'autre période",
                            f"{{{{ {name} }}}}")


def check_timeless_texts(data: dict[str, Any], refs: Refs) -> None:
    """Texts shown at any date may not cite a date that will pass (or has passed)."""
    for section, keys in TIMELESS:
        for path, item in dicts(data.get(section), (section,)):
            texts: list[tuple[FieldPath, Any]] = [((*path, key), item.get(key)) for key in keys]
            texts += [((*path, "choices", i, "label"), c.get("label"))
                      for i, c in enumerate(item.get("choices") or []) if isinstance(c, dict)]
            for where, text in texts:
                for name in _dates_cited(text, refs):
                    refs.report(where, "ce texte est montré par le vérificateur à toute "
                                f"date : il ne peut pas citer {{{{ {name} }}}}, qui sera un "
                                "jour passée ; écrivez l'échéance dans « deadline » ou la "
                                "phrase dans l'« explain » d'un effet limité à une période",
                                f"{{{{ {name} }}}}")


def _key(path: FieldPath) -> Any:
    """The key a text sits under (the list's key for an item of a list of texts)."""
    return path[-2] if path and isinstance(path[-1], int) else path[-1] if path else None


def check_blocking(data: dict[str, Any], refs: Refs) -> None:
    """Only the limit model says that sales are blocked: it knows the launch offer and
    the day asked, a text written on its own does not."""
    for path, text in text_fields(data):
        if not path or path[0] in NOT_STATEMENTS:
            continue
        match = BLOCKING.search(_blank(URLS, text))
        if match:
            refs.report(path, f"« {match.group(0)} » : ce texte dit le blocage des ventes, "
                        "que le vérificateur formule lui-même depuis « limit », à la date "
                        "demandée (offre de lancement comprise) ; retirez-le, ou dans un "
                        "texte de page écrivez {{ limit_reached }}", match.group(0))


def avoided_names(glossary: Any) -> tuple[re.Pattern[str], dict[str, str]] | None:
    """A pattern of every name the glossary sets aside, and each one's (folded) term."""
    avoided = {name.casefold(): term["term"] for _, term in dicts(glossary, ())
               if isinstance(term.get("term"), str)
               for name in term.get("avoid") or [] if isinstance(name, str)}
    if not avoided:
        return None
    pattern = re.compile("|".join(rf"(?<!\w){re.escape(n)}(?!\w)"
                                  for n in sorted(avoided, key=len, reverse=True)),
                         re.IGNORECASE)
    return pattern, avoided


def name_message(found: str, term: str) -> str:
    """What to write instead of a name the glossary sets aside."""
    return (f"« {found} » : écrivez « {term} », le seul nom de cette notion (lexique, "
            "« glossary »)")


def check_names(data: dict[str, Any], refs: Refs) -> None:
    """One name per concept: the names the glossary sets aside are refused everywhere."""
    names = avoided_names(data.get("glossary"))
    if names is None:
        return
    pattern, terms = names
    for path, text in text_fields(data):
        if not path or path[0] in ("glossary", "parameters", "sources", "changelog"):
            continue
        for match in pattern.finditer(text):
            refs.report(path, name_message(match.group(0), terms[match.group(0).casefold()]),
                        match.group(0))


def page_name_problems(markdown: str, glossary: Any, file: str) -> list[Problem]:
    """The names the glossary sets aside, in a hand-written page (with their positions)."""
    names = avoided_names(glossary)
    if names is None:
        return []
    pattern, terms = names
    problems = []
    for match in pattern.finditer(markdown):
        line = markdown.count("\n", 0, match.start()) + 1
        column = match.start() - markdown.rfind("\n", 0, match.start())
        problems.append(Problem(file, line, column, "", name_message(
            match.group(0), terms[match.group(0).casefold()])))
    return problems


# A figure written as is may not be a fact in disguise: the value of an amount, a price or a
# rate, or of a count or a year too large to be an article's number.
FACT_UNITS = {"eur", "eur_ht_per_month", "percent"}
LARGE = 100


def parameter_with_value(figure: str, refs: Refs) -> str | None:
    """The parameter whose value (first or later) ``figure`` writes, among those a figure
    written as is must not copy (``None`` when none)."""
    try:
        number = float(re.sub(r"[\s\u00a0\u202f]", "", figure).replace(",", "."))
    except ValueError:
        return None
    for pid, param in refs.parameters.items():
        unit = param.get("unit")
        values = [param.get("value"), *(c.get("value") for c in param.get("changes") or ()
                                        if isinstance(c, dict))]
        for value in values:
            if isinstance(value, bool) or not isinstance(value, int | float):
                continue
            if value == number and (unit in FACT_UNITS or value >= LARGE):
                return pid
    return None


def _same_value(figure: str, pid: str, refs: Refs) -> str:
    label = " ".join(str(refs.parameters[pid].get("label", "")).split())
    return (f"« {figure} » est la valeur de « {pid} » ({label}) : écrivez {{{{ {pid} }}}} à "
            "sa place, pour qu'une modification de la valeur change aussi ce texte")


def check_figures(data: dict[str, Any], refs: Refs) -> None:
    """Every figure of the prose is a parameter, so that it is written once."""
    for path, text in text_fields(data):
        if not path or path[0] not in PROSE_SECTIONS:
            continue
        if _key(path) not in PROSE_KEYS:
            continue
        plain = _blank(URLS, _blank(LITERAL, _blank(PLACEHOLDER, text)))
        for match in FIGURE.finditer(plain):
            figure = match.group(0).strip()
            if figure == "0" or RULE_NUMBER.search(plain[:match.start()]):
                continue
            same = parameter_with_value(figure, refs)
            if same:
                refs.report(path, f"chiffre {_same_value(figure, same, refs)}", figure)
                continue
            refs.report(path, f"chiffre « {figure} » écrit dans le texte : déclarez-le une "
                        "fois sous « parameters » et écrivez {{ nom_du_parametre }} à sa "
                        "place (un chiffre écrit deux fois finit par se contredire) ; un "
                        "chiffre qui n'est pas une règle (un numéro d'article, une année "
                        f'dans un titre) s\'écrit {{{{ "{figure}" }}}}', figure)
