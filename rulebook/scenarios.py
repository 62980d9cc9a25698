"""Golden rule scenarios (``data/scenarios.yaml``), OpenFisca style, and the
invariants every verdict must keep.

Each scenario has a ``name``, an ``as_of`` date, ``answers`` and the
``expected`` verdict fields. Fields compared as they are: ``plan``,
``complete``, ``missing``, ``annual_limit_eur``, ``unlimited_sales``,
``unlimited_until``, ``permissions``, ``ignored``, ``in_force``. Fields compared
by id: ``actions`` (ordered list of action ids), ``overdue`` (ids of overdue
actions), ``deadlines`` (action id -> date), ``errors`` (question ids with an
error), ``rules`` (ids of the rules the explanation cites, in order, without
repeats), ``hints`` (how many). Words: ``says`` (texts the verdict must show)
and ``never_says`` (texts it must not show), matched in the verdict as text
(:func:`checker.as_text`), spaces of any kind counting as one, and
``{{ parameter }}`` written as in the rules.

An invariant (``invariants:``) has a ``name``, a ``when`` condition (the
rules' condition language, ``date:`` included) and ``says``/``never_says``: it
is checked on every complete profile of the answer space, on every period.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from checker import as_text, evaluate
from checker.conditions import predicate
from checker.dated import rules_on
from checker.engine import applying_effects
from checker.french import format_long_date
from checker.model import CompiledRules
from rulebook.answer_space import (
    boundary_dates,
    period_of,
    periods,
    profiles_by_period,
    thresholds,
)
from rulebook.declaration import CONDITION
from rulebook.errors import FieldPath, Problem, RulesError
from rulebook.relative import (
    is_relative,
    render_text,
    resolve_all,
    shape_problem,
    text_problems,
)
from rulebook.yamlload import LoadedYaml, load_yaml

DIRECT_FIELDS = ("plan", "complete", "missing", "annual_limit_eur", "unlimited_sales",
                 "unlimited_until", "permissions", "ignored", "in_force")
DERIVED_FIELDS = ("actions", "overdue", "deadlines", "errors", "rules", "hints")
WORD_FIELDS = ("says", "never_says")
EXPECTED_FIELDS = DIRECT_FIELDS + DERIVED_FIELDS + WORD_FIELDS
ALLOWED_KEYS = {"name", "as_of", "answers", "expected", "note"}
INVARIANT_KEYS = {"name", "when", "says", "never_says", "note"}
CENT = 0.01
SUBJECT = "Le fichier des scénarios"  # how its reports begin


@dataclass(frozen=True)
class Scenario:
    """One golden case, with the line where it starts in its file."""

    name: str
    as_of: date
    """The day (a relative value, ``{day_after: P}``, until :meth:`ScenarioFile.resolved`)."""
    answers: Any
    expected: dict[str, Any]
    line: int
    index: int = 0
    """Its position in the file's ``scenarios:`` list."""


@dataclass(frozen=True)
class Invariant:
    """Words every verdict matching ``when`` must show, or never show."""

    name: str
    when: dict[str, Any]
    says: list[str]
    never_says: list[str]
    index: int = 0


@dataclass
class ScenarioFile:
    """The golden scenarios and the invariants of one file (``loaded``: its positions)."""

    scenarios: list[Scenario]
    invariants: list[Invariant] = field(default_factory=list)
    loaded: LoadedYaml | None = None

    def problem(self, path: FieldPath, message: str) -> Problem:
        """A problem located in the file (at its first line when positions are unknown)."""
        if self.loaded is None:
            return Problem("scénarios", 1, 1, "", message)
        return self.loaded.problem(path, message)

    def resolved(self, compiled: CompiledRules) -> ScenarioFile:
        """The scenarios with every value relative to a parameter replaced by what it gives
        under ``compiled`` and their names rendered; :class:`RulesError` listing every
        value or text that names no parameter, or one of the wrong kind."""
        parameters = compiled.parameters
        problems: list[Problem] = []
        scenarios = []
        for scenario in self.scenarios:
            where: FieldPath = ("scenarios", scenario.index)
            day, found = resolve_all(scenario.as_of, parameters, ("as_of",))
            # Amounts as they are on that day (a parameter may change on a date).
            on_day = parameters if found else rules_on(compiled, str(day)).parameters
            values, more = resolve_all({"answers": scenario.answers,
                                        "expected": scenario.expected}, on_day)
            found += more
            problems += [self.problem((*where, *path), message) for path, message in found]
            texts: list[tuple[FieldPath, str]] = [((*where, "name"), scenario.name)]
            texts += [((*where, "expected", key, i), text) for key in WORD_FIELDS
                      for i, text in enumerate(scenario.expected.get(key, []))]
            for at, text in texts:
                problems += [self.problem(at, message) for message in
                             text_problems(text, on_day)]
            if not problems:  # (``found`` is in them)
                scenarios.append(dataclasses.replace(
                    scenario, name=render_text(scenario.name, on_day),
                    as_of=date.fromisoformat(day) if isinstance(day, str) else day,
                    answers=values["answers"], expected=values["expected"]))
        for invariant in self.invariants:
            problems += [self.problem(("invariants", invariant.index, key, i), message)
                         for key in WORD_FIELDS for i, text in enumerate(getattr(invariant, key))
                         for message in text_problems(text, parameters)]
        if problems:
            raise RulesError(problems, subject=SUBJECT)
        return ScenarioFile(scenarios, self.invariants, self.loaded)


