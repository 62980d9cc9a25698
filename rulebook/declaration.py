"""The declaration of ``rules.yaml``: typed objects whose fields are the file's
keys, each with its spec and its French description. The one declaration gives
the structural check (French messages with positions), the published JSON
Schema and the typed rules the site, the compiler and the CLI read."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from rulebook.errors import FieldPath, Report
from rulebook.spec import (
    ID_PATTERN,
    Anything,
    Boolean,
    Choice,
    Date,
    Field,
    Id,
    ListOf,
    MapOf,
    Number,
    Obj,
    Spec,
    Text,
    Time,
    Url,
    describe_value,
    key,
    obj_of,
)
from rulebook.suggest import suggest

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
DAY_NAMES = {"monday": "lundi", "tuesday": "mardi", "wednesday": "mercredi",
             "thursday": "jeudi", "friday": "vendredi", "saturday": "samedi",
             "sunday": "dimanche"}
DAYS = list(DAY_NAMES)
UNIT_MEANINGS = {
    "eur": "un montant en euros",
    "eur_ht_per_month": "un prix hors taxes, par mois",
    "count": "un nombre (de producteurs, de jours…)",
    "percent": "un pourcentage",
    "hours": "une durée en heures",
    "months": "une durée en mois",
    "year": "une année",
    "date": "une date, écrite AAAA-MM-JJ",
    "text": "un texte (un nom, un intitulé)",
}
UNITS = list(UNIT_MEANINGS)
COMPARE_MEANINGS = {"greater_than": "strictement plus que", "at_least": "au moins",
                    "less_than": "strictement moins que", "at_most": "au plus"}
COMPARE_OPS = list(COMPARE_MEANINGS)
POSITION_MEANINGS = {"before": "avant ce jour", "until": "jusqu'à ce jour inclus",
                     "on_day": "ce jour-là", "from": "à partir de ce jour",
                     "after": "après ce jour"}
DATE_POSITIONS = list(POSITION_MEANINGS)  # not "on": YAML reads it as true
CONDITION_MEANINGS = {
    "all": "toutes les conditions de la liste", "any": "au moins une condition de la liste",
    "not": "le contraire de la condition", "equals": "une réponse égale à une valeur",
    "one_of": "une réponse parmi plusieurs valeurs",
    "compare": "un montant comparé à un paramètre", "date": "le jour comparé à une date",
}
QUESTION_TYPES = {"choice": "une réponse parmi des choix", "boolean": "oui ou non",
                  "amount": "un montant en euros"}
MORE_DOC = "page écrite à la main qui va plus loin, dans docs/rules/ ou docs/faq/"

Condition = dict[str, Any]  # conditions stay data: the checker evaluates them


class ConditionSpec(Spec):
    """A ``when:`` condition: exactly one of all / any / not / equals / one_of / compare / date."""

    KINDS: ClassVar[list[str]] = list(CONDITION_MEANINGS)

    def __init__(self, definition: bool = False) -> None:
        self.definition = definition  # the one in the JSON Schema's $defs

    def check(self, value: Any, path: FieldPath, report: Report) -> None:
        if not isinstance(value, dict) or len(value) != 1:
            if isinstance(value, dict) and value:
                found = f"trouvé {' et '.join(map(str, value))} ensemble : combinez plusieurs " \
                        "conditions avec « all » (toutes) ou « any » (au moins une)"
            else:
                found = f"trouvé {describe_value(value)}"
            report(path, f"condition attendue : un seul mot parmi {', '.join(self.KINDS)} ; "
                   f"{found}")
            return
        (kind, arg), = value.items()
        sub = (*path, kind)
        if kind in ("all", "any"):
            ListOf(self).check(arg, sub, report)
        elif kind == "not":
            self.check(arg, sub, report)
        elif kind in ("equals", "one_of"):
            if not isinstance(arg, dict) or len(arg) != 1:
                report(sub, f"« {kind} » attend une seule paire question: valeur")
            elif kind == "one_of":
                ListOf(Anything()).check(next(iter(arg.values())), (*sub, next(iter(arg))), report)
        elif kind == "compare":
            COMPARE.check(arg, sub, report)
        elif kind == "date":
            PERIOD.check(arg, sub, report)
        else:
            report(sub, f"type de condition inconnu « {kind} »{suggest(kind, self.KINDS)} ; "
                   f"types possibles : {', '.join(self.KINDS)}")

    def json_schema(self) -> dict[str, Any]:
        ref = {"$ref": "#/$defs/condition"}
        if not self.definition:
            return ref
        single = {"type": "object", "minProperties": 1, "maxProperties": 1}

        def only(kind: str, schema: dict[str, Any]) -> dict[str, Any]:
            return {"type": "object", "required": [kind], "additionalProperties": False,
                    "properties": {kind: schema}}

        return {"oneOf": [
            only("all", {"type": "array", "items": ref, "minItems": 1}),
            only("any", {"type": "array", "items": ref, "minItems": 1}),
            only("not", ref),
            only("equals", single),
            only("one_of", {**single, "additionalProperties": {"type": "array"}}),
            only("compare", COMPARE.json_schema()),
            only("date", PERIOD.json_schema()),
        ]}


class PeriodSpec(Spec):
    """``date:`` of a condition: one or two positions of the day against date parameters."""

    def check(self, value: Any, path: FieldPath, report: Report) -> None:
        positions = ", ".join(DATE_POSITIONS)
        if not isinstance(value, dict) or not 1 <= len(value) <= 2:
            report(path, "« date » attend une ou deux positions par rapport à un paramètre "
                   f"date, par exemple {{until: switch_deadline}} ; positions : {positions}")
            return
        for position, item in value.items():
            if position not in DATE_POSITIONS:
                report((*path, position), f"position « {position} » inconnue"
                       f"{suggest(position, DATE_POSITIONS)} ; positions possibles : {positions}")
            elif isinstance(item, date):
                report((*path, position), "écrivez le nom d'un paramètre de date (par exemple "
                       f"switch_deadline), pas la date {item.isoformat()} elle-même : chaque "
                       "date est écrite une seule fois, sous « parameters »")
            else:
                Id().check(item, (*path, position), report)

    def json_schema(self) -> dict[str, Any]:
        return {"type": "object", "minProperties": 1, "maxProperties": 2,
                "additionalProperties": False,
                "properties": {k: {"type": "string", "pattern": ID_PATTERN}
                               for k in DATE_POSITIONS}}


COMPARE = Obj({
    "question": Field(Id(), doc="question dont la réponse est un montant"),
    "op": Field(Choice(COMPARE_OPS, COMPARE_MEANINGS), doc="comparaison"),
    "parameter": Field(Id(), doc="paramètre auquel comparer"),
})
PERIOD = PeriodSpec()
CONDITION = ConditionSpec()
MARKDOWN = Text(description="Markdown")
PAGE = Text(r"^(rules|faq)/[a-z0-9][a-z0-9_-]*\.md$",
            "écrivez le chemin d'une page de docs/, par exemple faq/plafond-annuel.md")
SLUG = Text(SLUG_PATTERN, "une adresse s'écrit en minuscules sans accents, mots séparés par "
            "« - » (par exemple compte-decouverte)")


def Line() -> Text:
    """A text on one line: a title, a name, a label (it goes into calendars and lists)."""
    return Text(one_line=True)


def listed(model: type, **options: Any) -> ListOf:
    """A list of the mappings ``model`` declares."""
    return ListOf(obj_of(model), **options)


@dataclass(frozen=True, kw_only=True)
class Meta:
    """Title and description of the site."""

    title: str = key(Line(), "titre du site")
    site_name: str = key(Line(), "nom court")
    description: str = key(Text(), "description")
    source_page: str = key(Url(), "page d'origine")
    checker_intro: str = key(Text(), "introduction de la page du vérificateur")


@dataclass(frozen=True, kw_only=True)
class ValueChange:
    """A parameter's new value, from a date on (the values before it are kept)."""

    since: date = key(Date(), "premier jour de la nouvelle valeur, AAAA-MM-JJ")
    value: Any = key(Anything(), "la nouvelle valeur, dans l'unité du paramètre")


