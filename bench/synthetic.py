"""Scale the real rules file ×N (FAQ, rules, sessions) for build benchmarks."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from rulebook.slugs import slugify
from rulebook.yamlload import load_yaml


def scaled_rules(source: Path, factor: int) -> dict[str, Any]:
    """The rules data with FAQ entries, rules and sessions repeated ``factor`` times.

    Copies get new ids; copied rules keep their conditions but decide no plan,
    so the file stays valid (exactly one plan per profile).
    """
    data = load_yaml(source).data
    if factor <= 1:
        return data
    for section in data["faq"]:
        containers = [section, *section.get("groups", [])]
        for container in containers:
            if "entries" not in container:
                continue
            originals = container["entries"]
            container["entries"] = [
                {**copy.deepcopy(e), "id": f"{e['id']}-{n}" if n else e["id"]}
                for n in range(factor) for e in originals
            ]
    originals = data["rules"]
    data["rules"] = list(originals)
    for n in range(1, factor):
        for rule in originals:
            clone = copy.deepcopy(rule)
            clone["id"] = f"{rule['id']}_{n}"
            clone["number"] = rule["number"] + 100 * n
            # Titles may cite no figure (the validator refuses them): the copy's
            # number goes to its address only.
            clone["title"] = f"{rule['title']} (copie)"
            clone["slug"] = f"{rule.get('slug') or slugify(rule['title'])}-copie-{n}"
            for effect in clone["effects"]:
                effect.pop("plan", None)
            data["rules"].append(clone)
    sessions = data["sessions"]
    data["sessions"] = [
        {**copy.deepcopy(s), "id": f"{s['id']}-{n}" if n else s["id"]}
        for n in range(factor) for s in sessions
    ]
    return data


def scaled_scenarios(source: Path, factor: int) -> dict[str, Any]:
    """The golden scenarios of ``source`` for the rules scaled ×``factor`` (the build
    checks the examples): a verdict then also cites copies of rules, so the rules it
    cites are not expected any more; everything else is."""
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    for scenario in data["scenarios"]:
        scenario.get("expected", {}).pop("rules", None)
    return data


def write_scaled_scenarios(source: Path, factor: int, dest: Path) -> Path:
    """Write the scaled scenarios as YAML to ``dest``."""
    text = yaml.safe_dump(scaled_scenarios(source, factor), allow_unicode=True,
                          sort_keys=False, width=100)
    dest.write_text(text, encoding="utf-8")
    return dest


def write_scaled_rules(source: Path, factor: int, dest: Path) -> Path:
    """Write the scaled rules as YAML to ``dest``."""
    text = yaml.safe_dump(scaled_rules(source, factor), allow_unicode=True, sort_keys=False,
                          width=100)
    dest.write_text(text, encoding="utf-8")
    return dest
