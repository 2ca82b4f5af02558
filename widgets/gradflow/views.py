"""What each widget shows: settings in, {figure, readout, summary, table} out.

The same code runs at build time (CPython, the chart a reader sees first) and in the
browser (Pyodide, when a control moves), so both always agree.

views.VIEWS[name] has .controls (control specs for the form), .defaults and
.compute(settings). validate_settings(name, settings) fills in defaults and checks every
value; it also accepts the strings that directive options and share links carry.
"""

from __future__ import annotations

import functools
import math

from .chaos import CALM, CHAOTIC, NOISE, OVERFLOW, ROUGH, SMALLEST_NORMAL, STRETCHED, assess
from .config import ACTIVATIONS, INITS, STD_RANGE
# The settings schema lives in controls; its names stay importable from here.
from .controls import (checkbox_control, number_control, parse_setting, range_control,
                       seed_control, select_control, validate_controls)
from .figures import gradient_figure, loss_figure, path_figure
from .paths import path_gradient_share, path_length_distribution
from .stack import simulate
from .streaming import StreamedTrainer
from .training import TrainConfig, Trainer
from .text import format_number, superscript

ACTIVATION_LABELS = {"sigmoid": "Sigmoid", "tanh": "Tanh", "relu": "ReLU", "linear": "Linear (none)"}
INIT_LABELS = {"normal": "Normal (choose std)", "xavier": "Xavier/Glorot",
               "he": "He/Kaiming", "orthogonal": "Orthogonal"}


class View:
    """A widget's controls, defaults and compute function."""

    def __init__(self, name: str, controls: list[dict], defaults: dict, compute_fn):
        self.name = name
        self.controls = controls
        self.defaults = defaults
        self._compute = compute_fn

    def validate(self, settings: dict) -> dict:
        return validate_controls(self.controls, self.defaults, settings, f"the {self.name} view")

    def compute(self, settings: dict) -> dict:
        return self._compute(self.validate(settings))


# ---------------------------------------------------------------- gradient view

# The widget's branch gain: 0 (no branch) to 2 (twice a normal branch). StackConfig allows
# up to 10, but beyond 2 every stack the lessons show simply overflows.
BRANCH_GAIN_RANGE = (0.0, 2.0)

GRADIENT_CONTROLS = [
    range_control("depth", "Depth (layers)", 1, 200, 1, "How many layers the gradient passes through."),
    select_control("width", "Width (units per layer)", [(w, str(w)) for w in (8, 16, 32, 64, 128)],
                   "How many units each layer has."),
    select_control("activation", "Activation function", [(a, ACTIVATION_LABELS[a]) for a in ACTIVATIONS],
                   "The function each unit applies to its input."),
    select_control("init", "Weight initialisation", [(i, INIT_LABELS[i]) for i in INITS],
                   "How the starting weights are drawn."),
    number_control("std", "Std of normal weights", STD_RANGE[0], 10.0, STD_RANGE[0],
                   "Standard deviation of the weights when initialisation is Normal."),
    select_control("mode", "Stack", [("plain", "Plain"), ("residual", "Residual"), ("both", "Both")],
                   "Plain layers, residual blocks (with a skip connection), or both side by side."),
    select_control("branch_layers", "Layers per residual branch", [(1, "1"), (2, "2")],
                   "How many layers each residual branch F has."),
    checkbox_control("zero_init_branch", "Start residual branches at zero",
                     "Set each branch's last layer to 0. Every block's slope then starts as exactly "
                     "1 (the identity); a one-layer sigmoid branch still outputs 0.5, so that "
                     "block adds 0.5 to its input."),
    number_control("branch_scale", "Branch gain", BRANCH_GAIN_RANGE[0], BRANCH_GAIN_RANGE[1], 0.05,
                   "Multiplies each residual branch's output: below 1 keeps the branch small "
                   "next to the shortcut."),
    checkbox_control("preactivation", "Pre-activation blocks",
                     "Residual branches run batch norm (if ticked), then the activation, then the "
                     "weights (He et al. 2016), so every branch ends with weights."),
    checkbox_control("batch_norm", "Batch normalisation", "Normalise each layer's inputs over the batch."),
    seed_control(),
    checkbox_control("log_y", "Log scale", "Show gradient size on a logarithmic axis."),
    checkbox_control("theory", "Show theory lines", "Overlay the (1/4)^n bound or the identity path."),
]
GRADIENT_DEFAULTS = {
    "depth": 30, "width": 32, "activation": "sigmoid", "init": "normal", "std": 1.0,
    "mode": "plain", "branch_layers": 1, "zero_init_branch": False, "branch_scale": 1.0,
    "preactivation": False, "batch_norm": False, "seed": 0, "log_y": True, "theory": True,
}


