"""Activation functions and their slopes.

Each slope is computed from the activation's input z, in a form that stays accurate far
into saturation: sigmoid'(z) = s(z) s(-z)
rather than s (1 - s), because 1 - s rounds to exactly 0 once s rounds to 1 (z > ~37),
which would report a tiny slope such as 4e-18 as an exact zero.
"""

from __future__ import annotations

import numpy as np


def sigmoid(z: np.ndarray) -> np.ndarray:
    # Written with exp(-|z|) so that large |z| neither overflows nor loses precision.
    e = np.exp(-np.abs(z))
    r = 1.0 / (1.0 + e)
    return np.where(z >= 0, r, e * r)


def _sigmoid_slope(z):
    # s(z) s(-z) = e / (1 + e)^2 with e = exp(-|z|): at most 1/4, at z = 0
    e = np.exp(-np.abs(z))
    r = 1.0 / (1.0 + e)
    return e * r * r


def _tanh_slope(z):
    # 1 - tanh(z)^2 = 1 / cosh(z)^2 = 4e / (1 + e)^2 with e = exp(-2|z|): at most 1, at z = 0
    e = np.exp(-2.0 * np.abs(z))
    r = 1.0 / (1.0 + e)
    return 4.0 * e * r * r


def _relu_slope(z):
    return z > 0  # 0 for z <= 0: a unit that is off passes nothing (bool: 1 or 0 when multiplied)


def _linear_slope(z):
    return 1.0


FORWARD = {
    "sigmoid": sigmoid,
    "tanh": np.tanh,
    "relu": lambda z: np.maximum(z, 0.0),
    "linear": lambda z: z,
}

SLOPE = {
    "sigmoid": _sigmoid_slope,
    "tanh": _tanh_slope,
    "relu": _relu_slope,
    "linear": _linear_slope,
}

# Largest slope of each activation; a unit counts as saturated when its slope is below
# SATURATION_FRACTION of this (sigmoid: output within ~0.01 of 0 or 1; tanh: |output| > 0.995).
MAX_SLOPE = {"sigmoid": 0.25, "tanh": 1.0}
SATURATION_FRACTION = 0.01


def saturated_fraction(name: str, z: np.ndarray) -> np.ndarray:
    """Fraction of unit-example pairs whose slope is under 1 % of the activation's maximum.

    z: (..., B, D) -> (...): one fraction per leading index (e.g. per layer).
    0 for relu and linear, which do not saturate on the positive side.
    """
    if name not in MAX_SLOPE:
        return np.zeros(z.shape[:-2])
    slope = SLOPE[name](z)
    return np.mean(slope < SATURATION_FRACTION * MAX_SLOPE[name], axis=(-2, -1))


def dead_fraction(name: str, out: np.ndarray) -> np.ndarray:
    """Fraction of ReLU units that output 0 for every example of the batch.

    out: (..., B, D) -> (...). A dead unit passes no gradient at all. 0 for the others.
    """
    if name != "relu":
        return np.zeros(out.shape[:-2])
    return np.mean(np.all(out <= 0.0, axis=-2), axis=-1)
