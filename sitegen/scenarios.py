"""Golden rule scenarios (``data/scenarios.yaml``), OpenFisca style.

Each scenario has a ``name``, an ``as_of`` date, ``answers`` and the
``expected`` verdict fields. Fields compared as they are: ``plan``,
``complete``, ``missing``, ``annual_limit_eur``, ``unlimited_sales``,
``permissions``, ``ignored``. Fields compared by id: ``actions`` (ordered list
of action ids), ``overdue`` (ids of overdue actions), ``deadlines`` (action id
-> date), ``errors`` (question ids with an error), ``rules`` (ids of the rules
the explanation cites, in order, without repeats), ``hints`` (how many).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from checker import evaluate
from sitegen.errors import Problem, RulesError
from sitegen.yamlload import load_yaml

DIRECT_FIELDS = ("plan", "complete", "missing", "annual_limit_eur", "unlimited_sales",
                 "permissions", "ignored")
DERIVED_FIELDS = ("actions", "overdue", "deadlines", "errors", "rules", "hints")
ALLOWED_KEYS = {"name", "as_of", "answers", "expected", "note"}


@dataclass(frozen=True)
class Scenario:
    """One golden case, with the line where it starts in its file."""

    name: str
    as_of: date
    answers: Any
    expected: dict[str, Any]
    line: int
    note: str = ""


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


def load_scenarios(path: Path | str) -> list[Scenario]:
    """Read a scenario file strictly; raise :class:`RulesError` listing its problems."""
    loaded = load_yaml(Path(path))
    problems: list[Problem] = []
    data = loaded.data
    items = data.get("scenarios") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise RulesError([loaded.problem((), "liste « scenarios: » attendue")])
    scenarios: list[Scenario] = []
    names: set[str] = set()
    for i, item in enumerate(items):
        where = ("scenarios", i)
        if not isinstance(item, dict):
            problems.append(loaded.problem(where, "scénario attendu (bloc de clés)"))
            continue
        for key in item:
            if key not in ALLOWED_KEYS:
                problems.append(loaded.problem((*where, key), f"clé inconnue « {key} » ; "
                                f"clés permises : {', '.join(sorted(ALLOWED_KEYS))}"))
        expected = item.get("expected")
        for key in expected if isinstance(expected, dict) else {}:
            if key not in DIRECT_FIELDS + DERIVED_FIELDS:
                problems.append(loaded.problem((*where, "expected", key),
                                f"champ attendu inconnu « {key} » ; possibles : "
                                f"{', '.join(DIRECT_FIELDS + DERIVED_FIELDS)}"))
        name, as_of = item.get("name"), item.get("as_of")
        if not isinstance(name, str) or not name.strip():
            problems.append(loaded.problem((*where, "name"), "nom du scénario manquant"))
        elif name in names:
            problems.append(loaded.problem((*where, "name"), f"scénario « {name} » en double"))
        if not isinstance(as_of, date):
            problems.append(loaded.problem((*where, "as_of"), "date AAAA-MM-JJ attendue"))
        if not isinstance(expected, dict) or not expected:
            problems.append(loaded.problem((*where, "expected"), "résultat attendu manquant"))
        if "answers" not in item:
            problems.append(loaded.problem((*where, "answers"), "réponses manquantes"))
        if problems:
            continue
        names.add(name)
        scenarios.append(Scenario(name, as_of, item["answers"], expected,
                                  loaded.where(where).line, str(item.get("note", ""))))
    if problems:
        raise RulesError(problems)
    return scenarios


def run_scenario(compiled: dict[str, Any], scenario: Scenario) -> list[str]:
    """Evaluate one scenario; return the French description of each mismatch."""
    got = observed(evaluate(compiled, scenario.answers, as_of=scenario.as_of))
    return [
        f"{key} : attendu {value!r}, obtenu {got[key]!r}"
        for key, value in scenario.expected.items()
        if got[key] != value
    ]


def coverage(compiled: dict[str, Any], scenarios: list[Scenario]) -> dict[str, list[str]]:
    """What the scenarios leave uncovered: plans, actions, effects, answer values.

    An effect counts as covered when some scenario's verdict cites it; an
    answer value when some scenario gives it to a relevant question.
    """
    from checker.conditions import evaluate_condition

    plans, actions, effects, values = set(), set(), set(), set()
    overdue_sides: set[tuple[str, bool]] = set()
    for scenario in scenarios:
        verdict = evaluate(compiled, scenario.answers, as_of=scenario.as_of)
        plans.add(verdict["plan"])
        for action in verdict["actions"]:
            actions.add(action["id"])
            if action["deadline"]:
                overdue_sides.add((action["id"], action["overdue"]))
        for r, rule in enumerate(compiled["rules"]):
            for e, effect in enumerate(rule["effects"]):
                if evaluate_condition(effect["when"], verdict["answers"],
                                      compiled["parameters"]) is True:
                    effects.add((r, e))
        values.update((k, json_key(v)) for k, v in verdict["answers"].items())
    uncovered: dict[str, list[str]] = {
        "plans": [p["id"] for p in compiled["plans"] if p["id"] not in plans],
        "actions": [a["id"] for a in compiled["actions"] if a["id"] not in actions],
        "effects": [f"{rule['id']}.effects[{e}]" for r, rule in enumerate(compiled["rules"])
                    for e, _ in enumerate(rule["effects"]) if (r, e) not in effects],
        "answers": [],
        "deadline_sides": [],
    }
    for q in compiled["questions"]:
        expected = ([c["value"] for c in q["choices"]] if q["type"] == "choice"
                    else [True, False] if q["type"] == "boolean" else None)
        if expected is None:
            if not any(k == q["id"] for k, _ in values):
                uncovered["answers"].append(q["id"])
            continue
        uncovered["answers"] += [f"{q['id']}={json_key(v)}" for v in expected
                                 if (q["id"], json_key(v)) not in values]
    for action_id in {a for a, _ in overdue_sides}:
        for side in (False, True):
            if (action_id, side) not in overdue_sides:
                label = "après" if side else "avant"
                uncovered["deadline_sides"].append(f"{action_id} ({label} l'échéance)")
    return uncovered


def json_key(value: Any) -> str:
    """A hashable, readable form of an answer value."""
    return str(value).lower() if isinstance(value, bool) else str(value)
