"""Shattered gradients: how alike are the gradients of nearby inputs? (Balduzzi et al. 2017)

The gradient view measures a gradient's *size*. This module measures its *quality*, as
Balduzzi et al. did: feed a network a single number x, sweep x over a fine grid, and look
at the slope dy/dx of the output at every grid point. In a shallow network the slope
changes in steps as ReLUs switch on and off, so neighbouring inputs get nearly the same
slope (a smooth, "brown noise" curve). In a deep plain network the slopes of neighbouring
inputs become unrelated ("white noise"), even though their size is healthy; in a residual
network of the same depth they stay alike.

The network, the same for both stacks except the shortcut, all ReLU with He weights:

    h_0 = x * w_in                         (w_in: (D,), one weight per unit)
    plain layer l:     h_l = relu(N_l(h_{l-1} W_l))
    residual block l:  h_l = h_{l-1} + relu(N_l(h_{l-1})) W_l     (pre-activation order)
    output at depth l: y_l = r . h_l       (r: a fixed random unit vector)

N_l is batch normalisation whose mean and spread are measured once over the sweep's grid
and then held fixed, as in a trained network at test time. Why normalise: without it (and
with zero biases) a ReLU network of one input is linear on each side of 0, so it has no
kinks inside the sweep to shatter; with it, every unit's kink lies among the inputs, and
the plain stack has exactly the "well-chosen initialization and batch normalization" under
which Balduzzi et al. found the shattering. Holding the statistics fixed makes y a fixed
function of x, so dy/dx at one input does not depend on the other inputs of the grid.

Slopes are propagated forward with the values (forward-mode differentiation: with one
input, dh_l/dx is one vector per input), so a single pass gives the slope at every depth
up to the deepest; a stack of depth l is the first l layers of it (same weights).
"""

from __future__ import annotations

import functools
import math

import numpy as np

from .controls import range_control, seed_control, select_control
from .figures import OKABE_ITO, SERIES_STYLES, _layout
from .layers import BN_EPS
from .text import format_number

#: the sweep: GRID_POINTS inputs evenly spaced over GRID_RANGE, fine enough that
#: neighbouring inputs of a smooth curve get nearly the same slope
GRID_POINTS = 256
GRID_RANGE = (-2.0, 2.0)
#: units per layer: 64 keeps a 50-layer sweep (50 x 256 x 64^2 multiply-adds per stack,
#: 0.3 s in CPython here) under about a second in the browser.
WIDTH = 64
#: what the widget lets a reader choose; the claims in lesson 6 are tested for every
#: depth and seed in these ranges (tests/unit/test_shattered.py)
SHATTER_DEPTHS = (1, 50)
SHATTER_SEEDS = (0, 9)
#: from this depth on, for every seed in SHATTER_SEEDS, the plain stack's neighbour
#: correlation is below the residual stack's (measured: the claim tests check it)
# (measured over seeds 0-9: the smallest gap from depth 7 on is 0.09, at depth 8; at depths 2-4 the two
# are equally smooth, within 0.04, and either can be ahead)
CLAIM_FROM_DEPTH = 7
#: from this depth on the plain stack's gradients are noise-like (correlation below
#: NOISE_LEVEL; measured at most 0.21) for every seed in SHATTER_SEEDS
NOISE_FROM_DEPTH = 16
NOISE_LEVEL = 0.25
#: at every depth the widget allows, the residual stack's correlation stays above this
#: (measured at least 0.49, at depth 31)
SMOOTH_LEVEL = 0.45


def grid(points: int = GRID_POINTS) -> np.ndarray:
    """The sweep's inputs: (points,) evenly spaced over GRID_RANGE."""
    return np.linspace(GRID_RANGE[0], GRID_RANGE[1], points)


