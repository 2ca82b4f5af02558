"""The degradation race's claims, exactly as lesson 4 states them, over every seed and step
budget its controls allow, and the properties that make them the same on every machine.

The lesson's race is views.TrainingRace at RACE_CLAIM_DEPTHS (4 and 80 weight layers) with
the `steps` and `seed` controls free: seeds RACE_SEEDS (0-9), budgets RACE_STEPS. With a
constant learning rate after the warm-up, the loss a k-step race ends at is step k of the
longest race, so one run per seed gives every budget.
"""

import math

import numpy as np
import pytest

from gradflow import TrainConfig, Trainer, train, views
from gradflow.data import two_spirals
from gradflow.race_bands import BANDS, RECIPE

SEEDS = range(views.RACE_SEEDS[0], views.RACE_SEEDS[1] + 1)
LOW, HIGH, EVERY = views.RACE_STEPS
BUDGETS = range(LOW, HIGH + 1, EVERY)
CLAIMED_BUDGETS = [b for b in BUDGETS if b >= views.RACE_CLAIM_FROM_STEP]
PERTURBATION = 1e-15


def longest_race(seed: int) -> views.TrainingRace:
    """The lesson's race for one seed, trained for the longest budget its control allows
    (views caches it: the lesson's numbers come from the same runs)."""
    race = views._longest_race(views.RACE_CLAIM_DEPTHS["shallow_depth"],
                               views.RACE_CLAIM_DEPTHS["deep_depth"], seed)
    assert race.settings["steps"] == HIGH and race.done
    return race


def at(race, budget: int):
    """(losses, training errors) of the three networks at the end of a `budget`-step race."""
    losses = [t.losses[budget - 1] for t in race.trainers]
    errors = [1.0 - t.accuracies[budget - 1] for t in race.trainers]
    return losses, errors


@pytest.mark.slow  # a 300-step race of 80 layers per seed
@pytest.mark.parametrize("seed", SEEDS)
def test_deep_plain_network_ends_clearly_worse_at_every_claimed_budget(seed):
    """From RACE_CLAIM_FROM_STEP steps on (the lesson says so), for every seed: the 80-layer
    plain network ends with at least 10 times the 4-layer one's TRAINING loss and at least
    25 points more training error (He et al.'s measure); the 80-layer residual network, as
    deep, fits the training points as well as the shallow one (no more training error) and
    ends at least 10 times below the deep plain one. Which of residual and shallow ends
    lower depends on the seed (both are near 0); the lesson says so too."""
    race = longest_race(seed)
    for budget in CLAIMED_BUDGETS:
        (shallow, plain, residual), (e_shallow, e_plain, e_residual) = at(race, budget)
        where = f"seed {seed}, {budget} steps"
        assert plain >= 10 * shallow, f"{where}: deep plain {plain:.3g} vs shallow {shallow:.3g}"
        assert e_plain >= e_shallow + 0.25, f"{where}: errors {e_plain:.2f} vs {e_shallow:.2f}"
        assert plain >= 10 * residual, f"{where}: deep plain {plain:.3g} vs residual {residual:.3g}"
        assert e_residual <= e_shallow, f"{where}: errors {e_residual:.2f} vs {e_shallow:.2f}"


@pytest.mark.slow  # a 300-step race of 80 layers per seed
@pytest.mark.parametrize("seed", SEEDS)
def test_deep_plain_network_never_gets_going(seed):
    """The lesson says the deep plain network stays near chance (loss ln 2 = 0.693) for the
    whole race: it is not slower to converge, it does not start."""
    plain = longest_race(seed).trainers[1]
    assert min(plain.losses) > 0.6, f"seed {seed}: the deep plain network reached {min(plain.losses):.3g}"


