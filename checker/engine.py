"""The evaluator: answers + compiled rules -> verdict (answer ids and values, verdict fields:
a stable contract shared by the form, the URL, the CLI and the scenario files)."""

from __future__ import annotations

import json
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from checker import limit as limit_model
from checker.answers import validate_answers
from checker.conditions import Predicate, predicate
from checker.dated import changes_anything, cited_notes, rules_on
from checker.model import Action, CompiledRules, Condition, Effect, Rule
from checker.wording import as_text, display, due_text, layout

KEPT_RULES = 8  # rule sets whose conditions stay prepared (the site build compares two)


@dataclass(frozen=True)
class Prepared:
    """The conditions of one compiled rule set, made into predicates once."""

    ask_when: list[Predicate | None]
    effects: list[tuple[Rule, Effect, Predicate]]
    plan_required: Predicate
    rule_labels: dict[str, str]  # shared by the verdicts, never changed
    guarded: dict[str, dict[Any, list[int]]]
    """Question -> answer -> the effects that can only hold with that answer (by index)."""
    unguarded: list[int]
    """The effects no single answer rules out."""
    limit: dict[str, Predicate | None]
    """The limit model's conditions (``expected``, ``offer``, ``groups``), when declared."""
    rule_order: dict[str, int]
    """Each rule's position in the file."""
    limit_words: limit_model.Fixed | None
    """The limit model's words that depend on the rules only."""

    def candidates(self, known: Mapping[str, Any]) -> list[int]:
        """Indexes, in order, of the effects that may hold with the ``known`` answers: the
        others need an answer that is missing or different, so they cannot be true."""
        found = list(self.unguarded)
        for question, by_answer in self.guarded.items():
            if question in known:
                try:
                    found += by_answer.get(known[question], ())
                except TypeError:  # an unhashable answer: look at every effect
                    return list(range(len(self.effects)))
        return sorted(found)


def _guard(cond: Condition) -> tuple[str, list[Any]] | None:
    """A question and the answers ``cond`` needs to hold: from the condition itself, or
    the first part of an ``all`` that is an ``equals`` or a ``one_of`` (None when there is
    none, or when an answer it lists cannot be looked up)."""
    (kind, arg), = cond.items()
    for part in arg if kind == "all" else [cond]:
        (part_kind, part_arg), = part.items()
        if part_kind in ("equals", "one_of"):
            (question, expected), = part_arg.items()
            answers = list(expected) if part_kind == "one_of" else [expected]
            return (question, answers) if all(isinstance(a, Hashable) for a in answers) else None
    return None


def _index(effects: list[Effect]) -> tuple[dict[str, dict[Any, list[int]]], list[int]]:
    guarded: dict[str, dict[Any, list[int]]] = {}
    unguarded: list[int] = []
    for i, effect in enumerate(effects):
        guard = _guard(effect.when)
        if guard is None:
            unguarded.append(i)
            continue
        by_answer = guarded.setdefault(guard[0], {})
        for answer in dict.fromkeys(guard[1]):  # an answer listed twice: the effect once
            by_answer.setdefault(answer, []).append(i)
    return guarded, unguarded


_prepared: dict[int, tuple[CompiledRules, Prepared]] = {}


def forget_prepared() -> None:
    """Drop every prepared rule set (for a caller done with its rules: the site build)."""
    _prepared.clear()


def prepared(rules: CompiledRules) -> Prepared:
    """The predicates of ``rules``, built on first use (compiled rules are not changed
    in place once evaluated: they come from JSON or from the compiler)."""
    kept = _prepared.get(id(rules))
    if kept is not None and kept[0] is rules:  # held here, so its id cannot be reused
        return kept[1]
    effects = [(rule, effect) for rule in rules.rules for effect in rule.effects]
    model = rules.limit
    conditions = model.conditions if model else {}
    made = Prepared(
        [None if q.ask_when is None else predicate(q.ask_when) for q in rules.questions],
        [(rule, effect, predicate(effect.when)) for rule, effect in effects],
        predicate(rules.plan_required_when),
        {rule.id: rule.label for rule in rules.rules},
        *_index([effect for _, effect in effects]),
        {k: None if c is None else predicate(c) for k, c in conditions.items()},
        {rule.id: i for i, rule in enumerate(rules.rules)},
        limit_model.fixed(rules) if model else None)
    if len(_prepared) >= KEPT_RULES:
        del _prepared[next(iter(_prepared))]
    _prepared[id(rules)] = (rules, made)
    return made


