"""The same configurations, computed by gradflow in CPython (build time) and in Pyodide
(the browser), must give the same numbers: the build-time charts are what a reader sees
before Pyodide loads, and the live redraw must not jump.

Tolerance: relative 1e-9. The two numpy builds may sum matrix products in different orders
(OpenBLAS here, no BLAS in Pyodide), which differs in the last bits (~1e-16) and grows at
most roughly linearly with depth; 1e-9 leaves a wide margin for that while still catching
any real difference (a changed seed, dtype, or formula shifts values by far more).
Measured here: at most 2e-13 in every case except the chaotic ones (see CHAOTIC in
cross_runtime_cases.py), where perturbations grow exponentially with depth; those are held
to relative 1e-6 (measured 3e-8), still far below what a chart or a two-digit readout shows.
Training is compared at 1e-9 too, except the chaotic deep plain run, whose differences grow
10- to 50-fold per step: its first steps are compared, then only the lesson's conclusion
(see CHAOTIC_TRAINING in cross_runtime_cases.py). The lesson's training race, whose
recipe is not chaotic, is compared whole: every step of every network to 1e-6 (RACE_RTOL).
"""

import json
import math
from pathlib import Path

import pytest

import cross_runtime_cases

RTOL = 1e-9
RTOL_CHAOTIC = 1e-6
CASES_SOURCE = (Path(__file__).parent / "cross_runtime_cases.py").read_text()


def assert_same(cpython, pyodide, where="result", rtol=RTOL):
    """Compare two JSON values: numbers within `rtol`, everything else exactly."""
    if isinstance(cpython, bool) or isinstance(pyodide, bool):
        assert cpython is pyodide, f"{where}: {cpython!r} (CPython) != {pyodide!r} (Pyodide)"
    elif isinstance(cpython, (int, float)) and isinstance(pyodide, (int, float)):
        assert math.isclose(cpython, pyodide, rel_tol=rtol, abs_tol=0.0), (
            f"{where}: {cpython!r} (CPython) != {pyodide!r} (Pyodide), "
            f"relative difference {abs(cpython - pyodide) / max(abs(cpython), abs(pyodide)):.2e}")
    elif isinstance(cpython, dict) and isinstance(pyodide, dict):
        assert cpython.keys() == pyodide.keys(), f"{where}: keys differ"
        for key in cpython:
            assert_same(cpython[key], pyodide[key], f"{where}.{key}", rtol)
    elif isinstance(cpython, list) and isinstance(pyodide, list):
        assert len(cpython) == len(pyodide), f"{where}: lengths {len(cpython)} != {len(pyodide)}"
        for index, (left, right) in enumerate(zip(cpython, pyodide)):
            assert_same(left, right, f"{where}[{index}]", rtol)
    else:
        assert cpython == pyodide, f"{where}: {cpython!r} (CPython) != {pyodide!r} (Pyodide)"


def test_assert_same_catches_a_difference_beyond_the_tolerance():
    assert_same({"a": [1.0, "NaN"]}, {"a": [1.0 + 1e-12, "NaN"]})
    with pytest.raises(AssertionError, match=r"result\.a\[0\]"):
        assert_same({"a": [1.0]}, {"a": [1.0 + 1e-6]})
    with pytest.raises(AssertionError):
        assert_same({"flags": {"nan": [3]}}, {"flags": {"nan": []}})


@pytest.fixture(scope="module")
def pyodide_cases(pyodide):
    pyodide.run(CASES_SOURCE + "\n'defined'")
    return lambda part: json.loads(pyodide.run(f"as_json({part!r})"))


@pytest.mark.parametrize("part", ["simulations", "views", "training", "race"])
def test_cpython_and_pyodide_agree(part, pyodide_cases):
    cpython = json.loads(cross_runtime_cases.as_json(part))
    pyodide = pyodide_cases(part)
    # (that both sides run the same gradflow source is checked before any test here, by
    # pyodide_node._require_current_assets; its version string would prove nothing)
    assert cpython["value"], f"no {part} were computed"
    if part == "training":
        _assert_same_training(cpython["value"], pyodide["value"])
    elif part == "race":
        _assert_same_race(cpython["value"], pyodide["value"])
    elif part == "simulations":
        for index, config in enumerate(cross_runtime_cases.SIMULATIONS):
            rtol = RTOL_CHAOTIC if config in cross_runtime_cases.CHAOTIC else RTOL
            assert_same(cpython["value"][index], pyodide["value"][index],
                        f"simulate({config})", rtol)
    else:
        assert_same(cpython["value"], pyodide["value"], part)


def _assert_same_training(cpython, pyodide):
    chaotic = cross_runtime_cases.CHAOTIC_TRAINING
    compared = cross_runtime_cases.CHAOTIC_TRAINING_STEPS_COMPARED
    assert len(cpython) == len(pyodide)
    for left, right in zip(cpython, pyodide):
        name = f"training(depth={left['depth']}, residual={left['residual']})"
        if {"depth": left["depth"], "residual": left["residual"]} != chaotic:
            assert_same(left, right, name)
            continue
        # Chaotic: the same numbers while the rounding differences are still small...
        assert_same(left["losses"][:compared], right["losses"][:compared], f"{name}.losses")
        # ...and afterwards the same lesson in both runtimes: the deep plain network ends
        # with a higher loss than the deep residual one.
        for runs in (cpython, pyodide):
            residual_run = next(run for run in runs
                                if run["depth"] == left["depth"] and run["residual"])
            plain_run = next(run for run in runs
                             if run["depth"] == left["depth"] and not run["residual"])
            assert plain_run["losses"][-1] > residual_run["losses"][-1], name


def _assert_same_race(cpython, pyodide):
    """The lesson's race: every network's full loss curve, every step, to RACE_RTOL."""
    assert len(cpython) == len(pyodide) == len(cross_runtime_cases.RACE_SETTINGS)
    for left, right in zip(cpython, pyodide):
        assert left["settings"] == right["settings"]
        steps = left["settings"]["steps"]
        for index, (a, b) in enumerate(zip(left["losses"], right["losses"])):
            assert len(a) == len(b) == steps, f"race {left['settings']}, network {index}"
            worst = max(abs(x - y) / abs(x) for x, y in zip(a, b))
            assert worst <= cross_runtime_cases.RACE_RTOL, (
                f"race {left['settings']}, network {index}: relative difference {worst:.1e}")


def test_the_chaotic_cases_are_among_the_simulations():
    # A CHAOTIC entry that matched no simulation would loosen nothing and hide a typo.
    for config in cross_runtime_cases.CHAOTIC:
        assert config in cross_runtime_cases.SIMULATIONS