@pytest.mark.slow  # a 300-step race of 80 layers per seed
@pytest.mark.parametrize("seed", SEEDS)
def test_race_is_not_chaotic(seed):
    """Rounding differs in the last bit between numpy builds and CPUs (Pyodide's numpy
    2.0.2, OpenBLAS on Intel or AMD). Multiplying every weight and every step's gradient by
    1 + 1e-15 x noise, several times that difference, must move no loss at any step by
    more than 1e-6 relative (measured: at most 3e-9, in seed 6's residual network), so the
    page's numbers and the browser's agree (tests/pyodide and tests/browser compare the
    two runtimes directly)."""
    race = longest_race(seed)
    rng = np.random.default_rng(1000 + seed)
    for trainer in race.trainers:
        other = Trainer(trainer.config)
        theta = other.network.theta
        theta *= 1.0 + PERTURBATION * rng.standard_normal(theta.shape)
        step = other.optimizer.step
        other.optimizer.step = lambda grads, step=step: step(
            [g * (1.0 + PERTURBATION * rng.standard_normal(g.shape)) for g in grads])
        other.advance(HIGH)
        a, b = np.array(trainer.losses), np.array(other.losses)
        drift = float(np.max(np.abs(a - b) / a))
        assert drift < 1e-6, f"seed {seed}, {trainer.config.label()}: relative drift {drift:.1e}"


@pytest.mark.slow  # the races of all ten seeds
def test_shaded_bands_are_the_spread_over_the_seeds():
    assert RECIPE == views.RACE_RECIPE, ("the race's recipe changed: rewrite the bands with "
                                         "tests/benchmarks/sweep_degradation.py --write-bands")
    stored = BANDS[(views.RACE_CLAIM_DEPTHS["shallow_depth"], views.RACE_CLAIM_DEPTHS["deep_depth"])]
    assert stored["seeds"] == list(views.RACE_SEEDS) and stored["steps"] == HIGH
    curves = np.array([[t.losses for t in longest_race(seed).trainers] for seed in SEEDS])
    # 4 significant digits are stored
    np.testing.assert_allclose(stored["low"], curves.min(axis=0), rtol=1e-3)
    np.testing.assert_allclose(stored["high"], curves.max(axis=0), rtol=1e-3)


def test_race_view_draws_the_bands_up_to_the_current_step():
    race = views.TrainingRace({"steps": 50})
    out = race.advance(20)
    bands = [t for t in out["figure"]["data"] if t.get("fill") or "range over seeds" in t["name"]]
    lines = [t for t in out["figure"]["data"] if t not in bands]
    assert len(bands) == 6 and len(lines) == 3
    assert all(len(t["y"]) == 20 for t in out["figure"]["data"])
    # each network's own curve lies inside its band (seed 0 is one of the seeds)
    for i, line in enumerate(lines):
        low, high = bands[2 * i]["y"], bands[2 * i + 1]["y"]
        assert all(lo * (1 - 1e-3) <= y <= hi * (1 + 1e-3) for lo, y, hi in zip(low, line["y"], high))
    assert "seeds 0 to 9" in out["summary"]
    # no band where none was measured
    other = views.TrainingRace({"deep_depth": 6, "steps": 50}).advance(10)
    assert len(other["figure"]["data"]) == 3


def test_race_defaults_and_controls_are_where_the_claim_was_checked():
    race = views.TrainingRace()
    assert {k: race.settings[k] for k in views.RACE_CLAIM_DEPTHS} == views.RACE_CLAIM_DEPTHS
    assert race.settings["steps"] in CLAIMED_BUDGETS and race.settings["seed"] == 0
    controls = {c["name"]: c for c in views.TrainingRace.controls}
    assert (controls["seed"]["min"], controls["seed"]["max"]) == views.RACE_SEEDS
    assert (controls["steps"]["min"], controls["steps"]["max"]) == (LOW, HIGH)


def test_deep_networks_have_the_same_number_of_weight_layers():
    shallow, plain, residual = views.race_configs({**views.RACE_CLAIM_DEPTHS, "steps": 50, "seed": 0})
    assert plain.depth == residual.depth * residual.branch_layers == 80
    assert [c.label() for c in (shallow, plain, residual)] == [
        "4-layer plain", "80-layer plain", "80-layer residual"]
    assert residual.zero_init_branch and not plain.residual
    with pytest.raises(ValueError, match="deep_depth must be even"):
        views.race_configs({"shallow_depth": 4, "deep_depth": 7, "steps": 50, "seed": 0})


