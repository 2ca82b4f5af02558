"""Configurations computed both in CPython and in Pyodide by test_cross_runtime.py.

This file runs unchanged in both runtimes (Pyodide receives its source text), so the two
sides cannot drift apart. It needs only the standard library and gradflow.
"""

import json

import gradflow
from gradflow import simulate, views

# Spread over every option of StackConfig: each activation with each initialisation, plain
# and residual, branch depth and scale, zero-initialised branches, batch norm, widths,
# depths up to the lessons' largest (underflowing sigmoid stacks included) and seeds.
SIMULATIONS = (
    [dict(depth=30, activation=activation, init=init, seed=1)
     for activation in ("sigmoid", "tanh", "relu", "linear")
     for init in ("normal", "xavier", "he", "orthogonal")]
    + [dict(depth=depth, activation="sigmoid", std=1.0) for depth in (5, 20, 60, 110)]
    + [dict(depth=50, activation="relu", init="he", residual=True, branch_layers=2, seed=4),
       dict(depth=40, activation="tanh", residual=True, branch_scale=0.5, seed=5),
       dict(depth=40, activation="sigmoid", residual=True, zero_init_branch=True, seed=3),
       dict(depth=30, activation="relu", batch_norm=True, seed=6),
       dict(depth=30, activation="sigmoid", batch_norm=True, residual=True, seed=7),
       dict(depth=12, width=8, batch=16, activation="tanh", init="xavier", seed=8),
       dict(depth=25, width=64, activation="relu", init="normal", std=2.0, seed=9),
       # lesson 5's residual stacks as they really are: pre-activation, gain, batch norm
       dict(depth=30, activation="relu", init="he", residual=True, branch_layers=2,
            preactivation=True, batch_norm=True, seed=10),
       dict(depth=30, activation="sigmoid", residual=True, preactivation=True,
            zero_init_branch=True, seed=11),
       dict(depth=60, activation="relu", init="he", residual=True, branch_layers=2,
            branch_scale=0.2, seed=12)]
)

# tanh with weights of std 1 and width 32 is in the "chaotic" phase of random networks
# (weight variance x width = 32 >> 1, Poole et al. 2016): each layer stretches a tiny
# perturbation, so the last-bit differences between the two numpy builds grow
# exponentially with depth (measured: 3e-8 relative at depth 30, against <= 2e-13 for every
# other case here). test_cross_runtime.py holds these cases to a looser bound.
CHAOTIC = [dict(depth=30, activation="tanh", init="normal", seed=1)]

# Overrides of the gradient view's defaults (the other views run with their defaults).
GRADIENT_VIEW_SETTINGS = [
    {},
    {"mode": "both", "depth": 50},
    {"mode": "residual", "activation": "relu", "init": "he", "log_y": False},
    {"mode": "both", "activation": "tanh", "init": "xavier", "batch_norm": True},
    {"mode": "plain", "zero_init_branch": True, "branch_layers": 2, "theory": False},
    {"mode": "residual", "activation": "relu", "init": "he", "branch_layers": 2, "batch_norm": True},
    {"mode": "both", "activation": "relu", "init": "he", "branch_layers": 2, "branch_scale": 0.2,
     "preactivation": True},
]
# The paths view splits the gradient only when asked: at its default strength and at full.
PATH_VIEW_SETTINGS = [{}, {"gradient": True}, {"gradient": True, "blocks": 30, "branch_scale": 1.0}]
# Lesson 6's shattered-gradient widgets: the gradient chart (default) and the correlation
# chart at the deepest stacks and the last seed a reader can choose.
SHATTER_VIEW_SETTINGS = [{}, {"chart": "correlation", "depth": 50, "seed": 9, "mode": "both"}]


# Chaotic stacks (gradflow.chaos): their numbers differ between the runtimes (tanh, std 1,
# depth 101: layer 1 gets 8.05e21 times the top's gradient in CPython and 2.04e21 in
# Pyodide, measured 29 Nov 2026; seed 3 with both stacks: 2.14e21 and 9.75e20),
# so test_chaotic_in_pyodide.py compares only what the gradient view prints, exactly: its
# readout, summary and table. From calm to chaotic: tanh at 30 layers is "rough" (sizes to
# 1 digit), at 101 chaotic; ReLU with batch norm turns chaotic with depth.
CHAOTIC_VIEW_SETTINGS = [
    {"activation": "tanh", "depth": 101},
    {"activation": "tanh", "depth": 101, "mode": "both", "seed": 3},
    {"activation": "tanh"},
    {"activation": "tanh", "init": "he", "depth": 200},
    {"activation": "relu", "batch_norm": True, "depth": 100},
    {"activation": "sigmoid", "std": 5.0, "depth": 60},
]


