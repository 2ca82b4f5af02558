"""What each widget shows: settings in, {figure, readout, summary, table} out.

The same code runs at build time (CPython, the chart a reader sees first) and in the
browser (Pyodide, when a control moves), so both always agree.

views.VIEWS[name] has .controls (control specs for the form), .defaults and
.compute(settings). validate_settings(name, settings) fills in defaults and checks every
value; it also accepts the strings that directive options and share links carry.
"""

from __future__ import annotations

from .config import (ACTIVATIONS, INITS, STD_RANGE, SEED_RANGE, check_bool, check_choice,
                     check_float, check_int)
from .figures import gradient_figure
from .stack import simulate
from .text import format_number

ACTIVATION_LABELS = {"sigmoid": "Sigmoid", "tanh": "Tanh", "relu": "ReLU", "linear": "Linear (none)"}
INIT_LABELS = {"normal": "Normal (choose std)", "xavier": "Xavier/Glorot",
               "he": "He/Kaiming", "orthogonal": "Orthogonal"}


def range_control(name, label, low, high, step, help_):
    return {"name": name, "label": label, "kind": "range", "min": low, "max": high,
            "step": step, "help": help_}


def number_control(name, label, low, high, step, help_):
    return {"name": name, "label": label, "kind": "number", "min": low, "max": high,
            "step": step, "help": help_}


def select_control(name, label, choices, help_):
    return {"name": name, "label": label, "kind": "select",
            "choices": [[value, text] for value, text in choices], "help": help_}


def checkbox_control(name, label, help_):
    return {"name": name, "label": label, "kind": "checkbox", "help": help_}


def _coerce(control: dict, value):
    """Check one setting against its control; strings (from Markdown or URLs) are parsed."""
    name, kind = control["name"], control["kind"]
    if kind == "checkbox":
        if isinstance(value, str):
            lowered = value.strip().lower()
            if lowered in ("true", "yes", "on", "1"):
                return True
            if lowered in ("false", "no", "off", "0"):
                return False
            raise ValueError(f"{name} must be true or false, got {value!r}")
        return check_bool(name, value)
    if kind == "select":
        values = [v for v, _ in control["choices"]]
        if isinstance(value, str) and not any(isinstance(v, str) for v in values):
            try:
                value = int(value.strip())
            except ValueError:
                pass  # check_choice below names the allowed values
        return check_choice(name, value, tuple(values))
    # range / number
    low, high = control["min"], control["max"]
    whole = all(isinstance(v, int) for v in (low, high, control["step"]))
    if isinstance(value, str):
        text = value.strip()
        try:
            value = int(text) if whole else float(text)
        except ValueError:
            kind_word = "a whole number" if whole else "a number"
            raise ValueError(f"{name} must be {kind_word} from {low:g} to {high:g}, got {value!r}") from None
    return check_int(name, value, low, high) if whole else check_float(name, value, low, high)


def validate_controls(controls: list[dict], defaults: dict, settings: dict, what: str) -> dict:
    """Defaults overlaid with settings, every value checked; unknown names are an error."""
    if not isinstance(settings, dict):
        raise ValueError(f"settings for {what} must be a dict, got {type(settings).__name__}")
    by_name = {c["name"]: c for c in controls}
    unknown = sorted(set(settings) - set(by_name))
    if unknown:
        raise ValueError(f"unknown setting {', '.join(map(repr, unknown))} for {what}; "
                         f"allowed: {', '.join(by_name)}")
    merged = dict(defaults)
    merged.update(settings)
    return {name: _coerce(by_name[name], merged[name]) for name in by_name}


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

GRADIENT_CONTROLS = [
    range_control("depth", "Depth (layers)", 1, 200, 1, "How many layers the gradient passes through."),
    select_control("width", "Width (units per layer)", [(w, str(w)) for w in (8, 16, 32, 64, 128)],
                   "How many units each layer has."),
    select_control("activation", "Activation function", [(a, ACTIVATION_LABELS[a]) for a in ACTIVATIONS],
                   "The function each unit applies to its input."),
    select_control("init", "Weight initialisation", [(i, INIT_LABELS[i]) for i in INITS],
                   "How the starting weights are drawn."),
    number_control("std", "Std of normal weights", STD_RANGE[0], 10.0, 0.01,
                   "Standard deviation of the weights when initialisation is Normal."),
    select_control("mode", "Stack", [("plain", "Plain"), ("residual", "Residual"), ("both", "Both")],
                   "Plain layers, residual blocks (with a skip connection), or both side by side."),
    select_control("branch_layers", "Layers per residual branch", [(1, "1"), (2, "2")],
                   "How many layers each residual branch F has."),
    checkbox_control("zero_init_branch", "Start residual branches at zero",
                     "Set each branch's last layer to 0, so every block starts as the identity."),
    checkbox_control("batch_norm", "Batch normalisation", "Normalise each layer's inputs over the batch."),
    number_control("seed", "Random seed", SEED_RANGE[0], 10_000, 1, "Change it to draw other random weights."),
    checkbox_control("log_y", "Log scale", "Show gradient size on a logarithmic axis."),
    checkbox_control("theory", "Show theory lines", "Overlay the (1/4)^n bound or the identity path."),
]
GRADIENT_DEFAULTS = {
    "depth": 30, "width": 32, "activation": "sigmoid", "init": "normal", "std": 1.0,
    "mode": "plain", "branch_layers": 1, "zero_init_branch": False, "batch_norm": False,
    "seed": 0, "log_y": True, "theory": True,
}


