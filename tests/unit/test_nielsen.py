"""Nielsen's layer speeds on the digits: the backward pass, the claims the lesson makes for
every setting the widget allows, and the widget's state."""

import re
from pathlib import Path

import numpy as np
import pytest

from gradcheck_helpers import assert_gradients_match, numerical_gradient
from gradflow import views
from gradflow.nielsen import (NIELSEN_HIDDEN, NIELSEN_PUBLISHED, NIELSEN_SEEDS, NIELSEN_STEPS,
                              NielsenSpeeds, SigmoidNet, nielsen_outcome)

HIDDEN = range(NIELSEN_HIDDEN[0], NIELSEN_HIDDEN[1] + 1)
SEEDS = range(NIELSEN_SEEDS[0], NIELSEN_SEEDS[1] + 1)


def test_backward_pass_matches_finite_differences():
    rng = np.random.default_rng(3)
    net = SigmoidNet([6, 5, 4, 3], seed=1)
    x = rng.random((7, 6))
    y = np.eye(3)[rng.integers(0, 3, 7)]
    _, grad_w, grad_b = net.gradients(x, y)
    for layer in range(3):
        numeric_w = numerical_gradient(lambda: net.cost(x, y), net.weights[layer])
        numeric_b = numerical_gradient(lambda: net.cost(x, y), net.biases[layer])
        assert_gradients_match(grad_w[layer], numeric_w)
        assert_gradients_match(grad_b[layer], numeric_b)


def test_speed_is_the_length_of_the_averaged_bias_gradient():
    run = NielsenSpeeds({"hidden_layers": 2, "steps": 50, "seed": 4})
    _, _, grad_b = run.net.gradients(run.x, run.y)
    # averaged over the 1,000 digits first, then its length (Nielsen's generate_gradient.py)
    per_example = [run.net.gradients(run.x[i:i + 1], run.y[i:i + 1])[2][0] for i in range(1000)]
    assert np.allclose(np.mean(per_example, axis=0), grad_b[0], rtol=1e-9, atol=0)
    assert run.speeds[0] == pytest.approx([np.linalg.norm(g) for g in grad_b[:-1]], rel=1e-12)
    assert len(run.x) == 1000 and run.x.shape[1] == 64


@pytest.fixture(scope="module")
def longest_runs():
    """Every depth and seed the widget allows, trained as long as it allows: a shorter run
    is this run's first steps (constant learning rate, no randomness after the start)."""
    runs = {}
    for hidden in HIDDEN:
        for seed in SEEDS:
            run = NielsenSpeeds({"hidden_layers": hidden, "seed": seed, "steps": NIELSEN_STEPS[1]})
            run.run_to_end()
            runs[hidden, seed] = np.array(run.speeds)
    return runs


@pytest.mark.slow  # longest_runs: every depth and seed, trained to the end (minutes)
def test_first_hidden_layer_is_slowest_at_every_step(longest_runs):
    for (hidden, seed), speeds in longest_runs.items():
        assert speeds.shape == (NIELSEN_STEPS[1] + 1, hidden)
        margin = speeds[:, 1:].min(axis=1) / speeds[:, 0]
        # measured: at least 1.09 (2 hidden layers), 1.4 (3 to 5) - far from rounding
        assert margin.min() > 1.05, (hidden, seed, int(margin.argmin()), margin.min())


@pytest.mark.slow  # longest_runs
def test_the_gap_grows_with_each_hidden_layer_added(longest_runs):
    for seed in SEEDS:
        ratios = [longest_runs[h, seed][0, -1] / longest_runs[h, seed][0, 0] for h in HIDDEN]
        assert all(b > 2 * a for a, b in zip(ratios, ratios[1:])), (seed, ratios)
        assert ratios[0] > 3  # "several times slower" already with two hidden layers


@pytest.mark.slow  # longest_runs
def test_shorter_run_is_the_start_of_the_longest(longest_runs):
    short = NielsenSpeeds({"hidden_layers": 3, "seed": 2, "steps": NIELSEN_STEPS[0]})
    short.run_to_end()
    assert np.allclose(short.speeds, longest_runs[3, 2][:NIELSEN_STEPS[0] + 1], rtol=1e-12, atol=0)


def test_streams_in_chunks_and_reports_the_state():
    run = views.TRAINERS["nielsen"]({"hidden_layers": 4, "steps": 100, "seed": 0})
    state = run.advance(30)
    assert (state["step"], state["steps"], state["done"]) == (30, 100, False)
    assert [len(trace["y"]) for trace in state["figure"]["data"]] == [31] * 4
    assert state["figure"]["layout"]["yaxis"]["type"] == "log"
    state = run.advance(1000)
    assert (state["step"], state["done"]) == (100, True)
    assert run.advance(5)["step"] == 100  # nothing more to do
    assert "the first hidden layer learns" in state["readout"] and "slower" in state["readout"]
    assert state["table"]["columns"][-1].startswith("Nielsen")
    assert [row[-1] for row in state["table"]["rows"]] == list(NIELSEN_PUBLISHED[4])


def test_no_published_column_where_nielsen_gave_none():
    state = NielsenSpeeds({"hidden_layers": 5, "steps": 50}).run_to_end()
    assert len(state["table"]["columns"]) == 3
    assert "no numbers for 5 hidden layers" in state["table"]["caption"]


@pytest.mark.parametrize("settings, name", [
    ({"hidden_layers": 6}, "hidden_layers"), ({"hidden_layers": 1}, "hidden_layers"),
    ({"steps": 350}, "steps"), ({"seed": 10}, "seed"), ({"depth": 3}, "depth")])
def test_settings_outside_the_measured_range_are_refused(settings, name):
    with pytest.raises(ValueError, match=name):
        views.validate_settings("nielsen", settings)


def test_outcome_for_the_lessons_numbers():
    outcome = nielsen_outcome(hidden_layers=2, seed=0, steps=50)
    assert outcome["ratio_start"] == pytest.approx(outcome["start"][-1] / outcome["start"][0])
    assert 0 <= outcome["accuracy"] <= 1
    assert nielsen_outcome(hidden_layers=2, seed=0, steps=50) is outcome  # cached


def test_lessons_run_is_the_shortest_default():
    """Lesson 2's widget trains the default number of steps (its after-guess text reads
    nielsen_outcome at the defaults as "this run"), and the default is the shortest run the
    control offers: 100 steps took 5-8 s from Start to the finished chart in the browser
    under load (build/bench_site.py --only-digits), over the 3 s goal."""
    lesson = Path(__file__).resolve().parents[2] / "lessons" / "02-vanishing-gradients.md"
    block = re.search(r"```\{layer-speeds\}\n(.*?)```", lesson.read_text(), re.S)
    assert block, "lesson 2 has no {layer-speeds} widget"
    options = dict(re.findall(r"^:([\w-]+): *(.*)$", block.group(1), re.M))
    steps = int(options.get("steps", NielsenSpeeds.defaults["steps"]))
    assert steps == NielsenSpeeds.defaults["steps"] == NIELSEN_STEPS[0]
    # what the text says of that run: "By the end of this run the gap is still N times"
    outcome = nielsen_outcome(hidden_layers=int(options["hidden-layers"]))
    assert 5 < outcome["ratio_end"] < outcome["ratio_start"] / 1.5, outcome
