"""Optimisers in numpy: SGD with momentum (as ResNet used) and Adam.

Each keeps its own state per parameter and updates the parameter arrays in place.
"""

from __future__ import annotations

import numpy as np


class SGDMomentum:
    """v <- momentum * v - lr * g;  p <- p + v."""

    def __init__(self, params: list[np.ndarray], learning_rate: float, momentum: float):
        self.params = params
        self.learning_rate = learning_rate
        self.momentum = momentum
        self.velocity = [np.zeros_like(p) for p in params]

    def step(self, grads: list[np.ndarray]) -> None:
        for p, v, g in zip(self.params, self.velocity, grads):
            v *= self.momentum
            v -= self.learning_rate * g
            p += v


class Adam:
    """Kingma & Ba 2014: step by lr * m_hat / (sqrt(v_hat) + eps), moments bias-corrected."""

    def __init__(self, params: list[np.ndarray], learning_rate: float, beta1: float = 0.9,
                 beta2: float = 0.999, eps: float = 1e-8):
        self.params = params
        self.learning_rate = learning_rate
        self.beta1, self.beta2, self.eps = beta1, beta2, eps
        self.m = [np.zeros_like(p) for p in params]
        self.v = [np.zeros_like(p) for p in params]
        self.t = 0

    def step(self, grads: list[np.ndarray]) -> None:
        self.t += 1
        correction1 = 1.0 - self.beta1**self.t
        correction2 = 1.0 - self.beta2**self.t
        for p, m, v, g in zip(self.params, self.m, self.v, grads):
            m *= self.beta1
            m += (1.0 - self.beta1) * g
            v *= self.beta2
            v += (1.0 - self.beta2) * (g * g)
            p -= self.learning_rate * (m / correction1) / (np.sqrt(v / correction2) + self.eps)