@dataclass(frozen=True, kw_only=True)
class Parameter:
    """A figure or a date, written once."""

    label: str = key(Text(), "ce que représente la valeur, en français")
    unit: str = key(Choice(UNITS, UNIT_MEANINGS), "unité : règle le format d'affichage")
    value: Any = key(Anything(), "la valeur, écrite une seule fois ici")
    changes: tuple[ValueChange, ...] | None = key(
        listed(ValueChange), "valeurs suivantes, chacune à partir d'une date (un prix qui "
        "change : l'ancienne valeur reste vraie avant cette date)", required=False)
    description: str | None = key(Text(), "précisions", required=False)


@dataclass(frozen=True, kw_only=True)
class Context:
    """Why the rules changed."""

    title: str = key(Line(), "titre")
    intro: str = key(MARKDOWN, "introduction (Markdown)")
    goals: tuple[str, ...] = key(ListOf(Text()), "objectifs")


@dataclass(frozen=True, kw_only=True)
class ChoiceOption:
    """One answer of a choice question."""

    value: str = key(Id(), "valeur du contrat")
    label: str = key(Line(), "libellé affiché")
    plan: str | None = key(Id(), "formule que cette réponse veut dire que l'on a déjà (refusée "
                           "avant que la formule existe)", required=False)


