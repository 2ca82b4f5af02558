"""Paths through residual blocks (Veit et al. 2016)."""

import math

import pytest

from gradflow import StackConfig, path_gradient_share, path_length_distribution, simulate
from gradflow.paths import single_path_share

pytestmark = pytest.mark.pyodide  # these checks must also hold in the browser


def test_path_lengths_are_binomial():
    d = path_length_distribution(54)
    assert d.lengths == list(range(55))
    assert sum(d.counts) == 2**54
    assert d.counts[27] == math.comb(54, 27)
    assert math.fsum(d.fractions) == pytest.approx(1.0, abs=1e-15)


def test_veit_share_of_paths_between_5_and_17_modules():
    # FACTS #8: paths of length 5-17 are 0.45 % of all paths in a 54-block ResNet
    d = path_length_distribution(54)
    assert math.fsum(d.fractions[5:18]) == pytest.approx(0.00454, abs=5e-6)


def test_very_deep_distribution_is_still_exact():
    d = path_length_distribution(1000)
    assert d.fractions[500] == pytest.approx(math.comb(1000, 500) / 2**1000, rel=1e-15)
    assert d.fractions[0] == 2.0**-1000


@pytest.mark.parametrize("batch_norm", [False, True])
def test_gradient_split_adds_up_to_backpropagation(batch_norm):
    share = path_gradient_share(depth=12, width=8, batch=6, activation="tanh", init="xavier",
                                branch_layers=2, batch_norm=batch_norm, seed=2)
    assert share.reconstruction_error < 1e-12
    assert math.fsum(share.shares) == pytest.approx(1.0)
    # the same stack and loss as simulate: the split's total is simulate's gradient at the input
    # (here compared through layer 1's neighbour: simulate reports layers 1..depth, so check
    # the top-only path instead, which is the untouched top gradient of size 1)
    assert share.gradient_norms[0] == pytest.approx(1.0)


def test_weak_branches_put_the_gradient_on_short_paths():
    weak = path_gradient_share(depth=30, branch_scale=0.1, activation="relu", init="he", branch_layers=2)
    strong = path_gradient_share(depth=30, branch_scale=1.0, activation="relu", init="he", branch_layers=2)
    mean = lambda s: sum(k * w for k, w in zip(s.lengths, s.shares))  # noqa: E731
    assert mean(weak) < 5 < 15 < mean(strong)


def test_single_block_split_matches_simulate():
    """One block: the input gradient = identity part + branch part."""
    share = path_gradient_share(depth=1, width=6, batch=4, activation="sigmoid", branch_layers=1, seed=5)
    result = simulate(depth=1, width=6, batch=4, activation="sigmoid", residual=True, seed=5)
    assert share.gradient_norms[0] == pytest.approx(result.activation_grad_norms[0])


def test_paths_need_a_residual_stack():
    with pytest.raises(ValueError, match="residual=True"):
        path_gradient_share(residual=False)


@pytest.mark.parametrize("n", [1, 2, 3, 6])
def test_single_paths_agree_with_the_exact_split_where_a_length_has_one_path(n):
    """Lengths 0 and n have exactly one path each, so Veit et al.'s single-path size and
    the exact split by length must agree there."""
    config = dict(depth=n, width=6, batch=5, activation="relu", init="he", branch_layers=2,
                  branch_scale=0.6, residual=True, seed=4)
    exact = path_gradient_share(**config)
    sampled = single_path_share(samples=3, **config)
    for k in (0, n):
        assert sampled.path_norms[k] == pytest.approx(exact.gradient_norms[k], rel=1e-12)
    assert sampled.path_norms[0] == pytest.approx(1.0, rel=1e-12)  # the all-skip path
    assert sum(sampled.shares) == pytest.approx(1.0, rel=1e-12)


def test_single_paths_through_tiny_branches_leave_the_weight_on_the_empty_path():
    """A tiny gain makes every path through a branch tiny, even times its count."""
    weak = single_path_share(depth=20, branch_scale=0.01, width=8, batch=8, activation="relu",
                             init="he", branch_layers=2, seed=1)
    assert weak.peak_length == 0 and weak.shares[0] > 0.5


def test_single_path_share_needs_a_residual_stack_and_sane_samples():
    with pytest.raises(ValueError, match="needs a residual stack"):
        single_path_share(StackConfig(depth=3))
    with pytest.raises(ValueError, match="samples must be from 1 to 64, got 0"):
        single_path_share(depth=3, samples=0)
