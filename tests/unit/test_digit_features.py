"""Lesson 1's digits network (gradflow.digit_features): its gradients, the lesson's claim
for every seed and budget a reader can choose, that its recipe is not chaotic (so the
browser's pictures match the page's), and the pictures and words it shows."""

import functools
import json
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from gradcheck_helpers import assert_gradients_match, numerical_gradient
from gradflow import digit_features as df
from gradflow import digits as digits_module
from gradflow.serialize import to_jsonable

SEEDS = range(df.SEEDS[0], df.SEEDS[1] + 1)
LONGEST = df.STEPS[1]


BUDGETS = range(df.STEPS[0], df.STEPS[1] + 1, df.STEPS[2])


@functools.lru_cache(maxsize=None)
def trained(seed: int) -> df.DigitFeatures:
    """The longest run a reader can start, per seed, as the widget runs it."""
    run = df.DigitFeatures({"steps": LONGEST, "seed": seed})
    run.advance(LONGEST)
    return run


@functools.lru_cache(maxsize=None)
def step_by_step(seed: int) -> dict:
    """The longest run again, measured after every step: {"held_out": [accuracy after
    step 1, 2, ...], "favourites": {step: each shown second-layer unit's favourite labels,
    from step 50 on (a share link can ask for any number of steps in the range)}, "theta":
    the final weights}. A k-step run is this run's first k steps: the
    learning rate is constant and the mini-batches come in the same order."""
    run = df.DigitFeatures({"steps": LONGEST, "seed": seed})
    held_out, favourites = [], {}
    for step in range(1, LONGEST + 1):
        run.train_step()
        held_out.append(run.network.accuracy(run.x_test, run.y_test))
        if step >= df.CLAIM_FROM_STEP:
            favourites[step] = [[int(run.y_test[i]) for i in unit["top"]]
                                for unit in run.units()["second"]]
    return {"held_out": held_out, "favourites": favourites, "theta": run.network.theta.copy()}


def test_measured_run_is_the_widgets_run():
    assert np.array_equal(step_by_step(4)["theta"], trained(4).network.theta)
    measured = trained(4)
    assert measured.measured_at[-1] == LONGEST
    assert measured.test_accuracy[-1] == step_by_step(4)["held_out"][-1]


def test_backward_matches_finite_differences():
    rng = np.random.default_rng(3)
    network = df.DigitNetwork(rng)
    # a trained-looking start: full-size first layer, so every gradient is well above noise
    network.weights[0][...] = rng.normal(0, 0.3, network.weights[0].shape)
    network.biases[1][...] = rng.normal(0, 0.3, network.biases[1].shape)
    x = rng.uniform(0, 1, (7, 64))
    y = rng.integers(0, 10, 7)
    _, _, analytic = network.loss_and_grads(x, y)
    numeric = numerical_gradient(lambda: network.loss_and_grads(x, y)[0], network.theta)
    assert_gradients_match(analytic, numeric, tolerance=1e-6)


def test_the_split_holds_out_every_fourth_digit_and_never_trains_on_it():
    train, held_out = df.split_indices(1797)
    assert len(held_out) == 449 and len(train) == 1348
    assert set(train).isdisjoint(held_out)
    run = df.DigitFeatures({"steps": 50})
    assert run.x.shape == (1348, 64) and run.x_test.shape == (449, 64)
    assert run.x.min() >= 0.0 and run.x.max() <= 1.0


@pytest.mark.slow  # a full training run per seed
@pytest.mark.parametrize("seed", SEEDS)
def test_lesson_claim_every_budget_beats_the_stated_accuracy(seed):
    """The lesson says: from 50 steps on (every budget the widget allows), more than 9 in 10
    of the held-out digits are recognised, for every seed."""
    after = step_by_step(seed)["held_out"][df.CLAIM_FROM_STEP - 1:]
    assert min(after) > df.CLAIM_ACCURACY, (
        f"seed {seed}: held-out accuracy {min(after):.3f} at step "
        f"{df.CLAIM_FROM_STEP + int(np.argmin(after))}")
    # and it learned that: the untrained network is near chance (1 in 10)
    fresh = df.DigitFeatures({"seed": seed})
    assert fresh.network.accuracy(fresh.x_test, fresh.y_test) < 0.3


