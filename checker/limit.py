"""The yearly sales limit as one model: how it is counted, when it is lifted (the
launch offer), what happens once it is reached, and how to sell beyond it. Every
sentence a verdict or a page says about the limit is composed here, for the day
asked, from the ``limit:`` part of the rules and the plans' availability; no
other text of the rules states blocking on its own (``cagette-rules validate``
refuses it), so the verdict cannot say "blocked" and "without limit" at once.

The model (compiled ``rules["limit"]``):

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

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from checker.french import format_eur, format_long_date, format_words, lower_first, typeset

Rules = Mapping[str, Any]
Holds = Callable[[Mapping[str, Any]], "bool | None"]

UNDER, NEAR, REACHED = "under", "near", "reached"


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
    plan: str
    """The limited plan's name in a sentence (``compte Découverte``)."""

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


def _value(rules: Rules, parameter: str | None) -> Any:
    return None if parameter is None else rules["parameters"][parameter]["value"]


def _day_after(iso: str) -> str:
    return format_long_date(date.fromisoformat(iso) + timedelta(days=1))


def lifted_until(model: Mapping[str, Any], covered: bool | None, day: str) -> str | None:
    """The launch offer's last day when it covers the person (``covered``) on ``day``."""
    offer = model.get("launch_offer")
    if offer and covered is True and day <= offer["until"]:
        return str(offer["until"])
    return None


def state(rules: Rules, known: Mapping[str, Any], day: str,
          expected: bool | None, covered: bool | None) -> LimitState:
    """The limit's state for the ``known`` answers (``expected``/``covered``: the model's
    conditions, evaluated by the caller)."""
    model = rules["limit"]
    amount = known.get(model["question"])
    return LimitState(_value(rules, model["amount"]), _value(rules, model.get("alert")),
                      amount, expected is True, lifted_until(model, covered, day),
                      plan_name(rules))


def plan_name(rules: Rules) -> str:
    """The limited plan's name as a sentence places it (``compte Découverte``)."""
    model = rules["limit"]
    return lower_first(next(p["name"] for p in rules["plans"] if p["id"] == model["plan"]))


def _upgrade_names(rules: Rules) -> str:
    """``Formule PRO ou Formule MEMBRE``: the plans the upgrade action offers."""
    model = rules["limit"]
    action = next(a for a in rules["actions"] if a["id"] == model["upgrade"])
    plans = {p["id"]: p["name"] for p in rules["plans"]}
    return format_words((plans[p] for p in action.get("plans") or ()), "ou")


def _blocked_until(rules: Rules) -> str:
    """``jusqu'à la date anniversaire …, sauf passage à une formule sans limite (…)``."""
    return f"{rules['limit']['until_reset']}, sauf passage à une formule sans limite " \
           f"({_upgrade_names(rules)})"


def sentences(rules: Rules, limit: LimitState) -> list[str]:
    """What the verdict explains about the limit: the launch offer when it covers the
    person, then where the amount stands, in the tense the day calls for."""
    cap = format_eur(limit.limit)
    said: list[str] = []
    end = format_long_date(limit.lifted_until) if limit.lifted_until else ""
    start = _day_after(limit.lifted_until) if limit.lifted_until else ""
    if limit.lifted_until:
        which = (f"un {limit.plan} ouvert d'ici là" if limit.expected
                 else f"votre {limit.plan}")
        said.append(f"Offre de lancement : {which} vend sans limite jusqu'au {end} inclus ; "
                    f"le plafond de {cap} par an s'applique à partir du {start}.")
    level = limit.level
    if level is None:
        return [typeset(s) for s in said]
    # The amount itself is among the answers shown: a sentence without it is the same for
    # every amount of a range (the decision table merges them).
    sales = ("Les ventes hors AMAP que vous prévoyez" if limit.expected
             else "Vos ventes hors AMAP")
    until = _blocked_until(rules)
    future = ("seraient bloquées dès qu'elles l'atteindraient" if limit.expected
              else "seront bloquées dès qu'elles l'atteindront")
    if level == UNDER:
        said.append(f"{sales} restent sous le plafond de {cap} par an : le {limit.plan} "
                    "vous suffit.")
    elif level == NEAR and limit.lifted_until:
        said.append(f"Attention : {lower_first(sales)} approchent du plafond de {cap} par an. "
                    f"L'offre de lancement les laisse sans limite jusqu'au {end} inclus ; à "
                    f"partir du {start}, elles {future}, {until}.")
    elif level == NEAR:
        said.append(f"Attention : {lower_first(sales)} approchent du plafond de {cap} par an ; "
                    f"elles {future}, {until}.")
    elif limit.lifted_until and limit.expected:
        said.append(f"{sales} atteignent le plafond de {cap} par an. Grâce à l'offre de "
                    f"lancement, elles seraient sans limite jusqu'au {end} inclus ; à partir "
                    f"du {start}, elles seraient bloquées dès le plafond atteint, {until}.")
    elif limit.lifted_until:
        said.append(f"{sales} atteignent le plafond de {cap} par an. Grâce à l'offre de "
                    f"lancement, elles ne sont pas bloquées jusqu'au {end} inclus ; à partir "
                    f"du {start}, elles le seront, {until}.")
    elif limit.expected:
        said.append(f"{sales} atteignent le plafond de {cap} par an : avec un {limit.plan}, "
                    f"elles {future}, {until}.")
    else:
        said.append(f"{sales} atteignent le plafond de {cap} par an : elles sont bloquées "
                    f"{until}.")
    return [typeset(s) for s in said]