@dataclass(frozen=True, kw_only=True)
class Question:
    """A question of the checker."""

    id: str = key(Id(), "identifiant stable (contrat du vérificateur)")
    type: str = key(Choice(list(QUESTION_TYPES), QUESTION_TYPES), "type de réponse")
    label: str = key(Line(), "la question posée")
    short: str = key(Line(), "libellé court, pour les conditions")
    help: str | None = key(Text(), "aide affichée sous la question", required=False)
    choices: tuple[ChoiceOption, ...] | None = key(listed(ChoiceOption), "choix (type choice)",
                                                   required=False)
    max: float | None = key(Number(), "montant maximum plausible (type amount)", required=False)
    ask_when: Condition | None = key(CONDITION, "quand poser la question", required=False)


@dataclass(frozen=True, kw_only=True)
class Plan:
    """A plan (formule)."""

    id: str = key(Id(), "identifiant (contrat du vérificateur : « plan » du verdict)")
    name: str = key(Line(), "nom affiché")
    annual_limit: str | None = key(
        Id(), "paramètre du plafond annuel, ou « unlimited » ; absent : pas de vente",
        required=False)
    limit_label: str = key(Line(), "le plafond de ventes, en clair (vérificateur et site)")
    price: str | None = key(Text(), "prix, en clair (absent : les sources n'en donnent pas)",
                            required=False)
    price_yearly: str | None = key(Id(), "paramètre du prix mensuel payé à l'année",
                                   required=False)
    price_monthly: str | None = key(Id(), "paramètre du prix payé au mois", required=False)
    counts: str | None = key(Text(), "ce qui compte dans le plafond (la formule limitée : "
                             "dit par « limit »)", required=False)
    how_to_get: str = key(Text(), "comment l'obtenir (sans date : voir available_from)")
    available_from: str | None = key(Id(), "paramètre date : premier jour où la formule peut "
                                     "être obtenue", required=False)
    lead_time: str | None = key(Id(), "paramètre (mois) : délai à prévoir pour l'obtenir",
                                required=False)
    summary: str = key(Text(), "résumé")
    sources: tuple[str, ...] = key(ListOf(Id(), unique=True), "sources (ids)")


@dataclass(frozen=True, kw_only=True)
class Audience:
    """Who a rule concerns, as the pages name them."""

    id: str = key(Id(), "identifiant")
    label: str = key(Line(), "comment les pages les nomment (« les producteurs »)")


@dataclass(frozen=True, kw_only=True)
class Permission:
    """Something a person may or may no longer do."""

    id: str = key(Id(), "identifiant")
    label: str = key(Line(), "libellé")


