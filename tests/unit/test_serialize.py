"""JSON encoding of non-finite values and exact zeros."""

import json
import math

import numpy as np
import pytest

from gradflow import SimulationResult, simulate
from gradflow.serialize import decode_float, encode_float, to_jsonable

pytestmark = pytest.mark.pyodide  # these checks must also hold in the browser


def test_non_finite_floats_become_strings_and_back():
    for value, text in [(math.inf, "Infinity"), (-math.inf, "-Infinity")]:
        assert encode_float(value) == text and decode_float(text) == value
    assert encode_float(math.nan) == "NaN" and math.isnan(decode_float("NaN"))
    assert encode_float(np.float64(0.0)) == 0.0
    with pytest.raises(ValueError, match="expected a number or one of"):
        decode_float("inf")


def test_to_jsonable_handles_numpy():
    data = to_jsonable({"a": np.arange(3), "b": (np.float64(np.inf), np.bool_(True)), "c": None})
    assert data == {"a": [0, 1, 2], "b": ["Infinity", True], "c": None}
    with pytest.raises(TypeError):
        to_jsonable({"x": object()})


def test_overflow_and_nan_survive_the_round_trip():
    result = simulate(depth=400, width=64, batch=8, activation="linear", std=3.0)
    assert result.flags["overflow"] or result.flags["nan"]
    data = json.loads(json.dumps(result.to_dict(), allow_nan=False))
    assert "Infinity" in data["activation_grad_norms"] or "NaN" in data["activation_grad_norms"]
    back = SimulationResult.from_dict(data)
    assert back.flags == result.flags
    assert [math.isinf(g) for g in back.activation_grad_norms] == [math.isinf(g) for g in result.activation_grad_norms]
