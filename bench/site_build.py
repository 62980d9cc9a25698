"""Site build cost: the project vs plain MkDocs Material with the same pages, and ×N scaling.

- **Baseline**: a plain MkDocs Material project holding, as static files, exactly
  what the ``cagette-rules`` plugin adds to the build (its pages as Markdown, the
  checker's files), obtained by running the plugin's own hooks (``on_config``,
  ``on_files``) on the project's configuration; ``mkdocs.yml`` is the project's
  minus the plugin, with the navigation and the redirects of old addresses the
  plugin computed written out (``mkdocs-redirects`` writes the same pages).
- **Scaling**: the project built with the FAQ, rules and sessions repeated ×N
  (:mod:`bench.synthetic`).
- **Preview**: one ``mkdocs serve`` rebuild after an edit, the project's
  ``rules.yaml`` vs one page of the plain project (:mod:`bench.serve_rebuild`).

Each build is the real ``mkdocs build --strict`` in a child process; its wall
time and its peak resident memory (``ru_maxrss`` of that child, from ``wait4``).
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from mkdocs.config import load_config
from mkdocs.structure.files import get_files
from mkdocs.utils.yaml import yaml_load

from bench import serve_rebuild
from bench.serve_rebuild import build_env
from bench.synthetic import write_scaled_rules, write_scaled_scenarios
from tests.sitebuild import MKDOCS_BUILD, make_project

PLUGIN = "cagette-rules"
# The targets of the layout issue: build time and peak memory against plain Material,
# the plugin's own cost per page as the site grows.
BUILD_RATIO_GOAL = 1.10
MEMORY_RATIO_GOAL = 1.20
PLUGIN_SLOPE_GOAL = 1.20
GENERATION_ROUNDS = 3  # the plugin's own time: ×1, ×10, ×100 timed in turn, three times
# The rebuild edit: a parameter every page citing it shows, and a word of one page.
EDITED_PARAMETER = r"discovery_alert_eur:(?:\n    .*)*?\n    value: (\d+)$"
EDITED_PAGE = "index.md"


POLL_SECONDS = 0.005


@dataclass(frozen=True)
class BuildSample:
    """One build: wall time and peak RSS of the build process."""

    seconds: float
    peak_mib: float


def _high_water_kib(pid: int) -> int | None:
    """``VmHWM`` (peak resident set) of a running process, in KiB; None once it has exited."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        return None
    return None


def timed_build(project: Path) -> BuildSample:
    """Run ``mkdocs build --strict`` in ``project``; raise with its output if it fails.

    The peak memory is the child's ``VmHWM`` read every 5 ms until it exits
    (the kernel's high-water mark, so a short peak between reads is not missed;
    ``ru_maxrss`` would also count the parent's memory the child started from).
    """
    with tempfile.TemporaryFile() as output:
        start = time.perf_counter()
        process = subprocess.Popen(list(MKDOCS_BUILD), cwd=project, env=build_env(),
                                   stdout=output, stderr=subprocess.STDOUT)
        peak = 0
        while process.poll() is None:
            peak = max(peak, _high_water_kib(process.pid) or 0)
            time.sleep(POLL_SECONDS)
        elapsed = time.perf_counter() - start
        if process.returncode != 0:
            output.seek(0)
            raise RuntimeError(f"mkdocs build failed in {project}:\n"
                               + output.read().decode(errors="replace"))
    return BuildSample(elapsed, peak / 1024)


