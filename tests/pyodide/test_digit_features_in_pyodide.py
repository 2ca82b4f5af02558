"""Lesson 1's digits network trained in Pyodide (numpy 2.0.2, no BLAS) shows what the page
shows (CPython at build time): the same pictures, words, favourite digits and readout, and
the same accuracy curve to 1e-9. Its recipe was chosen not to be chaotic
(tests/unit/test_digit_features.py::test_recipe_is_not_chaotic: a 1e-13 change of the
weights stays below 1e-12 over 300 steps), so whole runs are compared, not just their
start."""

from __future__ import annotations

import base64
import json

import pytest

from gradflow import digits
from gradflow.digit_features import DigitFeatures

from test_cross_runtime import assert_same

# the page's default, the last seed a reader can choose, and the longest run
SETTINGS = [{}, {"seed": 9}, {"seed": 3, "steps": 300}]
# inside Pyodide: a copy of the checked file, named the way CPython names one
DIGITS_COPY = "/tmp/digits-for-tests.bin"


@pytest.fixture(scope="module")
def pyodide_digits(pyodide):
    """Pyodide's gradflow reads the same digits file as CPython's (the browser's worker
    fetches it; here it is written in)."""
    data = base64.b64encode(digits._local_path().read_bytes()).decode("ascii")
    pyodide.run(f"""
import base64, os
with open({DIGITS_COPY!r}, "wb") as f:
    f.write(base64.b64decode({data!r}))
os.environ[{digits.DIGITS_ENV!r}] = {DIGITS_COPY!r}
'ok'""")
    return pyodide


@pytest.mark.parametrize("settings", SETTINGS, ids=lambda s: json.dumps(s))
def test_pyodide_trains_the_same_network(pyodide_digits, settings):
    pyodide_state = pyodide_digits.run_json(f"""
import json
from gradflow.digit_features import DigitFeatures
from gradflow.serialize import to_jsonable
json.dumps(to_jsonable(DigitFeatures({settings!r}).run_to_end()))""")
    from gradflow.serialize import to_jsonable
    cpython_state = json.loads(json.dumps(to_jsonable(DigitFeatures(settings).run_to_end())))
    # what a reader reads and sees, exactly: words, favourite digits, pictures, readout
    for key in ("readout", "summary", "table", "images", "step", "done"):
        assert pyodide_state[key] == cpython_state[key], key
    assert_same(cpython_state["figure"], pyodide_state["figure"], "figure")