def spoken(text: str) -> str:
    """Text with every kind of space as one plain space (for word matching)."""
    return " ".join(text.split())  # str.split() knows every kind of space


def words(compiled: CompiledRules, texts: Iterable[str], day: str | None = None
          ) -> list[str]:
    """Expected texts as the verdict is matched against them: placeholders rendered (with
    the values of ``day``, when given), every kind of space as one."""
    parameters = (rules_on(compiled, day) if day else compiled).parameters
    return [spoken(render_text(text, parameters)) for text in texts]


def _missing_or_said(text: str, says: list[str], never_says: list[str]) -> list[str]:
    """Each of ``says`` missing from ``text`` and each of ``never_says`` in it (rendered)."""
    return ([f"ne dit pas « {w} »" for w in says if w not in text]
            + [f"dit « {w} »" for w in never_says if w in text])


def observed(verdict: dict[str, Any]) -> dict[str, Any]:
    """The comparable fields of a verdict, in the scenario vocabulary."""
    result = {key: verdict[key] for key in DIRECT_FIELDS}
    result["actions"] = [a["id"] for a in verdict["actions"]]
    result["overdue"] = [a["id"] for a in verdict["actions"] if a["overdue"]]
    result["deadlines"] = {a["id"]: a["deadline"] for a in verdict["actions"] if a["deadline"]}
    result["errors"] = sorted(verdict["errors"])
    result["rules"] = list(dict.fromkeys(r["rule"] for r in verdict["reasons"]))
    result["hints"] = len(verdict["hints"])
    return result


def _texts(loaded: LoadedYaml, item: dict[str, Any], key: str, where: FieldPath,
           problems: list[Problem]) -> list[str]:
    value = item.get(key, [])
    if not isinstance(value, list):
        problems.append(loaded.problem((*where, key), "liste de textes attendue"))
        return []
    wrong = [i for i, v in enumerate(value) if not (isinstance(v, str) and v.strip())]
    problems += [loaded.problem((*where, key, i), "texte attendu (entre guillemets s'il "
                                "contient « : »)") for i in wrong]
    return value  # (when some are wrong, the block is dropped: they are reported)


def _block(loaded: LoadedYaml, item: Any, where: FieldPath, what: str, allowed: set[str],
           problems: list[Problem]) -> bool:
    """Whether ``item`` is a mapping (its unknown keys reported); reported when not."""
    if not isinstance(item, dict):
        problems.append(loaded.problem(where, f"{what} attendu (bloc de clés)"))
        return False
    permitted = ", ".join(sorted(allowed))
    problems += [loaded.problem((*where, key), f"clé inconnue « {key} » ; clés permises : "
                                f"{permitted}") for key in item if key not in allowed]
    return True


