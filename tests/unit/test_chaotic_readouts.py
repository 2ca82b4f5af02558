"""The gradient view prints the same texts on every computer, chaotic stacks included.

A chaotic stack magnifies the last-bit rounding differences between computers (tanh,
std 1, depth 101: layer 1's gradient is 2.0e21 in CPython and 8.0e21 in Pyodide).
gradflow.chaos measures how much a stack magnifies them, and the view prints its sizes to
the usual digits (calm), to 1 digit (rough) or not at all (chaotic). Here, another
"computer" is simulated by nudging every weight by 1e-15 or summing the matrix products in
another order (chaos_nudges.py), and every printed text must stay the same.
tests/benchmarks/sweep_chaos.py prints the full map; tests/pyodide/test_chaotic_in_pyodide.py
compares with the real browser runtime.
"""

import math

import numpy as np
import pytest

from chaos_nudges import OTHER_COMPUTERS, differences, displayed
from gradflow import chaos, simulate, stack, views
from gradflow.config import StackConfig
from gradflow.text import numbers_in


def _levels(**settings) -> list[str]:
    return displayed(settings)["levels"]


# ---------------------------------------------------------------- the measurement


@pytest.mark.parametrize("config", [
    dict(depth=30, activation="sigmoid"),
    dict(depth=12, activation="tanh", residual=True, branch_layers=2, branch_scale=0.5, seed=3),
    dict(depth=9, activation="relu", init="he", residual=True, branch_layers=2,
         preactivation=True, batch_norm=True, seed=4),
    dict(depth=7, width=8, activation="sigmoid", batch_norm=True, zero_init_branch=True,
         residual=True, seed=5),
])
def test_the_second_run_repeats_simulate_exactly(config):
    """chaos replays simulate()'s random draws and backward pass: without the nudge it
    must give the very same sizes, or the stretch factor would measure a different stack."""
    c = StackConfig(**config)
    rng = np.random.default_rng(c.seed)
    x = rng.standard_normal((c.batch, c.width))
    blocks = stack.init_blocks(rng, c)
    r = stack.readout_vector(rng, c.width)
    sizes = (math.sqrt(c.batch) * stack.norms(chaos.gradients(x, blocks, r, c)[0])).tolist()
    assert sizes == simulate(c).activation_grad_norms


@pytest.mark.parametrize("settings, levels", [
    # the lessons' calm stacks
    (dict(), ["calm"]),
    (dict(activation="tanh", init="xavier", depth=100), ["calm"]),
    (dict(activation="relu", init="he", depth=200), ["calm"]),
    (dict(activation="relu", batch_norm=True), ["calm"]),
    (dict(activation="sigmoid", mode="both", zero_init_branch=True, depth=200), ["calm", "calm"]),
    # exploding but not chaotic: a linear or ReLU stack scales every difference alike
    (dict(activation="linear", depth=200), ["calm"]),
    (dict(activation="relu", std=1.0, depth=200), ["calm"]),
    # gradients far below the smallest float: rounded, but not chaotic
    (dict(activation="sigmoid", std=0.001, depth=200), ["calm"]),
    # tanh with spread-1 weights: chaotic (Poole et al. 2016), mildly at 30 layers
    (dict(activation="tanh"), ["rough"]),
    (dict(activation="sigmoid", std=5.0, depth=30), ["rough"]),  # lesson 2's saturated stack
    (dict(activation="tanh", depth=101), ["chaotic"]),
    (dict(activation="tanh", depth=101, mode="both"), ["chaotic", "chaotic"]),
    (dict(activation="sigmoid", std=5.0, depth=60), ["chaotic"]),
    (dict(activation="tanh", batch_norm=True, depth=200), ["chaotic"]),
    # batch norm makes a ReLU stack's gradient grow with depth, and chaotic (lesson 3)
    (dict(activation="relu", batch_norm=True, depth=100), ["chaotic"]),
])
def test_chaos_levels_of_known_stacks(settings, levels):
    assert _levels(**settings) == levels