@dataclass(frozen=True, kw_only=True)
class Action:
    """Something to do."""

    id: str = key(Id(), "identifiant (contrat du vérificateur)")
    title: str = key(Line(), "titre")
    text: str = key(Text(), "ce qu'il faut faire")
    link: str | None = key(Url(), "lien utile", required=False)
    plans: tuple[str, ...] | None = key(
        ListOf(Id(), unique=True), "formules que l'action propose de choisir (le vérificateur "
        "ajoute comment et à partir de quand les obtenir)", required=False)


@dataclass(frozen=True, kw_only=True)
class Effect:
    """What a rule decides when its condition holds."""

    when: Condition = key(CONDITION, "condition d'application")
    plan: str | None = key(Id(), "formule décidée", required=False)
    permissions: dict[str, bool] | None = key(MapOf(Boolean()), "droits accordés ou retirés",
                                              required=False)
    action: str | None = key(Id(), "action à faire", required=False)
    deadline: str | None = key(Id(), "paramètre date : échéance de l'action", required=False)
    explain: str = key(Text(), "phrase d'explication")
    hint: str | None = key(Text(), "piste : ce qui changerait la réponse", required=False)


@dataclass(frozen=True, kw_only=True)
class LaunchOffer:
    """A period when the limit is lifted."""

    until: str = key(Id(), "paramètre date : dernier jour de l'offre (inclus)")
    when: Condition = key(CONDITION, "profils que l'offre concerne")


@dataclass(frozen=True, kw_only=True)
class GroupsView:
    """The coordinators told how the limit affects the producers of their group."""

    rule: str = key(Id(), "règle citée (id)")
    when: Condition = key(CONDITION, "coordinateurs concernés")


@dataclass(frozen=True, kw_only=True)
class Limit:
    """The yearly sales limit, as one model: the checker words every sentence about it."""

    rule: str = key(Id(), "règle citée par les phrases sur le plafond (id)")
    plan: str = key(Id(), "formule limitée (id)")
    question: str = key(Id(), "question du montant des ventes (id)")
    amount: str = key(Id(), "paramètre du plafond (eur)")
    alert: str | None = key(Id(), "paramètre du seuil d'alerte (eur)", required=False)
    expected_when: Condition | None = key(
        CONDITION, "profils dont le montant est une prévision (pas encore de ventes)",
        required=False)
    counts: str = key(Text(), "ce qui compte dans le plafond, et sur quelle année")
    blocked: str = key(Text(), "ce que fait le blocage, sans verbe au futur ni date (« le "
                       "catalogue n'est plus proposé… »)")
    until_reset: str = key(Text(), "jusqu'à quand dure le blocage (« jusqu'à la date "
                           "anniversaire… »)")
    unaffected: str = key(Text(), "ce que le blocage laisse continuer")
    launch_offer: LaunchOffer | None = key(obj_of(LaunchOffer), "offre de lancement",
                                           required=False)
    groups: GroupsView | None = key(obj_of(GroupsView), "ce que les coordinateurs en lisent",
                                    required=False)
    upgrade: str = key(Id(), "action pour vendre sans limite (id)")
    sources: tuple[str, ...] = key(ListOf(Id(), unique=True), "sources (ids)")


@dataclass(frozen=True, kw_only=True)
class Term:
    """One concept and the one name the site gives it."""

    id: str = key(Id(), "ancre")
    term: str = key(Line(), "le nom retenu")
    definition: str = key(Text(), "ce qu'il veut dire")
    avoid: tuple[str, ...] | None = key(
        ListOf(Text(), unique=True), "autres noms à ne pas écrire (la validation les refuse)",
        required=False)
    sources: tuple[str, ...] = key(ListOf(Id(), unique=True), "sources (ids)")


