"""Representative profiles and their verdicts, computed with ``checker.evaluate``.

Every complete answer set of :func:`rulebook.answer_space.complete_profiles` is
evaluated; amounts that lead to the same verdict are merged into ranges
(``jusqu'à 1 000 €`` / ``plus de 1 000 €``), where each boundary is found by
asking the evaluator itself, so the decision table and the diagram follow
the conditions and cannot drift from them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise
from typing import Any

from checker import evaluate
from checker.model import CompiledRules
from rulebook.answer_space import complete_profiles
from rulebook.describe import AmountRange


@dataclass
class Decision:
    """One row of the decision table: answers (values or ranges) and the verdict."""

    answers: dict[str, Any]
    sample: dict[str, Any]
    verdict: dict[str, Any]


@dataclass
class Node:
    """A node of the decision tree: a question with branches, or a leaf."""

    question_id: str | None = None
    branches: list[tuple[Any, Node]] = field(default_factory=list)
    leaf: Decision | None = None


def _signature(verdict: Mapping[str, Any]) -> str:
    """What makes two verdicts the same, whatever the exact answers were (the display
    is made from the rest, and words the answers themselves)."""
    same = {k: v for k, v in verdict.items() if k not in ("answers", "as_of", "display")}
    return json.dumps(same, sort_keys=True, ensure_ascii=False)


def _boundary(compiled: CompiledRules, profile: dict[str, Any], qid: str, below: float,
              above: float, as_of: date) -> tuple[tuple[str, float], tuple[str, float]]:
    """Where the verdict changes between two sampled amounts: (high of below, low of above).

    The evaluator is asked about a point in between: if it still answers as
    for ``below``, the change happens at ``above`` itself (``< above`` /
    ``≥ above``), otherwise just after ``below`` (``≤ below`` / ``> below``).
    """
    middle = evaluate(compiled, {**profile, qid: (below + above) / 2}, as_of=as_of)
    low_side = evaluate(compiled, {**profile, qid: below}, as_of=as_of)
    if _signature(middle) == _signature(low_side):
        return ("lt", above), ("ge", above)
    return ("le", below), ("gt", below)


def decisions(compiled: CompiledRules, as_of: date) -> list[Decision]:
    """The representative profiles in asking order, amounts merged into ranges."""
    amount_ids = {q.id for q in compiled.questions if q.type == "amount"}
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for profile in complete_profiles(compiled, as_of):
        key = tuple((k, v) for k, v in profile.items() if k not in amount_ids)
        key += (tuple(k for k in profile if k in amount_ids),)
        groups.setdefault(key, []).append(profile)

    result: list[Decision] = []
    for profiles in groups.values():
        amounts = [k for k in profiles[0] if k in amount_ids]
        if len(amounts) != 1:  # no amount, or several: show the sampled values as they are
            result += [Decision(dict(p), p, evaluate(compiled, p, as_of=as_of)) for p in profiles]
            continue
        (qid,) = amounts
        profiles = sorted(profiles, key=lambda p: p[qid])
        verdicts = [evaluate(compiled, p, as_of=as_of) for p in profiles]
        runs: list[list[int]] = []
        for i, verdict in enumerate(verdicts):
            if runs and _signature(verdicts[runs[-1][-1]]) == _signature(verdict):
                runs[-1].append(i)
            else:
                runs.append([i])
        bounds: list[tuple[str, float] | None] = [None]
        for previous, current in pairwise(runs):
            below, above = profiles[previous[-1]][qid], profiles[current[0]][qid]
            high, low = _boundary(compiled, profiles[0], qid, below, above, as_of)
            bounds += [high, low]
        bounds.append(None)
        for n, run in enumerate(runs):
            first = profiles[run[0]]
            answers = {k: (AmountRange(bounds[2 * n], bounds[2 * n + 1]) if k == qid else v)
                       for k, v in first.items()}
            result.append(Decision(answers, first, verdicts[run[0]]))
    return result


def decision_tree(rows: list[Decision]) -> Node:
    """Group the decisions question by question, in asking order."""

    def build(group: list[Decision], depth: int) -> Node:
        items = [list(d.answers.items()) for d in group]
        if len(items[0]) == depth:
            return Node(leaf=group[0])
        qid = items[0][depth][0]
        branches: dict[Any, list[Decision]] = {}
        for decision, answers in zip(group, items, strict=True):
            branches.setdefault(answers[depth][1], []).append(decision)
        return Node(qid, [(value, build(sub, depth + 1)) for value, sub in branches.items()])

    return build(rows, 0)
