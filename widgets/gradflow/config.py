"""Settings for a stack of layers, with the checks that keep them honest.

Every setting is checked when a config is made, so a bad value fails where it was typed,
with a message naming the setting, the value given and what is allowed. Nothing is
silently clipped into range.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

ACTIVATIONS = ("sigmoid", "tanh", "relu", "linear")
INITS = ("normal", "xavier", "he", "orthogonal")
BRANCH_LAYERS = (1, 2)

# Ranges of the size settings. The upper ends are what a browser tab can still afford for
# a single run; the compute guard below also limits their product.
DEPTH_RANGE = (1, 1000)
WIDTH_RANGE = (2, 256)
BATCH_RANGE = (1, 1024)
STD_RANGE = (1e-3, 100.0)
BRANCH_SCALE_RANGE = (0.0, 10.0)
SEED_RANGE = (0, 2**32 - 1)

# Compute guard. One forward + backward pass costs about 3 multiply-adds per weight per
# example, so depth x width^2 x batch measures the work. Measured here, numpy does
# ~1e9 of these units per second in CPython and Pyodide is 2-4x slower (no threaded BLAS),
# so this limit keeps one simulate call well under a second in a browser tab.
MAX_SIMULATE_WORK = 300_000_000
# Memory guard. simulate keeps every layer's activations and gradients (about ten arrays of
# depth x batch x width float64 values); this bound keeps that under ~250 MB, which a
# browser tab on a school laptop can still hold.
MAX_STORED_VALUES = 3_000_000


def check_int(name: str, value, low: int, high: int) -> int:
    """Return value as an int if it is a whole number in [low, high], else raise."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (
        isinstance(value, float) and not value.is_integer()
    ):
        raise ValueError(f"{name} must be a whole number from {low} to {high}, got {value!r}")
    if not low <= value <= high:
        raise ValueError(f"{name} must be from {low} to {high}, got {value!r}")
    return int(value)