@dataclass(frozen=True, kw_only=True)
class Rule:
    """One of the new rules."""

    id: str = key(Id(), "identifiant stable (contrat du vérificateur)")
    slug: str | None = key(SLUG, "adresse de la page (par défaut : tirée du titre)",
                           required=False)
    number: int = key(Number(minimum=1, integer=True), "numéro d'ordre")
    title: str = key(Line(), "titre")
    concerns: tuple[str, ...] = key(ListOf(Id(), unique=True), "public (ids de « audiences »)")
    summary: str = key(Text(), "résumé d'une phrase")
    body: str = key(MARKDOWN, "texte de la règle (Markdown)")
    sources: tuple[str, ...] = key(ListOf(Id(), unique=True), "sources (ids)")
    more: str | None = key(PAGE, MORE_DOC, required=False)
    effects: tuple[Effect, ...] = key(listed(Effect), "effets (conditions et conséquences)")


@dataclass(frozen=True, kw_only=True)
class FaqEntry:
    """A question of the FAQ."""

    id: str = key(Id(), "ancre stable")
    question: str = key(Line(), "la question")
    answer: str = key(MARKDOWN, "la réponse (Markdown)")
    rules: tuple[str, ...] = key(ListOf(Id(), unique=True), "règles expliquées (ids)")
    sources: tuple[str, ...] = key(ListOf(Id(), unique=True), "sources de la réponse (ids)")
    more: str | None = key(PAGE, MORE_DOC, required=False)


@dataclass(frozen=True, kw_only=True)
class FaqGroup:
    """A lettered part of a FAQ section."""

    id: str = key(Id(), "ancre")
    title: str = key(Line(), "titre")
    entries: tuple[FaqEntry, ...] = key(listed(FaqEntry), "questions")


@dataclass(frozen=True, kw_only=True)
class FaqSection:
    """A numbered section of the FAQ."""

    id: str = key(Id(), "ancre")
    title: str = key(Line(), "titre")
    entries: tuple[FaqEntry, ...] | None = key(listed(FaqEntry), "questions", required=False)
    groups: tuple[FaqGroup, ...] | None = key(listed(FaqGroup), "sous-parties", required=False)

    def all_entries(self) -> tuple[FaqEntry, ...]:
        """Its questions, then its parts' questions, in reading order."""
        return (*(self.entries or ()), *(e for g in self.groups or () for e in g.entries))


@dataclass(frozen=True, kw_only=True)
class Session:
    """An information session: one-off (``date``) or weekly (``days``, announced only
    over the period the team confirms)."""

    id: str = key(Id(), "identifiant (nom du fichier .ics)")
    title: str = key(Line(), "titre")
    audience: str = key(Line(), "pour qui")
    topics: str = key(Text(), "sujets")
    description: str = key(Text(), "description")
    format: str = key(Line(), "format (visio…)")
    date: date | None = key(Date(), "jour d'une session ponctuelle (pas un jour férié)",
                            required=False)
    days: tuple[str, ...] | None = key(ListOf(Choice(DAYS), unique=True),
                                       "jours d'une session hebdomadaire", required=False)
    confirmed_from: date | None = key(Date(), "premier jour confirmé d'une session "
                                      "hebdomadaire", required=False)
    confirmed_until: date | None = key(Date(), "dernier jour confirmé d'une session "
                                       "hebdomadaire (inclus)", required=False)
    start: str = key(Time(), 'heure de début, "HH:MM"')
    end: str | None = key(Time(), 'heure de fin, "HH:MM" (absente : non précisée ; '
                          "obligatoire pour une session ponctuelle)", required=False)
    timezone: str = key(Line(), "fuseau horaire, Europe/Paris")
    registration_url: str | None = key(
        Url(), "lien d'inscription (absent : la page dit comment s'inscrire)", required=False)
    sources: tuple[str, ...] = key(ListOf(Id(), unique=True), "sources (ids)")


@dataclass(frozen=True, kw_only=True)
class Source:
    """Where a claim comes from."""

    id: str = key(Id(), "identifiant")
    title: str = key(Line(), "titre")
    url: str = key(Url(), "adresse")


@dataclass(frozen=True, kw_only=True)
class Change:
    """A dated entry of the changelog."""

    date: date = key(Date(), "date")
    text: str = key(Text(), "ce qui a changé")


