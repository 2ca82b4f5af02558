"""Every backward pass against centred finite differences (float64, relative error < 1e-6)."""

import itertools

import numpy as np
import pytest

from gradcheck_helpers import assert_gradients_match, numerical_gradient
from gradflow import activations
from gradflow.config import StackConfig
from gradflow.layers import (activation_backward, activation_forward, affine_backward,
                             affine_forward, batchnorm_backward, batchnorm_forward,
                             dense_backward_input, dense_forward)
from gradflow.stack import init_blocks, stack_backward, stack_forward
from gradflow.training import Network, TrainConfig, softmax_cross_entropy

pytestmark = pytest.mark.pyodide  # these checks must also hold in the browser

TOLERANCE = 1e-6
rng = np.random.default_rng(42)


def check_layer(forward, backward, inputs: list, param_index_names):
    """Loss = sum(out * dout) for a random dout; compare backward's grads with FD."""
    out, cache = forward(*inputs)
    dout = rng.standard_normal(out.shape)
    grads = backward(dout, cache)
    grads = grads if isinstance(grads, tuple) else (grads,)

    def loss():
        return float(np.sum(forward(*inputs)[0] * dout))

    for grad, index in zip(grads, param_index_names):
        numeric = numerical_gradient(loss, inputs[index])
        assert_gradients_match(grad, numeric, TOLERANCE)


def test_affine():
    x, w, b = rng.standard_normal((5, 4)), rng.standard_normal((4, 3)), rng.standard_normal(3)
    check_layer(affine_forward, affine_backward, [x, w, b], [0, 1, 2])


def test_batchnorm():
    x = 3 * rng.standard_normal((6, 4)) + 1
    gamma, beta = rng.standard_normal(4), rng.standard_normal(4)
    check_layer(batchnorm_forward, batchnorm_backward, [x, gamma, beta], [0, 1, 2])


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "linear"])
def test_activation(name):
    z = rng.standard_normal((5, 4)) * 2
    z[np.abs(z) < 1e-3] = 0.5  # keep away from relu's kink, where no derivative exists
    check_layer(lambda z: activation_forward(z, name), activation_backward, [z], [0])


def test_sigmoid_is_stable_for_large_inputs():
    out, _ = activation_forward(np.array([-800.0, 0.0, 800.0]), "sigmoid")
    assert out.tolist() == [0.0, 0.5, 1.0]


@pytest.mark.parametrize("preactivation", [False, True])
@pytest.mark.parametrize("batch_norm", [False, True])
def test_dense_backward_input_handles_many_gradients_at_once(batch_norm, preactivation):
    params = {"W": rng.standard_normal((4, 4)), "b": rng.standard_normal(4),
              "gamma": rng.standard_normal(4), "beta": rng.standard_normal(4)}
    _, cache = dense_forward(rng.standard_normal((5, 4)), params, "tanh", batch_norm,
                             preactivation)
    douts = rng.standard_normal((3, 5, 4))
    together = dense_backward_input(douts, cache)
    for k in range(3):
        assert np.allclose(together[k], dense_backward_input(douts[k], cache), rtol=1e-14, atol=0)


# Every activation x initialisation x stack kind x batch norm: the whole stack's backward
# pass (input gradient and every weight matrix) against finite differences of simulate's
# loss, L = mean_b r . h_depth[b].
STACK_KINDS = {
    "plain": dict(residual=False),
    "residual-1": dict(residual=True, branch_layers=1, branch_scale=0.7),
    "residual-2": dict(residual=True, branch_layers=2),
    "residual-2-zero": dict(residual=True, branch_layers=2, zero_init_branch=True),
    # pre-activation blocks (BN -> act -> W): one layer with a gain, two layers, and two
    # with the last layer zeroed (its gradients still flow: the weights are 0, not frozen)
    "preact-1": dict(residual=True, preactivation=True, branch_layers=1, branch_scale=0.6),
    "preact-2": dict(residual=True, preactivation=True, branch_layers=2),
    "preact-2-zero": dict(residual=True, preactivation=True, branch_layers=2, zero_init_branch=True),
}


