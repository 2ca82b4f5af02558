"""Stand-ins for the last-bit differences between computers, for the chaos tests and
tests/benchmarks/sweep_chaos.py.

CPython's numpy and the browser's (Pyodide's 2.0.2, without a BLAS), and Intel and AMD
CPUs, round the last bit of some results differently. These context managers make such
differences on purpose, so a test can check that what a view prints does not change:

- nudged_weights(seed): every starting weight times (1 + 1e-15 x a random normal
  number), about the size of a rounding difference;
- reordered_products(): every matrix product of the forward pass summed in another
  order (the two halves of each sum apart, then added: mathematically equal, rounded
  differently).

Both act on gradflow.stack and gradflow.layers, so simulate() and gradflow.chaos's
second run see the same changed computer, as a real one would.
"""

from __future__ import annotations

import contextlib

import numpy as np

from gradflow import layers, stack, views
from gradflow.chaos import assess

WEIGHT_NUDGE = 1e-15


@contextlib.contextmanager
def nudged_weights(seed: int):
    rng = np.random.default_rng(10_000 + seed)
    original = stack.init_weights

    def init_weights(generator, fan_in, fan_out, init, std=1.0):
        w = original(generator, fan_in, fan_out, init, std)
        return w * (1.0 + WEIGHT_NUDGE * rng.standard_normal(w.shape))

    stack.init_weights = init_weights
    try:
        yield
    finally:
        stack.init_weights = original


@contextlib.contextmanager
def reordered_products():
    original = layers.affine_forward

    def affine_forward(x, w, b):
        half = w.shape[0] // 2
        return (x[:, :half] @ w[:half]) + (x[:, half:] @ w[half:]) + b, (x, w)

    layers.affine_forward = affine_forward
    try:
        yield
    finally:
        layers.affine_forward = original


#: (name, context manager factory): the computers a check compares with this one
OTHER_COMPUTERS = [
    ("weights nudged (1)", lambda: nudged_weights(1)),
    ("weights nudged (2)", lambda: nudged_weights(2)),
    ("products reordered", reordered_products),
]


def displayed(settings: dict) -> dict:
    """What the gradient view prints for these settings (readout, summary, table) and each
    stack's chaos level, without building the figure."""
    s = views.validate_settings("gradient", settings)
    results = views.gradient_results(s)
    chaos = [assess(r) for r in results]
    return {"readout": views.gradient_readout(results, chaos),
            "summary": views.gradient_summary(results, s["log_y"], chaos),
            "table": views.gradient_table(results, chaos),
            "levels": [c.level for c in chaos],
            "stretch": [c.stretch for c in chaos],
            "sizes": [r.activation_grad_norms for r in results]}


def on_other_computers(settings: dict, computers=OTHER_COMPUTERS) -> tuple[dict, list]:
    """displayed(settings) here, and [(name, displayed(settings) there)] for the others."""
    here = displayed(settings)
    there = []
    for name, computer in computers:
        with computer():
            there.append((name, displayed(settings)))
    return here, there


def differences(settings: dict, computers=OTHER_COMPUTERS, compared=None) -> list[str]:
    """What another computer would print differently for these settings: one line per
    difference (empty when every text and level is the same). compared: the result of
    on_other_computers, if already run."""
    here, others = compared or on_other_computers(settings, computers)
    found = []
    for name, there in others:
        for key in ("readout", "summary", "table", "levels"):
            if here[key] != there[key]:
                found.append(f"{settings} with {name}: {key} differs: {here[key]!r:.300} "
                             f"vs {there[key]!r:.300}")
    return found