def _check_int(name: str, value, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not low <= value <= high:
        raise ValueError(f"{name} must be a whole number from {low} to {high}, got {value!r}")
    return int(value)


class ShatterStack:
    """A plain or residual ReLU stack of one input, with normalisation statistics measured
    on the sweep's grid. evaluate(x) gives the output and its slope dy/dx at every depth.

    The random numbers are drawn in a fixed order (w_in, W_1..W_depth, r) from numpy's
    default generator seeded with `seed`, so the plain and the residual stack of one seed
    share every weight and differ only in the shortcut.
    """

    def __init__(self, depth: int, residual: bool, seed: int = 0, width: int = WIDTH):
        self.depth = _check_int("depth", depth, 1, 1000)
        self.width = _check_int("width", width, 2, 1024)
        self.seed = _check_int("seed", seed, 0, 2**32 - 1)
        if not isinstance(residual, bool):
            raise ValueError(f"residual must be True or False, got {residual!r}")
        self.residual = residual
        rng = np.random.default_rng(self.seed)
        self.w_in = rng.standard_normal(self.width)
        he = math.sqrt(2.0 / self.width)
        self.weights = [rng.normal(0.0, he, (self.width, self.width)) for _ in range(self.depth)]
        r = rng.standard_normal(self.width)
        self.readout = r / np.linalg.norm(r)
        self._stats: list[tuple[np.ndarray, np.ndarray]] | None = None
        self._run(grid(), measure=True)

    def _normalise(self, l: int, z, dz, measure: bool):
        """N_l(z) and its slope; measure: take the mean and spread from z (the grid)."""
        if measure:
            mean = z.mean(axis=0)
            inv_std = 1.0 / np.sqrt(z.var(axis=0) + BN_EPS)
            self._stats.append((mean, inv_std))
        mean, inv_std = self._stats[l]
        return (z - mean) * inv_std, dz * inv_std

    def _run(self, x, measure: bool = False):
        x = np.asarray(x, dtype=np.float64)
        if x.ndim != 1 or x.size < 1:
            raise ValueError(f"x must be a 1-D array of inputs, got shape {x.shape}")
        if measure:
            self._stats = []
        h = x[:, None] * self.w_in                       # (P, D)
        dh = np.broadcast_to(self.w_in, h.shape)        # dh_0/dx
        outputs = np.empty((self.depth, x.size))
        slopes = np.empty((self.depth, x.size))
        for l, W in enumerate(self.weights):
            if self.residual:
                n, dn = self._normalise(l, h, dh, measure)
                on = n > 0
                h = h + np.where(on, n, 0.0) @ W       # shortcut + branch
                dh = dh + np.where(on, dn, 0.0) @ W    # the slope gets the same "+ identity"
            else:
                z, dz = self._normalise(l, h @ W, dh @ W, measure)
                on = z > 0
                h = np.where(on, z, 0.0)
                dh = np.where(on, dz, 0.0)
            outputs[l] = h @ self.readout
            slopes[l] = dh @ self.readout
        return outputs, slopes

    def evaluate(self, x) -> tuple[np.ndarray, np.ndarray]:
        """(outputs, slopes), each (depth, len(x)): y_l(x) and dy_l/dx for l = 1..depth."""
        with np.errstate(over="ignore", invalid="ignore"):
            return self._run(x)


def neighbour_correlation(slopes) -> float:
    """Correlation between the slopes at neighbouring grid inputs (lag-1 autocorrelation of
    the sequence): near 1 for a smooth curve, near 0 for white noise. NaN when the slopes
    do not vary at all (a correlation is then undefined)."""
    g = np.asarray(slopes, dtype=np.float64)
    a, b = g[:-1] - g[:-1].mean(), g[1:] - g[1:].mean()
    denominator = math.sqrt(float(a @ a) * float(b @ b))
    return float(a @ b) / denominator if denominator > 0 else math.nan


@functools.lru_cache(maxsize=64)
def sweep(depth: int, residual: bool, seed: int) -> dict:
    """The widget's measurements for one stack: {"x": grid, "slopes": (depth, P) array,
    "correlation": [one per depth 1..depth]}. Cached: moving the depth slider back and
    forth recomputes nothing (the arrays are never modified)."""
    stack = ShatterStack(depth, residual, seed)
    x = grid()
    _, slopes = stack.evaluate(x)
    return {"x": x, "slopes": slopes,
            "correlation": [neighbour_correlation(s) for s in slopes]}


def correlation_at(depth: int, residual: bool, seed: int = 0) -> float:
    """The neighbour correlation of one stack at `depth` (for the lesson's {computed})."""
    return sweep(depth, residual, seed)["correlation"][depth - 1]


def typical_size(depth: int, residual: bool, seed: int = 0) -> float:
    """Root mean square of the slopes dy/dx over the grid at `depth`: the gradient's size,
    which shattering leaves alone (for the lesson's {computed})."""
    return _rms(sweep(depth, residual, seed)["slopes"][depth - 1])


def correlation_range(depth: int, residual: bool, seeds=SHATTER_SEEDS) -> tuple[float, float]:
    """(smallest, largest) neighbour correlation at `depth` over the seeds low..high."""
    values = [correlation_at(depth, residual, s) for s in range(seeds[0], seeds[1] + 1)]
    return min(values), max(values)


# ---------------------------------------------------------------- the view

SHATTER_CONTROLS = [
    range_control("depth", "Depth (layers or blocks)", *SHATTER_DEPTHS, 1,
                  "How many ReLU layers (plain) or residual blocks the input passes through."),
    select_control("mode", "Stack", [("plain", "Plain"), ("residual", "Residual"), ("both", "Both")],
                   "Plain layers, residual blocks (with a skip connection), or both side by side."),
    select_control("chart", "Chart", [("gradient", "Gradient against input"),
                                      ("correlation", "Correlation against depth")],
                   "Show the gradient at every input for this depth, or how alike the gradients "
                   "of neighbouring inputs are at every depth up to this one."),
    seed_control(SHATTER_SEEDS, "Other random starting weights."),
]
SHATTER_DEFAULTS = {"depth": 30, "mode": "both", "chart": "gradient", "seed": 0}


def _name(residual: bool) -> str:
    return "residual stack" if residual else "plain stack"


def _label(residual: bool) -> str:
    return ("Residual stack (ReLU, He, pre-activation blocks)" if residual
            else "Plain stack (ReLU, He, batch norm)")


#: how far above (plain) and below (residual) 0 the gradient chart draws two curves
GRADIENT_OFFSET = 4.0


def _rms(values: np.ndarray) -> float:
    return float(np.sqrt(np.mean(values * values)))


def shatter_gradient_figure(x, slopes_by_stack: list[tuple[bool, np.ndarray]], depth: int) -> dict:
    """dy/dx against x, one line per stack, each divided by its own root mean square so
    that a plain and a residual curve of very different sizes share one axis: the chart
    is about the shape (smooth or noisy), the readout gives the sizes. Two curves are
    drawn GRADIENT_OFFSET above and below 0: laid over each other, two jagged lines were
    hard to tell apart, at 375 px above all."""
    data = []
    shifts = [GRADIENT_OFFSET, -GRADIENT_OFFSET] if len(slopes_by_stack) == 2 else [0.0]
    for i, ((residual, g), shift) in enumerate(zip(slopes_by_stack, shifts)):
        colour, dash, _ = SERIES_STYLES[i % len(SERIES_STYLES)]
        rms = _rms(g)
        ys = ((g / rms if rms > 0 else g) + shift).tolist()
        data.append({
            "type": "scatter", "mode": "lines", "name": _label(residual),
            "x": [float(v) for v in x], "y": ys,
            "line": {"color": colour, "dash": dash, "width": 1.5},
            "hovertemplate": "input %{x:.3f}: %{y:.3g}<extra>" + _label(residual) + "</extra>",
        })
    y_title = "Gradient ÷ its typical size" + (", curves drawn apart" if len(shifts) == 2 else "")
    layout = _layout(f"Gradient dy/dx at every input ({depth} deep)", "Input x", y_title, False, [])
    return {"data": data, "layout": layout}


def shatter_correlation_figure(correlations: list[tuple[bool, list[float]]]) -> dict:
    """Neighbour correlation against depth, one line per stack, with 0 (white noise)
    marked."""
    data = []
    depth = max(len(c) for _, c in correlations)
    for i, (residual, values) in enumerate(correlations):
        colour, dash, symbol = SERIES_STYLES[i % len(SERIES_STYLES)]
        data.append({
            "type": "scatter", "mode": "lines+markers", "name": _label(residual),
            "x": list(range(1, len(values) + 1)),
            "y": [v if math.isfinite(v) else None for v in values],
            "line": {"color": colour, "dash": dash, "width": 2},
            "marker": {"color": colour, "symbol": symbol, "size": 5},
            "hovertemplate": "depth %{x}: %{y:.2f}<extra>" + _label(residual) + "</extra>",
        })
    data.append({"type": "scatter", "mode": "lines", "name": "0: no relation (white noise)",
                 "x": [1, depth], "y": [0.0, 0.0], "hoverinfo": "skip",
                 "line": {"color": OKABE_ITO["black"], "dash": "dot", "width": 1}})
    layout = _layout("Alike at neighbouring inputs?",
                     "Depth (layers or blocks)", "Correlation of neighbouring gradients", False, [])
    layout["yaxis"]["range"] = [-0.5, 1.05]
    return {"data": data, "layout": layout}


def compute_shattered(settings: dict) -> dict:
    """The view: settings (validated) -> {figure, readout, summary, table}."""
    depth, seed = settings["depth"], settings["seed"]
    stacks = {"plain": [False], "residual": [True], "both": [False, True]}[settings["mode"]]
    sweeps = [(residual, sweep(depth, residual, seed)) for residual in stacks]
    at_depth = [(residual, s["correlation"][depth - 1]) for residual, s in sweeps]
    readout = (f"At depth {depth}, the gradients of neighbouring inputs correlate "
               + " and ".join(f"{format_number(c)} ({_name(r)})" for r, c in at_depth)
               + " (1 = smooth, 0 = noise).")
    sizes = "; ".join(f"{_name(r).capitalize()}: typical gradient size "
                      f"{format_number(_rms(s['slopes'][depth - 1]))}, neighbour correlation "
                      f"{format_number(s['correlation'][depth - 1])}" for r, s in sweeps) + "."
    if settings["chart"] == "gradient":
        x = sweeps[0][1]["x"]
        figure = shatter_gradient_figure(x, [(r, s["slopes"][depth - 1]) for r, s in sweeps], depth)
        apart = (f", the plain one drawn {format_number(GRADIENT_OFFSET)} above 0 and the "
                 f"residual one {format_number(GRADIENT_OFFSET)} below" if len(sweeps) == 2 else "")
        summary = (f"Chart of the gradient dy/dx at each of {GRID_POINTS} inputs from "
                   f"{format_number(GRID_RANGE[0])} to {format_number(GRID_RANGE[1])}, for "
                   f"stacks {depth} deep, each curve divided by its typical size{apart}. " + sizes)
        columns = ["Input x"] + [f"Gradient, {_name(r)}" for r, _ in sweeps]
        rows = [[format_number(float(xi), 3)]
                + [format_number(float(s["slopes"][depth - 1][i]), 3) for _, s in sweeps]
                for i, xi in enumerate(x)]
        caption = (f"The gradient dy/dx at every input of the sweep, {depth} layers or blocks "
                   f"deep, seed {seed}.")
    else:
        figure = shatter_correlation_figure([(r, s["correlation"]) for r, s in sweeps])
        summary = (f"Chart of the correlation between the gradients of neighbouring inputs "
                   f"against depth, from 1 to {depth}; 1 means a smooth curve, 0 noise. " + sizes)
        columns = ["Depth"] + [f"Correlation, {_name(r)}" for r, _ in sweeps]
        rows = [[l + 1] + [format_number(s["correlation"][l], 3) for _, s in sweeps]
                for l in range(depth)]
        caption = (f"Correlation between the gradients of neighbouring inputs at each depth, "
                   f"seed {seed}.")
    return {"figure": figure, "readout": readout, "summary": summary,
            "table": {"caption": caption, "columns": columns, "rows": rows}}
