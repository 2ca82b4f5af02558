"""The two-spirals data set, generated in code (nothing is downloaded).

Two interleaved spirals in the plane, one per class: easy for a network to fit, impossible
for a straight line, so a network has to use its depth.
"""

from __future__ import annotations

import numpy as np


def two_spirals(n_points: int, noise: float, rng: np.random.Generator, turns: float = 1.5):
    """n_points points (half per class) -> x: (n_points, 2) float64, y: (n_points,) int64 in {0, 1}.

    Class 0 winds out from the centre; class 1 is the same spiral turned by half a turn.
    noise is the standard deviation of Gaussian jitter added to each coordinate; the
    radius runs up to 1, so noise 0.05 is a little fuzz and 0.3 smears the arms together.
    """
    n0 = n_points // 2
    counts = (n0, n_points - n0)
    xs, ys = [], []
    for label, count in enumerate(counts):
        t = np.linspace(0.1, 1.0, count)  # start off-centre: both spirals meet at 0
        angle = 2.0 * np.pi * turns * t + np.pi * label
        points = np.stack([t * np.cos(angle), t * np.sin(angle)], axis=1)
        xs.append(points + noise * rng.standard_normal(points.shape))
        ys.append(np.full(count, label, dtype=np.int64))
    return np.concatenate(xs), np.concatenate(ys)