def gradient_results(settings: dict) -> list:
    """The SimulationResults a gradient view's settings ask for (plain and/or residual)."""
    common = dict(
        depth=settings["depth"], width=settings["width"], activation=settings["activation"],
        init=settings["init"], std=settings["std"], batch_norm=settings["batch_norm"],
        seed=settings["seed"], branch_layers=settings["branch_layers"],
        zero_init_branch=settings["zero_init_branch"],
    )
    # Gain and block order belong to residual branches only; a plain stack has neither.
    branch = dict(branch_scale=settings["branch_scale"], preactivation=settings["preactivation"])
    modes = {"plain": [False], "residual": [True], "both": [False, True]}[settings["mode"]]
    return [simulate(residual=True, **common, **branch) if residual
            else simulate(residual=False, **common) for residual in modes]


def _stack_name(result) -> str:
    return "residual stack" if result.config.residual else "plain stack"


def _warnings(result) -> list[str]:
    words = []
    flags = result.flags
    # 0 and the sizes too small for all their digits count together: where one computer
    # rounds a size to 0, another may keep a last digit of it
    tiny = [g for g in result.activation_grad_norms if g < SMALLEST_NORMAL]
    if tiny:
        words.append(f"the gradient is 0 or {TINY_SIZE} at {len(tiny)} layer(s) "
                     f"(too small for the computer's numbers, or blocked by dead units)")
    if flags["overflow"]:
        words.append(f"the gradient is too large for the computer's numbers (infinite) at "
                     f"{len(flags['overflow'])} layer(s)")
    if flags["nan"]:
        words.append(f"the gradient is not a number at {len(flags['nan'])} layer(s)")
    return [f"In the {_stack_name(result)}, {w}." for w in words]


# A chaotic stack (gradflow.chaos) magnifies the tiny rounding differences between
# computers, so its sizes are printed to ROUGH_DIGITS or, beyond, not at all: every text
# below (readout, summary, table) is then the same in CPython and in the browser.
ROUGH_DIGITS = 1
#: what a table cell says instead of a size, and the readout instead of an amount, for a
#: stack that prints no size (by gradflow.chaos's reason)
CHAOTIC_SIZE = {STRETCHED: "chaotic", OVERFLOW: "overflowed", NOISE: "0 (noise)"}
_CHAOTIC_AMOUNT = {STRETCHED: "no fixed amount", OVERFLOW: "no measurable amount",
                   NOISE: "0 (only rounding noise)"}


def chaos_notes(results, chaos) -> list[str]:
    """The sentences that say which stacks are chaotic (or overflowed, or show only
    rounding noise) and what that means for their numbers (none when every stack is
    calm); chaos: gradflow.chaos.assess of each."""
    notes = []
    depth = results[0].config.depth
    kinds = (
        (ROUGH, STRETCHED, "{subject} chaotic: each layer magnifies the tiny rounding differences "
         f"between computers, so {{its}} gradient sizes agree only roughly and are given to "
         f"{ROUGH_DIGITS} digit."),
        (CHAOTIC, STRETCHED, "{subject} chaotic: each layer magnifies the tiny rounding "
         f"differences between computers, so below layer {depth} {{its}} gradient differs from "
         f"computer to computer: only {{its}} rough size on the chart means anything."),
        (CHAOTIC, OVERFLOW, "In {the_stacks}, the signal grows too large for the computer's "
         f"numbers on its way up, so below layer {depth} the gradient is not a real measurement "
         f"and differs from computer to computer."),
        (CHAOTIC, NOISE, "In {the_stacks}, batch normalisation makes the loss the same whatever "
         f"the weights, so the true gradient below layer {depth} is 0: the chart draws rounding "
         f"noise, which differs from computer to computer."),
    )
    for level, reason, sentence in kinds:
        names = [_stack_name(r).split()[0] for r, c in zip(results, chaos)
                 if c.level == level and (level == ROUGH or c.reason == reason)]
        if names:
            one = len(names) == 1
            the_stacks = (f"the {names[0]} stack" if one
                          else f"the {' and '.join(names)} stacks")
            subject = the_stacks[0].upper() + the_stacks[1:] + (" is" if one else " are")
            notes.append(sentence.format(subject=subject, the_stacks=the_stacks,
                                         its="its" if one else "their"))
    return notes


