"""Every lesson exercise judges the same way in the browser's runtime as at build time:
inside Pyodide 0.27.7 (numpy 2.0.2), run by the browser's own ``cell_runner.Kernel``, each
solution passes all of its checks and each starter does not. The checks use tolerances,
so numpy's different rounding in Pyodide must not change a verdict."""

from __future__ import annotations

import importlib.util
import json
import sys

import pytest
import yaml

from pyodide_node import REPO

CELL_RUNNER = (REPO / "widgets" / "live_widgets" / "cell_runner.py").read_text(encoding="utf-8")


def lesson_exercises() -> list[tuple[str, dict]]:
    spec = importlib.util.spec_from_file_location("check_lessons",
                                                  REPO / "build" / "check_lessons.py")
    checker = sys.modules.get("check_lessons")
    if checker is None:
        checker = importlib.util.module_from_spec(spec)
        sys.modules["check_lessons"] = checker   # dataclasses look their module up
        spec.loader.exec_module(checker)
    found = []
    for path in checker.load_book(REPO).lessons:
        for directive in checker.parse_page(path).directives:
            if directive.name == "exercise":
                found.append((directive.options["name"], yaml.safe_load(directive.body)))
    return found


EXERCISES = lesson_exercises()


def check_in_pyodide(pyodide, code: str, checks: list[dict]) -> dict:
    request = json.dumps({"code": code, "checks": checks})
    return pyodide.run_json(f"""
import json, types
runner = types.ModuleType("cell_runner_under_test")
exec({CELL_RUNNER!r}, runner.__dict__)
json.dumps(runner.Kernel().check(json.loads({request!r})))
""")


@pytest.mark.parametrize("name, exercise", EXERCISES, ids=[name for name, _ in EXERCISES])
def test_solution_passes_and_starter_fails_in_pyodide(pyodide, name, exercise):
    solved = check_in_pyodide(pyodide, exercise["solution"], exercise["checks"])
    assert solved["passed"], f"{name}: the solution fails in Pyodide: {solved['checks']}"
    if exercise.get("starter"):
        started = check_in_pyodide(pyodide, exercise["starter"], exercise["checks"])
        assert not started["passed"], f"{name}: the starter passes every check in Pyodide"
