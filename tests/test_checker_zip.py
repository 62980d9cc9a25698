"""The checker's zip: the repository's code, on the same lines, without its docstrings."""

from __future__ import annotations

import ast
import io
import zipfile

from sitegen.browser_zip import checker_package_dir, checker_zip_bytes, without_docstrings

SOURCE = b'''"""Module.

Two lines."""

import re  # kept


class Kept:
    """A class keeps its docstring."""

    def method(self) -> int:
        """One line."""
        return 1


def outer() -> str:
    """Several
    lines."""

    def inner() -> str:
        \'\'\'Inner.\'\'\'
        return "not a docstring"
    return inner()
'''


def _positions(tree: ast.AST) -> list[tuple[str, int]]:
    """Every statement but the docstrings, with its line."""
    docstrings = {id(node.body[0]) for node in ast.walk(tree)
                  if isinstance(node, ast.Module | ast.FunctionDef) and node.body
                  and isinstance(node.body[0], ast.Expr)}
    return [(type(node).__name__, node.lineno) for node in ast.walk(tree)
            if isinstance(node, ast.stmt) and id(node) not in docstrings]


def test_docstrings_go_and_every_line_stays_where_it_was() -> None:
    stripped = without_docstrings(SOURCE).decode()
    namespace: dict[str, object] = {}
    exec(compile(stripped, "<test>", "exec"), namespace)
    outer, kept = namespace["outer"], namespace["Kept"]
    assert namespace["__doc__"] == "" and outer.__doc__ == ""  # type: ignore[attr-defined]
    assert kept.__doc__ == "A class keeps its docstring."  # type: ignore[attr-defined]
    assert kept().method.__doc__ == ""  # type: ignore[operator]
    assert outer() == "not a docstring"  # type: ignore[operator]
    assert stripped.count("\n") == SOURCE.decode().count("\n")
    assert _positions(ast.parse(stripped)) == _positions(ast.parse(SOURCE))
    assert "Several" not in stripped and "Inner." not in stripped
    assert "import re  # kept" in stripped


def test_the_shipped_checker_is_the_repository_s_code_without_docstrings() -> None:
    with zipfile.ZipFile(io.BytesIO(checker_zip_bytes())) as archive:
        shipped = {name: archive.read(name) for name in archive.namelist()}
    sources = sorted(checker_package_dir().glob("*.py"))
    assert sorted(shipped) == [f"checker/{p.name}" for p in sources]
    for path in sources:
        original = path.read_bytes()
        code = shipped[f"checker/{path.name}"]
        assert code == without_docstrings(original)
        assert _positions(ast.parse(code)) == _positions(ast.parse(original)), path.name
    assert sum(map(len, shipped.values())) < 0.8 * sum(len(p.read_bytes()) for p in sources)
