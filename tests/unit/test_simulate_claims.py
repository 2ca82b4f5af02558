"""The claims the lessons make about gradient flow, pinned with fixed seeds."""

import math

import pytest

from gradflow import simulate

pytestmark = pytest.mark.pyodide  # these checks must also hold in the browser


@pytest.mark.parametrize("depth", [20, 30, 50])
def test_plain_sigmoid_gradient_falls_by_orders_of_magnitude(depth):
    result = simulate(depth=depth, activation="sigmoid", init="normal", std=1.0, seed=0)
    assert result.activation_grad_norms[-1] == pytest.approx(1.0)
    # at least three orders of magnitude lost between the top layer and layer 1
    assert result.first_to_last_ratio < 1e-3
    assert result.first_to_last_ratio > 0  # small, but a real number, not underflow


@pytest.mark.parametrize("branch_layers", [1, 2])
@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu", "linear"])
def test_zero_initialised_residual_branches_pass_the_top_gradient_unchanged(activation, branch_layers):
    result = simulate(depth=40, activation=activation, residual=True, zero_init_branch=True,
                      branch_layers=branch_layers, seed=3)
    for g in result.activation_grad_norms:
        assert g == pytest.approx(1.0, rel=1e-12)


def test_he_keeps_relu_gradients_within_an_order_of_magnitude_but_std_one_does_not():
    he = simulate(depth=50, activation="relu", init="he", seed=0)
    naive = simulate(depth=50, activation="relu", init="normal", std=1.0, seed=0)
    assert max(he.activation_grad_norms) / min(he.activation_grad_norms) < 10
    assert max(naive.activation_grad_norms) / min(naive.activation_grad_norms) > 1e6


def test_sigmoid_bound_reference_curve():
    result = simulate(depth=10, activation="sigmoid")
    bound = result.reference["sigmoid_bound"]
    assert bound[-1] == 1.0 and bound[0] == pytest.approx(0.25 ** 9)
    assert "identity" not in result.reference
    residual = simulate(depth=10, activation="sigmoid", residual=True)
    assert residual.reference == {"identity": [1.0] * 10}


def test_underflow_is_reported_not_hidden():
    result = simulate(depth=1000, width=16, batch=16, activation="sigmoid", std=0.1)
    zeros = [l for l, g in zip(result.layers, result.activation_grad_norms) if g == 0.0]
    assert zeros and result.flags["underflow"] == zeros
    assert result.first_to_last_ratio == 0.0
    assert not math.isnan(result.loss)


def test_residual_gradient_never_falls_below_the_identity_term_for_small_branches():
    """With small branches dh_l/dh_{l-1} = I + dF/dh stays close to I, so the gradient
    reaching layer 1 stays close to the top layer's (the identity reference curve)."""
    result = simulate(depth=50, activation="sigmoid", residual=True, branch_scale=0.05, seed=1)
    assert all(0.5 < g < 2.0 for g in result.activation_grad_norms)
    plain = simulate(depth=50, activation="sigmoid", seed=1)
    assert plain.first_to_last_ratio < 1e-6
