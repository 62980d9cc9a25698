"""Validation and evaluation speed in CPython."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from bench.stats import median_seconds
from checker import evaluate
from rulebook.answer_space import complete_profiles
from rulebook.loader import load_rules
from rulebook.yamlload import load_yaml

AS_OF = date(2022, 6, 1)  # rules in force, deadlines still ahead: the longest verdicts


def run(rules_path: Path, repeat: int = 7) -> list[dict[str, Any]]:
    """Rows: YAML parse (baseline) vs full load+validate+compile; evaluations/s."""
    parse = median_seconds(lambda: load_yaml(rules_path), repeat)
    full = median_seconds(lambda: load_rules(rules_path), repeat)
    compiled = load_rules(rules_path).compiled
    profiles = list(complete_profiles(compiled, AS_OF))
    sweep = median_seconds(
        lambda: [evaluate(compiled, p, as_of=AS_OF.isoformat()) for p in profiles], repeat)
    baseline = median_seconds(lambda: [json.loads(json.dumps(p)) for p in profiles], repeat)
    section = "Rules in CPython"
    return [
        {"section": section, "benchmark": "YAML parse with positions (baseline)",
         "value": parse * 1000, "unit": "ms", "runs": repeat},
        {"section": section, "benchmark": "load + validate + compile rules.yaml",
         "value": full * 1000, "unit": "ms", "runs": repeat,
         "ratio": full / parse, "ratio_of": "YAML parse"},
        {"section": section,
         "benchmark": f"evaluate, whole answer space ({len(profiles)} profiles)",
         "value": len(profiles) / sweep, "unit": "evaluations/s", "runs": repeat},
        {"section": section, "benchmark": "mean time per evaluation",
         "value": sweep / len(profiles) * 1e6, "unit": "µs", "runs": repeat,
         "ratio": sweep / baseline, "ratio_of": "JSON round trip"},
    ]
