"""bench/mutation.py without running mutmut: the narrowed settings of each run, the
mapping of modules to their tests, and how a survivor is located and shown."""

from __future__ import annotations

import fnmatch
import tomllib

from bench import mutation
from tests.conftest import ROOT


def test_each_run_narrows_the_shared_settings_to_its_module_and_its_tests() -> None:
    shared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    narrowed = tomllib.loads(mutation.project_file("checker/engine.py"))
    assert narrowed["tool"]["mutmut"]["only_mutate"] == ["checker/engine.py"]
    assert (narrowed["tool"]["mutmut"]["pytest_add_cli_args_test_selection"]
            == list(mutation.FAST_TESTS["checker/engine.py"]))
    for key, value in shared["tool"]["mutmut"].items():
        if key != "only_mutate":
            assert narrowed["tool"]["mutmut"][key] == value
    del shared["tool"]["mutmut"], narrowed["tool"]["mutmut"]
    assert narrowed == shared  # the rest of pyproject.toml as it is


def test_every_module_and_test_file_of_the_mapping_exists_and_has_its_goal() -> None:
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8")
                             )["tool"]["mutmut"]["only_mutate"]
    for module, tests in mutation.FAST_TESTS.items():
        assert (ROOT / module).is_file()
        assert any(fnmatch.fnmatch(module, p) for p in patterns), module
        files = [t for t in tests if not t.startswith("-")]
        assert files and all(t.startswith("tests/") for t in files), tests
        assert [t for t in files if not (ROOT / t).is_file()] == []
        for option in tests:  # a deselected test exists: a renamed one would run again
            if option.startswith("--deselect="):
                path, _, name = option.removeprefix("--deselect=").partition("::")
                assert f"def {name}(" in (ROOT / path).read_text(encoding="utf-8"), option
        assert mutation.goal_of(module) == (90.0 if module.startswith("checker/") else 85.0)


def test_a_survivor_is_located_on_its_line_of_the_module() -> None:
    diff = ("--- checker/french.py\n+++ checker/french.py\n@@ -1,4 +1,4 @@\n"
            ' def lower_first(text: str) -> str:\n     """doc"""\n'
            "-    return text[:1].lower() + text[1:]\n+    return text[:2].lower() + text[1:]")
    lines = mutation.function_lines("checker/french.py")
    line, before, after = mutation.located(
        "checker/french.py", "checker.french.x_lower_first__mutmut_1", diff, lines)
    source = (ROOT / "checker/french.py").read_text(encoding="utf-8").splitlines()
    assert source[line - 1].strip() == before == "return text[:1].lower() + text[1:]"
    assert after == "return text[:2].lower() + text[1:]"


def test_the_table_says_the_score_beside_its_goal() -> None:
    row = {"module": "checker/limit.py", "mutants": 200, "killed": 178, "survived": 20,
           "timeout": 2, "equivalent": 0, "no_tests": 0, "score": 90.0, "goal": 90.0,
           "seconds": 61.0, "survivors": []}
    table = mutation.format_rows([row, {**row, "score": 89.5}])
    assert "90.0%  90 % ok" in table and "89.5%  90 % below" in table