def test_the_stretch_factor_is_the_same_on_other_computers():
    """The level is decided by the stretch factor, so it must not depend on the last bits:
    measured, it agrees to about 1e-5 of itself even where the stack is chaotic."""
    for settings in (dict(activation="tanh", init="he", depth=200), dict(activation="tanh"),
                     dict(activation="tanh", batch_norm=True, depth=200)):
        here = displayed(settings)["stretch"][0]
        for _, computer in OTHER_COMPUTERS:
            with computer():
                there = displayed(settings)["stretch"][0]
            assert there == pytest.approx(here, rel=1e-3), settings


def test_what_lessons_2_and_3_say_about_chaotic_stacks():
    """Lesson 2: at std 5 and with tanh (30 layers, seed 0) the widget calls the stack
    chaotic and gives 1 digit; deeper, it gives no sizes. Lesson 3: its tanh widget's start
    is given to 1 digit; ReLU with batch norm at depth 100 prints no sizes."""
    sigmoid_std5 = dict(activation="sigmoid", std=5.0)
    tanh = dict(activation="tanh")
    assert _levels(**sigmoid_std5, depth=30) == _levels(**tanh, depth=30) == ["rough"]
    for depth in (60, 100, 150, 200):
        assert _levels(**sigmoid_std5, depth=depth) == ["chaotic"], depth
    for depth in (40, 60, 100, 150, 200):
        assert _levels(**tanh, depth=depth) == ["chaotic"], depth
    assert _levels(activation="relu", batch_norm=True, depth=100) == ["chaotic"]


# ---------------------------------------------------------------- what the view prints


def test_a_chaotic_stack_prints_no_size_below_the_top():
    out = views.VIEWS["gradient"].compute({"activation": "tanh", "depth": 101, "mode": "both"})
    readout, summary, table = out["readout"], out["summary"], out["table"]
    assert readout.startswith("Layer 1 receives no fixed amount of the gradient at layer 101 "
                              "(plain stack); no fixed amount (residual stack).")
    assert "The plain and residual stacks are chaotic" in readout
    assert "differs from computer to computer" in readout
    # the only numbers left are layer numbers and the top layer's exact 1
    for text in (readout, summary, table["caption"]):
        assert {float(n) for n in numbers_in(text)} <= {1.0, 101.0, 32.0, 0.0}, text
    assert all(row[1:] == ["chaotic", "chaotic"] for row in table["rows"][:-1])
    assert table["rows"][-1] == [101, "1", "1"]
    assert "chaotic" in table["caption"]
    # the chart still draws this computer's numbers
    assert len(out["figure"]["data"][0]["y"]) == 101


def test_a_roughly_known_stack_prints_one_digit():
    out = views.VIEWS["gradient"].compute({"activation": "tanh"})
    ratio = simulate(depth=30, activation="tanh").first_to_last_ratio
    assert 5.5e6 < ratio < 6.5e6
    assert out["readout"].startswith("Layer 1 receives about 6 million times the gradient at "
                                     "layer 30 (plain stack). The plain stack is chaotic:")
    for row in out["table"]["rows"]:
        (number,) = numbers_in(row[1])
        assert float(number) == float(f"{float(number):.0e}"), row
    assert "given to 1 digit" in out["summary"] and "given to 1 digit" in out["table"]["caption"]
    # whole numbers are rounded too: 1576 is printed as 2000
    assert views._rough(1576.0) == "2000"


def test_a_calm_stack_prints_as_before():
    out = views.VIEWS["gradient"].compute({})
    assert out["readout"] == "Layer 1 receives 2 × 10⁻⁵ of the gradient at layer 30 (plain stack)."
    assert "chaotic" not in out["summary"] + out["table"]["caption"]
    assert out["table"]["rows"][0] == [1, "1.98 × 10⁻⁵"]


def test_sizes_below_the_smallest_float_are_printed_as_such():
    out = views.VIEWS["gradient"].compute({"activation": "sigmoid", "std": 0.001, "depth": 200})
    assert out["readout"] == ("Layer 1 receives under 2.2 × 10⁻³⁰⁸ of the gradient at layer 200 "
                              "(plain stack).")
    assert "the gradient is 0 or under 2.2 × 10⁻³⁰⁸ at" in out["summary"]
    assert out["table"]["rows"][0][1] == "under 2.2 × 10⁻³⁰⁸"


