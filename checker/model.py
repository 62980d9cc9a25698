"""The compiled rules: one model that the evaluator, the rules toolchain and the site's
pages read as attributes.

``rulebook.compile`` builds it from the validated ``rules.yaml``, once; the browser
receives it as JSON (:func:`to_json`) and reads it back with :func:`from_json`, so that
CPython and Pyodide evaluate the same model. Texts are rendered and typeset; dates are
ISO strings (``2021-11-03``), compared as text; conditions (``when``, ``ask_when``…) stay
the small JSON language :mod:`checker.conditions` reads. A parameter whose value changes
on a date is cited in the texts by a token, filled in for the day asked by
:func:`checker.dated.rules_on`, which gives the model as it reads that day.

In the JSON, a field at its default (``None``, ``False``, nothing listed) is left out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import MISSING, FrozenInstanceError, dataclass, field, fields, is_dataclass
from typing import Any, ClassVar

Condition = Mapping[str, Any]
"""A condition of :mod:`checker.conditions` (``{"equals": {"role": "producer"}}``)."""


class _Model:
    """What every class of the model shares, written once: frozen once made (assigning or
    deleting a field raises ``FrozenInstanceError``, as ``dataclass(frozen=True)`` does),
    equality and hash by fields, and its text. ``dataclass`` would write these methods for
    each of the 13 classes at import (``frozen``, ``eq``, ``repr``): measured in Pyodide,
    about 10 ms more of the checker's start-up on a first visit
    (``python -m bench.checker_python``)."""

    __slots__ = ()
    _sealed = False  # True once __init__ has given every field its value

    def __post_init__(self) -> None:
        object.__setattr__(self, "_sealed", True)

    def __setattr__(self, name: str, value: Any) -> None:
        if self._sealed:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        object.__setattr__(self, name, value)

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, f.name) for f in fields(self))  # type: ignore[arg-type]

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other._values() == self._values()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields(self))  # type: ignore[arg-type]
        return f"{type(self).__name__}({shown})"


frozen_model = dataclass(kw_only=True, repr=False, eq=False)


@frozen_model
class Change(_Model):
    """A parameter's new value from a day on."""

    since: str
    value: Any
    display: str
    """The value as a text says it (``1 500 €``, ``31 décembre 2022``)."""


@frozen_model
class Parameter(_Model):
    """A value the texts and conditions cite: its first value, then its changes."""

    NESTED: ClassVar[dict[str, type]] = {"changes": Change}
    value: Any
    unit: str
    label: str
    display: str
    changes: tuple[Change, ...] = ()


@frozen_model
class Choice(_Model):
    """One answer of a choice question (``plan``: the plan this answer means holding)."""

    value: str
    label: str
    plan: str | None = None


@frozen_model
class Question(_Model):
    """A question of the checker, asked when ``ask_when`` holds (always without it)."""

    NESTED: ClassVar[dict[str, type]] = {"choices": Choice}
    id: str
    type: str
    """``choice``, ``boolean`` or ``amount``."""
    label: str
    short: str
    help: str | None = None
    ask_when: Condition | None = None
    choices: tuple[Choice, ...] | None = None
    """A choice question's answers (``None`` for the other types)."""
    max: float | None = None
    """The largest plausible amount (amount questions)."""

    @property
    def closed_values(self) -> list[Any] | None:
        """Every answer a choice or yes/no question takes, in order; ``None`` for an amount."""
        if self.type == "choice":
            return [c.value for c in self.choices or ()]
        if self.type == "boolean":
            return [True, False]
        return None


@frozen_model
class Plan(_Model):
    """An account plan: its facts, its yearly limit and when it can be obtained."""

    id: str
    name: str
    summary: str
    price: str | None = None
    counts: str | None = None
    how_to_get: str
    annual_limit_eur: float | None = None
    annual_limit_display: str | None = None
    annual_limit_parameter: str | None = None
    """The limit's parameter, when it changes on a date (the limit in force is filled in)."""
    unlimited: bool = False
    sells: bool = False
    """Whether the plan sells at all (no account at all does not)."""
    limit_label: str
    available_from: str | None = None
    lead_time: str | None = None


@frozen_model
class Permission(_Model):
    """Something a person may or may no longer do."""

    id: str
    label: str


@frozen_model
class Action(_Model):
    """Something to do (``plans``: the plans it offers, said with how to get them)."""

    id: str
    title: str
    text: str
    link: str | None = None
    plans: tuple[str, ...] | None = None