@dataclass(frozen=True, kw_only=True)
class Rules:
    """The whole file."""

    DOC: ClassVar[str] = ("Règles Cagette.net du 3 novembre 2021 : source unique du site et du "
                          "vérificateur")

    meta: Meta = key(obj_of(Meta), "titre et description")
    parameters: dict[str, Parameter] = key(MapOf(obj_of(Parameter)),
                                           "les chiffres et dates, une seule fois")
    context: Context = key(obj_of(Context), "contexte")
    questions: tuple[Question, ...] = key(listed(Question),
                                          "questions du vérificateur, dans l'ordre")
    plan_required_when: Condition = key(CONDITION,
                                        "profils qui reçoivent exactement une formule")
    plans: tuple[Plan, ...] = key(listed(Plan), "formules")
    audiences: tuple[Audience, ...] = key(listed(Audience), "publics des règles")
    permissions: tuple[Permission, ...] = key(listed(Permission), "droits")
    actions: tuple[Action, ...] = key(listed(Action), "actions")
    limit: Limit | None = key(obj_of(Limit), "le plafond annuel de ventes", required=False)
    rules: tuple[Rule, ...] = key(listed(Rule), "les règles")
    faq: tuple[FaqSection, ...] = key(listed(FaqSection), "foire aux questions")
    sessions: tuple[Session, ...] = key(listed(Session), "sessions d'information")
    sources: tuple[Source, ...] = key(listed(Source), "sources")
    glossary: tuple[Term, ...] = key(listed(Term), "lexique : un nom par notion",
                                     required=False)
    changelog: tuple[Change, ...] = key(listed(Change), "historique des changements")

    def faq_entries(self) -> tuple[FaqEntry, ...]:
        """Every FAQ entry, in reading order."""
        return tuple(e for section in self.faq for e in section.all_entries())


ROOT = obj_of(Rules)


def check_structure(data: Any, report: Report) -> None:
    """Report every structural problem of the whole document."""
    ROOT.check(data, (), report)


def typed(data: Any) -> Rules:
    """The typed rules of a structurally checked document."""
    rules = ROOT.build(data)
    assert isinstance(rules, Rules)
    return rules


def json_schema() -> dict[str, Any]:
    """The JSON Schema of ``rules.yaml`` (for editors' completion)."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "rules.schema.json",
        "title": "rules.yaml",
        **ROOT.json_schema(),
        "$defs": {"condition": ConditionSpec(definition=True).json_schema()},
    }


@dataclass(frozen=True)
class ClosedList:
    """The values a field may take (each with what it means), and where it is written."""

    paths: tuple[str, ...]
    values: tuple[tuple[str, str], ...]


def _closed(spec: Spec, path: str) -> Iterator[tuple[str, Choice]]:
    if isinstance(spec, Choice):
        yield path, spec
    elif isinstance(spec, Obj):
        for name, field in spec.fields.items():
            yield from _closed(field.spec, f"{path}.{name}" if path else name)
    elif isinstance(spec, ListOf):
        yield from _closed(spec.item, f"{path}[]")
    elif isinstance(spec, MapOf):
        yield from _closed(spec.value, f"{path}.<id>")
    elif isinstance(spec, ConditionSpec):
        yield "conditions", Choice(ConditionSpec.KINDS, CONDITION_MEANINGS)
        yield "conditions : compare.op", Choice(COMPARE_OPS, COMPARE_MEANINGS)
        yield "conditions : date", Choice(DATE_POSITIONS, POSITION_MEANINGS)


def closed_lists() -> list[ClosedList]:
    """Every closed list of values of ``rules.yaml``, from the declaration (so that the
    editing guide cannot drift from what validation accepts), each list once."""
    found: dict[tuple[str, ...], tuple[list[str], dict[str, str]]] = {}
    for path, choice in _closed(ROOT, ""):
        paths, meanings = found.setdefault(tuple(choice.values), ([], {}))
        if path not in paths:
            paths.append(path)
        meanings.update(choice.meanings or {})
    return [ClosedList(tuple(paths), tuple((v, meanings.get(v, "")) for v in values))
            for values, (paths, meanings) in found.items()]
