"""What the lessons say about the gradient and path widgets, checked over the range a reader
can reach (hypothesis draws the settings), or over the range the sentence names.

Every bound below has room to spare against what the simulator measures (the numbers in
each comment), so none depends on the last bit of a float, the CPU or the numpy build.
The seeds run over the widgets' whole seed control (0 to 10,000), the depths and widths
over the gradient view's controls. Each test names the lesson and the claim it pins.
"""

import math
import re
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gradflow import path_gradient_share, simulate, single_path_share, views
from gradflow.config import ACTIVATIONS, INITS, StackConfig
from gradflow.stack import init_blocks, stack_forward

LESSONS = Path(__file__).resolve().parents[2] / "lessons"
CONTROLS = {c["name"]: c for c in views.VIEWS["gradient"].controls}
PATH_CONTROLS = {c["name"]: c for c in views.VIEWS["paths"].controls}

seeds = st.integers(CONTROLS["seed"]["min"], CONTROLS["seed"]["max"])
depths = st.integers(CONTROLS["depth"]["min"], CONTROLS["depth"]["max"])
widths = st.sampled_from([value for value, _ in CONTROLS["width"]["choices"]])
gains = st.integers(0, 40).map(lambda k: k * 0.05)  # the branch gain control's 0.05 grid
CLAIMS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# For the claims whose examples include 200-layer stacks of width 128: fewer draws.
HEAVY = settings(CLAIMS, max_examples=8)

# The lesson 5 stack "as it really is": two-layer ReLU branches, He initialisation.
REAL = dict(activation="relu", init="he", residual=True, branch_layers=2)


def fits_the_widget(**config) -> bool:
    """False for settings the widget refuses (too much work for a browser tab)."""
    try:
        StackConfig(**config)
    except ValueError:
        return False
    return True


# ---------------------------------------------------------------- lesson 2


@HEAVY
@given(depth=depths, width=widths, seed=seeds)
def test_lesson2_quarter_power_bounds_the_gradient_when_weights_never_stretch(depth, width, seed):
    """'It would bound the whole gradient only if no layer's weights could stretch a
    vector, for example with orthogonal weights': each step back multiplies by W (norm 1)
    and by slopes of at most 1/4, so layer 1 gets at most (1/4)^(depth - 1)."""
    result = simulate(depth=depth, width=width, activation="sigmoid", init="orthogonal", seed=seed)
    assert result.first_to_last_ratio <= 0.25 ** (depth - 1) * (1 + 1e-9)


@CLAIMS
@given(depth=st.integers(5, CONTROLS["depth"]["max"]), seed=seeds)
def test_lesson2_the_widgets_gradient_is_above_the_slopes_bound_at_std_1(depth, seed):
    """'But it is far above the dashed line': width 32, std 1 (measured: at least 2.8 times
    the bound at 5 layers, 1e13 times at 30)."""
    result = simulate(depth=depth, activation="sigmoid", std=1.0, seed=seed)
    assert result.first_to_last_ratio > 0.25 ** (depth - 1)


@CLAIMS
@given(seed=seeds)
def test_lesson2_big_weights_make_the_sigmoid_gradient_grow(seed):
    """'With std 5 ... the gradient grows on its way down' (30 layers; measured 2e3 to 5e6)."""
    assert simulate(depth=30, activation="sigmoid", std=5.0, seed=seed).first_to_last_ratio > 10


# ---------------------------------------------------------------- lesson 3


@CLAIMS
@given(seed=seeds)
def test_lesson3_batch_norm_relu_gradient_grows_mildly_at_30_layers(seed):
    """'With ReLU it grows a little at each layer ... mild at 30 layers' (measured 121 to
    317 times: more than 1, far below a plain ReLU stack's)."""
    ratio = simulate(depth=30, activation="relu", batch_norm=True, seed=seed).first_to_last_ratio
    assert 10 < ratio < 1e4


@CLAIMS
@given(depth=st.integers(20, CONTROLS["depth"]["max"]), seed=seeds)
def test_lesson3_batch_norm_relu_gradient_grows_exponentially_with_depth(depth, seed):
    """'an explosion that ... grows exponentially with depth': a steady factor per layer
    (measured 1.10 to 1.24 per layer from 20 to 200 layers)."""
    ratio = simulate(depth=depth, activation="relu", batch_norm=True, seed=seed).first_to_last_ratio
    assert 1.03 < ratio ** (1 / (depth - 1)) < 1.5


# ---------------------------------------------------------------- lesson 5, first widget


@CLAIMS
@given(depth=depths, activation=st.sampled_from(ACTIVATIONS), init=st.sampled_from(INITS),
       seed=seeds)
