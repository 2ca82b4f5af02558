"""A stack of layers, plain or residual: its forward pass, its backward pass, and simulate().

Shapes: h_l is (B, D) for B examples of D = width units; h_0 is the random input batch and
h_l the output of layer l = 1..depth. A layer is a "block": one dense layer in a plain
stack, or h + branch_scale * F(h) in a residual stack.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field

import numpy as np

from . import activations
from .config import StackConfig, make_config
from .init import init_weights
from .layers import dense_backward, dense_backward_input, dense_forward
from .serialize import to_jsonable


# ---------------------------------------------------------------- building and running


def preactivated(config) -> bool:
    """Whether the branch's layers run BN -> act -> weights (He et al. 2016). TrainConfig,
    which shares this code, has no such option."""
    return bool(config.residual and getattr(config, "preactivation", False))


def dense_specs(config) -> list[tuple[str | None, bool]]:
    """(activation, batch_norm) of each dense layer inside one block.

    A two-layer residual branch ends linear and without batch norm, so that zeroing its
    last layer makes the branch output exactly 0 ("identity at the start"). A pre-activation
    branch ends with weights anyway (BN -> act -> W, twice for two layers), so both its
    layers keep their activation and batch norm.
    """
    first = (config.activation, config.batch_norm)
    if config.residual and config.branch_layers == 2:
        return [first, first if preactivated(config) else (None, False)]
    return [first]


def init_blocks(rng: np.random.Generator, config) -> list[list[dict]]:
    """Parameters of every block: blocks[l-1] is a list of dense-layer param dicts."""
    specs = dense_specs(config)
    blocks = []
    for _ in range(config.depth):
        block = []
        for i, (_, batch_norm) in enumerate(specs):
            params = {
                "W": init_weights(rng, config.width, config.width, config.init, config.std),
                "b": np.zeros(config.width),  # biases start at 0 for every init
            }
            if config.residual and config.zero_init_branch and i == len(specs) - 1:
                params["W"] = np.zeros_like(params["W"])
            if batch_norm:
                params["gamma"] = np.ones(config.width)
                params["beta"] = np.zeros(config.width)
            block.append(params)
        blocks.append(block)
    return blocks


def block_forward(h, block, config):
    """h: (B, D) -> (out: (B, D), cache). plain: F(h); residual: h + scale * F(h)."""
    branch = h
    caches = []
    pre = preactivated(config)
    for params, (act, batch_norm) in zip(block, dense_specs(config)):
        branch, cache = dense_forward(branch, params, act, batch_norm, pre)
        caches.append(cache)
    if config.residual:
        if config.branch_scale != 1.0:  # skip a whole-array multiply by 1
            branch = config.branch_scale * branch
        return h + branch, caches
    return branch, caches


def branch_backward(dout, caches, config):
    """dL/dh through the branch F only (times branch_scale for a residual block).

    Returns (dh_branch: (B, D), grads: list of per-dense-layer grad dicts).
    """
    d = config.branch_scale * dout if config.residual and config.branch_scale != 1.0 else dout
    grads = [None] * len(caches)
    for i in reversed(range(len(caches))):
        d, grads[i] = dense_backward(d, caches[i])
    return d, grads


def branch_backward_input(dout, caches, config):
    """branch_backward without parameter gradients, for dout: (..., B, D)."""
    d = config.branch_scale * dout if config.residual and config.branch_scale != 1.0 else dout
    for cache in reversed(caches):
        d = dense_backward_input(d, cache)
    return d


def block_backward(dout, caches, config):
    """dout = dL/d(out): (B, D) -> (dL/dh: (B, D), grads)."""
    dbranch, grads = branch_backward(dout, caches, config)
    if config.residual:
        return dout + dbranch, grads  # skip path: dh = dout + dbranch (the identity term)
    return dbranch, grads


def stack_forward(h0, blocks, config):
    """h0: (B, D) -> (hs, caches) with hs[l] = h_l for l = 0..depth."""
    hs = [h0]
    caches = []
    for block in blocks:
        h, cache = block_forward(hs[-1], block, config)
        hs.append(h)
        caches.append(cache)
    return hs, caches


def stack_backward(dtop, caches, config):
    """dtop = dL/dh_depth -> (dhs, grads): dhs[l] = dL/dh_l for l = 0..depth."""
    dhs = [None] * (len(caches) + 1)
    dhs[-1] = dtop
    grads = [None] * len(caches)
    for l in reversed(range(len(caches))):
        dhs[l], grads[l] = block_backward(dhs[l + 1], caches[l], config)
    return dhs, grads


def norms(a: np.ndarray) -> np.ndarray:
    """Euclidean norm of each a[i] (over all its other axes), safe from over- and underflow.

    np.linalg.norm squares the entries, so 1e-200 would become 0 (a false "underflow") and
    1e200 would become inf. Dividing by the largest entry first avoids both. An a[i] with
    an infinite entry has norm inf, one with a NaN has norm NaN.
    """
    flat = np.asarray(a, dtype=np.float64).reshape(len(a), -1)
    if flat.shape[1] == 0:
        return np.zeros(len(flat))
    biggest = np.max(np.abs(flat), axis=1)
    usable = np.isfinite(biggest) & (biggest > 0)
    safe = np.where(usable, biggest, 1.0)
    scaled = safe * np.sqrt(np.sum((flat / safe[:, None]) ** 2, axis=1))
    # zero stays zero; inf stays inf; and max() ignores no NaN, so NaN stays NaN
    return np.where(usable, scaled, biggest)


def norm(a: np.ndarray) -> float:
    """norms() of a single array."""
    return float(norms(np.asarray(a)[None])[0])


# ---------------------------------------------------------------- result


@dataclass
class SimulationResult:
    """Per-layer measurements of one stack at initialisation (lists, one entry per layer).

    activation_grad_norms[l-1]: size of dL/dh_l per example, sqrt(B) * ||dL/dh_l||
        (Frobenius over the batch); exactly 1 at the top layer by construction.
    weight_grad_norms[l-1]: ||dL/dW_l|| (all weight matrices of layer l together).
    activation_mean/std: of h_l over the batch and units.
    saturated_fraction: share of sigmoid/tanh outputs with slope < 1 % of the maximum.
    dead_fraction: share of ReLU units that are 0 for the whole batch.
    reference: overlay curves, same length as layers: "sigmoid_bound" (plain sigmoid
        stacks: (1/4)^(depth - l), the slope factors alone) and "identity" (residual
        stacks: the identity term of dh_l/dh_{l-1} = I + dF/dh alone passes 1 everywhere).
    flags: layers whose activation gradient norm is exactly 0 ("underflow": below the
        smallest float64, or every path blocked by dead ReLUs), infinite ("overflow") or
        NaN ("nan").
    """

    config: StackConfig
    layers: list[int]
    activation_grad_norms: list[float]
    weight_grad_norms: list[float]
    activation_mean: list[float]
    activation_std: list[float]
    saturated_fraction: list[float]
    dead_fraction: list[float]
    loss: float
    first_to_last_ratio: float
    reference: dict[str, list[float]] = field(default_factory=dict)
    flags: dict[str, list[int]] = field(default_factory=dict)

    _FLOAT_LISTS = ("activation_grad_norms", "weight_grad_norms", "activation_mean",
                    "activation_std", "saturated_fraction", "dead_fraction")

    def to_dict(self) -> dict:
        """JSON-ready dict: non-finite floats as "Infinity"/"-Infinity"/"NaN" strings."""
        data = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        data["config"] = self.config.to_dict()
        return to_jsonable(data)


# ---------------------------------------------------------------- simulate


def readout_vector(rng: np.random.Generator, width: int) -> np.ndarray:
    """A fixed random unit vector r: (D,), the direction the top-layer loss reads."""
    r = rng.standard_normal(width)
    return r / np.linalg.norm(r)


def simulate(config: StackConfig | None = None, **overrides) -> SimulationResult:
    """Run one forward and one backward pass through a freshly initialised stack.

    `simulate(depth=30, activation="sigmoid")` or `simulate(StackConfig(...), seed=1)`.

    The loss is a fixed random linear read-out of the top layer, L = mean_b r . h_depth[b]
    with ||r|| = 1. Why this loss: its gradient at the top, dL/dh_depth = r / B for every
    example, is the same whatever the weights, so each change in gradient size further
    down is caused by the layers alone (the product of their Jacobians) - which is what
    the lessons measure. A squared-error or cross-entropy loss would also mix in how wrong
    the untrained network happens to be.

    The random numbers are drawn in a fixed order (input, weights layer by layer, then r)
    from numpy's default generator seeded with config.seed, so a seed gives the same
    numbers in CPython and in the browser.
    """
    config = make_config(StackConfig, config, overrides)
    rng = np.random.default_rng(config.seed)
    x = rng.standard_normal((config.batch, config.width))
    blocks = init_blocks(rng, config)
    r = readout_vector(rng, config.width)

    # Overflow, underflow and inf - inf are results to report here, not errors to stop at.
    with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
        hs, caches = stack_forward(x, blocks, config)
        loss = float(np.mean(hs[-1] @ r))
        dtop = np.broadcast_to(r / config.batch, hs[-1].shape)
        dhs, grads = stack_backward(dtop, caches, config)

        # Measured for all layers at once: one numpy call per statistic instead of one per
        # layer (the per-call cost dominates for small layers, in the browser even more).
        scale = math.sqrt(config.batch)  # per-example size: 1 at the top
        grad_norms = (scale * norms(np.stack(dhs[1:]))).tolist()
        weight_norms = norms(np.stack([
            np.concatenate([g["W"].ravel() for g in block_grads]) for block_grads in grads
        ])).tolist()
        h = np.stack(hs[1:])
        means = h.mean(axis=(1, 2)).tolist()
        stds = h.std(axis=(1, 2)).tolist()
        # Saturation and death are properties of the activation units (the branch's first
        # layer in a residual block), not of the sum h + F(h).
        z = np.stack([cache[0]["act"][0] for cache in caches])
        out = np.stack([cache[0]["act"][1] for cache in caches])
        saturated = activations.saturated_fraction(config.activation, z).tolist()
        dead = activations.dead_fraction(config.activation, out).tolist()
        ratio = grad_norms[0] / grad_norms[-1] if grad_norms[-1] != 0 else math.nan

    depth = config.depth
    layers = list(range(1, depth + 1))
    reference = {}
    if config.activation == "sigmoid" and not config.residual:
        reference["sigmoid_bound"] = [0.25 ** (depth - l) for l in layers]
    if config.residual:
        reference["identity"] = [1.0] * depth
    flags = {
        "underflow": [l for l, g in zip(layers, grad_norms) if g == 0.0],
        "overflow": [l for l, g in zip(layers, grad_norms) if math.isinf(g)],
        "nan": [l for l, g in zip(layers, grad_norms) if math.isnan(g)],
    }
    return SimulationResult(
        config=config, layers=layers, activation_grad_norms=grad_norms,
        weight_grad_norms=weight_norms, activation_mean=means, activation_std=stds,
        saturated_fraction=saturated, dead_fraction=dead, loss=loss,
        first_to_last_ratio=float(ratio), reference=reference, flags=flags,
    )
