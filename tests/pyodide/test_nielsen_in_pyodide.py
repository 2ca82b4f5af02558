"""Lesson 2's replication of Nielsen's measurement gives the same numbers in the browser's
Python (Pyodide) as at build time (CPython), reading the digits file the site ships.

Tolerance: relative 1e-9, as for every non-chaotic case (test_cross_runtime.py). Each step
of full-batch gradient descent with Nielsen's small learning rate moves the weights a
little and damps rather than grows differences, so the runtimes' last-bit differences stay
tiny over the whole run (measured: see RTOL below).
"""

import base64
import json

import pytest

from pyodide_node import REPO
from test_cross_runtime import assert_same

from gradflow.digits import DIGITS_FILE_NAME, DIGITS_PATH
from gradflow.nielsen import NielsenSpeeds

#: measured the largest relative difference over every speed of every step of these runs:
#: reported by the test's failure message if it is ever exceeded
RTOL = 1e-9
#: the lesson's default, and the deepest, longest run at the last seed a reader can pick
SETTINGS = [dict(NielsenSpeeds.defaults), {"hidden_layers": 5, "steps": 300, "seed": 9}]
SHIPPED = REPO / "_build" / "site-assets" / "data" / DIGITS_FILE_NAME


@pytest.fixture(scope="module")
def pyodide_with_digits(pyodide):
    """The session with the shipped digits file where the worker writes it."""
    if not SHIPPED.is_file():
        pytest.fail(f"{SHIPPED} is missing: run `make assets`")
    data = base64.b64encode(SHIPPED.read_bytes()).decode()
    pyodide.run(
        "import base64, os\n"
        f"os.makedirs(os.path.dirname({DIGITS_PATH!r}), exist_ok=True)\n"
        f"open({DIGITS_PATH!r}, 'wb').write(base64.b64decode({data!r}))\n"
        "'written'")
    return pyodide


def _speeds_in_pyodide(session, settings):
    return json.loads(session.run(
        "import json, time\n"
        "from gradflow.views import TRAINERS\n"
        "started = time.perf_counter()\n"
        f"run = TRAINERS['nielsen']({settings!r})\n"
        "state = run.run_to_end(37)\n"  # in chunks, as the worker streams it
        "json.dumps({'speeds': run.speeds, 'accuracy': run.accuracy, 'readout': state['readout'],"
        " 'seconds': time.perf_counter() - started})"))


@pytest.mark.parametrize("settings", SETTINGS, ids=lambda s: "-".join(map(str, s.values())))
def test_speeds_match_cpython(pyodide_with_digits, settings):
    run = NielsenSpeeds(settings)
    state = run.run_to_end()
    browser = _speeds_in_pyodide(pyodide_with_digits, settings)
    assert len(browser["speeds"]) == settings["steps"] + 1
    worst = max(abs(a - b) / abs(a) for row_c, row_p in zip(run.speeds, browser["speeds"])
                for a, b in zip(row_c, row_p))
    # shown with -s: the measurement behind RTOL, and the time (not a test: benchmarks time)
    print(f"\n{settings}: largest relative difference {worst:.1e}, "
          f"{browser['seconds']:.2f} s in Pyodide")
    assert_same(run.speeds, browser["speeds"], f"speeds {settings}", RTOL)
    assert browser["accuracy"] == run.accuracy
    assert browser["readout"] == state["readout"]


def test_the_loader_reads_the_shipped_file_in_pyodide(pyodide_with_digits):
    counts = json.loads(pyodide_with_digits.run(
        "import json, numpy as np\n"
        "from gradflow.digits import load_digits\n"
        "d = load_digits()\n"
        "json.dumps([d.images.shape, np.bincount(d.labels).tolist()])"))
    assert counts == [[1797, 64], [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]]
