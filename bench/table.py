"""The benchmark table: one line per row, grouped by section, ratios and goals shown."""

from __future__ import annotations

from typing import Any

HEADER = f"  {'benchmark':<56} {'value':>10} {'unit':<12} {'runs':>4}  {'ratio':<14} goal"


def format_row(row: dict[str, Any]) -> str:
    """One fixed-width line: value, unit, runs (median of), ratio to its baseline, goal."""
    ratio = f"{row['ratio']:.2f} × {row['ratio_of']}" if "ratio" in row else ""
    goal = ""
    if "goal" in row:
        goal = f"{row['goal']} {'ok' if row.get('met') else 'MISSED'}"
    runs = str(row.get("runs", ""))
    return (f"  {row['benchmark']:<56} {row['value']:>10.2f} {row['unit']:<12} {runs:>4}  "
            f"{ratio:<14} {goal}").rstrip()


def format_table(rows: list[dict[str, Any]]) -> str:
    """The whole table as text."""
    lines: list[str] = []
    section = None
    for row in rows:
        if row.get("section") != section:
            section = row.get("section")
            lines += ["", section or "", HEADER] if lines else [section or "", HEADER]
        lines.append(format_row(row))
    return "\n".join(lines)