def test_lesson5_residual_stack_never_collapses(depth, activation, init, seed):
    """'It drifts upwards a little as blocks are added, but it never collapses', for every
    activation and initialisation the widget offers (measured: at least 0.89 of the top
    gradient; the other activations grow instead, as the next section explains)."""
    residual = simulate(depth=depth, activation=activation, init=init, residual=True, seed=seed)
    assert residual.first_to_last_ratio > 0.5


@CLAIMS
@given(depth=depths, width=widths, activation=st.sampled_from(ACTIVATIONS),
       init=st.sampled_from(INITS), branch_layers=st.sampled_from([1, 2]), gain=gains,
       preactivation=st.booleans(), batch_norm=st.booleans(), seed=seeds)
def test_lesson5_zero_initialised_branches_pass_exactly_the_top_gradient(
        depth, width, activation, init, branch_layers, gain, preactivation, batch_norm, seed):
    """'Exactly 1 ... at every layer' and 'exactly 1, at any depth': with the branch's last
    weights at 0 every block's Jacobian is the identity, whatever else is set."""
    config = dict(depth=depth, width=width, activation=activation, init=init, residual=True,
                  branch_layers=branch_layers, branch_scale=gain, preactivation=preactivation,
                  batch_norm=batch_norm, zero_init_branch=True, seed=seed)
    if not fits_the_widget(**config):
        return
    for g in simulate(**config).activation_grad_norms:
        assert abs(g - 1.0) < 1e-12


@HEAVY
@given(depth=depths, width=widths, seed=seeds)
def test_lesson5_zero_initialised_sigmoid_block_adds_one_half(depth, width, seed):
    """'Every block adds 0.5 to each unit': a one-layer sigmoid branch with zero weights
    outputs sigmoid(0) = 0.5, so the block is h + 0.5, not the identity map."""
    result = simulate(depth=depth, width=width, activation="sigmoid", residual=True,
                      zero_init_branch=True, seed=seed)
    steps = np.diff(result.activation_mean)
    assert np.allclose(steps, 0.5, rtol=0, atol=1e-9 * depth)


@CLAIMS
@given(depth=st.integers(1, 30), activation=st.sampled_from(ACTIVATIONS),
       branch_layers=st.sampled_from([1, 2]), batch_norm=st.booleans(), seed=seeds)
def test_lesson5_zero_initialised_preactivation_block_is_the_identity_map(
        depth, activation, branch_layers, batch_norm, seed):
    """'A branch that ends with weights ... outputs exactly 0 and makes the block the
    identity': the stack's output is its input, bit for bit."""
    config = StackConfig(depth=depth, activation=activation, residual=True, preactivation=True,
                         branch_layers=branch_layers, batch_norm=batch_norm,
                         zero_init_branch=True, seed=seed)
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((config.batch, config.width))
    hs, _ = stack_forward(x, init_blocks(rng, config), config)
    assert np.array_equal(hs[-1], x)


# ---------------------------------------------------------------- lesson 5, second widget


@HEAVY
@given(depth=st.integers(10, CONTROLS["depth"]["max"]), width=widths, seed=seeds)
def test_lesson5_unnormalised_relu_residual_stack_explodes(depth, width, seed):
    """'Every block multiplies the variance by about 3 ... the gradient grows in the same
    way': exponentially, about 1.6 times per block at width 32 (measured: at least 1.2 per
    block over 10 blocks or more at any width)."""
    config = dict(depth=depth, width=width, seed=seed, **REAL)
    if not fits_the_widget(**config):
        return
    ratio = simulate(**config).first_to_last_ratio
    assert ratio > 1.15 ** (depth - 1)


@CLAIMS
@given(depth=depths, width=widths, seed=seeds)
def test_lesson5_batch_norm_in_the_branch_keeps_the_gradient_moderate(depth, width, seed):
    """'Even at 200 blocks it is only ... times': with batch norm in the branches the
    gradient grows slowly, never exponentially (measured: at most 19 over every depth,
    width and seed tried; 11 at 200 blocks, width 32)."""
    config = dict(depth=depth, width=width, seed=seed, batch_norm=True, **REAL)
    if not fits_the_widget(**config):
        return
    assert simulate(**config).first_to_last_ratio < 40


@CLAIMS
@given(seed=seeds)
def test_lesson5_a_fixed_small_gain_only_slows_the_growth(seed):
    """Gain 0.2: 'about 3 at 30 blocks, but ... at 200' (measured: at most 3.6 at 30 blocks,
    at least 770 at 200)."""
    assert simulate(depth=30, branch_scale=0.2, seed=seed, **REAL).first_to_last_ratio < 10
    assert simulate(depth=200, branch_scale=0.2, seed=seed, **REAL).first_to_last_ratio > 100


