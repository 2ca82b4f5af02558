"""Bad input: every setting fails loudly, naming itself, the value and what is allowed."""

import pytest

from gradflow import StackConfig, TrainConfig, Trainer, path_length_distribution, simulate, views

pytestmark = pytest.mark.pyodide  # these checks must also hold in the browser


@pytest.mark.parametrize("settings, message", [
    ({"depth": 0}, "depth must be from 1 to 1000, got 0"),
    ({"depth": 2.5}, "depth must be a whole number from 1 to 1000, got 2.5"),
    ({"depth": "30"}, "depth must be a whole number from 1 to 1000, got '30'"),
    ({"depth": True}, "depth must be a whole number"),
    ({"width": 1}, "width must be from 2 to 256, got 1"),
    ({"batch": 0}, "batch must be from 1 to 1024, got 0"),
    ({"std": 0.0}, "std must be from 0.001 to 100, got 0.0"),
    ({"std": float("nan")}, "std must be from 0.001 to 100, got nan"),
    ({"std": float("inf")}, "std must be from 0.001 to 100, got inf"),
    ({"activation": "softmax"}, "activation must be one of 'sigmoid', 'tanh', 'relu', 'linear', got 'softmax'"),
    ({"init": "kaiming"}, "init must be one of 'normal', 'xavier', 'he', 'orthogonal', got 'kaiming'"),
    ({"residual": 1}, "residual must be True or False, got 1"),
    ({"branch_layers": 3}, "branch_layers must be one of 1, 2, got 3"),
    ({"branch_scale": -1}, "branch_scale must be from 0 to 10, got -1"),
    ({"zero_init_branch": "yes"}, "zero_init_branch must be True or False, got 'yes'"),
    ({"batch_norm": None}, "batch_norm must be True or False, got None"),
    ({"seed": -1}, "seed must be from 0 to 4294967295, got -1"),
    ({"batch_norm": True, "batch": 1}, "batch must be from 2 to 1024 with batch_norm, got 1"),
    ({"residual": True, "preactivation": "no"}, "preactivation must be True or False, got 'no'"),
    ({"preactivation": True}, "preactivation needs a residual stack (residual=True)"),
])
def test_stack_config_rejects(settings, message):
    with pytest.raises(ValueError) as error:
        StackConfig(**settings)
    assert message in str(error.value)


def test_compute_guard_says_what_to_reduce():
    with pytest.raises(ValueError, match=r"too large to run in a browser tab.*reduce depth \(1000\), "
                                         r"width \(256\) or batch \(1024\)"):
        simulate(depth=1000, width=256, batch=1024)


def test_memory_guard_says_what_to_reduce():
    with pytest.raises(ValueError, match=r"too many numbers in memory.*reduce depth \(1000\), "
                                         r"width \(16\) or batch \(1024\)"):
        simulate(depth=1000, width=16, batch=1024)


def test_unknown_setting_is_named():
    with pytest.raises(ValueError, match="unknown setting 'dpeth'; allowed: .*depth"):
        simulate(dpeth=3)


@pytest.mark.parametrize("settings, message", [
    ({"learning_rate": 0}, "learning_rate must be from 1e-06 to 10, got 0"),
    ({"momentum": 1.0}, "momentum must be from 0 to 0.999, got 1.0"),
    ({"steps": 0}, "steps must be from 1 to 20000, got 0"),
    ({"optimizer": "rmsprop"}, "optimizer must be one of 'sgd', 'adam', got 'rmsprop'"),
    ({"n_points": 2}, "n_points must be from 4 to 4000, got 2"),
    ({"batch": 300}, "batch must be from 2 to 100, got 300"),  # at most n_points (default 100)
    ({"noise": -0.1}, "noise must be from 0 to 1, got -0.1"),
    ({"depth": 201}, "depth must be from 1 to 200, got 201"),
    ({"steps": 20000, "depth": 200, "width": 128}, "This training run is too large"),
])
def test_train_config_rejects(settings, message):
    with pytest.raises(ValueError) as error:
        TrainConfig(**settings)
    assert message in str(error.value)


def test_trainer_advance_rejects_negative_steps():
    with pytest.raises(ValueError, match="n_steps must be from 0"):
        Trainer(depth=1, steps=5).advance(-1)


def test_path_blocks_range():
    with pytest.raises(ValueError, match="blocks must be from 1 to 1000, got 0"):
        path_length_distribution(0)


@pytest.mark.parametrize("view, settings, message", [
    ("gradient", {"depth": "0"}, "depth must be from 1 to 200, got 0"),
    ("gradient", {"depth": "thirty"}, "depth must be a whole number from 1 to 200, got 'thirty'"),
    ("gradient", {"std": "big"}, "std must be a number from 0.001 to 10, got 'big'"),
    ("gradient", {"mode": "mixed"}, "mode must be one of 'plain', 'residual', 'both', got 'mixed'"),
    ("gradient", {"width": "33"}, "width must be one of 8, 16, 32, 64, 128, got 33"),
    ("gradient", {"log_y": "maybe"}, "log_y must be true or false, got 'maybe'"),
    ("gradient", {"colour": "red"}, "unknown setting 'colour' for the gradient view; allowed: depth"),
    ("paths", {"blocks": 101}, "blocks must be from 1 to 100, got 101"),
    ("race", {"deep_depth": 3, "shallow_depth": 4}, "shallow_depth (4) must be smaller than deep_depth (3)"),
    ("race", {"steps": 10}, "steps must be from 50 to 300, got 10"),
    ("race", {"deep_depth": 7}, "deep_depth must be even (the residual network has two-layer blocks), got 7"),
    # the list of allowed views grows with the book; the message must start by naming them
    ("histogram", {}, "unknown view 'histogram'; allowed: gradient, paths, "),
])
def test_view_settings_rejected_with_a_build_log_message(view, settings, message):
    with pytest.raises(ValueError) as error:
        views.validate_settings(view, settings)
    assert message in str(error.value)


def test_an_unknown_view_lists_every_view_a_widget_can_name():
    with pytest.raises(ValueError) as error:
        views.validate_settings("histogram", {})
    allowed = str(error.value).split("allowed: ", 1)[1].split(", ")
    assert set(allowed) == set(views.VIEWS) | set(views.TRAINERS)


def test_view_settings_accept_strings_from_markdown():
    s = views.validate_settings("gradient", {"depth": "30", "std": "0.5", "log_y": "false",
                                             "branch_layers": "2", "width": "64"})
    assert s["depth"] == 30 and s["std"] == 0.5 and s["log_y"] is False
    assert s["branch_layers"] == 2 and s["width"] == 64
    assert s["activation"] == "sigmoid"  # defaults filled in
