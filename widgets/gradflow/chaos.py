"""Whether a stack's gradient sizes are the same on every computer, or chaotic.

Computers round the last bit of a float differently (CPython's numpy and the browser's,
Intel and AMD CPUs). In most stacks those differences stay near 1e-13 of each number. In
a chaotic stack (tanh or sigmoid with large weights, for example) every layer stretches a
tiny difference, so deep enough the gradient sizes differ from computer to computer by
any amount: tanh, std 1, depth 101 gives layer 1 a gradient of 2e21 in CPython and 8e21
in the browser. A view must not print such numbers as if exact.

How it is measured: the stack is run a second time with every weight changed by NUDGE of
itself (times a fixed random pattern, so every computer makes the same change), and each
layer's gradient size is compared. The stretch factor of layer l is

    stretch[l] = |nudged size - size| / (NUDGE * size)

from 0 to about 50 in a calm stack. A rounding difference grows by the same factor:
measured, the two runtimes' sizes differ by about 2e-15 x stretch of themselves. The
stretch factor is itself the same on every computer, to about 1e-5 of itself: the nudge
is 1e5 times larger than what rounding adds to it, and below ROUGH_STRETCH the response
to it is still proportional. So no stack changes level by a rounding accident.

A stack's level comes from its largest stretch factor (in a chaotic stack, the top layer's
states are the most stretched, and every gradient below the top passes through them):
CALM up to CALM_STRETCH, sizes printed as usual; ROUGH up to ROUGH_STRETCH, sizes printed
to 1 digit; CHAOTIC beyond, no size printed below the top layer. Where these thresholds
hold was measured by tests/benchmarks/sweep_chaos.py. Two more cases print no size either:
a signal that overflowed on its way up, and a loss that does not depend on the weights
(constant_loss), whose gradients are rounding noise.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .stack import branch_backward_input, init_blocks, norms, readout_vector, stack_forward

#: relative change of every weight in the nudged run
NUDGE = 1e-10
NUDGE_SEED = 20_151_210  # any fixed seed: the nudge's random pattern
#: largest stretch factor at which a stack's sizes are printed to their usual 2 or 3
#: digits: rounding differences reach about 2e-15 x 1e5 = 2e-10 of each number
CALM_STRETCH = 1e5
#: largest stretch factor at which sizes are still printed, to 1 digit: rounding
#: differences reach about 2e-7 of each number (tests/benchmarks/sweep_chaos.py)
ROUGH_STRETCH = 1e8

CALM, ROUGH, CHAOTIC = "calm", "rough", "chaotic"
STRETCHED, OVERFLOW, NOISE = "stretched", "overflow", "noise"

#: the smallest positive float with all its digits; below it, numbers lose precision
SMALLEST_NORMAL = float(np.finfo(np.float64).tiny)


@dataclass(frozen=True)
class Chaos:
    """How far a stack's gradient sizes can be trusted.

    stretch: the largest stretch factor over the layers (see the module docstring).
    level: CALM (print the usual digits), ROUGH (print 1 digit) or CHAOTIC (print no
    size below the top layer: they differ from computer to computer).
    reason (CHAOTIC only): STRETCHED (the layers magnify rounding differences), OVERFLOW
    (the signal grew past the largest float on its way up, so the gradients are not
    measurements at all) or NOISE (the loss does not depend on the weights: the true
    gradients are 0, and what a computer shows is rounding noise).
    """

    stretch: float
    level: str
    reason: str = STRETCHED


def _nudged(blocks: list[list[dict]]) -> list[list[dict]]:
    """A copy of the blocks with every weight W changed by NUDGE x (a normal random number)
    of itself. The random numbers come from their own generator with a fixed seed, so
    every computer makes the same change. (A pattern that scaled whole columns alike
    would be undone by batch norm, which divides each unit by its own spread.)"""
    rng = np.random.default_rng(NUDGE_SEED)
    out = []
    for block in blocks:
        layers = []
        for params in block:
            w = params["W"]
            layers.append({**params, "W": w * (1.0 + NUDGE * rng.standard_normal(w.shape))})
        out.append(layers)
    return out


def gradients(x, blocks, r, config) -> tuple[np.ndarray, bool]:
    """(dL/dh_l for l = 1..depth, shape (depth, B, D); whether every layer's output was a
    finite number). simulate()'s backward pass without the weights' own gradients: the
    same operations, so the same numbers."""
    hs, caches = stack_forward(x, blocks, config)
    finite = all(bool(np.isfinite(h).all()) for h in hs)
    d = np.broadcast_to(r / config.batch, hs[-1].shape)
    grads = [d]
    for cache in reversed(caches[1:]):
        branch = branch_backward_input(d, cache, config)
        d = d + branch if config.residual else branch
        grads.append(d)
    return np.stack(grads[::-1]), finite


def _nudged_run(result) -> tuple[np.ndarray, bool]:
    """simulate()'s gradient sizes for the stack of a SimulationResult with every weight
    nudged, and whether its signal stayed finite on the way up."""
    config = result.config
    rng = np.random.default_rng(config.seed)  # the draws in simulate()'s order
    x = rng.standard_normal((config.batch, config.width))
    blocks = init_blocks(rng, config)
    r = readout_vector(rng, config.width)
    with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
        grads, finite = gradients(x, _nudged(blocks), r, config)
        return np.sqrt(config.batch) * norms(grads), finite


def stretch_factors(result, nudged=None) -> list[float]:
    """stretch[l-1] for layers l = 1..depth of a SimulationResult: how many times more its
    gradient size changes than the weights do when every weight is nudged by NUDGE of
    itself. 0 where either size is not a normal float: 0, below SMALLEST_NORMAL (whose
    last digits are lost to rounding by any computer, chaotic or not: the views print
    those sizes as too small), infinite or NaN, unless only one of the two runs is NaN or
    infinite (inf then). nudged: the nudged run's sizes, if already computed."""
    size = np.asarray(result.activation_grad_norms, dtype=float)
    if nudged is None:
        nudged = _nudged_run(result)[0]
    with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
        normal = np.isfinite(size) & np.isfinite(nudged) & (size >= SMALLEST_NORMAL) & (
            nudged >= SMALLEST_NORMAL)
        stretch = np.where(normal, np.abs(nudged - size) / (NUDGE * np.where(normal, size, 1.0)),
                           0.0)
        # one run finite and the other not (or NaN in one only): as far apart as can be
        broken = np.isfinite(size) != np.isfinite(nudged)
        broken |= np.isnan(size) != np.isnan(nudged)
        broken |= np.isinf(size) & np.isinf(nudged) & (size != nudged)
    return np.where(broken, np.inf, stretch).tolist()


def constant_loss(config) -> bool:
    """Whether the stack's loss is the same whatever its weights, so that every gradient
    below the top layer is exactly 0 and a computer shows only rounding noise: a plain
    stack whose layers end with batch norm and no activation (the loss reads the batch
    average of the top layer, and batch norm makes that average exactly 0)."""
    return config.activation == "linear" and config.batch_norm and not config.residual


def assess(result) -> Chaos:
    """How far the gradient sizes of a SimulationResult (from simulate()) can be trusted."""
    if constant_loss(result.config):
        return Chaos(stretch=math.inf, level=CHAOTIC, reason=NOISE)
    nudged, finite = _nudged_run(result)
    if not finite:
        return Chaos(stretch=math.inf, level=CHAOTIC, reason=OVERFLOW)
    stretches = np.asarray(stretch_factors(result, nudged))
    stretch = float(np.max(stretches, initial=0.0)) if not np.isnan(stretches).any() else np.inf
    if stretch <= CALM_STRETCH:
        level = CALM
    elif stretch <= ROUGH_STRETCH:
        level = ROUGH
    else:
        level = CHAOTIC
    return Chaos(stretch=stretch, level=level)
