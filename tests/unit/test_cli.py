"""The command line, run as teachers run it: python -m gradflow ..."""

import json
import subprocess
import sys

import pytest

from gradflow import simulate


def gradflow(*args):
    return subprocess.run([sys.executable, "-m", "gradflow", *args], capture_output=True,
                          text=True, timeout=120)


def test_simulate_table():
    run = gradflow("simulate", "--depth", "30", "--activation", "sigmoid")
    assert run.returncode == 0, run.stderr
    ratio = simulate(depth=30).first_to_last_ratio
    assert "Layer 1 receives" in run.stdout and "of the gradient at layer 30" in run.stdout
    assert f"{ratio:.2e}".split("e")[0] in run.stdout
    assert len([l for l in run.stdout.splitlines() if l.strip()[:1].isdigit()]) == 30


def test_simulate_json_matches_the_library():
    run = gradflow("simulate", "--depth", "5", "--residual", "--zero-init-branch", "--json")
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    expected = simulate(depth=5, residual=True, zero_init_branch=True).to_dict()
    assert data == json.loads(json.dumps(expected))


def test_train_json():
    run = gradflow("train", "--depth", "2", "--steps", "10", "--json")
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert data["steps_done"] == 10 and data["config"]["depth"] == 2
    assert len(data["losses"]) == 10


def test_paths_defaults_are_the_widgets():
    """`python -m gradflow paths --gradient` splits the same stack's gradient as the
    {path-lengths} widget at its defaults (it used branch scale 0.5, the widget 0.35)."""
    from gradflow.paths import path_gradient_share
    from gradflow.views import PATH_DEFAULTS, PATH_STACK

    run = gradflow("paths", "--blocks", "6", "--gradient", "--json")
    assert run.returncode == 0, run.stderr
    expected = path_gradient_share(depth=6, branch_scale=PATH_DEFAULTS["branch_scale"],
                                   seed=PATH_DEFAULTS["seed"], **PATH_STACK).to_dict()
    assert json.loads(run.stdout)["gradient_share"] == json.loads(json.dumps(expected))
    assert f"(default: {PATH_DEFAULTS['blocks']})" in gradflow("paths", "--help").stdout


def test_paths_table():
    run = gradflow("paths", "--blocks", "4", "--gradient")
    assert run.returncode == 0, run.stderr
    assert "2^4 = 16 paths" in run.stdout and "share of gradient" in run.stdout


@pytest.mark.parametrize("args, message", [
    (["simulate", "--depth", "0"], "depth must be from 1 to 1000, got 0"),
    (["simulate", "--depth", "x"], "invalid int value: 'x'"),
    (["simulate", "--activation", "softmax"], "invalid choice: 'softmax'"),
    (["simulate", "--depth", "1000", "--width", "256"], "too large to run in a browser tab"),
    (["train", "--learning-rate", "-1"], "learning_rate must be from"),
    (["paths", "--blocks", "5000"], "blocks must be from 1 to 1000, got 5000"),
    (["fly"], "invalid choice: 'fly'"),
])
def test_bad_input_is_one_line_and_exit_2(args, message):
    run = gradflow(*args)
    assert run.returncode == 2
    assert run.stdout == ""
    assert len(run.stderr.strip().splitlines()) == 1 and message in run.stderr
    assert "Traceback" not in run.stderr


def test_help_documents_every_option():
    from dataclasses import fields

    from gradflow import StackConfig, TrainConfig
    for command, config in [("simulate", StackConfig), ("train", TrainConfig)]:
        run = gradflow(command, "--help")
        assert run.returncode == 0
        for f in fields(config):
            assert "--" + f.name.replace("_", "-") in run.stdout


def test_nielsen_table_and_json_match_the_library():
    from gradflow.nielsen import NielsenSpeeds

    run = gradflow("nielsen", "--hidden-layers", "2", "--steps", "50", "--json")
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    expected = NielsenSpeeds({"hidden_layers": 2, "steps": 50})
    expected.run_to_end()
    assert len(data["speeds"]) == 51
    assert data["speeds"][0] == pytest.approx(expected.speeds[0], rel=1e-12)
    assert data["speeds"][-1] == pytest.approx(expected.speeds[-1], rel=1e-9)
    table = gradflow("nielsen", "--hidden-layers", "3", "--steps", "50", "--every", "25")
    assert table.returncode == 0, table.stderr
    assert "0.012, 0.060, 0.283" in table.stdout  # Nielsen's published row beside ours
    assert [l.split()[0] for l in table.stdout.splitlines() if l.strip()[:1].isdigit()] == ["0", "25", "50"]


def test_nielsen_refuses_depths_outside_the_measured_range():
    run = gradflow("nielsen", "--hidden-layers", "9")
    assert run.returncode == 2 and "hidden_layers must be from 2 to 5, got 9" in run.stderr