def check_float(name: str, value, low: float, high: float) -> float:
    """Return value as a float if it is a finite number in [low, high], else raise."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{name} must be a number from {low:g} to {high:g}, got {value!r}")
    if not math.isfinite(value) or not low <= value <= high:
        raise ValueError(f"{name} must be from {low:g} to {high:g}, got {value!r}")
    return float(value)


def check_choice(name: str, value, choices: tuple):
    """Return value if it is one of choices, else raise listing them."""
    if isinstance(value, bool) or value not in choices:
        allowed = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{name} must be one of {allowed}, got {value!r}")
    return value


def check_bool(name: str, value) -> bool:
    """Return value if it is True or False (not 0/1 or a string), else raise."""
    if not isinstance(value, bool):
        raise ValueError(f"{name} must be True or False, got {value!r}")
    return value


def check_work(work: float, limit: float, what: str, reduce: str) -> None:
    """Refuse a run whose estimated work would freeze a browser tab.

    work and limit are in units of multiply-adds per weight per example (see
    MAX_SIMULATE_WORK); reduce names the settings the reader can lower.
    """
    if work > limit:
        raise ValueError(
            f"{what} is too large to run in a browser tab: estimated work {work:.3g} "
            f"exceeds the limit {limit:.3g}; reduce {reduce}"
        )


def check_layer_settings(config) -> None:
    """Validate (and store normalised) the settings a layer stack shares with a trained
    network: activation, init, std, residual branch and batch norm. Used by StackConfig
    and TrainConfig, which are frozen dataclasses."""
    set_ = object.__setattr__
    check_choice("activation", config.activation, ACTIVATIONS)
    check_choice("init", config.init, INITS)
    set_(config, "std", check_float("std", config.std, *STD_RANGE))
    check_bool("residual", config.residual)
    set_(config, "branch_layers", check_choice("branch_layers", config.branch_layers, BRANCH_LAYERS))
    set_(config, "branch_scale", check_float("branch_scale", config.branch_scale, *BRANCH_SCALE_RANGE))
    check_bool("zero_init_branch", config.zero_init_branch)
    check_bool("batch_norm", config.batch_norm)


@dataclass(frozen=True)
class StackConfig:
    """A stack of `depth` layers of `width` units fed `batch` random inputs.

    plain:    h_l = act(W_l h_{l-1} + b_l)
    residual: h_l = h_{l-1} + branch_scale * F_l(h_{l-1}), where F_l is one layer
              act(W h + b) (branch_layers=1) or two, act(W1 h + b1) then W2 (.) + b2
              (branch_layers=2). zero_init_branch sets the branch's last W and b to 0,
              so at the start every block's Jacobian is the identity and the gradient
              passes through unchanged. The block itself is the identity map only when
              the branch then outputs 0: not for a one-layer sigmoid branch, whose output
              is sigmoid(0) = 0.5, so that block computes h + 0.5.
    preactivation (residual only): each branch layer runs BN -> act -> W instead, the
              "pre-activation" block of He et al. 2016: W act(BN(h)) + b for one layer,
              twice over for two. Its branch ends with weights, so with zero_init_branch
              every block is exactly the identity map, whatever the activation.
    branch_scale multiplies the branch output (a gain, as in Fixup's scaled branches).
    batch_norm normalises W h + b over the batch (batch statistics, as in training)
    before the activation (or the block's input h, with preactivation). init picks the
    weight distribution; std is used by "normal" only (a deliberately bad choice at 1).
    """

    depth: int = 20
    width: int = 32
    batch: int = 64
    activation: str = "sigmoid"
    init: str = "normal"
    std: float = 1.0
    residual: bool = False
    branch_layers: int = 1
    branch_scale: float = 1.0
    zero_init_branch: bool = False
    batch_norm: bool = False
    seed: int = 0
    preactivation: bool = False

    def __post_init__(self):
        set_ = object.__setattr__  # frozen: store the normalised values once
        set_(self, "depth", check_int("depth", self.depth, *DEPTH_RANGE))
        set_(self, "width", check_int("width", self.width, *WIDTH_RANGE))
        set_(self, "batch", check_int("batch", self.batch, *BATCH_RANGE))
        check_layer_settings(self)
        check_bool("preactivation", self.preactivation)
        if self.preactivation and not self.residual:
            raise ValueError("preactivation needs a residual stack (residual=True): a plain "
                             "layer has no branch to reorder")
        if self.batch_norm and self.batch < 2:
            # one example has no spread to normalise by: every output would be 0
            raise ValueError(f"batch must be from 2 to {BATCH_RANGE[1]} with batch_norm, got {self.batch}")
        set_(self, "seed", check_int("seed", self.seed, *SEED_RANGE))
        reduce = f"depth ({self.depth}), width ({self.width}) or batch ({self.batch})"
        check_work(self.work(), MAX_SIMULATE_WORK, "This stack", reduce)
        stored = self.depth * self.width * self.batch
        if stored > MAX_STORED_VALUES:
            raise ValueError(
                f"This stack would keep too many numbers in memory for a browser tab: "
                f"depth x width x batch = {stored:.3g} exceeds {MAX_STORED_VALUES:.3g}; "
                f"reduce {reduce}")

    def work(self) -> int:
        """Estimated work of one simulate call: depth x width^2 x batch x weight layers."""
        layers_per_block = self.branch_layers if self.residual else 1
        return self.depth * layers_per_block * self.width**2 * self.batch

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


def make_config(config_type, config, overrides: dict):
    """config_type(**overrides), or config with overrides; unknown names -> ValueError."""
    known = {f.name for f in dataclasses.fields(config_type)}
    unknown = sorted(set(overrides) - known)
    if unknown:
        raise ValueError(
            f"unknown setting {', '.join(map(repr, unknown))}; allowed: {', '.join(sorted(known))}"
        )
    if config is None:
        return config_type(**overrides)
    if not isinstance(config, config_type):
        raise ValueError(f"config must be a {config_type.__name__}, got {type(config).__name__}")
    return dataclasses.replace(config, **overrides) if overrides else config