def write_plain_project(project: Path, dest: Path) -> Path:
    """A plain Material project with the plugin's output as static files (see module doc)."""
    config = load_config(config_file=str(project / "mkdocs.yml"))
    plugins = config.plugins  # the events as ``mkdocs build`` runs them
    plugins.on_startup(command="build", dirty=False)
    config = plugins.on_config(config)
    files = get_files(config)
    hand_written = {f.src_uri for f in files}
    files = plugins.on_files(files, config=config)
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("docs", "overrides"):
        if (project / name).is_dir():
            shutil.copytree(project / name, dest / name, dirs_exist_ok=True)
    for file in files:
        if file.src_uri in hand_written:
            continue
        target = dest / "docs" / file.src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(file.content_bytes)
    settings: dict[str, Any] = yaml_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    settings["plugins"] = [_with_redirects(p, config) for p in settings["plugins"]
                           if not (p == PLUGIN or (isinstance(p, dict) and PLUGIN in p))]
    settings["nav"] = config.nav
    (dest / "mkdocs.yml").write_text(
        yaml.safe_dump(settings, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return dest


def _with_redirects(entry: Any, config: Any) -> Any:
    """The ``redirects`` plugin given the old addresses the plugin computed (plain
    Material then writes the same redirect pages)."""
    if entry != "redirects" and not (isinstance(entry, dict) and "redirects" in entry):
        return entry
    return {"redirects": {"redirect_maps": dict(config.plugins["redirects"].config
                                                ["redirect_maps"])}}


# The plugin's own work, timed inside one process: ``on_config`` loads, checks and
# generates everything (per-page hooks only add a CSP meta tag). A difference of two
# whole builds cannot show it at ×1 and ×10, where it is a few tens of ms.
GENERATION = """
import json, statistics, sys, time
from mkdocs.config import load_config
config = load_config(config_file="mkdocs.yml")
config.plugins.on_startup(command="build", dirty=False)
config.plugins.on_config(config)  # warm-up: what a build imports lazily
times = []
for _ in range(int(sys.argv[1])):
    start = time.perf_counter()
    config.plugins.on_config(config)
    times.append(time.perf_counter() - start)
print(json.dumps(statistics.median(times)))
"""


def generation_seconds(project: Path, repeat: int) -> float:
    """Median time of the plugins' ``on_config`` (the project's plugin does all its work
    there) in ``project``, in a child process."""
    result = subprocess.run([sys.executable, "-c", GENERATION, str(repeat)], cwd=project,
                            env=build_env(), capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"on_config failed in {project}:\n{result.stderr}")
    return float(result.stdout.strip().splitlines()[-1])


def generation_rounds(projects: dict[int, Path], repeats: dict[int, int], rounds: int
                      ) -> dict[int, float]:
    """:func:`generation_seconds` of every project, one after the other, ``rounds`` times,
    and the median of each: the sizes share the machine's state (its load drifts over the
    minutes the ×100 builds take), which a ratio of their differences needs."""
    found: dict[int, list[float]] = {factor: [] for factor in projects}
    for _ in range(rounds):
        for factor, project in projects.items():
            found[factor].append(generation_seconds(project, repeats[factor]))
    return {factor: statistics.median(times) for factor, times in found.items()}


def _median(samples: list[BuildSample]) -> BuildSample:
    return BuildSample(statistics.median(s.seconds for s in samples),
                       statistics.median(s.peak_mib for s in samples))


def _samples(projects: list[Path], repeat: int) -> list[BuildSample]:
    """Median of ``repeat`` builds of each project, interleaved (same machine load)."""
    for project in projects:  # warm-up: imports, disk cache
        timed_build(project)
    runs: list[list[BuildSample]] = [[] for _ in projects]
    for _ in range(repeat):
        for index, project in enumerate(projects):
            runs[index].append(timed_build(project))
    return [_median(samples) for samples in runs]


def slope_ratio(values: dict[int, float]) -> float:
    """Cost per extra ×1 of content from ×10 to ×100, over the same from ×1 to ×10.

    1.0 is exactly linear (a fixed start-up cost plus a constant cost per page);
    above 1 the cost per page grows with the size of the site.
    """
    low = (values[10] - values[1]) / 9
    high = (values[100] - values[10]) / 90
    return high / low


def rebuild_rows(project: Path, bare: Path, repeat: int, section: str
                 ) -> list[dict[str, Any]]:
    """The ``mkdocs serve`` rebuild after an edit, project vs plain (medians of ``repeat``)."""
    (project / ".gitignore").write_text("site/\n", encoding="utf-8")
    serve_rebuild.commit(project)
    ours = serve_rebuild.rebuild_seconds(project, serve_rebuild.toggle(
        project / "data" / "rules.yaml", EDITED_PARAMETER, ("850", "800")), repeat)
    plain = serve_rebuild.rebuild_seconds(bare, serve_rebuild.toggle(
        bare / "docs" / EDITED_PAGE, r"^(#) ", ("# ", "#")), repeat)
    common = {"section": section, "runs": repeat}
    return [
        {**common, "benchmark": "mkdocs serve: rebuild after a page edit, plain Material",
         "value": plain, "unit": "s"},
        {**common, "benchmark": "mkdocs serve: rebuild after a rules.yaml edit, project",
         "value": ours, "unit": "s", "ratio": ours / plain, "ratio_of": "plain"},
    ]


def run(root: Path, repeat: int = 5, scaled_repeat: int = 3) -> list[dict[str, Any]]:
    """Benchmark rows for the site build (times in s, memory in MiB).

    ×1 is the median of ``repeat`` builds, ×10 and ×100 of ``scaled_repeat`` (a
    ×100 pair takes about a minute on two cores; one pair alone moved the ratio
    by ±0.05 between runs); the ``mkdocs serve`` rebuild is the median of
    ``repeat`` edits (×1).
    """
    rules = root / "data" / "rules.yaml"
    ours: dict[int, BuildSample] = {}
    plain: dict[int, BuildSample] = {}
    pages: dict[int, int] = {}
    projects: dict[int, Path] = {}
    runs = {1: repeat, 10: scaled_repeat, 100: scaled_repeat}
    # The slope ratio divides two small differences (×10 − ×1 is about 0.1 s): the short
    # runs are repeated more, which costs seconds, so that noise moves it less.
    generation_runs = {1: 4 * repeat, 10: 4 * repeat, 100: repeat}  # in each round
    section = "Site build (mkdocs build --strict), plain Material with the same pages as baseline"
    rows: list[dict[str, Any]] = []
    rebuild: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        for factor in (1, 10, 100):
            project = make_project(Path(tmp) / f"x{factor}")
            if factor > 1:
                write_scaled_rules(rules, factor, project / "data" / "rules.yaml")
                write_scaled_scenarios(root / "data" / "scenarios.yaml", factor,
                                       project / "data" / "scenarios.yaml")
            bare = write_plain_project(project, Path(tmp) / f"plain-x{factor}")
            ours[factor], plain[factor] = _samples([project, bare], runs[factor])
            projects[factor] = project
            pages[factor] = sum(1 for _ in (project / "site").rglob("index.html"))
            if factor == 1:
                rebuild = rebuild_rows(project, bare, repeat, section)
        generation = generation_rounds(projects, generation_runs, GENERATION_ROUNDS)
    for factor in (1, 10, 100):
        size = "real content" if factor == 1 else f"content ×{factor}"
        common = {"section": section, "runs": runs[factor]}
        ratio = ours[factor].seconds / plain[factor].seconds
        memory = ours[factor].peak_mib / plain[factor].peak_mib
        time_goal = ({"goal": f"≤ {BUILD_RATIO_GOAL:.2f}", "met": ratio <= BUILD_RATIO_GOAL}
                     if factor in (1, 100) else {})
        memory_goal = ({"goal": f"≤ {MEMORY_RATIO_GOAL:.2f}", "met": memory <= MEMORY_RATIO_GOAL}
                       if factor == 100 else {})
        rows += [
            {**common, "benchmark": f"{size}, {pages[factor]} pages: plain Material (baseline)",
             "value": plain[factor].seconds, "unit": "s"},
            {**common, "benchmark": f"{size}: project build", "value": ours[factor].seconds,
             "unit": "s", "ratio": ratio, "ratio_of": "plain", **time_goal},
            {**common, "benchmark": f"{size}: peak memory, plain Material (baseline)",
             "value": plain[factor].peak_mib, "unit": "MiB"},
            {**common, "benchmark": f"{size}: peak memory, project build",
             "value": ours[factor].peak_mib, "unit": "MiB",
             "ratio": memory, "ratio_of": "plain", **memory_goal},
        ]
    growth = [
        ("project build time", {n: s.seconds for n, s in ours.items()}, None),
        ("plain Material time", {n: s.seconds for n, s in plain.items()}, None),
        ("plugin's own time (on_config, in-process)", generation, PLUGIN_SLOPE_GOAL),
        ("project−plain build time (informative)",
         {n: ours[n].seconds - plain[n].seconds for n in ours}, 0.0),
        ("project peak memory", {n: s.peak_mib for n, s in ours.items()}, None),
    ]
    for factor in (1, 10, 100):
        rows.append({"section": section, "unit": "s",
                     "runs": GENERATION_ROUNDS * generation_runs[factor],
                     "benchmark": f"plugin's own time (on_config, in-process), ×{factor}",
                     "value": generation[factor]})
    for label, values, limit in growth:
        slope = slope_ratio(values)
        goal = ({} if limit == 0.0  # a few tens of ms at ×1 and ×10: noise decides
                else {"goal": f"≤ {limit:.2f}", "met": slope <= limit} if limit
                else {"goal": "close to 1", "met": slope <= 1.5})
        rows.append({"section": section, "unit": "(1 = linear)",
                     "benchmark": f"growth (slope ratio), {label}", "value": slope, **goal})
    return rows + rebuild