#: how a size below the smallest float with all its digits is printed (0 included):
#: computers round its last digits, even to 0, differently
TINY_SIZE = f"under {format_number(SMALLEST_NORMAL)}"


def _size(value: float, chaos, digits: int = 2) -> str:
    """A gradient size as printed for a stack of this chaos level."""
    if chaos.level == CHAOTIC:
        return CHAOTIC_SIZE[chaos.reason]
    if value < SMALLEST_NORMAL:
        return TINY_SIZE
    if chaos.level == ROUGH:
        return _rough(value)
    return format_number(value, digits)


def _rough(value: float) -> str:
    """value to ROUGH_DIGITS significant digits, whole numbers too (1576 -> 2000)."""
    if not math.isfinite(value) or value == 0:
        return format_number(value)
    return format_number(float(f"{value:.{ROUGH_DIGITS - 1}e}"), ROUGH_DIGITS)


#: large ratios in words, as people say them ("6.9 thousand times", not "6903 of")
_SCALE_WORDS = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"), (1e3, "thousand"))


def spoken_ratio(ratio: float, digits: int = 2) -> str:
    """A gradient ratio as a share ("2 × 10⁻⁵", "0.49", "1") when it is at most 1, and
    as a multiple when larger: "3 times", "6.9 thousand times", "2 × 10¹⁸ times".
    digits: significant digits (1 for a roughly known ratio: "6 million times")."""
    if not (ratio > 1) or ratio == float("inf") or format_number(ratio, digits) == "1":
        return format_number(ratio, digits)
    rounded = float(f"{ratio:.{digits - 1}e}")  # the scale word after rounding: 999.7 thousand is 1 million
    for scale, word in _SCALE_WORDS:
        if scale <= rounded < scale * 1000:
            return f"{format_number(rounded / scale, digits)} {word} times"
    return f"{format_number(ratio, digits)} times"


def _spoken_amount(result, chaos) -> str:
    """Layer 1's share of the top gradient, in words, as far as every computer agrees."""
    if chaos.level == CHAOTIC:
        return _CHAOTIC_AMOUNT[chaos.reason]
    if result.first_to_last_ratio < SMALLEST_NORMAL:
        return TINY_SIZE
    if chaos.level == ROUGH:
        ratio = result.first_to_last_ratio
        if math.isfinite(ratio) and ratio != 0:
            ratio = float(f"{ratio:.{ROUGH_DIGITS - 1}e}")
        return "about " + spoken_ratio(ratio, ROUGH_DIGITS)
    return spoken_ratio(result.first_to_last_ratio)


def _chaos_of(results, chaos) -> list:
    return [assess(r) for r in results] if chaos is None else list(chaos)


def gradient_readout(results, chaos=None) -> str:
    """chaos: gradflow.chaos.assess of each result (computed when not given)."""
    chaos = _chaos_of(results, chaos)
    depth = results[0].config.depth
    first = results[0]
    amount = _spoken_amount(first, chaos[0])
    # "receives 2 × 10⁻⁵ of the gradient", "receives 3 times the gradient"
    joined = f"{amount} the gradient" if amount.endswith(" times") else f"{amount} of the gradient"
    text = f"Layer 1 receives {joined} at layer {depth} ({_stack_name(first)})"
    for r, c in zip(results[1:], chaos[1:]):
        text += f"; {_spoken_amount(r, c)} ({_stack_name(r)})"
    return " ".join([text + ".", *chaos_notes(results, chaos)])


def gradient_summary(results, log_y: bool = True, chaos=None) -> str:
    chaos = _chaos_of(results, chaos)
    c = results[0].config
    scale = ", on a log scale" if log_y else ""
    sentences = [f"Chart of gradient size against layer for a {c.depth}-layer {c.activation} "
                 f"stack, top layer = 1{scale}."]
    for r, level in zip(results, chaos):
        g = r.activation_grad_norms
        name = _stack_name(r).capitalize()
        if level.level == CHAOTIC:
            sentences.append(f"{name}: {format_number(g[-1])} at layer {c.depth}, "
                             f"{CHAOTIC_SIZE[level.reason]} below it.")
            continue
        sentences.append(
            f"{name}: {_size(g[-1], level)} at layer {c.depth}, "
            f"{_size(g[0], level)} at layer 1; smallest {_size(min(g), level)}, "
            f"largest {_size(max(g), level)}."
        )
        sentences.extend(_warnings(r))
    return " ".join(sentences + chaos_notes(results, chaos))