def test_an_overflowed_signal_and_a_constant_loss_print_no_size():
    """Two stacks whose gradients are not measurements: a signal that grew past the largest
    float on its way up (ReLU, std 10, 200 layers), and a plain linear stack with batch
    norm, whose loss (the batch average of the top layer) is exactly 0 for any weights."""
    out = views.VIEWS["gradient"].compute({"activation": "relu", "std": 10.0, "depth": 200})
    assert out["readout"].startswith("Layer 1 receives no measurable amount of the gradient")
    assert "grows too large for the computer's numbers" in out["readout"]
    assert out["table"]["rows"][0][1] == "overflowed"
    out = views.VIEWS["gradient"].compute({"activation": "linear", "batch_norm": True,
                                           "depth": 10, "mode": "both"})
    assert out["readout"].startswith("Layer 1 receives 0 (only rounding noise) of the gradient")
    assert "the true gradient below layer 10 is 0" in out["summary"]
    assert [row[1] for row in out["table"]["rows"][:-1]] == ["0 (noise)"] * 9
    assert out["table"]["rows"][0][2] != "0 (noise)"  # the residual stack's loss is not constant


def test_the_text_functions_measure_chaos_themselves_when_not_told():
    results = views.gradient_results(views.validate_settings("gradient", {"activation": "tanh",
                                                                          "depth": 101}))
    assert "chaotic" in views.gradient_readout(results)
    assert "chaotic" in views.gradient_summary(results)
    assert views.gradient_table(results)["rows"][0][1] == "chaotic"


# ---------------------------------------------------------------- the same on every computer

# Settings on both sides of both thresholds, and the cases named in issue 13.
BORDER_SETTINGS = [
    dict(),
    dict(activation="tanh"),                              # rough, stretch 2e7
    dict(activation="tanh", depth=101, mode="both"),      # chaotic (the case)
    dict(activation="tanh", init="he", depth=200),        # rough, stretch just over 1e5
    dict(activation="sigmoid", std=5.0, depth=20, seed=1),  # calm, stretch 8e4
    dict(activation="sigmoid", std=5.0, depth=20),        # rough, stretch 1.5e5
    dict(activation="sigmoid", std=5.0, depth=60),        # chaotic
    dict(activation="relu", batch_norm=True, depth=200, mode="both"),
    dict(activation="sigmoid", std=0.001, depth=200),     # below the smallest float
    dict(activation="tanh", std=0.3, depth=101, mode="both"),
    dict(activation="relu", std=10.0, depth=200, mode="both"),  # the signal overflows
    dict(activation="linear", batch_norm=True, depth=2, mode="both"),  # rounding noise
]


@pytest.mark.parametrize("settings", BORDER_SETTINGS)
def test_printed_texts_are_the_same_on_other_computers(settings):
    assert differences(settings) == []


def _grid():
    """Every activation and initialisation (normal at a spread of stds), depths from 1 to
    200, with and without batch norm, both stacks at once, and the residual branch's own
    settings; the seed cycles through 0-2."""
    grid = []
    inits = [("normal", std) for std in (0.001, 0.1, 0.3, 1.0, 2.0, 10.0)]
    inits += [(init, 1.0) for init in ("xavier", "he", "orthogonal")]
    for activation in ("sigmoid", "tanh", "relu", "linear"):
        for init, std in inits:
            for batch_norm in (False, True):
                for depth in (1, 10, 30, 60, 101, 200):
                    grid.append(dict(activation=activation, init=init, std=std,
                                     batch_norm=batch_norm, depth=depth, mode="both"))
    for activation in ("sigmoid", "tanh", "relu"):
        for branch in (dict(branch_layers=2), dict(branch_scale=2.0), dict(branch_scale=0.25),
                       dict(preactivation=True, branch_layers=2, batch_norm=True),
                       dict(width=8), dict(width=128, depth=60)):
            grid.append({"activation": activation, "depth": 101, "mode": "residual", **branch})
    for index, settings in enumerate(grid):
        settings["seed"] = index % 3
    return grid


@pytest.mark.slow
def test_printed_texts_are_the_same_on_other_computers_over_the_grid():
    found = []
    for settings in _grid():
        found += differences(settings)
    assert found == [], "\n".join(found[:10])
