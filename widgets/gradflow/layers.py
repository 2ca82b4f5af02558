"""Layers as forward/backward pairs (the cs231n pattern).

`*_forward(...) -> (out, cache)` computes a layer and keeps what its derivative needs;
`*_backward(dout, cache)` takes dL/d(out) and returns dL/d(input) (and the parameters'
gradients). Rows are examples: x has shape (B, D) for a batch of B examples of D units.
Each backward sits next to its forward so the derivative can be checked by eye; the unit
tests check every one against finite differences.
"""

from __future__ import annotations

import numpy as np

from .activations import FORWARD, SLOPE

BN_EPS = 1e-5  # keeps 1/sqrt(var + eps) finite when a unit is constant over the batch


def affine_forward(x, w, b):
    """out = x @ w + b.  x: (B, D), w: (D, M), b: (M,) -> out: (B, M)."""
    return x @ w + b, (x, w)


def affine_backward(dout, cache):
    """dout: (B, M) -> dx: (B, D), dw: (D, M), db: (M,)."""
    x, w = cache
    return dout @ w.T, x.T @ dout, dout.sum(axis=0)


def affine_backward_input(dout, cache):
    """dx only, for dout: (..., B, M) -> (..., B, D): several gradients through one layer."""
    return dout @ cache[1].T


def batchnorm_forward(x, gamma, beta):
    """Normalise each unit over the batch, then scale and shift.

    x: (B, D), gamma, beta: (D,). Uses the batch's own mean and variance, as in training.
    """
    # Sums times 1/B rather than x.mean() / x.var(): the same maths in fewer numpy calls,
    # which is what costs time for these small arrays, especially in the browser.
    inv_n = 1.0 / x.shape[0]
    centred = x - x.sum(axis=0) * inv_n
    inv_std = 1.0 / np.sqrt((centred * centred).sum(axis=0) * inv_n + BN_EPS)
    xhat = centred * inv_std
    return gamma * xhat + beta, (xhat, inv_std, gamma)


def batchnorm_backward(dout, cache):
    """dout: (B, D) -> dx: (B, D), dgamma: (D,), dbeta: (D,).

    Every example's output depends on the whole batch through the mean and variance, hence
    the two batch sums: dx = inv_std/B * (B*dxhat - sum(dxhat) - xhat*sum(dxhat*xhat)).
    """
    dx = _batchnorm_backward_input(dout, cache)
    xhat = cache[0]
    return dx, (dout * xhat).sum(axis=0), dout.sum(axis=0)


def _batchnorm_backward_input(dout, cache):
    """dx of batch norm for dout: (..., B, D); the batch is axis -2."""
    xhat, inv_std, gamma = cache
    n = dout.shape[-2]
    dxhat = dout * gamma
    return (inv_std / n) * (n * dxhat - dxhat.sum(axis=-2, keepdims=True)
                            - xhat * (dxhat * xhat).sum(axis=-2, keepdims=True))


def activation_forward(z, name):
    """out = act(z), elementwise."""
    out = FORWARD[name](z)
    return out, (z, out, name)


def activation_backward(dout, cache):
    """dz = dout * act'(z)  (chain rule through an elementwise function)."""
    z, _, name = cache
    return dout * SLOPE[name](z)


def dense_forward(x, params, activation, batch_norm, preactivation=False):
    """One fully connected layer: act(BN(x @ W + b)), or BN -> act -> affine when
    preactivation (He et al. 2016's order: the layer ends with its weights, so zero
    weights make it output exactly 0 whatever the activation).

    params: {"W": (D, M), "b": (M,)} plus {"gamma", "beta"} when batch_norm, of shape (M,)
    (after the affine step) or (D,) (before it, with preactivation).
    activation None leaves the layer linear (the last layer of a two-layer branch).
    Returns out: (B, M) and a cache; the cache's "out" is the layer's output.
    """
    if preactivation:
        z, bn_cache = (batchnorm_forward(x, params["gamma"], params["beta"]) if batch_norm
                       else (x, None))
        a, act_cache = (activation_forward(z, activation) if activation is not None
                        else (z, None))
        out, affine_cache = affine_forward(a, params["W"], params["b"])
        return out, {"affine": affine_cache, "bn": bn_cache, "act": act_cache, "out": out,
                     "pre": True}
    z, affine_cache = affine_forward(x, params["W"], params["b"])
    bn_cache = None
    if batch_norm:
        z, bn_cache = batchnorm_forward(z, params["gamma"], params["beta"])
    act_cache = None
    out = z
    if activation is not None:
        out, act_cache = activation_forward(z, activation)
    return out, {"affine": affine_cache, "bn": bn_cache, "act": act_cache, "out": out,
                 "pre": False}


def dense_backward(dout, cache):
    """dout: (B, M) -> dx: (B, D), grads: dict with the same keys as the layer's params."""
    grads = {}
    if cache["pre"]:  # out = affine(act(BN(x))): undo the steps in reverse order
        dz, grads["W"], grads["b"] = affine_backward(dout, cache["affine"])
        if cache["act"] is not None:
            dz = activation_backward(dz, cache["act"])
        if cache["bn"] is not None:
            dz, grads["gamma"], grads["beta"] = batchnorm_backward(dz, cache["bn"])
        return dz, grads
    dz = dout
    if cache["act"] is not None:
        dz = activation_backward(dz, cache["act"])
    if cache["bn"] is not None:
        dz, grads["gamma"], grads["beta"] = batchnorm_backward(dz, cache["bn"])
    dx, grads["W"], grads["b"] = affine_backward(dz, cache["affine"])
    return dx, grads


def dense_backward_input(dout, cache):
    """dx only, for a stack of gradients dout: (..., B, M) -> (..., B, D).

    The same chain rule as dense_backward without the parameter gradients, so many
    incoming gradients can pass through the layer in one go (used to split the gradient
    by path length).
    """
    if cache["pre"]:
        dz = affine_backward_input(dout, cache["affine"])
        if cache["act"] is not None:
            dz = activation_backward(dz, cache["act"])
        if cache["bn"] is not None:
            dz = _batchnorm_backward_input(dz, cache["bn"])
        return dz
    dz = dout
    if cache["act"] is not None:
        dz = activation_backward(dz, cache["act"])
    if cache["bn"] is not None:
        dz = _batchnorm_backward_input(dz, cache["bn"])
    return affine_backward_input(dz, cache["affine"])
