"""JSON encoding of non-finite values and exact zeros."""

import json
import math

import numpy as np
import pytest

from gradflow import simulate
from gradflow.serialize import encode_float, to_jsonable

pytestmark = pytest.mark.pyodide  # these checks must also hold in the browser


def test_non_finite_floats_become_strings():
    for value, text in [(math.inf, "Infinity"), (-math.inf, "-Infinity"), (math.nan, "NaN")]:
        assert encode_float(value) == text
    assert encode_float(np.float64(0.0)) == 0.0 and encode_float(np.float32(0.5)) == 0.5


def test_to_jsonable_handles_numpy():
    data = to_jsonable({"a": np.arange(3), "b": (np.float64(np.inf), np.bool_(True)), "c": None})
    assert data == {"a": [0, 1, 2], "b": ["Infinity", True], "c": None}
    with pytest.raises(TypeError):
        to_jsonable({"x": object()})


def test_overflow_and_nan_reach_json_as_strings_at_their_layers():
    result = simulate(depth=400, width=64, batch=8, activation="linear", std=3.0)
    assert result.flags["overflow"] or result.flags["nan"]
    data = json.loads(json.dumps(result.to_dict(), allow_nan=False))
    norms = data["activation_grad_norms"]
    assert [g == "Infinity" for g in norms] == [math.isinf(g) for g in result.activation_grad_norms]
    assert [g == "NaN" for g in norms] == [math.isnan(g) for g in result.activation_grad_norms]
    assert data["flags"] == result.flags