def _scenario(loaded: LoadedYaml, item: Any, where: FieldPath, names: set[str],
              problems: list[Problem]) -> Scenario | None:
    before = len(problems)
    if not _block(loaded, item, where, "scénario", ALLOWED_KEYS, problems):
        return None
    expected = item.get("expected")
    for key in expected if isinstance(expected, dict) else {}:
        if key not in EXPECTED_FIELDS:
            problems.append(loaded.problem((*where, "expected", key),
                            f"champ attendu inconnu « {key} » ; possibles : "
                            f"{', '.join(EXPECTED_FIELDS)}"))
        elif key in WORD_FIELDS:
            _texts(loaded, expected, key, (*where, "expected"), problems)
    name, as_of = item.get("name"), item.get("as_of")
    if not isinstance(name, str) or not name.strip():
        problems.append(loaded.problem((*where, "name"), "nom du scénario manquant"))
    elif name in names:
        problems.append(loaded.problem((*where, "name"), f"scénario « {name} » en double"))
    if is_relative(as_of):
        shape = shape_problem(as_of)
        if shape:
            problems.append(loaded.problem((*where, "as_of"), shape))
    elif not isinstance(as_of, date):
        problems.append(loaded.problem((*where, "as_of"), "date AAAA-MM-JJ attendue, ou "
                                       "une date relative à un paramètre : {day_before: P}, "
                                       "{parameter: P} ou {day_after: P}"))
    if expected is not None and not isinstance(expected, dict):
        problems.append(loaded.problem((*where, "expected"), "résultat attendu à écrire en "
                                       "bloc de champs, par exemple {plan: pro}"))
    elif not expected:
        problems.append(loaded.problem((*where, "expected"), "résultat attendu manquant"))
    if "answers" not in item:
        problems.append(loaded.problem((*where, "answers"), "réponses manquantes"))
    if len(problems) > before:
        return None
    names.add(name)
    return Scenario(name, as_of, item["answers"], expected, loaded.where(where).line,
                    int(where[-1]))


def _invariant(loaded: LoadedYaml, item: Any, where: FieldPath,
               problems: list[Problem]) -> Invariant | None:
    before = len(problems)
    if not _block(loaded, item, where, "invariant", INVARIANT_KEYS, problems):
        return None
    if not isinstance(item.get("name"), str):
        problems.append(loaded.problem((*where, "name"), "nom de l'invariant manquant"))
    CONDITION.check(item.get("when"), (*where, "when"),
                    lambda path, message: problems.append(loaded.problem(path, message)))
    says = _texts(loaded, item, "says", where, problems)
    never = _texts(loaded, item, "never_says", where, problems)
    if not item.get("says") and not item.get("never_says"):  # (a wrong one is said above)
        problems.append(loaded.problem(where, "« says » ou « never_says » attendu"))
    if len(problems) > before:
        return None
    return Invariant(item["name"], item["when"], says, never, int(where[-1]))


def load_scenario_file(path: Path | str, display_name: str | None = None) -> ScenarioFile:
    """Read a scenario file strictly; raise :class:`RulesError` listing its problems
    (located as ``display_name``, the path by default)."""
    try:
        loaded = load_yaml(Path(path), display_name)
    except RulesError as exc:  # its syntax: said of this file, not of the rules
        raise RulesError(exc.problems, subject=SUBJECT, stopped=exc.stopped) from None
    problems: list[Problem] = []
    data = loaded.data
    items = data.get("scenarios") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise RulesError([loaded.problem((), "liste « scenarios: » attendue")], subject=SUBJECT)
    names: set[str] = set()
    scenarios = [s for i, item in enumerate(items)
                 if (s := _scenario(loaded, item, ("scenarios", i), names, problems))]
    raw_invariants = data.get("invariants", [])
    if not isinstance(raw_invariants, list):
        problems.append(loaded.problem(("invariants",), "liste « invariants: » attendue"))
        raw_invariants = []
    invariants = [v for i, item in enumerate(raw_invariants)
                  if (v := _invariant(loaded, item, ("invariants", i), problems))]
    if problems:
        raise RulesError(problems, subject=SUBJECT)
    return ScenarioFile(scenarios, invariants, loaded)


def load_scenarios(path: Path | str, compiled: CompiledRules) -> list[Scenario]:
    """The golden scenarios of a file, resolved for ``compiled`` (see
    :func:`load_scenario_file` and :meth:`ScenarioFile.resolved`)."""
    return load_scenario_file(path).resolved(compiled).scenarios


def mismatches(compiled: CompiledRules, scenario: Scenario) -> list[tuple[str, str]]:
    """(expected field, French description) of each way the verdict differs from the
    scenario's expectations."""
    verdict = evaluate(compiled, scenario.answers, as_of=scenario.as_of)
    got = observed(verdict)
    expected = scenario.expected
    found = [(key, f"{key} : attendu {value!r}, obtenu {got[key]!r}")
             for key, value in expected.items()
             if key not in WORD_FIELDS and got[key] != value]
    text = spoken(as_text(verdict))
    for key in WORD_FIELDS:
        rendered = words(compiled, expected.get(key, []), scenario.as_of.isoformat())
        found += [(key, problem) for problem in _missing_or_said(
            text, rendered if key == "says" else [], rendered if key == "never_says" else [])]
    return found