@pytest.mark.slow  # seed 3's 300-step race of 80 layers
def test_race_outcome_is_what_a_race_of_that_length_ends_at():
    """race_outcome reads a k-step race off the longest race; a race trained for k steps
    must end at exactly those numbers (nothing in training depends on the budget)."""
    outcome = views.race_outcome(seed=3, steps=LOW)
    race = views.TrainingRace({"seed": 3, "steps": LOW})
    race.advance(LOW)
    assert outcome["loss"] == [t.losses[-1] for t in race.trainers]
    assert outcome["error"] == [1.0 - t.accuracies[-1] for t in race.trainers]
    assert outcome["ratio"] == outcome["loss"][1] / outcome["loss"][0]


@pytest.mark.pyodide
def test_race_runs_in_chunks_and_matches_a_single_run():
    race = views.TrainingRace({"steps": 50, "deep_depth": 6})
    seen = []
    while True:
        out = race.advance(20)
        seen.append(out["step"])
        if out["done"]:
            break
    assert seen == [20, 40, 50]
    assert out["steps"] == 50 and len(out["table"]["rows"]) == 3
    whole = Trainer(race.trainers[1].config)
    whole.advance(50)
    assert race.trainers[1].losses == whole.losses  # chunking changes nothing


@pytest.mark.pyodide
def test_trainer_is_deterministic_and_reports_progress():
    a, b = Trainer(depth=3, steps=10), Trainer(depth=3, steps=10)
    assert a.advance(4) == b.advance(4)
    assert a.step_count == 4 and not a.done
    a.advance(100)
    assert a.step_count == 10 and a.done and a.advance(5) == []


@pytest.mark.pyodide
def test_divergence_is_reported_and_stops_training():
    result = train(depth=3, steps=50, learning_rate=10.0, init="normal", std=30.0,
                   batch_norm=False, activation="linear", momentum=0.99)
    assert result.diverged_at is not None
    assert result.steps_done == result.diverged_at
    assert not math.isfinite(result.losses[-1])


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_both_optimisers_reduce_the_training_loss(optimizer):
    result = train(depth=2, steps=60, optimizer=optimizer,
                   learning_rate=0.05 if optimizer == "sgd" else 0.01)
    assert result.losses[-1] < 0.5 * result.losses[0]


def test_adam_epsilon_damps_steps_on_tiny_gradients():
    """Why the race uses epsilon 1e-3: a gradient far below epsilon moves a weight by about
    lr x gradient / epsilon, not by a full lr-sized step as with epsilon 1e-8."""
    from gradflow.optim import Adam
    for eps, expected in ((1e-8, 0.01), (1e-3, 0.01 * 1e-6 / 1e-3)):
        p = np.zeros(1)
        Adam([p], 0.01, eps=eps).step([np.array([1e-6])])
        assert math.isclose(-p[0], expected, rel_tol=0.01), (eps, p[0])


def test_mini_batches_cover_the_data():
    trainer = Trainer(depth=1, steps=8, n_points=40, batch=10)
    trainer.advance(8)
    assert trainer.step_count == 8 and all(math.isfinite(l) for l in trainer.losses)


def test_two_spirals():
    x, y = two_spirals(101, 0.0, np.random.default_rng(0))
    assert x.shape == (101, 2) and y.shape == (101,)
    assert (y == 0).sum() == 50 and (y == 1).sum() == 51
    # without noise, class 1 is class 0 turned by half a turn
    x, y = two_spirals(100, 0.0, np.random.default_rng(0))
    assert np.allclose(x[y == 0], -x[y == 1], atol=1e-12)
    assert 0.09 < np.linalg.norm(x, axis=1).min() and np.linalg.norm(x, axis=1).max() <= 1.0 + 1e-12
    # more turns wind the same radii further round
    x2, _ = two_spirals(100, 0.0, np.random.default_rng(0), turns=3.0)
    assert np.allclose(np.linalg.norm(x2, axis=1), np.linalg.norm(x, axis=1))
    assert not np.allclose(x2, x)


def test_turns_and_adam_epsilon_are_checked():
    with pytest.raises(ValueError, match="turns"):
        TrainConfig(turns=0.0)
    with pytest.raises(ValueError, match="adam_eps"):
        TrainConfig(adam_eps=0.0)


def test_default_config_is_the_2015_recipe():
    c = TrainConfig()
    assert (c.activation, c.init, c.batch_norm, c.optimizer) == ("relu", "he", True, "sgd")
