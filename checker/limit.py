"""The yearly sales limit as one model: how it is counted, when it is lifted (the
launch offer), what happens once it is reached, and how to sell beyond it. Every
sentence a verdict or a page says about the limit is composed here, for the day
asked, from the ``limit:`` part of the rules and the plans' availability; no
other text of the rules states blocking on its own (``cagette-rules validate``
refuses it), so the verdict cannot say "blocked" and "without limit" at once.

The model (:class:`checker.model.Limit`, the compiled ``rules.limit``):

- ``rule``: the rule the sentences cite; ``question``: the amount asked;
  ``amount`` and ``alert``: the parameters of the limit and of the early warning;
- ``expected_when``: a condition under which the amount is what the person
  expects to sell (not yet on the platform), so sentences speak of sales to come;
- ``plan``: the limited plan (its name in the sentences);
- ``counts``, ``blocked``, ``until_reset``, ``unaffected``: the support team's words
  for what counts, what blocking does, how long it lasts and what it leaves alone;
- ``launch_offer``: ``until`` (a date, inclusive) and ``when`` (the accounts it
  covers): no blocking until then;
- ``groups``: ``rule`` and ``when``: the coordinators told how the limit affects
  their producers;
- ``upgrade``: the action that lifts the limit (its ``plans`` say which).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from checker.french import format_eur, format_long_date, format_words, lower_first, typeset
from checker.model import CompiledRules, Limit, Plan

UNDER, NEAR, REACHED = "under", "near", "reached"


def _french(**sentences: str) -> dict[str, str]:
    """Sentence templates, typeset once here: what fills them (the rules' compiled texts,
    amounts, dates) is typeset already, so a verdict pays no typesetting of its own."""
    return {key: typeset(text) for key, text in sentences.items()}


SAY = _french(
    blocked_until="{until_reset}, sauf passage à une formule sans limite ({names})",
    offer="Offre de lancement : {which} vend sans limite jusqu'au {end} inclus ; le plafond "
          "de {cap} par an s'applique à partir du {start}.",
    offer_expected="un {plan} ouvert d'ici là",
    offer_made="votre {plan}",
    under="{sales} restent sous le plafond de {cap} par an : le {plan} vous suffit.",
    near_lifted="Attention : {sales_} approchent du plafond de {cap} par an. L'offre de "
                "lancement les laisse sans limite jusqu'au {end} inclus ; à partir du "
                "{start}, elles {future}, {until}.",
    near="Attention : {sales_} approchent du plafond de {cap} par an ; elles {future}, "
         "{until}.",
    reached_lifted_expected="{sales} atteignent le plafond de {cap} par an. Grâce à l'offre "
                            "de lancement, elles seraient sans limite jusqu'au {end} "
                            "inclus ; à partir du {start}, elles seraient bloquées dès le "
                            "plafond atteint, {until}.",
    reached_lifted="{sales} atteignent le plafond de {cap} par an. Grâce à l'offre de "
                   "lancement, elles ne sont pas bloquées jusqu'au {end} inclus ; à partir "
                   "du {start}, elles le seront, {until}.",
    reached_expected="{sales} atteignent le plafond de {cap} par an : avec un {plan}, elles "
                     "{future}, {until}.",
    reached="{sales} atteignent le plafond de {cap} par an : elles sont bloquées {until}.",
    hint="{when} vos ventes hors AMAP atteignaient {cap} sur un an, elles seraient "
         "bloquées {until}.",
    at_limit="Au plafond, {blocked} {until_reset}. {unaffected}",
    at_limit_offer="Offre de lancement : rien n'est bloqué jusqu'au {end} inclus pour les "
                   "comptes qu'elle concerne ; à partir du {start}, au plafond, {blocked} "
                   "{until_reset}. {unaffected}",
    group="Quand un producteur en {plan} atteint son plafond de {cap} par an, {blocked} "
          "{until}. {unaffected}",
    group_offer="Jusqu'au {end} inclus, l'offre de lancement lève le plafond du {plan} pour "
                "les comptes qu'elle concerne ; à partir du {start}, quand un producteur "
                "atteint son plafond de {cap} par an, {blocked} {until}. {unaffected}",
    from_day="possible à partir du {day}",
    since_day="possible depuis le {day}",
    lead="à prévoir environ {lead} à l'avance",
    option="{name} : {how}{when}.",
)
SALES = {True: "Les ventes hors AMAP que vous prévoyez", False: "Vos ventes hors AMAP"}
FUTURE = {True: "seraient bloquées dès qu'elles l'atteindraient",
          False: "seront bloquées dès qu'elles l'atteindront"}


@dataclass(frozen=True)
class LimitState:
    """The limit for one person on one day."""

    limit: float
    alert: float | None
    amount: float | None
    """The answer, or ``None`` while unknown."""
    expected: bool
    """The amount is what the person expects to sell (no sales made yet)."""
    lifted_until: str | None
    """The launch offer's last day when it covers this person on this day."""
    words: Fixed
    """The words of the rules that do not depend on the person."""

    @property
    def level(self) -> str | None:
        """``under``, ``near`` (from the alert), ``reached`` (from the limit), ``None``."""
        if self.amount is None:
            return None
        if self.amount >= self.limit:
            return REACHED
        if self.alert is not None and self.amount >= self.alert:
            return NEAR
        return UNDER


@dataclass(frozen=True)
class Fixed:
    """The limit's words that depend on the rules only (made once per rule set)."""

    plan: str
    """The limited plan's name in a sentence (``compte Découverte``)."""
    until: str
    """How long blocking lasts and how to lift it (``jusqu'à la date anniversaire…``)."""
    cap: str
    """The limit in euros (``1 000 €``)."""