def run_scenario(compiled: CompiledRules, scenario: Scenario) -> list[str]:
    """Evaluate one scenario; return the French description of each mismatch."""
    return [message for _, message in mismatches(compiled, scenario)]


def file_problems(compiled: CompiledRules, loaded: ScenarioFile) -> list[Problem]:
    """Every scenario whose verdict differs from what it expects, and every break of an
    invariant, located in the scenarios' file (``loaded``: resolved for ``compiled``)."""
    problems = []
    for scenario in loaded.scenarios:
        day = format_long_date(scenario.as_of)
        for key, message in mismatches(compiled, scenario):
            problems.append(loaded.problem(
                ("scenarios", scenario.index, "expected", key),
                f"scénario « {scenario.name} » (au {day}) : {message}. Si la modification "
                "des règles est voulue, mettez à jour ce résultat attendu ; sinon, corrigez "
                "les règles"))
    problems += [loaded.problem(("invariants", invariant.index), message)
                 for invariant, message in invariant_failures(compiled, loaded.invariants)]
    return problems


def check_invariants(compiled: CompiledRules, invariants: list[Invariant]) -> list[str]:
    """Every break of an invariant on the answer space × the periods, in French."""
    return [message for _, message in invariant_failures(compiled, invariants)]


def invariant_failures(compiled: CompiledRules, invariants: list[Invariant]
                       ) -> list[tuple[Invariant, str]]:
    """Each break of an invariant on the answer space × the periods, with the invariant.

    An invariant that no profile on no period matches is reported too: its
    condition is wrong (a typo in an id), and it would prove nothing.
    """
    failures: list[tuple[Invariant, str]] = []
    matched: set[str] = set()
    conditions = [(v, predicate(v.when)) for v in invariants]
    # The texts, rendered once per distinct reading of the rules (a view is held here,
    # so its id is not reused).
    ready: dict[int, tuple[CompiledRules, list[tuple[Invariant, Any, list[str],
                                                     list[str]]]]] = {}
    for period, answers in profiles_by_period(compiled):
        day = period.sample
        view = rules_on(compiled, day.isoformat())  # the values of that day
        if id(view) not in ready:
            ready[id(view)] = (view, [(v, holds, words(view, v.says), words(view, v.never_says))
                                      for v, holds in conditions])
        parameters = view.parameters
        applying = [(v, says, never) for v, holds, says, never in ready[id(view)][1]
                    if holds(answers, parameters, day.isoformat()) is True]
        if not applying:
            continue
        text = spoken(as_text(evaluate(compiled, answers, as_of=day)))
        for invariant, says, never in applying:
            matched.add(invariant.name)
            for problem in _missing_or_said(text, says, never):
                failures.append((invariant, f"invariant « {invariant.name} » : le verdict du "
                                 f"{day.isoformat()} pour {answers} {problem}"))
    failures += [(v, f"invariant « {v.name} » : ne s'applique à aucun profil, à aucune "
                  "date (condition à corriger)") for v in invariants if v.name not in matched]
    return failures


def _effect_names(compiled: CompiledRules) -> dict[int, str]:
    return {id(e): f"{rule.id}.effects[{i}]" for rule in compiled.rules
            for i, e in enumerate(rule.effects)}


def reachable_effect_periods(compiled: CompiledRules) -> set[tuple[str, str]]:
    """(effect, period label) of every effect some complete profile reaches on that period."""
    names = _effect_names(compiled)
    reachable: set[tuple[str, str]] = set()
    for period, answers in profiles_by_period(compiled):
        reachable.update((names[id(e)], period.label())
                         for _, e in applying_effects(compiled, answers, period.sample))
    return reachable


def reachable_deadline_sides(compiled: CompiledRules) -> set[tuple[str, bool]]:
    """(action, overdue) for every deadline action some profile sees before or after its date."""
    sides: set[tuple[str, bool]] = set()
    for period, answers in profiles_by_period(compiled):
        verdict = evaluate(compiled, answers, as_of=period.sample)
        sides.update((a["id"], a["overdue"]) for a in verdict["actions"] if a["deadline"])
    return sides