def gradient_table(results, chaos=None) -> dict:
    chaos = _chaos_of(results, chaos)
    columns = ["Layer"] + [f"Gradient size, {_stack_name(r)}" for r in results]
    rows = []
    top = len(results[0].layers) - 1
    for i, layer in enumerate(results[0].layers):
        # the top layer's gradient is the loss's own, exactly 1 on every computer
        rows.append([layer] + [format_number(r.activation_grad_norms[i], 3) if i == top
                               else _size(r.activation_grad_norms[i], level, 3)
                               for r, level in zip(results, chaos)])
    c = results[0].config
    caption = (f"Gradient size at each layer (top layer = 1) for a {c.depth}-layer "
               f"{c.activation} stack of width {c.width}, {c.init} initialisation, seed {c.seed}.")
    caption = " ".join([caption, *chaos_notes(results, chaos)])
    return {"caption": caption, "columns": columns, "rows": rows}


def compute_gradient(settings: dict) -> dict:
    results = gradient_results(settings)
    chaos = [assess(r) for r in results]
    figure = gradient_figure(results, log_y=settings["log_y"], theory=settings["theory"])
    summary = gradient_summary(results, settings["log_y"], chaos)
    return {"figure": figure, "readout": gradient_readout(results, chaos), "summary": summary,
            "table": gradient_table(results, chaos)}


VIEWS = {
    "gradient": View("gradient", GRADIENT_CONTROLS, GRADIENT_DEFAULTS, compute_gradient),
}


# ---------------------------------------------------------------- paths view

PATH_CONTROLS = [
    range_control("blocks", "Residual blocks", 1, 100, 1, "How many residual blocks the stack has."),
    checkbox_control("gradient", "Show share of gradient",
                     "Also split a random stack's gradient by path length."),
    number_control("branch_scale", "Branch strength", 0.0, 2.0, 0.05,
                   "How strongly each branch acts (its output is multiplied by this). "
                   "At 0.35 most of the gradient comes from paths through 5 to 17 branches, "
                   "as Veit et al. measured in a trained ResNet; 1 is an untrained branch at "
                   "full size. It changes only the share-of-gradient line, so it shows when "
                   "that line is on."),
    seed_control(),
]
# Branch strength 0.35 by default: measured over seeds 0-2 with 54 blocks, it puts the
# peak of the gradient at paths through 9 or 10 branches and 89-90 % of the gradient on
# paths through 5 to 17, the band Veit et al. (2016) found in a trained ResNet-110, whose
# normalised branches are weak next to the stream. At 0.5 the peak sits at 15-18; at full
# strength (1.0, an untrained branch) it moves to 31-35, right of the count peak at 27.
PATH_DEFAULTS = {"blocks": 54, "gradient": False, "branch_scale": 0.35, "seed": 0}
# The stack whose gradient is split: ReLU branches of two layers with He initialisation,
# the residual block of He et al. (2015) without batch norm.
PATH_STACK = dict(width=16, batch=32, activation="relu", init="he", branch_layers=2, residual=True)


def _percent(x: float) -> str:
    return f"{format_number(100 * x, 3)} %"


