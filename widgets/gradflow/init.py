"""Weight initialisations (the starting weights decide how signals and gradients scale).

All return a (fan_in, fan_out) matrix W used as h_out = h_in @ W (rows are examples).
"""

from __future__ import annotations

import numpy as np


def init_weights(rng: np.random.Generator, fan_in: int, fan_out: int, init: str,
                 std: float = 1.0) -> np.ndarray:
    """Draw W of shape (fan_in, fan_out).

    normal:     N(0, std^2) entries; std = 1, whatever the layer size, is the lessons'
                deliberately bad start (not a historical recipe).
    xavier:     Glorot & Bengio 2010, U[-a, a] with a = sqrt(6 / (fan_in + fan_out)),
                keeps signal variance steady for tanh-like units near 0.
    he:         He et al. 2015, N(0, 2 / fan_in), makes up for ReLU zeroing half the units.
    orthogonal: a random orthogonal matrix (gain 1): every singular value is exactly 1.
    """
    if init == "normal":
        return rng.normal(0.0, std, size=(fan_in, fan_out))
    if init == "xavier":
        limit = np.sqrt(6.0 / (fan_in + fan_out))
        return rng.uniform(-limit, limit, size=(fan_in, fan_out))
    if init == "he":
        return rng.normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_in, fan_out))
    if init == "orthogonal":
        a = rng.standard_normal((max(fan_in, fan_out), min(fan_in, fan_out)))
        q, r = np.linalg.qr(a)
        # Fixing the signs by r's diagonal makes q uniformly distributed (Mezzadri 2007).
        q = q * np.where(np.diag(r) < 0, -1.0, 1.0)
        return q if fan_in >= fan_out else q.T
    raise ValueError(f"init must be one of 'normal', 'xavier', 'he', 'orthogonal', got {init!r}")