def _threshold_points(compiled: CompiledRules) -> set[tuple[str, float]]:
    """(question, amount) at −1 cent, on and +1 cent of each threshold it is compared with."""
    return {(question, round(t + d, 2)) for question, t in thresholds(compiled)
            for d in (-CENT, 0, CENT)}


def _situation(compiled: CompiledRules, answers: Mapping[str, Any], qid: str) -> str:
    """The answers given before question ``qid``: where in the answer space it is asked."""
    before = []
    for q in compiled.questions:
        if q.id == qid:
            break
        if q.id in answers:
            before.append(f"{q.id}={json_key(answers[q.id])}")
    return ", ".join(before)


def coverage(compiled: CompiledRules, scenarios: list[Scenario]) -> dict[str, list[str]]:
    """What the scenarios leave uncovered.

    - plans, actions, answer values (every choice, both booleans, the amount);
    - ``effect_periods``: every effect on every period where some profile reaches
      it (the whole answer space decides which pairs exist), cited by a scenario;
    - ``deadline_sides``: every deadline action before and after its date, where
      some profile can see it on that side;
    - ``dates``: the day before, of and after every date of the rules;
    - ``thresholds``: every amount threshold at −1 cent, exactly and +1 cent,
      for every account situation where the amount is asked.
    """
    names = _effect_names(compiled)
    all_periods = periods(compiled)
    reachable = reachable_effect_periods(compiled)

    plans, actions, values, days = set(), set(), set(), set()
    covered: set[tuple[str, str]] = set()
    overdue_sides: set[tuple[str, bool]] = set()
    amounts: set[tuple[str, str, float]] = set()  # (question, situation, amount)
    amount_ids = {q.id for q in compiled.questions if q.type == "amount"}
    for scenario in scenarios:
        verdict = evaluate(compiled, scenario.answers, as_of=scenario.as_of)
        days.add(scenario.as_of)
        plans.add(verdict["plan"])
        label = period_of(all_periods, scenario.as_of).label()
        covered.update((names[id(e)], label) for _, e in
                       applying_effects(compiled, verdict["answers"], scenario.as_of))
        for action in verdict["actions"]:
            actions.add(action["id"])
            if action["deadline"]:
                overdue_sides.add((action["id"], action["overdue"]))
        values.update((k, json_key(v)) for k, v in verdict["answers"].items())
        for qid in amount_ids & set(verdict["answers"]):
            amounts.add((qid, _situation(compiled, verdict["answers"], qid),
                         round(verdict["answers"][qid], 2)))

    uncovered: dict[str, list[str]] = {
        "plans": [p.id for p in compiled.plans if p.id not in plans],
        "actions": [a.id for a in compiled.actions if a.id not in actions],
        "effect_periods": [f"{effect} ({period})" for effect, period in sorted(reachable)
                           if (effect, period) not in covered],
        "answers": [],
        "deadline_sides": [],
        "dates": [d.isoformat() for b in boundary_dates(compiled)
                  for d in (b - timedelta(days=1), b, b + timedelta(days=1)) if d not in days],
        "thresholds": [],
    }
    for q in compiled.questions:
        expected = q.closed_values
        if expected is None:
            if not any(k == q.id for k, _ in values):
                uncovered["answers"].append(q.id)
            continue
        uncovered["answers"] += [f"{q.id}={json_key(v)}" for v in expected
                                 if (q.id, json_key(v)) not in values]
    situations = _amount_situations(compiled)
    for qid, amount in sorted(_threshold_points(compiled)):
        uncovered["thresholds"] += [f"{qid}={amount} ({s})" for s in situations.get(qid, [])
                                    if (qid, s, amount) not in amounts]
    for action_id, side in sorted(reachable_deadline_sides(compiled) - overdue_sides):
        label = "après" if side else "avant"
        uncovered["deadline_sides"].append(f"{action_id} ({label} l'échéance)")
    return uncovered


def _amount_situations(compiled: CompiledRules) -> dict[str, list[str]]:
    """For each amount question, the situations (earlier answers) in which it is asked."""
    found: dict[str, set[str]] = {}
    for _, answers in profiles_by_period(compiled):
        for q in compiled.questions:
            if q.type == "amount" and q.id in answers:
                found.setdefault(q.id, set()).add(_situation(compiled, answers, q.id))
    return {k: sorted(v) for k, v in found.items()}


def json_key(value: Any) -> str:
    """A hashable, readable form of an answer value."""
    return str(value).lower() if isinstance(value, bool) else str(value)