def compute_paths(settings: dict) -> dict:
    n = settings["blocks"]
    distribution = path_length_distribution(n)
    share = None
    if settings["gradient"]:
        share = path_gradient_share(depth=n, branch_scale=settings["branch_scale"],
                                    seed=settings["seed"], **PATH_STACK)
    # An odd number of blocks has two most common lengths, C(n, (n-1)/2) = C(n, (n+1)/2):
    # compared on the exact integer counts, so the tie is found on any CPU.
    top = max(distribution.counts)
    most = [k for k, count in enumerate(distribution.counts) if count == top]
    peak = _percent(distribution.fractions[most[0]])
    if len(most) == 1:
        readout_peak = f"the most common length is {most[0]} ({peak} of paths)"
        summary_peak = f"peaking at {most[0]}"
    else:
        readout_peak = (f"lengths {most[0]} and {most[1]} tie as most common "
                        f"({peak} of paths each)")
        summary_peak = f"peaking at {most[0]} and {most[1]}, which tie"
    blocks = "1 block gives" if n == 1 else f"{n} blocks give"  # not "1 blocks"
    residual_blocks = "1 residual block" if n == 1 else f"{n} residual blocks"
    readout = f"{blocks} 2{superscript(n)} paths; {readout_peak}."
    summary = (f"Bar chart of the share of the 2^{n} paths through {residual_blocks} that pass "
               f"through each number of branches, from 0 to {n}: a binomial distribution "
               f"{summary_peak}.")
    columns = ["Path length", "Number of paths", "Share of paths"]
    if share is not None:
        cumulative, median = 0.0, n
        for k, s in enumerate(share.shares):
            cumulative += s
            if cumulative >= 0.5:
                median = k
                break
        branches = "branch" if median == 1 else "branches"  # not "at most 1 branches"
        readout += (f" With branch strength {settings['branch_scale']:g}, half of the gradient "
                    f"comes from paths through at most {median} {branches}.")
        summary += (f" A dashed line shows the share of the gradient each length carries in a "
                    f"random {n}-block ReLU stack with branch strength {settings['branch_scale']:g}: "
                    f"half of it comes from paths through at most {median} {branches}.")
        columns.append("Share of gradient")
    rows = []
    for k in distribution.lengths:
        row = [k, str(distribution.counts[k]), _percent(distribution.fractions[k])]
        if share is not None:
            row.append(_percent(share.shares[k]))
        rows.append(row)
    caption = f"Paths through {residual_blocks}, by length (number of branches passed)."
    return {"figure": path_figure(distribution, share), "readout": readout, "summary": summary,
            "table": {"caption": caption, "columns": columns, "rows": rows}}


VIEWS["paths"] = View("paths", PATH_CONTROLS, PATH_DEFAULTS, compute_paths)


# ---------------------------------------------------------------- shattered gradients

# Gradient quality rather than size (Balduzzi et al. 2017): the stacks, the measure and
# the depths and seeds where lesson 6's claim holds are in shattered.py.
# `shattered` stays reachable as views.shattered for the lessons' {computed} numbers.
from . import shattered  # noqa: E402
from .shattered import SHATTER_CONTROLS, SHATTER_DEFAULTS, compute_shattered  # noqa: E402

VIEWS["shattered"] = View("shattered", SHATTER_CONTROLS, SHATTER_DEFAULTS, compute_shattered)


# ---------------------------------------------------------------- training race

# The race's recipe, chosen by measurement: tests/benchmarks/sweep_degradation.py prints
# the table, widgets/gradflow/DEGRADATION.md keeps it with the reasons. In short: with batch
# normalisation the deep plain network trains chaotically (a 1e-15 change of the weights
# grows to 100 % within 40 steps, even at learning rate 0.001), so the browser and the page
# could never agree. Without it, the deep plain network's 80 layers blur every input into
# nearly the same signal and it stays at chance, the same way on every machine. Adam's
# epsilon of 1e-3 (instead of 1e-8) and a 100-step warm-up keep Adam from blowing the tiny
# gradients of that blurred network up into full-size steps (with 50 steps, seed 5 still
# drifted by 1e-5); residual branches at full strength throw the 40-block network into
# chaotic loss spikes under Adam, so they are scaled by 0.25.
RACE_RECIPE = dict(batch_norm=False, optimizer="adam", learning_rate=0.01, adam_eps=1e-3,
                   warmup=100, branch_scale=0.25, noise=0.05, turns=1.5)
# Where the lesson's claim was measured for seeds 0-9 (tests/unit/test_training_claims.py
# checks it): from RACE_CLAIM_FROM_STEP steps on, the deep plain network ends with at least
# 10 times the shallow one's loss and 25 points more training error, and the deep residual
# one with no more training error than the shallow one and at least 10 times less loss than
# the deep plain one.
RACE_SEEDS = (0, 9)
RACE_STEPS = (50, 300, 50)  # min, max, step of the steps control
RACE_CLAIM_FROM_STEP = 200
RACE_CLAIM_DEPTHS = {"shallow_depth": 4, "deep_depth": 80}