@frozen_model
class Effect(_Model):
    """What a rule says when its condition holds."""

    when: Condition
    plan: str | None = None
    permissions: Mapping[str, bool] = field(default_factory=dict)
    action: str | None = None
    deadline: str | None = None
    explain: str
    hint: str | None = None


@frozen_model
class Rule(_Model):
    """A numbered rule, its page's address (``slug``) and its effects in order."""

    NESTED: ClassVar[dict[str, type]] = {"effects": Effect}
    id: str
    number: int
    title: str
    slug: str
    effects: tuple[Effect, ...] = ()

    @property
    def number_title(self) -> str:
        """``2 — Le compte producteur en Formule Découverte``: how a rule is named (the
        navigation lists them so, under "Règles")."""
        return f"{self.number} — {self.title}"

    @property
    def label(self) -> str:
        """``règle 2 — Le compte producteur en Formule Découverte`` (in a sentence)."""
        return f"règle {self.number_title}"


@frozen_model
class LaunchOffer(_Model):
    """No blocking until ``until`` (inclusive) for the accounts ``when`` covers."""

    until: str
    when: Condition


@frozen_model
class Groups(_Model):
    """The coordinators (``when``) told, under ``rule``, how the limit affects producers."""

    rule: str
    when: Condition


@frozen_model
class Limit(_Model):
    """The yearly sales limit as one model (see :mod:`checker.limit`)."""

    NESTED: ClassVar[dict[str, type]] = {"launch_offer": LaunchOffer, "groups": Groups}
    rule: str
    plan: str
    question: str
    amount: str
    """The parameter of the limit."""
    alert: str | None = None
    """The parameter of the early warning."""
    expected_when: Condition | None = None
    counts: str
    blocked: str
    until_reset: str
    unaffected: str
    launch_offer: LaunchOffer | None = None
    groups: Groups | None = None
    upgrade: str

    @property
    def conditions(self) -> dict[str, Condition | None]:
        """The model's conditions by name: ``expected`` (the amount is sales to come),
        ``offer`` (the accounts the launch offer covers), ``groups`` (the coordinators
        told about their producers' limit); ``None`` for one not declared."""
        return {"expected": self.expected_when,
                "offer": self.launch_offer.when if self.launch_offer else None,
                "groups": self.groups.when if self.groups else None}


@frozen_model
class CompiledRules(_Model):
    """The whole model, as the checker reads it."""

    NESTED: ClassVar[dict[str, type]] = {
        "parameters": Parameter, "questions": Question, "plans": Plan,
        "permissions": Permission, "actions": Action, "limit": Limit, "rules": Rule}
    KEYED: ClassVar[frozenset[str]] = frozenset({"parameters"})
    format: int
    title: str
    in_force_from: str
    parameters: Mapping[str, Parameter]
    questions: tuple[Question, ...]
    plan_required_when: Condition
    plans: tuple[Plan, ...]
    permissions: tuple[Permission, ...]
    actions: tuple[Action, ...]
    limit: Limit | None = None
    rules: tuple[Rule, ...]

    def plan(self, plan_id: str | None) -> Plan | None:
        """The plan ``plan_id`` (``None`` when there is none)."""
        return next((p for p in self.plans if p.id == plan_id), None)


def to_json(value: Any) -> Any:
    """``value`` (a model, or anything holding models) as JSON data: a model is an object
    of its fields, those at their default left out."""
    if is_dataclass(value):
        data = {}
        for f in fields(value):
            item = getattr(value, f.name)
            default = f.default_factory() if f.default_factory is not MISSING else f.default
            if item != default:
                data[f.name] = to_json(item)
        return data
    if isinstance(value, tuple | list):
        return [to_json(item) for item in value]
    if isinstance(value, Mapping):
        return {key: to_json(item) for key, item in value.items()}
    return value


def from_json(cls: type[Any], data: Mapping[str, Any]) -> Any:
    """The model ``cls`` read from its JSON data (:func:`to_json`'s)."""
    nested: dict[str, type] = getattr(cls, "NESTED", {})
    values = {}
    for key, item in data.items():
        kind = nested.get(key)
        if kind is None or item is None:
            values[key] = tuple(item) if isinstance(item, list) else item
        elif isinstance(item, list):
            values[key] = tuple(from_json(kind, x) for x in item)
        elif key in getattr(cls, "KEYED", ()):  # models by id
            values[key] = {pid: from_json(kind, x) for pid, x in item.items()}
        else:
            values[key] = from_json(kind, item)
    return cls(**values)


def compiled_rules(data: Mapping[str, Any]) -> CompiledRules:
    """The compiled rules read from their JSON data."""
    return from_json(CompiledRules, data)