def hint(rules: Rules, limit: LimitState) -> str | None:
    """Below the alert, what would change the answer: reaching the limit."""
    if limit.level != UNDER:
        return None
    cap = format_eur(limit.limit)
    when = (f"À partir du {_day_after(limit.lifted_until)}, si" if limit.lifted_until
            else "Si")
    return typeset(f"{when} vos ventes hors AMAP atteignaient {cap} sur un an, elles "
                   f"seraient bloquées {_blocked_until(rules)}.")


def reached_text(rules: Rules, day: str, offer_applies: bool = True) -> str:
    """What happens once the limit is reached, on ``day``: the launch offer named while
    it runs (``offer_applies``: for whom it is said, the accounts it covers)."""
    model = rules["limit"]
    offer = model.get("launch_offer")
    reached = (f"Au plafond, {model['blocked']} {model['until_reset']}. "
               f"{model['unaffected']}")
    if offer and offer_applies and day <= offer["until"]:
        reached = (f"Offre de lancement : rien n'est bloqué jusqu'au "
                   f"{format_long_date(offer['until'])} inclus pour les comptes qu'elle "
                   f"concerne ; à partir du {_day_after(offer['until'])}, au plafond, "
                   f"{model['blocked']} {model['until_reset']}. {model['unaffected']}")
    return typeset(reached)


def counts_text(rules: Rules, day: str, offer_applies: bool = True) -> str:
    """What counts towards the limit, then :func:`reached_text`."""
    return typeset(f"{rules['limit']['counts']} {reached_text(rules, day, offer_applies)}")


def group_sentence(rules: Rules, day: str) -> str:
    """What a coordinator is told about the limit of the producers of the group."""
    model = rules["limit"]
    cap = format_eur(_value(rules, model["amount"]))
    offer = model.get("launch_offer")
    plan = plan_name(rules)
    reached = (f"Quand un producteur en {plan} atteint son plafond de {cap} par an, "
               f"{model['blocked']} {_blocked_until(rules)}. {model['unaffected']}")
    if offer and day <= offer["until"]:
        reached = (f"Jusqu'au {format_long_date(offer['until'])} inclus, l'offre de lancement "
                   f"lève le plafond du {plan} pour les comptes qu'elle concerne ; à partir "
                   f"du {_day_after(offer['until'])}, quand un producteur atteint son "
                   f"plafond de {cap} par an, {model['blocked']} {_blocked_until(rules)}. "
                   f"{model['unaffected']}")
    return typeset(reached)


def availability(plan: Mapping[str, Any], day: str) -> str | None:
    """When ``plan`` can be obtained, as of ``day``: its first day and the lead time."""
    parts = []
    start = plan.get("available_from")
    if start and day < start:
        parts.append(f"possible à partir du {format_long_date(start)}")
    elif start:
        parts.append(f"possible depuis le {format_long_date(start)}")
    if plan.get("lead_time"):
        parts.append(f"à prévoir environ {plan['lead_time']} à l'avance")
    return typeset(", ".join(parts)) if parts else None


def upgrade_text(rules: Rules, action: Mapping[str, Any], offered: list[str],
                 day: str) -> str:
    """The action's text followed by each plan it ``offered``: how and when it can be
    obtained on ``day`` (the prices are listed with the verdict)."""
    plans = {p["id"]: p for p in rules["plans"]}
    options = []
    for plan_id in offered:
        plan = plans[plan_id]
        when = availability(plan, day)
        how = plan["how_to_get"].rstrip(".")
        options.append(f"{plan['name']} : {lower_first(how)}" + (f" ({when})" if when else "")
                       + ".")
    return typeset(" ".join([action["text"], *options]))