def race_configs(settings: dict, recipe: dict | None = None) -> list[TrainConfig]:
    """The race's three networks: shallow plain, deep plain, deep residual.

    Depths count the weight layers between the input and the output layer (every network
    has those two as well), and a residual block of two layers counts two, so the deep plain
    and the deep residual network have the same number of weight layers, as He et al.'s
    plain-34 and ResNet-34 did. recipe: TrainConfig settings shared by all three (default
    RACE_RECIPE); its branch_scale applies to the residual network only.
    """
    common = dict(RACE_RECIPE if recipe is None else recipe, steps=settings["steps"],
                  seed=settings["seed"])
    branch_scale = common.pop("branch_scale", 1.0)
    deep = settings["deep_depth"]
    if deep % 2:
        raise ValueError(f"deep_depth must be even (the residual network has two-layer "
                         f"blocks), got {deep}")
    return [TrainConfig(depth=settings["shallow_depth"], **common),
            TrainConfig(depth=deep, **common),
            TrainConfig(depth=deep // 2, residual=True, branch_layers=2, zero_init_branch=True,
                        branch_scale=branch_scale, **common)]


class TrainingRace(StreamedTrainer):
    """Three networks trained side by side on the same data: a shallow plain one, a deep
    plain one and a deep residual one with as many weight layers (zero-initialised
    two-layer branches), all with RACE_RECIPE. advance(n) trains each for n more steps and
    returns what the widget shows, so the browser can redraw and cancel between chunks.
    Where race_bands has the spread over seeds 0-9 for these depths, the chart shades it.
    """

    controls = [
        range_control("shallow_depth", "Shallow network depth", 1, 10, 1,
                      "Weight layers between the input and output layers of the shallow "
                      "plain network."),
        range_control("deep_depth", "Deep network depth", 2, 80, 2,
                      "Weight layers between the input and output layers of each deep "
                      "network; the residual one has half as many two-layer blocks."),
        range_control("steps", "Training steps", *RACE_STEPS, "How many steps each network trains."),
        seed_control(RACE_SEEDS, "Other random data and starting weights (the shaded bands "
                                 "span seeds 0-9)."),
    ]
    defaults = {**RACE_CLAIM_DEPTHS, "steps": RACE_CLAIM_FROM_STEP, "seed": 0}
    name = "race"
    running_text = "Training the three stacks…"

    @classmethod
    def validate(cls, settings: dict | None) -> dict:
        return _validate_race(dict(settings or {}))

    def __init__(self, settings: dict | None = None):
        super().__init__(settings)
        self.trainers = [Trainer(config) for config in race_configs(self.settings)]

    @property
    def step(self) -> int:
        return min(t.step_count for t in self.trainers)

    @property
    def done(self) -> bool:
        return all(t.done for t in self.trainers)

    def advance(self, n_steps: int) -> dict:
        """Train every network n_steps more (fewer at the end) and return the view dict
        plus "step", "steps" and "done"."""
        for trainer in self.trainers:
            trainer.advance(n_steps)
        return self.view()

    def view(self) -> dict:
        steps = self.settings["steps"]
        names = [t.config.label() for t in self.trainers]
        last = [t.losses[-1] if t.losses else None for t in self.trainers]
        errors = [1.0 - t.accuracies[-1] if t.accuracies else None for t in self.trainers]
        band = race_band(self.settings, self.step)
        figure = loss_figure(self.trainers, log_y=True, steps=steps, bands=band)
        if self.step == 0:
            readout = "Not started: press Run to train the three networks."
        else:
            parts = [f"{format_number(l)} ({n})" for l, n in zip(last, names)]
            readout = (f"Step {self.step} of {steps}: training loss " + ", ".join(parts)
                       + "; training error " + ", ".join(_percent(e) for e in errors) + ".")
        summary = (f"Chart of training loss against step, log scale, for {names[0]}, {names[1]} "
                   f"and {names[2]} networks on the two-spirals data.")
        if band is not None:
            summary += (f" A shaded band around each line spans that network's loss over seeds "
                        f"{RACE_SEEDS[0]} to {RACE_SEEDS[1]}.")
        if self.step > 0 and all(l is not None and l > 0 for l in last):
            summary += (f" At step {self.step} the {names[1]} network's loss is "
                        f"{format_number(last[1] / last[0])} times the {names[0]} network's, "
                        f"and the {names[2]} network's is {format_number(last[2] / last[0])} times it.")
        for t, n in zip(self.trainers, names):
            if t.diverged_at is not None:
                summary += f" The {n} network diverged at step {t.diverged_at}."
        rows = []
        for t, n, e in zip(self.trainers, names, errors):
            rows.append([n, format_number(t.losses[-1], 3) if t.losses else "–",
                         _percent(e) if e is not None else "–"])
        table = {"caption": f"Training loss and training error (share of the training points "
                            f"classified wrongly) after {self.step} of {steps} steps.",
                 "columns": ["Network", "Training loss", "Training error"], "rows": rows}
        return {"figure": figure, "readout": readout, "summary": summary, "table": table,
                "step": self.step, "steps": steps, "done": self.done}


