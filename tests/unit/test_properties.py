"""Property tests over random valid configurations (hypothesis)."""

import dataclasses
import json
import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gradflow import SimulationResult, StackConfig, TrainConfig, Trainer, simulate
from gradflow.config import ACTIVATIONS, INITS

@st.composite
def stack_configs(draw):
    residual = draw(st.booleans())
    return StackConfig(
        depth=draw(st.integers(1, 40)), width=draw(st.integers(2, 12)),
        batch=draw(st.integers(2, 12)), activation=draw(st.sampled_from(ACTIVATIONS)),
        init=draw(st.sampled_from(INITS)), std=draw(st.floats(0.01, 20.0)), residual=residual,
        branch_layers=draw(st.sampled_from([1, 2])), branch_scale=draw(st.floats(0.0, 3.0)),
        zero_init_branch=draw(st.booleans()), batch_norm=draw(st.booleans()),
        # pre-activation exists only for residual stacks (StackConfig refuses it otherwise)
        preactivation=residual and draw(st.booleans()),
        seed=draw(st.integers(0, 2**32 - 1)),
    )
FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(stack_configs())
def test_shapes_and_flags(config):
    result = simulate(config)
    n = config.depth
    assert result.layers == list(range(1, n + 1))
    for name in SimulationResult._FLOAT_LISTS:
        assert len(getattr(result, name)) == n, name
    for values in result.reference.values():
        assert len(values) == n
    g = result.activation_grad_norms
    assert result.flags["underflow"] == [l for l in result.layers if g[l - 1] == 0.0]
    assert result.flags["overflow"] == [l for l in result.layers if math.isinf(g[l - 1])]
    assert result.flags["nan"] == [l for l in result.layers if math.isnan(g[l - 1])]
    assert all(0.0 <= f <= 1.0 for f in result.saturated_fraction + result.dead_fraction)
    if math.isfinite(g[-1]):
        assert abs(g[-1] - 1.0) < 1e-12  # the top layer's gradient is 1 by construction


@FAST
@given(stack_configs())
def test_same_seed_same_result_as_strict_json(config):
    first, second = simulate(config), simulate(config)
    text = json.dumps(first.to_dict(), allow_nan=False)  # strict JSON: no NaN/Infinity literals
    assert text == json.dumps(second.to_dict(), allow_nan=False)
    assert json.loads(text)["config"] == dataclasses.asdict(config)


@settings(max_examples=10, deadline=None)
@given(depth=st.integers(1, 4), residual=st.booleans(), batch_norm=st.booleans(),
       optimizer=st.sampled_from(["sgd", "adam"]), seed=st.integers(0, 1000))
def test_training_result_is_strict_json(depth, residual, batch_norm, optimizer, seed):
    config = TrainConfig(depth=depth, width=4, residual=residual, batch_norm=batch_norm,
                         optimizer=optimizer, steps=5, n_points=20, seed=seed)
    trainer = Trainer(config)
    trainer.advance(5)
    result = trainer.result()
    assert len(result.losses) == 5 and result.steps_done == 5
    data = json.loads(json.dumps(result.to_dict(), allow_nan=False))
    assert len(data["losses"]) == 5 and data["steps_done"] == 5
