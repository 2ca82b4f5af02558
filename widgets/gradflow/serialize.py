"""Plain-JSON encoding of results (what crosses from the Web Worker to the page).

JSON has no inf or nan, and the browser's JSON.parse rejects Python's `Infinity`/`NaN`
literals, so non-finite floats travel as the strings "Infinity", "-Infinity" and "NaN".
Exact zeros stay 0.0; results list the layers where they occur in flags["underflow"].
"""

from __future__ import annotations

import math

import numpy as np

def encode_float(x) -> float | str:
    x = float(x)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x


def to_jsonable(value):
    """Turn nested dicts/lists/tuples of numbers (numpy included) into plain JSON values."""
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return encode_float(value)
    if value is None or isinstance(value, str):
        return value
    raise TypeError(f"cannot encode {type(value).__name__} as JSON: {value!r}")