@pytest.mark.slow  # two full training runs per seed
@pytest.mark.parametrize("seed", [0, 5, 9])
def test_recipe_is_not_chaotic(seed):
    """A 1e-13 change of every starting weight (far more than the runtimes' last-bit
    differences) changes no picture, word or readout after the longest budget."""
    run = trained(seed)
    nudged = df.DigitFeatures({"steps": LONGEST, "seed": seed})
    nudged.network.theta *= 1 + 1e-13
    nudged.advance(LONGEST)
    assert np.abs(nudged.network.theta - run.network.theta).max() < 1e-9
    assert nudged.test_accuracy == run.test_accuracy
    assert nudged.measured_at == run.measured_at
    mine, theirs = run.state(), nudged.state()
    assert mine["table"] == theirs["table"]
    assert mine["images"] == theirs["images"]
    assert mine["readout"] == theirs["readout"]


def test_chunks_give_the_same_run_as_one_go():
    whole = df.DigitFeatures({"steps": 63, "seed": 2})
    whole.advance(63)
    chunked = df.DigitFeatures({"steps": 63, "seed": 2})
    states = [chunked.advance(n) for n in (7, 25, 30, 30)]
    assert [s["step"] for s in states] == [7, 32, 62, 63]
    assert [s["done"] for s in states] == [False, False, False, True]
    assert np.array_equal(whole.network.theta, chunked.network.theta)
    assert whole.test_accuracy == chunked.test_accuracy
    # the chart's points: every EVAL_EVERY steps and the last, however the run was cut
    assert chunked.measured_at == [*range(df.EVAL_EVERY, 63, df.EVAL_EVERY), 63]
    assert states[-1]["figure"] == whole.state()["figure"]


def test_state_is_plain_json_with_what_the_widget_shows():
    state = trained(0).state()
    assert {"figure", "readout", "summary", "table", "images", "step", "steps", "done"} <= set(state)
    json.dumps(to_jsonable(state), allow_nan=False)
    assert state["step"] == state["steps"] == LONGEST and state["done"]
    accuracy = trained(0).test_accuracy[-1]
    assert f"{100 * accuracy:.3g} %" in state["readout"]
    held_out, training = state["figure"]["data"]
    assert held_out["y"][-1] == pytest.approx(100 * accuracy)
    assert training["x"] == list(range(df.EVAL_EVERY, LONGEST + 1, df.EVAL_EVERY))
    # the table: every first-layer unit and the shown second-layer units, each with
    # TOP_K labels of held-out digits
    rows = state["table"]["rows"]
    assert len(rows) == 16 + df.SHOWN_UNITS
    for row in rows:
        labels = row[2].split(", ")
        assert len(labels) == df.TOP_K and all(label in "0123456789" for label in labels)


def test_readout_between_chart_points_is_measured_then():
    run = df.DigitFeatures({"steps": 50, "seed": 1})
    state = run.advance(7)
    now = run.network.accuracy(run.x_test, run.y_test)
    assert state["readout"].startswith(f"Step 7 of 50: {100 * now:.3g} %")
    assert run.measured_at == [5]


def test_untrained_state_says_so():
    state = df.DigitFeatures({"steps": 50}).advance(0)
    assert state["step"] == 0 and not state["done"]
    assert state["readout"].startswith("Not trained yet")


def test_top_digits_are_the_ones_that_excite_the_unit_most():
    run = trained(1)
    units = run.units()
    _, (z1, z2), _ = run.network.forward(run.x_test)
    assert units["held_out_accuracy"] == run.test_accuracy[-1]
    for j, unit in enumerate(units["first"]):
        top = unit["top"]
        assert z1[top, j].tolist() == sorted(z1[top, j], reverse=True)
        assert z1[top[-1], j] >= np.sort(z1[:, j])[-df.TOP_K]
    for j, unit in enumerate(units["second"]):
        assert set(unit["top"]) == set(np.argsort(-z2[:, j])[:df.TOP_K].tolist())


@pytest.mark.slow  # a full training run per seed, measured at every step
def test_second_layer_units_pick_out_digits():
    """What the lesson says about the later layer: for at least half of the shown units,
    three or more of its TOP_K favourite held-out digits are one digit, for every seed and
    every number of steps from 50 to 300."""
    for seed in SEEDS:
        for budget in range(df.CLAIM_FROM_STEP, LONGEST + 1):
            units = step_by_step(seed)["favourites"][budget]
            pure = sum(max(labels.count(d) for d in labels) >= 3 for labels in units)
            assert 2 * pure >= len(units) == df.SHOWN_UNITS, (
                f"seed {seed}, {budget} steps: only {pure} of {len(units)} units")