def _smallest_relu_input(x, blocks, config) -> float:
    """min |z| over every activation input of the forward pass (inf if there are none)."""
    seen = []
    original = activations.FORWARD[config.activation]

    def recording(z):
        seen.append(np.min(np.abs(z)))
        return original(z)

    activations.FORWARD[config.activation] = recording
    try:
        stack_forward(x, blocks, config)
    finally:
        activations.FORWARD[config.activation] = original
    return min(seen, default=np.inf)


def _stack_case(config):
    """Input, blocks and read-out for config. ReLU has no derivative at 0 (a dead unit's
    input can be exactly 0), so for relu the seed is chosen to keep every input at least
    1e-3 from the kink, where the finite difference is valid."""
    for seed in range(7, 200):
        local = np.random.default_rng(seed)
        x = local.standard_normal((config.batch, config.width))
        blocks = init_blocks(local, config)
        r = local.standard_normal(config.width)
        if config.activation != "relu" or _smallest_relu_input(x, blocks, config) > 1e-3:
            return x, blocks, r
    raise AssertionError("no seed keeps the ReLU inputs away from 0")


@pytest.mark.parametrize("activation, init, kind, batch_norm", list(itertools.product(
    ["sigmoid", "tanh", "relu", "linear"], ["normal", "xavier", "he", "orthogonal"],
    list(STACK_KINDS), [False, True])))
def test_stack_backward_matches_finite_differences(activation, init, kind, batch_norm):
    config = StackConfig(depth=2, width=4, batch=5, activation=activation, init=init,
                         std=0.8, batch_norm=batch_norm, **STACK_KINDS[kind])
    x, blocks, r = _stack_case(config)

    def loss():
        hs, _ = stack_forward(x, blocks, config)
        return float(np.mean(hs[-1] @ r))

    hs, caches = stack_forward(x, blocks, config)
    dtop = np.broadcast_to(r / config.batch, hs[-1].shape)
    dhs, grads = stack_backward(dtop, caches, config)
    assert_gradients_match(dhs[0], numerical_gradient(loss, x), TOLERANCE)
    for block, block_grads in zip(blocks, grads):
        for params, param_grads in zip(block, block_grads):
            for name in params:
                numeric = numerical_gradient(loss, params[name])
                assert_gradients_match(param_grads[name], numeric, TOLERANCE)


def test_softmax_cross_entropy():
    logits = rng.standard_normal((6, 3))
    y = np.array([0, 2, 1, 1, 0, 2])
    _, dlogits = softmax_cross_entropy(logits, y)
    numeric = numerical_gradient(lambda: softmax_cross_entropy(logits, y)[0], logits)
    assert_gradients_match(dlogits, numeric, TOLERANCE)


@pytest.mark.parametrize("residual, batch_norm", [(False, False), (True, True), (True, False)])
def test_training_network_gradient(residual, batch_norm):
    """The whole trained network: input layer, stack, output layer, cross-entropy."""
    config = TrainConfig(depth=2, width=4, residual=residual, batch_norm=batch_norm,
                         activation="tanh", init="xavier", n_points=8)
    network = Network(config, np.random.default_rng(3))
    x = np.random.default_rng(4).standard_normal((8, 2))
    y = np.array([0, 1] * 4)
    _, _, grad = network.loss_and_grads(x, y)
    numeric = numerical_gradient(lambda: network.loss_and_grads(x, y)[0], network.theta)
    assert_gradients_match(grad, numeric, TOLERANCE)


def test_slopes_stay_accurate_deep_in_saturation():
    """s(1 - s) would round the slope at z = 40 to exactly 0 (a false underflow)."""
    z = np.array([-40.0, 40.0])
    _, cache = activation_forward(z, "sigmoid")
    assert np.allclose(activation_backward(np.ones(2), cache), np.exp(-40.0), rtol=1e-12)
    _, cache = activation_forward(z, "tanh")
    assert np.allclose(activation_backward(np.ones(2), cache), 4 * np.exp(-80.0), rtol=1e-12)