def _as_date(as_of: date | str | None) -> date:
    if as_of is None:
        return date.today()
    if isinstance(as_of, date):
        return as_of
    return date.fromisoformat(as_of)


def relevant_answers(
    rules: CompiledRules, valid: Mapping[str, Any], today: date
) -> tuple[dict[str, Any], list[str], list[str]]:
    """Walk the questions in asking order.

    Returns the answers that are relevant and known, the relevant questions
    still unanswered (``missing``) and the answers given to questions that do
    not apply (``ignored``: never used, so a stale answer cannot leak in).
    """
    parameters, day = rules.parameters, today.isoformat()
    known: dict[str, Any] = {}
    missing: list[str] = []
    ignored: list[str] = []
    for question, ask_when in zip(rules.questions, prepared(rules).ask_when, strict=True):
        qid = question.id
        relevant = True if ask_when is None else ask_when(known, parameters, day)
        if relevant is True:
            if qid in valid:
                known[qid] = valid[qid]
            else:
                missing.append(qid)
        elif relevant is False and qid in valid:
            ignored.append(qid)
    return known, missing, ignored


def applying_effects(rules: CompiledRules, known: Mapping[str, Any],
                     today: date) -> list[tuple[Rule, Effect]]:
    """``(rule, effect)`` of every effect whose condition holds, in the file's order.

    None before the rules come into force (``in_force_from``).
    """
    day = today.isoformat()
    if day < rules.in_force_from:
        return []
    parameters, ready = rules.parameters, prepared(rules)
    effects = ready.effects
    return [effects[i][:2] for i in ready.candidates(known)
            if effects[i][2](known, parameters, day) is True]


def evaluate(rules: CompiledRules, answers: Any, as_of: date | str | None = None) -> dict[str, Any]:
    """Return the verdict for ``answers`` under the compiled ``rules`` on ``as_of``.

    Never raises on bad answers: they are reported in ``errors`` and treated
    as unknown.
    """
    today = _as_date(as_of)
    rules = rules_on(rules, today.isoformat())  # the values and texts of that day
    parameters = rules.parameters
    valid, errors = validate_answers(rules, answers, today.isoformat())
    known, missing, ignored = relevant_answers(rules, valid, today)

    plans: list[str] = []
    permissions: dict[str, bool] = {}
    actions: dict[str, dict[str, Any]] = {}
    reasons: list[dict[str, Any]] = []
    hints: list[str] = []
    action_defs = {a.id: a for a in rules.actions}
    action_order = {a.id: i for i, a in enumerate(rules.actions)}

    for rule, effect in applying_effects(rules, known, today):
        if effect.plan:
            plans.append(effect.plan)
        permissions.update(effect.permissions)
        if effect.action:
            _add_action(actions, action_defs[effect.action], effect.deadline, rule.id)
        reasons.append({"rule": rule.id, "text": effect.explain})
        if effect.hint:
            hints.append(effect.hint)

    plan_required = prepared(rules).plan_required(known, parameters, today.isoformat())
    plan_id = plans[0] if plans and plan_required is not False else None
    plan = rules.plan(plan_id)
    limited = plan is not None and plan.annual_limit_eur is not None
    limit = None
    if rules.limit and today.isoformat() >= rules.in_force_from:
        limit = _apply_limit(rules, known, today.isoformat(), limited, reasons, hints,
                             actions, action_defs)
    labels = prepared(rules).rule_labels
    ordered = sorted(actions.values(), key=lambda a: action_order[a["id"]])
    for action in ordered:
        deadline = action["deadline"]
        action["overdue"] = bool(deadline) and today.isoformat() > deadline
        action["due"] = due_text(deadline, today) if deadline else None
        offered = action.pop("plans", None)  # an action offering plans says how to get them
        if offered:
            action["text"] = limit_model.upgrade_text(rules, action, offered, today.isoformat())

    verdict: dict[str, Any] = {
        "as_of": today.isoformat(),
        "in_force": today.isoformat() >= rules.in_force_from,
        "complete": not missing,
        "missing": missing,
        "errors": errors,
        "ignored": ignored,
        "answers": known,
        "plan": plan_id,
        "plan_name": plan.name if plan else None,
        "annual_limit_eur": plan.annual_limit_eur if plan else None,
        "unlimited_sales": plan.unlimited if plan else None,
        "unlimited_until": limit.lifted_until if limit else None,
        "permissions": permissions,
        "actions": ordered,
        "hints": hints,
        "reasons": reasons,
        "explanation": [f"{r['text']} ({labels[r['rule']]})" for r in reasons],
    }
    verdict["display"] = display(rules, verdict, today, labels, limit)
    if changes_anything(rules):  # what the verdict's figures are about to become
        verdict["display"]["notices"] += cited_notes(rules, today.isoformat(),
                                                     as_text(verdict))
        verdict["display"]["sections"] = layout(verdict, verdict["display"])  # the notes too
    return verdict