def test_top_inputs_orders_ties_by_index():
    z = np.array([[0.5, 3.0], [2.0, 1.0], [2.0 + 1e-13, 2.0], [1.0, 0.0]])
    assert df.top_inputs(z, 3) == [[1, 2, 3], [0, 2, 1]]


def test_weight_words_name_where_ink_raises_and_lowers_the_input():
    image = np.zeros((8, 8))
    image[0:3, 3:5] = 1.0     # a stroke along the top middle
    image[3:5, 3:5] = -1.0    # held back by ink in the centre
    units = np.stack([image.ravel(), -np.ones(64), np.zeros(64)], axis=1)
    assert df.weight_words(units) == ["ink at the top edge raises it; ink in the centre lowers it",
                                      "ink at the top-left corner lowers it",
                                      "no region stands out"]


def test_built_from_names_the_strongest_first_layer_units_with_sign():
    assert df.built_from(np.array([0.1, -2.0, 0.5, 1.5])) == "mostly layer-1 unit 2 (−), unit 4 (+)"


def test_pictures_are_wellformed_svg_with_one_image_per_unit():
    images = {image["name"]: image for image in trained(0).state()["images"]}
    assert set(images) == {"weights", "top-inputs"}
    for image in images.values():
        root = ET.fromstring(image["svg"])
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        assert root.get("role") == "img" and root.get("aria-label")
        assert image["label"]
        assert not any(el.tag.endswith(("script", "foreignObject")) for el in root.iter())
        assert not any(name.startswith("on") for el in root.iter() for name in el.attrib)
    frames = lambda svg: len(ET.fromstring(svg).findall("{http://www.w3.org/2000/svg}rect"))
    assert frames(images["weights"]["svg"]) == 16
    assert frames(images["top-inputs"]["svg"]) == df.SHOWN_UNITS * df.TOP_K


def test_weight_picture_colours_follow_the_sign():
    image = np.zeros((8, 8))
    image[0, 0], image[7, 7] = 1.0, -1.0
    svg = df.weights_svg([image], columns=1)
    paths = ET.fromstring(svg).findall("{http://www.w3.org/2000/svg}path")
    by_fill = {p.get("fill"): p.get("d") for p in paths}
    assert by_fill == {df._mix(df.OKABE_ITO["vermillion"], 1): "M0 3h1v1h-1z",
                       df._mix(df.OKABE_ITO["blue"], 1): "M7 10h1v1h-1z"}


def test_digit_picture_draws_ink_runs_and_leaves_blank_pixels_out():
    image = np.zeros(64)
    image[8:11] = 16  # row 1, columns 0-2: one run of full ink
    svg = df.digits_svg([[image]])
    paths = ET.fromstring(svg).findall("{http://www.w3.org/2000/svg}path")
    assert [(p.get("fill"), p.get("d")) for p in paths] == [("#000000", "M9 1h3v1h-3z")]


def test_settings_are_checked_with_the_setting_named():
    with pytest.raises(ValueError, match="seed"):
        df.DigitFeatures({"seed": 10})
    with pytest.raises(ValueError, match="steps"):
        df.DigitFeatures({"steps": 1000})
    with pytest.raises(ValueError, match="unknown setting 'depth'"):
        df.DigitFeatures({"depth": 3})


def test_missing_digits_give_the_loaders_one_line_message(monkeypatch):
    def missing():
        raise digits_module.DigitsUnavailable("the handwritten digits file (digits-8x8.bin) is missing")
    monkeypatch.setattr(df, "load_digits", missing)
    with pytest.raises(digits_module.DigitsUnavailable, match="is missing"):
        df.DigitFeatures({})


def test_command_line_prints_the_widgets_numbers(capsys):
    from gradflow.cli import main

    assert main(["digits", "--steps", "50", "--seed", "2", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    run = df.DigitFeatures({"steps": 50, "seed": 2})
    state = run.run_to_end()
    assert printed["held_out_accuracy"] == run.test_accuracy
    assert printed["measured_at"] == run.measured_at
    assert printed["units"] == state["table"]["rows"]
    assert main(["digits", "--steps", "50", "--seed", "2"]) == 0
    table = capsys.readouterr().out
    assert f"{100 * run.test_accuracy[-1]:.3g}" in table and "Layer 2, unit 6" in table
    assert main(["digits", "--seed", "10"]) == 2
    assert capsys.readouterr().err.strip() == "python -m gradflow digits: error: seed must be from 0 to 9, got 10"