def race_band(settings: dict, step: int):
    """[(low, high), ...] per network over the first `step` steps: the smallest and largest
    loss over seeds RACE_SEEDS, measured in advance (race_bands.py, written by
    tests/benchmarks/sweep_degradation.py --write-bands), or None where it was not measured.
    The band is the same on every machine because the recipe is not chaotic (the claim
    tests recompute it)."""
    from .race_bands import BANDS

    stored = BANDS.get((settings["shallow_depth"], settings["deep_depth"]))
    if stored is None or step <= 0 or step > stored["steps"]:
        return None
    return [(low[:step], high[:step]) for low, high in zip(stored["low"], stored["high"])]


def race_outcome(seed: int = 0, steps: int | None = None, **depths) -> dict:
    """What a finished race ends at, for the lesson's {computed} numbers: {"loss": [shallow,
    deep plain, deep residual], "error": [...], "ratio": deep plain / shallow loss}.

    Read from one race of the longest budget per seed and depths (cached): after the
    warm-up the learning rate is constant, so a k-step race is that race's first k steps.
    """
    settings = _validate_race({**TrainingRace.defaults, **depths, "seed": seed,
                               **({"steps": steps} if steps is not None else {})})
    race = _longest_race(settings["shallow_depth"], settings["deep_depth"], settings["seed"])
    i = settings["steps"] - 1
    loss = [t.losses[i] for t in race.trainers]
    error = [1.0 - t.accuracies[i] for t in race.trainers]
    return {"loss": loss, "error": error, "ratio": loss[1] / loss[0]}


@functools.lru_cache(maxsize=None)
def _longest_race(shallow_depth: int, deep_depth: int, seed: int) -> "TrainingRace":
    race = TrainingRace({"shallow_depth": shallow_depth, "deep_depth": deep_depth,
                         "steps": RACE_STEPS[1], "seed": seed})
    race.advance(RACE_STEPS[1])
    return race


def validate_settings(view_name: str, settings: dict) -> dict:
    """Settings for a view ("gradient", "paths") or a streamed trainer (TRAINERS: "race",
    ...) with defaults filled in.

    Raises ValueError naming the setting, the value and what is allowed, e.g.
    "depth must be from 1 to 200, got 0".
    """
    if view_name in TRAINERS:
        return TRAINERS[view_name].validate(settings)
    if view_name not in VIEWS:
        raise ValueError(f"unknown view {view_name!r}; allowed: {', '.join([*VIEWS, *TRAINERS])}")
    return VIEWS[view_name].validate(settings)


def _validate_race(settings: dict) -> dict:
    s = validate_controls(TrainingRace.controls, TrainingRace.defaults, settings, "the training race")
    if s["shallow_depth"] >= s["deep_depth"]:
        raise ValueError(f"shallow_depth ({s['shallow_depth']}) must be smaller than "
                         f"deep_depth ({s['deep_depth']})")
    if s["deep_depth"] % 2:
        raise ValueError(f"deep_depth must be even (the residual network has two-layer "
                         f"blocks), got {s['deep_depth']}")
    return s


# ---------------------------------------------------------------- streamed trainers

#: every widget that trains and streams its state (gradflow.streaming): name -> class
TRAINERS: dict[str, type[StreamedTrainer]] = {"race": TrainingRace}

# Nielsen's speed of learning of each hidden layer, on the digits (lesson 2).
from .nielsen import NIELSEN_STEPS, NielsenSpeeds, nielsen_outcome  # noqa: E402

TRAINERS[NielsenSpeeds.name] = NielsenSpeeds

# lesson 1's network on the handwritten digits: what the layers learn (digit_features.py)
from .digit_features import DigitFeatures  # noqa: E402

TRAINERS[DigitFeatures.name] = DigitFeatures