def gradient_results(settings: dict) -> list:
    """The SimulationResults a gradient view's settings ask for (plain and/or residual)."""
    common = dict(
        depth=settings["depth"], width=settings["width"], activation=settings["activation"],
        init=settings["init"], std=settings["std"], batch_norm=settings["batch_norm"],
        seed=settings["seed"], branch_layers=settings["branch_layers"],
        zero_init_branch=settings["zero_init_branch"],
    )
    modes = {"plain": [False], "residual": [True], "both": [False, True]}[settings["mode"]]
    return [simulate(residual=residual, **common) for residual in modes]


def _stack_name(result) -> str:
    return "residual stack" if result.config.residual else "plain stack"


def _warnings(result) -> list[str]:
    words = []
    flags = result.flags
    if flags["underflow"]:
        words.append(f"the gradient is exactly 0 at {len(flags['underflow'])} layer(s) "
                     f"(too small for the computer's numbers, or blocked by dead units)")
    if flags["overflow"]:
        words.append(f"the gradient is too large for the computer's numbers (infinite) at "
                     f"{len(flags['overflow'])} layer(s)")
    if flags["nan"]:
        words.append(f"the gradient is not a number at {len(flags['nan'])} layer(s)")
    return [f"In the {_stack_name(result)}, {w}." for w in words]


def gradient_readout(results) -> str:
    depth = results[0].config.depth
    first = results[0]
    text = (f"Layer 1 receives {format_number(first.first_to_last_ratio)} of the gradient "
            f"at layer {depth} ({_stack_name(first)})")
    for r in results[1:]:
        text += f"; {format_number(r.first_to_last_ratio)} ({_stack_name(r)})"
    return text + "."


def gradient_summary(results, log_y: bool = True) -> str:
    c = results[0].config
    scale = ", on a log scale" if log_y else ""
    sentences = [f"Chart of gradient size against layer for a {c.depth}-layer {c.activation} "
                 f"stack, top layer = 1{scale}."]
    for r in results:
        g = r.activation_grad_norms
        sentences.append(
            f"{_stack_name(r).capitalize()}: {format_number(g[-1])} at layer {c.depth}, "
            f"{format_number(g[0])} at layer 1; smallest {format_number(min(g))}, "
            f"largest {format_number(max(g))}."
        )
        sentences.extend(_warnings(r))
    return " ".join(sentences)


def gradient_table(results) -> dict:
    columns = ["Layer"] + [f"Gradient size, {_stack_name(r)}" for r in results]
    rows = []
    for i, layer in enumerate(results[0].layers):
        rows.append([layer] + [format_number(r.activation_grad_norms[i], 3) for r in results])
    c = results[0].config
    caption = (f"Gradient size at each layer (top layer = 1) for a {c.depth}-layer "
               f"{c.activation} stack of width {c.width}, {c.init} initialisation, seed {c.seed}.")
    return {"caption": caption, "columns": columns, "rows": rows}


def compute_gradient(settings: dict) -> dict:
    results = gradient_results(settings)
    figure = gradient_figure(results, log_y=settings["log_y"], theory=settings["theory"])
    summary = gradient_summary(results, settings["log_y"])
    return {"figure": figure, "readout": gradient_readout(results), "summary": summary,
            "table": gradient_table(results)}


VIEWS = {
    "gradient": View("gradient", GRADIENT_CONTROLS, GRADIENT_DEFAULTS, compute_gradient),
}


def validate_settings(view_name: str, settings: dict) -> dict:
    """Settings for view_name with defaults filled in; ValueError names the bad setting."""
    if view_name not in VIEWS:
        raise ValueError(f"unknown view {view_name!r}; allowed: {', '.join(VIEWS)}")
    return VIEWS[view_name].validate(settings)