def _apply_limit(rules: CompiledRules, known: Mapping[str, Any], day: str, limited: bool,
                 reasons: list[dict[str, Any]], hints: list[str],
                 actions: dict[str, dict[str, Any]],
                 action_defs: Mapping[str, Action]) -> limit_model.LimitState | None:
    """Add what the limit model says for these answers on ``day``: the coordinator's
    sentence about the group's producers, or the limited producer's state, the hint
    below the alert and the upgrade action once the limit is reached."""
    model, ready = rules.limit, prepared(rules)
    words, parameters = ready.limit_words, rules.parameters
    assert model is not None and words is not None  # called only when the rules have one
    groups = ready.limit["groups"]
    if groups is not None and groups(known, parameters, day) is True:
        assert model.groups is not None  # its condition is prepared only when declared
        _insert(rules, reasons, model.groups.rule,
                [limit_model.group_sentence(rules, day, words)])
    if not limited:
        return None
    expected, offer = ready.limit["expected"], ready.limit["offer"]
    state = limit_model.state(
        rules, known, day,
        None if expected is None else expected(known, parameters, day),
        None if offer is None else offer(known, parameters, day), words)
    _insert(rules, reasons, model.rule, limit_model.sentences(state))
    hint = limit_model.hint(state)
    if hint:
        hints.append(hint)
    if state.level == limit_model.REACHED:
        _add_action(actions, action_defs[model.upgrade], None, model.rule)
    return state


def _insert(rules: CompiledRules, reasons: list[dict[str, Any]], rule_id: str,
            texts: list[str]) -> None:
    """Add ``texts`` citing ``rule_id`` where the rules' order puts them: after the
    reasons of that rule and of the rules before it."""
    order = prepared(rules).rule_order
    at = max((i + 1 for i, r in enumerate(reasons) if order[r["rule"]] <= order[rule_id]),
             default=0)
    reasons[at:at] = [{"rule": rule_id, "text": text} for text in texts]


def _add_action(actions: dict[str, dict[str, Any]], definition: Action,
                deadline: str | None, rule_id: str) -> None:
    """Add an action, merging the rules and keeping the earliest deadline."""
    entry = actions.get(definition.id)
    if entry is None:
        entry = actions[definition.id] = {
            "id": definition.id,
            "title": definition.title,
            "text": definition.text,
            "link": definition.link,
            "plans": definition.plans,
            "deadline": None,
            "rules": [],
        }
    if rule_id not in entry["rules"]:
        entry["rules"].append(rule_id)
    if deadline and (entry["deadline"] is None or deadline < entry["deadline"]):
        entry["deadline"] = deadline


def verdict_json(verdict: Mapping[str, Any]) -> str:
    """Serialise a verdict deterministically (same bytes in CPython and Pyodide)."""
    return json.dumps(verdict, ensure_ascii=False, sort_keys=True, indent=2)