@CLAIMS
@given(seed=seeds)
def test_lesson5_preactivation_alone_still_explodes_and_batch_norm_tames_it(seed):
    """'Pre-activation alone: still an explosion ... with batch normalisation as well'
    (30 blocks; measured at least 4.2e3 alone, at most 8.7 with batch norm)."""
    alone = simulate(depth=30, preactivation=True, seed=seed, **REAL).first_to_last_ratio
    with_bn = simulate(depth=30, preactivation=True, batch_norm=True, seed=seed, **REAL)
    assert alone > 100
    assert with_bn.first_to_last_ratio < 30


# ---------------------------------------------------------------- lesson 6, paths widget

path_seeds = st.integers(PATH_CONTROLS["seed"]["min"], PATH_CONTROLS["seed"]["max"])
blocks = st.integers(10, PATH_CONTROLS["blocks"]["max"])


def share(n: int, gain: float, seed: int):
    return path_gradient_share(depth=n, branch_scale=gain, seed=seed, **views.PATH_STACK)


@CLAIMS
@given(seed=path_seeds)
def test_lesson6_default_strength_puts_the_gradient_on_veits_band(seed):
    """'At branch strength 0.35 the gradient peaks at paths through ~10 branches, and ~89 %
    of it comes from paths through 5 to 17' (54 blocks; measured: peak 8 to 11, at least
    88 % in the band)."""
    assert views.VIEWS["paths"].defaults["branch_scale"] == 0.35
    split = share(54, 0.35, seed)
    assert 5 <= split.peak_length <= 17
    assert split.share_of_lengths(5, 17) > 0.75


@CLAIMS
@given(n=blocks, gain=st.integers(0, 10).map(lambda k: k * 0.05), seed=path_seeds)
def test_lesson6_weak_branches_put_the_peak_left_of_the_count_peak(n, gain, seed):
    """'Lower it and the peak moves towards 0': up to strength 0.5 the gradient's peak lies
    left of the most common length n/2 (measured: at most 33 of 50 at 100 blocks)."""
    assert share(n, gain, seed).peak_length < n / 2


@CLAIMS
@given(n=blocks, gain=st.integers(20, 40).map(lambda k: k * 0.05), seed=path_seeds)
def test_lesson6_full_strength_branches_put_the_peak_right_of_the_count_peak(n, gain, seed):
    """'At 1 ... to the right of the count peak: with branches at full strength, long paths
    carry the gradient' (measured: at least 6 of 5 at 10 blocks, 56 of 50 at 100)."""
    assert share(n, gain, seed).peak_length > n / 2


@settings(CLAIMS, max_examples=10)
@given(seed=path_seeds)
def test_lesson6_veits_measure_needs_weaker_branches_for_the_same_band(seed):
    """'Measured their way, the same stack at strength 0.35 peaks at 18 ... it takes 0.2 to
    put the peak on their band' (54 blocks; measured: peak 12 and 96 % in 5-17 at 0.2,
    peak 18 at 0.35, for seed 0)."""
    weak = single_path_share(depth=54, branch_scale=0.2, seed=seed, **views.PATH_STACK)
    default = single_path_share(depth=54, branch_scale=0.35, seed=seed, **views.PATH_STACK)
    assert 5 <= weak.peak_length <= 17 and weak.share_of_lengths(5, 17) > 0.75
    assert weak.peak_length <= default.peak_length < 27  # 8 sampled paths per length: ties happen


# ---------------------------------------------------------------- lesson 7, the mixing cell


def lesson_cell(lesson: str, name: str) -> str:
    text = (LESSONS / lesson).read_text(encoding="utf-8")
    match = re.search(r"```\{live-code\}\n:name: " + re.escape(name) + r"\n(.*?)```", text, re.S)
    assert match, f"cell {name} not found in {lesson}"
    return match.group(1)


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_lesson7_sixty_layers_of_doubly_stochastic_mixing_average_the_streams(seed):
    """'Every entry of the 60-layer doubly stochastic product is 0.25', for any seed the
    reader types into the cell (measured: within 1e-13 for seeds 0-4; the cell prints 4
    decimals)."""
    code = (lesson_cell("07-summary-and-next.md", "cell-sinkhorn")
            + lesson_cell("07-summary-and-next.md", "cell-sinkhorn-products"))
    code = code.replace("default_rng(0)", f"default_rng({seed})").replace("print(", "(")
    namespace: dict = {}
    exec(compile(code, "lesson 7 cells", "exec"), namespace)
    constrained = namespace["constrained"]
    assert np.abs(constrained - 0.25).max() < 1e-6
    # Sinkhorn-Knopp stops at a tolerance, so the gain is 1 only to about 1e-8 (seed 362:
    # 1 + 8.1e-9); the cell prints 4 decimals, so "1.0000" is the claim.
    assert math.isclose(namespace["gain"](constrained), 1.0, rel_tol=1e-6)
