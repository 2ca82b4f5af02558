"""The degradation problem, as the lesson's training race shows it (seeded)."""

import math

import numpy as np
import pytest

from gradflow import TrainConfig, Trainer, train, views
from gradflow.data import two_spirals


# Only the race's default length runs in Pyodide too. The deep plain network trains
# chaotically: rounding differences between numpy builds grow 10-50x per step, so by step
# 300 Pyodide's run can land elsewhere (measured: it reached loss 0.00076 where CPython
# ends at 0.169). The lesson states the claim for the default 150 steps only.
@pytest.mark.parametrize("steps", [pytest.param(150, marks=pytest.mark.pyodide), 300])
def test_deep_plain_network_trains_worse_than_shallow_and_residual_does_not(steps):
    """Lesson recipe (TrainConfig defaults), seed 0, the race's default depths 4 and 20:
    the deep plain network ends with clearly higher TRAINING loss than the shallow one; the
    deep residual network does not. 150 is the race's default length; 300 checks that the gap
    persists in a longer race (in CPython)."""
    shallow = train(depth=4, steps=steps, seed=0)
    deep_plain = train(depth=20, steps=steps, seed=0)
    deep_residual = train(depth=20, residual=True, zero_init_branch=True, steps=steps, seed=0)
    assert deep_plain.final_loss > 10 * shallow.final_loss
    assert deep_plain.final_loss > shallow.final_loss + 0.01
    assert deep_residual.final_loss <= shallow.final_loss
    assert deep_residual.final_accuracy == 1.0


def test_race_defaults_are_the_pinned_claim():
    race = views.TrainingRace()
    assert (race.settings["shallow_depth"], race.settings["deep_depth"]) == (4, 20)
    assert race.settings["steps"] == 150 and TrainConfig().steps == 150
    assert TrainConfig().n_points == 100


@pytest.mark.pyodide
def test_race_runs_in_chunks_and_matches_a_single_run():
    race = views.TrainingRace({"steps": 60, "deep_depth": 6})
    seen = []
    while True:
        out = race.advance(25)
        seen.append(out["step"])
        if out["done"]:
            break
    assert seen == [25, 50, 60]
    assert out["steps"] == 60 and len(out["table"]["rows"]) == 3
    whole = train(depth=6, steps=60, seed=0)
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


def test_default_config_is_the_lesson_recipe():
    c = TrainConfig()
    assert (c.activation, c.init, c.batch_norm, c.optimizer) == ("relu", "he", True, "sgd")
