"""Shattered gradients (gradflow.shattered): the input gradient against finite differences,
the measure, the view, and lesson 6's claim for every depth and seed the widget allows."""

import math

import numpy as np
import pytest

from gradflow import views
from gradflow.shattered import (CLAIM_FROM_DEPTH, GRADIENT_OFFSET, GRID_POINTS, NOISE_FROM_DEPTH, NOISE_LEVEL,
                                SHATTER_DEPTHS, SHATTER_SEEDS, SMOOTH_LEVEL, ShatterStack,
                                correlation_at, grid, neighbour_correlation, sweep)

from gradcheck_helpers import assert_gradients_match, numerical_gradient

SEEDS = range(SHATTER_SEEDS[0], SHATTER_SEEDS[1] + 1)
DEPTHS = range(SHATTER_DEPTHS[0], SHATTER_DEPTHS[1] + 1)


@pytest.mark.parametrize("residual", [False, True])
@pytest.mark.parametrize("depth,seed", [(1, 0), (5, 3), (30, 7)])
def test_input_gradient_matches_finite_differences(residual, depth, seed):
    stack = ShatterStack(depth, residual, seed)
    # inputs between the grid's points; the network is piecewise linear, so a tiny step
    # keeps both sides of the difference on one linear piece
    x = np.random.default_rng(seed).uniform(-1.9, 1.9, size=12)
    _, slopes = stack.evaluate(x)
    for l in (0, depth // 2, depth - 1):
        def output(l=l):
            return float(stack.evaluate(x)[0][l].sum())  # sum: each input's own slope
        numeric = numerical_gradient(output, x, h=1e-7)
        assert_gradients_match(slopes[l], numeric, tolerance=1e-5)


def test_the_two_stacks_of_a_seed_share_their_weights():
    plain, residual = ShatterStack(4, False, 5), ShatterStack(4, True, 5)
    assert all(np.array_equal(a, b) for a, b in zip(plain.weights, residual.weights))
    assert np.array_equal(plain.readout, residual.readout)
    other = ShatterStack(4, False, 6)
    assert not np.array_equal(plain.weights[0], other.weights[0])


def test_outputs_at_other_inputs_use_the_grids_statistics():
    # The normalisation is measured on the grid once: evaluating at one input gives that
    # input's value on the grid, so the function does not depend on its other inputs.
    stack = ShatterStack(10, False, 2)
    outputs, slopes = stack.evaluate(grid())
    one_out, one_slope = stack.evaluate(grid()[100:101])
    assert one_out[:, 0] == pytest.approx(outputs[:, 100], rel=1e-12, abs=1e-12)
    assert one_slope[:, 0] == pytest.approx(slopes[:, 100], rel=1e-12, abs=1e-12)


def test_neighbour_correlation_of_known_signals():
    x = grid()
    assert neighbour_correlation(3 * x + 1) == pytest.approx(1.0)
    assert neighbour_correlation(np.sin(3 * x)) > 0.99
    noise = np.random.default_rng(0).standard_normal(GRID_POINTS)
    assert abs(neighbour_correlation(noise)) < 0.2   # white noise: near 0
    alternating = np.array([(-1.0) ** i for i in range(GRID_POINTS)])
    assert neighbour_correlation(alternating) == pytest.approx(-1.0)
    assert math.isnan(neighbour_correlation(np.ones(GRID_POINTS)))


def test_bad_settings_are_refused_where_made():
    with pytest.raises(ValueError, match="depth"):
        ShatterStack(0, False)
    with pytest.raises(ValueError, match="residual"):
        ShatterStack(3, 1)
    with pytest.raises(ValueError, match="x must be a 1-D"):
        ShatterStack(3, False).evaluate(np.zeros((2, 2)))
    with pytest.raises(ValueError, match="seed must be from 0 to 9"):
        views.validate_settings("shattered", {"seed": 10})
    with pytest.raises(ValueError, match="chart"):
        views.validate_settings("shattered", {"chart": "bars"})


# ---------------------------------------------------------------- lesson 6's claim


@pytest.fixture(scope="module")
def correlations():
    """{(residual, seed): [correlation at depth 1..50]} for every seed the widget allows."""
    return {(residual, seed): sweep(SHATTER_DEPTHS[1], residual, seed)["correlation"]
            for residual in (False, True) for seed in SEEDS}


def test_one_layer_gives_smooth_gradients_in_both(correlations):
    for (residual, seed), values in correlations.items():
        assert values[0] > 0.95, (residual, seed)


def test_plain_correlation_falls_below_residual_from_the_stated_depth(correlations):
    for seed in SEEDS:
        plain, residual = correlations[False, seed], correlations[True, seed]
        for depth in range(CLAIM_FROM_DEPTH, SHATTER_DEPTHS[1] + 1):
            assert plain[depth - 1] < residual[depth - 1], (seed, depth)


def test_deep_plain_gradients_look_like_noise_and_residual_ones_do_not(correlations):
    for seed in SEEDS:
        for depth in DEPTHS:
            assert correlations[True, seed][depth - 1] > SMOOTH_LEVEL, (seed, depth)
            if depth >= NOISE_FROM_DEPTH:
                assert abs(correlations[False, seed][depth - 1]) < NOISE_LEVEL, (seed, depth)


def test_the_gradient_size_stays_healthy_in_the_plain_stack():
    # Shattering is about the gradient's shape, not its size: the plain stack's gradient
    # neither vanishes nor becomes infinite (batch norm keeps it far from both).
    for seed in SEEDS:
        slopes = sweep(SHATTER_DEPTHS[1], False, seed)["slopes"]
        rms = np.sqrt(np.mean(slopes[-1] ** 2))
        assert 1e-3 < rms < 1e6, (seed, rms)


def test_correlation_at_reads_the_sweep():
    assert correlation_at(30, False, 0) == sweep(30, False, 0)["correlation"][29]


# ---------------------------------------------------------------- the view


@pytest.mark.parametrize("chart", ["gradient", "correlation"])
@pytest.mark.parametrize("mode", ["plain", "residual", "both"])
def test_view_result(chart, mode):
    depth = 12
    result = views.VIEWS["shattered"].compute({"depth": depth, "mode": mode, "chart": chart})
    stacks = 2 if mode == "both" else 1
    lines = [t for t in result["figure"]["data"] if not t["name"].startswith("0:")]
    assert len(lines) == stacks
    table = result["table"]
    assert len(table["columns"]) == 1 + stacks
    assert len(table["rows"]) == (GRID_POINTS if chart == "gradient" else depth)
    for word in (["plain"] if mode != "residual" else []) + (["residual"] if mode != "plain" else []):
        assert word in result["readout"] and word in result["summary"].lower()
    if chart == "gradient":
        # each curve is divided by its own root mean square, so it has size 1; two curves
        # are drawn GRADIENT_OFFSET above and below 0
        shifts = [GRADIENT_OFFSET, -GRADIENT_OFFSET] if stacks == 2 else [0.0]
        for line, shift in zip(lines, shifts):
            ys = np.array(line["y"]) - shift
            assert np.sqrt(np.mean(ys ** 2)) == pytest.approx(1.0)
    else:
        assert [len(line["y"]) for line in lines] == [depth] * stacks


def test_view_readout_states_both_correlations():
    result = views.VIEWS["shattered"].compute({"depth": 30, "mode": "both"})
    plain, residual = correlation_at(30, False), correlation_at(30, True)
    from gradflow.text import format_number
    assert f"{format_number(plain)} (plain stack)" in result["readout"]
    assert f"{format_number(residual)} (residual stack)" in result["readout"]
