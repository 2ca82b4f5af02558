"""Training plain and residual stacks on two spirals: the degradation problem, live.

The network: an input layer (2 -> width, the stack's activation), then `depth` layers or
residual blocks of width x width exactly as in simulate(), then an output layer
(width -> 2 class scores). The loss is the mean softmax cross-entropy over the batch, the
usual loss for classification. Trainer runs in chunks (advance(n)) so a browser can show
progress and stop between chunks.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np

from .config import (SEED_RANGE, check_choice, check_float, check_int, check_layer_settings, check_work,
                     make_config)
from .data import two_spirals
from .init import init_weights
from .layers import affine_backward, affine_forward, dense_backward, dense_forward
from .optim import Adam, SGDMomentum
from .serialize import to_jsonable
from .stack import init_blocks, stack_backward, stack_forward

OPTIMIZERS = ("sgd", "adam")
TRAIN_DEPTH_RANGE = (1, 200)
TRAIN_WIDTH_RANGE = (2, 128)
N_POINTS_RANGE = (4, 4000)
STEPS_RANGE = (1, 20_000)
LEARNING_RATE_RANGE = (1e-6, 10.0)
MOMENTUM_RANGE = (0.0, 0.999)
ADAM_EPS_RANGE = (1e-12, 1.0)
NOISE_RANGE = (0.0, 1.0)
TURNS_RANGE = (0.25, 5.0)
CLIP_RANGE = (0.0, 1000.0)

# Work of one training run: weights per example x examples per step x steps (forward and
# backward). See config.MAX_SIMULATE_WORK for the unit; this allows a few seconds of
# training in a browser tab.
MAX_TRAIN_WORK = 3_000_000_000


@dataclass(frozen=True)
class TrainConfig:
    """A network and how to train it (see the module docstring for the layers).

    The defaults are the lesson's set-up, the recipe of early 2015 that He et al. used for
    their plain networks: ReLU, He initialisation, batch normalisation, SGD with momentum.
    depth counts the width x width layers (or residual blocks) between the input and output
    layers. batch: examples per step; None (the default) uses the whole training set every
    step, so the recorded loss is the exact training loss. optimizer "sgd" (with momentum) or
    "adam". clip > 0 caps the gradient's norm; warmup > 0 ramps the learning rate up over
    that many steps.
    """

    depth: int = 20
    width: int = 16
    activation: str = "relu"
    init: str = "he"
    std: float = 1.0
    residual: bool = False
    branch_layers: int = 2
    branch_scale: float = 1.0
    zero_init_branch: bool = False
    batch_norm: bool = True
    optimizer: str = "sgd"
    learning_rate: float = 0.05
    momentum: float = 0.9
    adam_eps: float = 1e-8
    clip: float = 0.0
    warmup: int = 0
    steps: int = 150
    n_points: int = 100
    batch: int | None = None
    noise: float = 0.05
    turns: float = 1.5
    seed: int = 0

    def __post_init__(self):
        set_ = object.__setattr__
        set_(self, "depth", check_int("depth", self.depth, *TRAIN_DEPTH_RANGE))
        set_(self, "width", check_int("width", self.width, *TRAIN_WIDTH_RANGE))
        check_layer_settings(self)
        check_choice("optimizer", self.optimizer, OPTIMIZERS)
        set_(self, "learning_rate", check_float("learning_rate", self.learning_rate, *LEARNING_RATE_RANGE))
        set_(self, "momentum", check_float("momentum", self.momentum, *MOMENTUM_RANGE))
        set_(self, "adam_eps", check_float("adam_eps", self.adam_eps, *ADAM_EPS_RANGE))
        set_(self, "clip", check_float("clip", self.clip, *CLIP_RANGE))
        set_(self, "warmup", check_int("warmup", self.warmup, 0, STEPS_RANGE[1]))
        set_(self, "steps", check_int("steps", self.steps, *STEPS_RANGE))
        set_(self, "n_points", check_int("n_points", self.n_points, *N_POINTS_RANGE))
        if self.batch is not None:  # None: the whole training set every step
            set_(self, "batch", check_int("batch", self.batch, 2 if self.batch_norm else 1, self.n_points))
        set_(self, "noise", check_float("noise", self.noise, *NOISE_RANGE))
        set_(self, "turns", check_float("turns", self.turns, *TURNS_RANGE))
        set_(self, "seed", check_int("seed", self.seed, *SEED_RANGE))
        check_work(self.work(), MAX_TRAIN_WORK, "This training run",
                   f"steps ({self.steps}), depth ({self.depth}), width ({self.width}) "
                   f"or batch ({self.examples_per_step()} examples per step)")

    def work(self) -> int:
        """Estimated work: weights per example x batch x steps."""
        per_block = self.branch_layers if self.residual else 1
        weights = self.depth * per_block * self.width**2 + 4 * self.width
        return weights * self.examples_per_step() * self.steps

    def examples_per_step(self) -> int:
        return self.n_points if self.batch is None else self.batch

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    def label(self) -> str:
        """'20-layer plain' / '20-layer residual': weight layers between the input and
        output layers, two per block for two-layer residual branches (He et al.'s count)."""
        if self.residual:
            return f"{self.depth * self.branch_layers}-layer residual"
        return f"{self.depth}-layer plain"


def softmax_cross_entropy(logits, y):
    """Mean cross-entropy of class scores logits: (B, C) against labels y: (B,).

    Returns (loss, dlogits: (B, C)); dL/dlogits = (softmax - one_hot) / B.
    """
    shifted = logits - logits.max(axis=1, keepdims=True)  # exp cannot overflow
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    n = logits.shape[0]
    loss = -float(np.mean(log_probs[np.arange(n), y]))
    dlogits = np.exp(log_probs)
    dlogits[np.arange(n), y] -= 1.0
    return loss, dlogits / n


def clip_by_global_norm(grad: np.ndarray, max_norm: float) -> np.ndarray:
    """Scale the whole (flat) gradient down if its norm exceeds max_norm.

    The direction of the step is kept; only its length is capped, so one unlucky step
    cannot throw the weights somewhere training never recovers from.
    """
    total = float(np.sqrt(grad @ grad))
    if total <= max_norm or not math.isfinite(total):
        return grad
    return grad * (max_norm / total)


@dataclass
class TrainingResult:
    """What one training run produced.

    losses[i]: training loss at step i+1 (of the whole set when batch is None or equals
    n_points, else of that step's mini-batch). final_loss / final_accuracy: on the whole
    training set after the last step. diverged_at: first step whose loss was not finite
    (training stops there), else None.
    """

    config: TrainConfig
    losses: list[float]
    final_loss: float
    final_accuracy: float
    steps_done: int
    diverged_at: int | None = None

    def to_dict(self) -> dict:
        data = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        data["config"] = self.config.to_dict()
        return to_jsonable(data)


class Network:
    """Parameters and forward/backward of input layer + stack + output layer."""

    def __init__(self, config: TrainConfig, rng: np.random.Generator):
        self.config = config
        w = config.width
        self.input = {"W": init_weights(rng, 2, w, config.init, config.std), "b": np.zeros(w)}
        if config.batch_norm:
            self.input["gamma"], self.input["beta"] = np.ones(w), np.zeros(w)
        self.blocks = init_blocks(rng, config)
        self.output = {"W": init_weights(rng, w, 2, config.init, config.std), "b": np.zeros(2)}

        # All parameters live in one flat vector and the dicts hold views into it, so the
        # optimiser updates everything with a few whole-vector operations instead of a
        # few per array (in the browser each numpy call has a noticeable fixed cost).
        arrays = [(d, k) for d in self.param_dicts() for k in sorted(d)]
        self.theta = np.concatenate([d[k].ravel() for d, k in arrays])
        start = 0
        for d, k in arrays:
            size = d[k].size
            d[k] = self.theta[start:start + size].reshape(d[k].shape)
            start += size

    def param_dicts(self) -> list[dict]:
        return [self.input] + [p for block in self.blocks for p in block] + [self.output]

    def loss_and_grads(self, x, y):
        """x: (B, 2), y: (B,) -> (loss, accuracy, flat gradient matching self.theta)."""
        c = self.config
        h0, in_cache = dense_forward(x, self.input, c.activation, c.batch_norm)
        hs, caches = stack_forward(h0, self.blocks, c)
        logits, out_cache = affine_forward(hs[-1], self.output["W"], self.output["b"])
        loss, dlogits = softmax_cross_entropy(logits, y)
        accuracy = float(np.mean(logits.argmax(axis=1) == y))
        dtop, dw_out, db_out = affine_backward(dlogits, out_cache)
        dhs, block_grads = stack_backward(dtop, caches, c)
        _, in_grads = dense_backward(dhs[0], in_cache)
        grad_dicts = [in_grads] + [g for block in block_grads for g in block] + [{"W": dw_out, "b": db_out}]
        # axis=None flattens every array as it joins them: one numpy call, not one per array
        return loss, accuracy, np.concatenate([g[k] for g in grad_dicts for k in sorted(g)], axis=None)

    def evaluate(self, x, y):
        """(loss, accuracy) on x, y without changing anything."""
        loss, accuracy, _ = self.loss_and_grads(x, y)
        return loss, accuracy


class Trainer:
    """Trains one network step by step: advance(n) runs n more steps and returns their losses.

    Random numbers come from one generator seeded with config.seed, drawn in a fixed order
    (data set, parameters, then mini-batch order), so a seed reproduces a run exactly.
    """

    def __init__(self, config: TrainConfig | None = None, **overrides):
        self.config = make_config(TrainConfig, config, overrides)
        c = self.config
        self._rng = np.random.default_rng(c.seed)
        self.x, self.y = two_spirals(c.n_points, c.noise, self._rng, c.turns)
        self.network = Network(c, self._rng)
        params = [self.network.theta]
        if c.optimizer == "sgd":
            self.optimizer = SGDMomentum(params, c.learning_rate, c.momentum)
        else:
            self.optimizer = Adam(params, c.learning_rate, eps=c.adam_eps)
        self.losses: list[float] = []
        self.accuracies: list[float] = []
        self.diverged_at: int | None = None
        self._order = np.arange(0)

    @property
    def step_count(self) -> int:
        return len(self.losses)

    @property
    def done(self) -> bool:
        return self.step_count >= self.config.steps or self.diverged_at is not None

    def learning_rate_at(self, step: int) -> float:
        """Learning rate for step (1-based): rises linearly over the first `warmup` steps.

        He et al. (2015) warmed up their 110-layer ResNet the same way: a large step at the
        very start, when every residual branch moves at once, can throw training off.
        """
        c = self.config
        if step <= c.warmup:
            return c.learning_rate * step / (c.warmup + 1)
        return c.learning_rate

    def _next_batch(self):
        c = self.config
        batch = c.examples_per_step()
        if batch == c.n_points:
            return self.x, self.y
        if self._order.size < batch:  # a new pass over the data in a new random order
            self._order = self._rng.permutation(c.n_points)
        chosen, self._order = self._order[:batch], self._order[batch:]
        return self.x[chosen], self.y[chosen]

    def advance(self, n_steps: int) -> list[float]:
        """Run up to n_steps more steps (fewer at the end); return those steps' losses."""
        n_steps = check_int("n_steps", n_steps, 0, STEPS_RANGE[1])
        new = []
        with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
            while len(new) < n_steps and not self.done:
                x, y = self._next_batch()
                loss, accuracy, grad = self.network.loss_and_grads(x, y)
                self.losses.append(loss)
                self.accuracies.append(accuracy)
                new.append(loss)
                if not math.isfinite(loss):
                    self.diverged_at = self.step_count  # report it and stop: nothing to learn from nan
                    break
                self.optimizer.learning_rate = self.learning_rate_at(self.step_count)
                if self.config.clip > 0:
                    grad = clip_by_global_norm(grad, self.config.clip)
                self.optimizer.step([grad])
        return new

    def result(self) -> TrainingResult:
        with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
            loss, accuracy = self.network.evaluate(self.x, self.y)
        return TrainingResult(config=self.config, losses=list(self.losses), final_loss=loss,
                              final_accuracy=accuracy, steps_done=self.step_count,
                              diverged_at=self.diverged_at)


def train(config: TrainConfig | None = None, **overrides) -> TrainingResult:
    """Train to the end: train(depth=20, residual=True) or train(TrainConfig(...))."""
    trainer = Trainer(config, **overrides)
    trainer.advance(trainer.config.steps)
    return trainer.result()