def _model(rules: CompiledRules) -> Limit:
    assert rules.limit is not None, "called only for rules with a limit"
    return rules.limit


def fixed(rules: CompiledRules) -> Fixed:
    """The words of :class:`Fixed` for ``rules``."""
    model = _model(rules)
    plans = {p.id: p.name for p in rules.plans}
    action = next(a for a in rules.actions if a.id == model.upgrade)
    names = format_words((plans[p] for p in action.plans or ()), "ou")
    return Fixed(lower_first(plans[model.plan]),
                 SAY["blocked_until"].format(until_reset=model.until_reset, names=names),
                 format_eur(_value(rules, model.amount)))


def _value(rules: CompiledRules, parameter: str | None) -> Any:
    return None if parameter is None else rules.parameters[parameter].value


def _day_after(iso: str) -> str:
    return format_long_date(date.fromisoformat(iso) + timedelta(days=1))


def lifted_until(model: Limit, covered: bool | None, day: str) -> str | None:
    """The launch offer's last day when it covers the person (``covered``) on ``day``."""
    offer = model.launch_offer
    if offer and covered is True and day <= offer.until:
        return str(offer.until)
    return None


def state(rules: CompiledRules, known: Mapping[str, Any], day: str, expected: bool | None,
          covered: bool | None, words: Fixed) -> LimitState:
    """The limit's state for the ``known`` answers (``expected``/``covered``: the model's
    conditions, evaluated by the caller; ``words``: :func:`fixed` of the rules)."""
    model = _model(rules)
    amount = known.get(model.question)
    return LimitState(_value(rules, model.amount), _value(rules, model.alert),
                      amount, expected is True, lifted_until(model, covered, day), words)


def sentences(limit: LimitState) -> list[str]:
    """What the verdict explains about the limit: the launch offer when it covers the
    person, then where the amount stands, in the tense the day calls for."""
    words: dict[str, str] = {"cap": limit.words.cap, "plan": limit.words.plan}
    said: list[str] = []
    if limit.lifted_until:
        words["end"] = format_long_date(limit.lifted_until)
        words["start"] = _day_after(limit.lifted_until)
        which = SAY["offer_expected" if limit.expected else "offer_made"].format(**words)
        said.append(SAY["offer"].format(which=which, **words))
    level = limit.level
    if level is None:
        return said
    # The amount itself is among the answers shown: a sentence without it is the same for
    # every amount of a range (the decision table merges them).
    sales = SALES[limit.expected]
    words.update(sales=sales, sales_=lower_first(sales), future=FUTURE[limit.expected],
                 until=limit.words.until)
    if level == UNDER:
        key = "under"
    elif level == NEAR:
        key = "near_lifted" if limit.lifted_until else "near"
    elif limit.lifted_until:
        key = "reached_lifted_expected" if limit.expected else "reached_lifted"
    else:
        key = "reached_expected" if limit.expected else "reached"
    said.append(SAY[key].format(**words))
    return said


def hint(limit: LimitState) -> str | None:
    """Below the alert, what would change the answer: reaching the limit."""
    if limit.level != UNDER:
        return None
    when = (f"À partir du {_day_after(limit.lifted_until)}, si" if limit.lifted_until
            else "Si")
    return SAY["hint"].format(when=when, cap=limit.words.cap, until=limit.words.until)


def reached_text(rules: CompiledRules, day: str, offer_applies: bool = True) -> str:
    """What happens once the limit is reached, on ``day``: the launch offer named while
    it runs (``offer_applies``: for whom it is said, the accounts it covers)."""
    model = _model(rules)
    offer = model.launch_offer
    words = {"blocked": model.blocked, "until_reset": model.until_reset,
             "unaffected": model.unaffected}
    if offer and offer_applies and day <= offer.until:
        return SAY["at_limit_offer"].format(end=format_long_date(offer.until),
                                            start=_day_after(offer.until), **words)
    return SAY["at_limit"].format(**words)


def counts_text(rules: CompiledRules, day: str, offer_applies: bool = True) -> str:
    """What counts towards the limit, then :func:`reached_text`."""
    return f"{_model(rules).counts} {reached_text(rules, day, offer_applies)}"


def group_sentence(rules: CompiledRules, day: str, fixed_words: Fixed) -> str:
    """What a coordinator is told about the limit of the producers of the group."""
    model = _model(rules)
    offer = model.launch_offer
    words = {"plan": fixed_words.plan, "cap": fixed_words.cap, "blocked": model.blocked,
             "unaffected": model.unaffected, "until": fixed_words.until}
    if offer and day <= offer.until:
        return SAY["group_offer"].format(end=format_long_date(offer.until),
                                         start=_day_after(offer.until), **words)
    return SAY["group"].format(**words)


def availability(plan: Plan, day: str) -> str | None:
    """When ``plan`` can be obtained, as of ``day``: its first day and the lead time."""
    parts = []
    start = plan.available_from
    if start:
        parts.append(SAY["from_day" if day < start else "since_day"].format(
            day=format_long_date(start)))
    if plan.lead_time:
        parts.append(SAY["lead"].format(lead=plan.lead_time))
    return ", ".join(parts) if parts else None


def upgrade_text(rules: CompiledRules, action: Mapping[str, Any], offered: list[str],
                 day: str) -> str:
    """The action's text (``action``: the verdict's entry) followed by each plan it
    ``offered``: how and when it can be obtained on ``day`` (the prices are listed with
    the verdict)."""
    plans = {p.id: p for p in rules.plans}
    options = []
    for plan_id in offered:
        plan = plans[plan_id]
        when = availability(plan, day)
        options.append(SAY["option"].format(
            name=plan.name, how=lower_first(plan.how_to_get.rstrip(".")),
            when=f" ({when})" if when else ""))
    return " ".join([action["text"], *options])
