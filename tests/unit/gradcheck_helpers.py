"""Numerical gradients for the gradflow unit tests (cs231n style)."""

import numpy as np


def numerical_gradient(f, x: np.ndarray, h: float = 1e-5, indices=None) -> np.ndarray:
    """Centred finite difference of the scalar f() with respect to x, changed in place.

    indices: the flat positions to check (default all); other entries of the result are 0.
    """
    grad = np.zeros_like(x)
    flat_x, flat_grad = x.reshape(-1), grad.reshape(-1)
    for i in range(x.size) if indices is None else indices:
        old = flat_x[i]
        flat_x[i] = old + h
        up = f()
        flat_x[i] = old - h
        down = f()
        flat_x[i] = old
        flat_grad[i] = (up - down) / (2 * h)
    return grad


def relative_error(analytic: np.ndarray, numeric: np.ndarray) -> float:
    """||a - n|| / (||a|| + ||n||): scale-free, and not thrown by entries that are ~0."""
    denominator = np.linalg.norm(analytic) + np.linalg.norm(numeric)
    return float(np.linalg.norm(analytic - numeric) / max(denominator, 1e-300))


def assert_gradients_match(analytic, numeric, tolerance: float = 1e-6, zero: float = 1e-9):
    """Relative error below tolerance, or both zero to the finite difference's precision
    (a bias right before batch norm has gradient exactly 0 in theory; the difference
    quotient then returns rounding noise of ~1e-11, and a relative error of noise means
    nothing)."""
    if np.linalg.norm(analytic) < zero and np.linalg.norm(numeric) < zero:
        return
    error = relative_error(analytic, numeric)
    assert error < tolerance, f"relative error {error:.2e} >= {tolerance:g}"
