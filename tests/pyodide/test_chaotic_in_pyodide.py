"""A chaotic stack's numbers differ between CPython (build time) and Pyodide (the browser),
but what the gradient view prints about it must not: its readout, summary and table are
compared exactly (cross_runtime_cases.CHAOTIC_VIEW_SETTINGS; gradflow.chaos says why)."""

import json
from pathlib import Path

import pytest

import cross_runtime_cases

CASES_SOURCE = (Path(__file__).parent / "cross_runtime_cases.py").read_text()


@pytest.fixture(scope="module")
def pyodide_texts(pyodide):
    pyodide.run(CASES_SOURCE + "\n'defined'")
    return json.loads(pyodide.run("as_json('chaotic_texts')"))["value"]


def test_chaotic_stacks_print_the_same_texts_in_both_runtimes(pyodide_texts):
    cpython = json.loads(cross_runtime_cases.as_json("chaotic_texts"))["value"]
    assert len(cpython) == len(pyodide_texts) == len(cross_runtime_cases.CHAOTIC_VIEW_SETTINGS)
    for here, there in zip(cpython, pyodide_texts):
        for key in ("settings", "readout", "summary", "table"):
            assert here[key] == there[key], f"{here['settings']}: {key} differs"
        ratios = ", ".join(f"{a:.3g} (CPython) / {b:.3g} (Pyodide)"
                           for a, b in zip(here["ratios"], there["ratios"]))
        print(f"{here['settings']}: layer 1 / top {ratios}")


def test_the_issue_case_is_chaotic_and_says_so(pyodide_texts):
    """tanh, std 1, depth 101 (issue 13): the texts say it is chaotic and print no size."""
    first = pyodide_texts[0]
    assert first["settings"] == {"activation": "tanh", "depth": 101}
    assert first["readout"].startswith("Layer 1 receives no fixed amount of the gradient")
    assert all(row[1] == "chaotic" for row in first["table"]["rows"][:-1])