def chaotic_view_texts() -> list:
    texts = []
    for settings in CHAOTIC_VIEW_SETTINGS:
        s = views.validate_settings("gradient", settings)
        out = views.VIEWS["gradient"].compute(s)
        results = views.gradient_results(s)
        texts.append({"settings": settings, "readout": out["readout"], "summary": out["summary"],
                      "table": out["table"],
                      # not compared: how far apart the runtimes' numbers really are
                      "ratios": [r.first_to_last_ratio for r in results]})
    return texts


def simulations() -> list:
    return [simulate(**config).to_dict() for config in SIMULATIONS]


def view_results() -> dict:
    results = {}
    for name, view in views.VIEWS.items():
        overrides = {"gradient": GRADIENT_VIEW_SETTINGS, "paths": PATH_VIEW_SETTINGS,
                     "shattered": SHATTER_VIEW_SETTINGS}.get(name, [{}])
        results[name] = [view.compute(views.validate_settings(name, {**view.defaults,
                                                                      **settings}))
                         for settings in overrides]
    return results


# Training, unlike a single backward pass, feeds each step's rounding into the next. With
# the lessons' recipe (TrainConfig defaults) the 20-layer plain network trains chaotically:
# the runtimes' last-bit differences grow 10- to 50-fold per step (measured with the
# recipes of 27 Nov 2026: about 1e-10 after step 4, 1e-9 after step 5, 0.1 to 0.5 within
# 40 steps). The shallow and residual networks stay within 4e-14 over all 40 steps.
# test_cross_runtime.py compares the chaotic run over its first steps only.
CHAOTIC_TRAINING = {"depth": 20, "residual": False}
CHAOTIC_TRAINING_STEPS_COMPARED = 4


def training() -> list:
    # As the training race's first chunks: long enough to move the weights many times,
    # short enough to run in seconds in Pyodide.
    from gradflow import TrainConfig, Trainer
    runs = []
    for depth, residual in ((4, False), (20, False), (20, True)):
        trainer = Trainer(TrainConfig(depth=depth, residual=residual, steps=40, seed=2))
        losses = trainer.advance(40)
        runs.append({"depth": depth, "residual": residual, "losses": losses,
                     "result": trainer.result().to_dict()})
    return runs


# The lesson's training race as a reader first runs it (views.TrainingRace defaults: 4 and
# 80 layers, seed 0) and at another seed, every step of every network. Its recipe,
# views.RACE_RECIPE, was chosen by measurement not to be chaotic, so test_cross_runtime.py
# holds the whole curves to RACE_RTOL, not just the first steps (measured: at most 2.7e-12
# relative, at any step of any network, in both races).
RACE_SETTINGS = [{}, {"seed": 5}]  # seed 5: the most sensitive seed in the sweep
RACE_RTOL = 1e-6


def race() -> list:
    runs = []
    for settings in RACE_SETTINGS:
        race_ = views.TrainingRace(settings)
        race_.advance(race_.settings["steps"])
        runs.append({"settings": race_.settings, "losses": [t.losses for t in race_.trainers]})
    return runs


def as_json(part: str) -> str:
    """Run one part by name and encode it as gradflow's JSON (non-finite numbers as the
    strings "NaN"/"Infinity", so both runtimes produce the same text for them)."""
    value = {"simulations": simulations, "views": view_results, "training": training,
             "race": race, "chaotic_texts": chaotic_view_texts}[part]()
    return json.dumps({"gradflow": gradflow.__version__, "value": value},
                      allow_nan=False, default=_encode)


def _encode(value):
    # numpy scalars and arrays, should a result carry one, become plain numbers and lists
    if hasattr(value, "tolist"):
        return value.tolist()
    raise TypeError(f"not JSON-encodable: {type(value).__name__}")
