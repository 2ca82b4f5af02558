"""Nielsen's measurement of how fast each hidden layer learns, replicated on the digits.

Nielsen (Neural Networks and Deep Learning, ch. 5; his script fig/generate_gradient.py)
trained sigmoid networks with hidden layers of 30 units on the first 1,000 MNIST images,
with the cross-entropy cost, weights drawn from N(0, 1/n_in) and biases from N(0, 1). Each
"epoch" of his script is one step of gradient descent on all 1,000 images (mini-batch
1,000) with learning rate 0.1 and L2 regularisation 5.0. A hidden layer's "speed" is the
length of the vector of its bias gradients dC/db, averaged over the 1,000 images.

Here the same recipe runs on the first 1,000 of the 8x8 digits (gradflow.digits): the
input has 64 pixels instead of 784. What the lesson claims, and where it was measured
(tests/unit/test_nielsen.py checks it for every setting the widget allows):

- at every step from 0 to NIELSEN_STEPS[1], for 2 to 5 hidden layers and seeds 0-9, the
  first hidden layer is the slowest (with 2 hidden layers the margin shrinks to about
  1.1 times by step 300; beyond about 350 steps some seeds train far enough that the
  first layer overtakes the second, so the widget stops at 300);
- the gap grows with depth: about 5, 25, 140 and 550 times between the first and the
  last hidden layer at the start for 2, 3, 4 and 5 hidden layers (seed 0).
"""

from __future__ import annotations

import numpy as np

from .controls import range_control, seed_control
from .digits import load_digits
from .figures import SERIES_STYLES, _layout, _plottable, log_floor
from .streaming import StreamedTrainer
from .text import format_number

#: Nielsen's recipe (generate_gradient.py with network2.py's defaults)
NIELSEN_RECIPE = dict(images=1000, width=30, learning_rate=0.1, l2=5.0)
#: hidden layers the widget offers (min, max); the claim was measured for each
NIELSEN_HIDDEN = (2, 5)
#: training steps (min, max, step of the control); see the module docstring for why 300
NIELSEN_STEPS = (50, 300, 50)
NIELSEN_SEEDS = (0, 9)

#: Nielsen's published speeds at initialisation (MNIST, hidden layers first to last),
#: as FACTS.md §20 gives them; his chapter prints the two-layer ones truncated ("0.07...")
NIELSEN_PUBLISHED = {
    2: ("0.07…", "0.31…"),
    3: ("0.012", "0.060", "0.283"),
    4: ("0.003", "0.017", "0.070", "0.285"),
}
NIELSEN_CITATION = "Nielsen (2015), Neural Networks and Deep Learning, ch. 5"


def _sigmoid(z: np.ndarray) -> np.ndarray:
    # exp(-z) overflows to inf for z < -709, and 1 / (1 + inf) is the right 0; silenced so
    # the browser's console stays clean. (Splitting z by sign avoids the overflow but took
    # half of the whole run's time.)
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-z))


class SigmoidNet:
    """Fully connected sigmoid network; weights[l] has shape (n_out, n_in)."""

    def __init__(self, sizes: list[int], seed: int):
        rng = np.random.default_rng(seed)
        self.sizes = list(sizes)
        self.weights = [rng.standard_normal((n_out, n_in)) / np.sqrt(n_in)
                        for n_in, n_out in zip(sizes[:-1], sizes[1:])]
        self.biases = [rng.standard_normal(n_out) for n_out in sizes[1:]]

    def forward(self, x: np.ndarray) -> list[np.ndarray]:
        """Activations of every layer, the input first."""
        activations = [x]
        for w, b in zip(self.weights, self.biases):
            activations.append(_sigmoid(activations[-1] @ w.T + b))
        return activations

    def cost(self, x: np.ndarray, y: np.ndarray) -> float:
        """Cross-entropy, summed over the outputs, averaged over the examples."""
        a = self.forward(x)[-1]
        return float(-np.mean(np.sum(y * np.log(a) + (1 - y) * np.log(1 - a), axis=1)))

    def gradients(self, x: np.ndarray, y: np.ndarray):
        """(activations, dC/dW per layer, dC/db per layer) of cost(x, y), by backpropagation."""
        activations = self.forward(x)
        n = len(x)
        delta = activations[-1] - y  # sigmoid outputs with cross-entropy: dC/dz = a - y
        grad_w = [np.empty(0)] * len(self.weights)
        grad_b = [np.empty(0)] * len(self.weights)
        for layer in range(len(self.weights) - 1, -1, -1):
            grad_b[layer] = delta.mean(axis=0)
            grad_w[layer] = delta.T @ activations[layer] / n
            if layer > 0:
                a = activations[layer]
                delta = (delta @ self.weights[layer]) * a * (1 - a)
        return activations, grad_w, grad_b


class NielsenSpeeds(StreamedTrainer):
    """Nielsen's recipe on the digits; advance(n) trains n more steps and returns what the
    widget shows: each hidden layer's speed at every step so far."""

    name = "nielsen"
    running_text = "Training and measuring each hidden layer…"
    controls = [
        range_control("hidden_layers", "Hidden layers", *NIELSEN_HIDDEN, 1,
                      "How many hidden layers of 30 sigmoid units the network has."),
        range_control("steps", "Training steps", *NIELSEN_STEPS,
                      "Steps of gradient descent on all 1,000 training digits (Nielsen's "
                      "“epochs”)."),
        seed_control(NIELSEN_SEEDS,
                     "Other random starting weights (the digits stay the same)."),
    ]
    # 50 steps: a step costs 4-5 ms of CPU here and 2-4 times that in Pyodide (about 19 ms
    # on a loaded machine); 100 steps took 5-8 s from Start to the finished run in the
    # browser under load (build/bench_site.py --only-digits), over the 3 s goal. The gap at
    # the start, and its shrinking (27 to 13 times with 3 hidden layers), show by step 50.
    defaults = {"hidden_layers": 3, "steps": 50, "seed": 0}

    def __init__(self, settings: dict | None = None):
        super().__init__(settings)
        s = self.settings
        digits = load_digits()
        count = NIELSEN_RECIPE["images"]
        self.x = digits.inputs()[:count]
        self.y = digits.one_hot()[:count]
        self.labels = np.asarray(digits.labels[:count])
        width = NIELSEN_RECIPE["width"]
        self.net = SigmoidNet([self.x.shape[1]] + [width] * s["hidden_layers"] + [10], s["seed"])
        #: speeds[t][l]: hidden layer l+1's speed before step t+1 (t = 0: at initialisation)
        self.speeds: list[list[float]] = []
        self.accuracy = 0.0
        self._gradients = self._measure()

    @property
    def step(self) -> int:
        return len(self.speeds) - 1

    @property
    def done(self) -> bool:
        return self.step >= self.settings["steps"]

    def _measure(self):
        activations, grad_w, grad_b = self.net.gradients(self.x, self.y)
        self.speeds.append([float(np.linalg.norm(g)) for g in grad_b[:-1]])
        self.accuracy = float(np.mean(activations[-1].argmax(axis=1) == self.labels))
        return grad_w, grad_b

    def advance(self, n_steps: int) -> dict:
        """Train n_steps more (fewer at the end), measuring the speeds after each step."""
        if isinstance(n_steps, bool) or not isinstance(n_steps, int) or n_steps < 0:
            raise ValueError(f"n_steps must be a whole number >= 0, got {n_steps!r}")
        eta, l2 = NIELSEN_RECIPE["learning_rate"], NIELSEN_RECIPE["l2"]
        decay = 1 - eta * l2 / len(self.x)  # network2's weight decay for L2 regularisation
        for _ in range(min(n_steps, self.settings["steps"] - self.step)):
            # the gradients measured last are those of the current weights, so each step
            # costs one pass over the data, as in Nielsen's script
            grad_w, grad_b = self._gradients
            for layer in range(len(self.net.weights)):
                self.net.weights[layer] = decay * self.net.weights[layer] - eta * grad_w[layer]
                self.net.biases[layer] = self.net.biases[layer] - eta * grad_b[layer]
            self._gradients = self._measure()
        return self.view()

    def ratio(self, step: int | None = None) -> float:
        """Last hidden layer's speed / first hidden layer's, at `step` (default: now)."""
        row = self.speeds[self.step if step is None else step]
        return row[-1] / row[0]

    def view(self) -> dict:
        s = self.settings
        hidden, steps = s["hidden_layers"], s["steps"]
        figure = speed_figure(self.speeds, steps)
        now = self.speeds[-1]
        at = "at the start" if self.step == 0 else f"after {self.step} of {steps} steps"
        readout = (f"{at.capitalize()}: the first hidden layer learns "
                   f"{_times(self.ratio())} slower than the last (hidden layer {hidden}); "
                   f"at the start it was {_times(self.ratio(0))} slower.")
        summary = (f"Chart of each hidden layer's speed of learning (the size of its bias "
                   f"gradient, log scale) against training step, for a network with {hidden} "
                   f"hidden layers of 30 sigmoid units on 1,000 handwritten digits, seed "
                   f"{s['seed']}. " + " ".join(
                       f"Hidden layer {i + 1}: {format_number(self.speeds[0][i])} at the start, "
                       f"{format_number(now[i])} at step {self.step}." for i in range(hidden))
                   + f" The network classifies {format_number(100 * self.accuracy, 3)} % of "
                     f"the training digits correctly.")
        published = NIELSEN_PUBLISHED.get(hidden)
        columns = ["Hidden layer", "Speed at the start", f"Speed at step {self.step}"]
        if published:
            columns.append("Nielsen's speed at the start (MNIST)")
        rows = []
        for i in range(hidden):
            row = [i + 1, format_number(self.speeds[0][i], 3), format_number(now[i], 3)]
            if published:
                row.append(published[i])
            rows.append(row)
        caption = (f"Speed of learning of each hidden layer (length of the bias gradient, "
                   f"averaged over the 1,000 training digits), {hidden} hidden layers, seed "
                   f"{s['seed']}." + (f" Nielsen's column: {NIELSEN_CITATION}, on 1,000 MNIST "
                                      f"images." if published else
                                      f" Nielsen published no numbers for {hidden} hidden layers."))
        return {"figure": figure, "readout": readout, "summary": summary,
                "table": {"caption": caption, "columns": columns, "rows": rows},
                "step": self.step, "steps": steps, "done": self.done,
                "accuracy": self.accuracy}


def _times(ratio: float) -> str:
    """"26 times", "1.4 thousand times": how many times slower."""
    from .views import spoken_ratio  # views imports this module

    words = spoken_ratio(ratio)
    return words if words.endswith(" times") else f"{words} times"


def speed_figure(speeds: list[list[float]], steps: int) -> dict:
    """One line per hidden layer: its speed against training step, log scale. The x axis
    spans all `steps` so a run in progress does not rescale as it grows."""
    hidden = len(speeds[0])
    columns = [[row[i] for row in speeds] for i in range(hidden)]
    floor = log_floor(columns)
    data = []
    for i, values in enumerate(columns):
        colour, dash, _ = SERIES_STYLES[i % len(SERIES_STYLES)]
        ys, _ = _plottable(values, True, floor)
        name = f"Hidden layer {i + 1}"
        data.append({"type": "scatter", "mode": "lines", "name": name,
                     "x": list(range(len(ys))), "y": ys,
                     "line": {"color": colour, "dash": dash, "width": 2},
                     "hovertemplate": "step %{x}: speed %{y:.3g}<extra>" + name + "</extra>"})
    layout = _layout("Speed of learning of each hidden layer", "Training step",
                     "Speed, log scale", True, [])
    layout["xaxis"]["range"] = [0, max(steps, 1)]
    return {"data": data, "layout": layout}


def nielsen_outcome(hidden_layers: int = 3, seed: int = 0, steps: int | None = None) -> dict:
    """A finished run, for the lesson's {computed} numbers: {"start": speeds at step 0,
    "end": speeds at the last step, "ratio_start", "ratio_end" (last / first hidden layer),
    "accuracy"}. Cached per setting."""
    settings = NielsenSpeeds.validate({"hidden_layers": hidden_layers, "seed": seed,
                                       **({"steps": steps} if steps is not None else {})})
    key = (settings["hidden_layers"], settings["seed"], settings["steps"])
    if key not in _outcomes:
        run = NielsenSpeeds(settings)
        run.run_to_end()
        _outcomes[key] = {"start": run.speeds[0], "end": run.speeds[-1],
                          "ratio_start": run.ratio(0), "ratio_end": run.ratio(),
                          "accuracy": run.accuracy}
    return _outcomes[key]


_outcomes: dict[tuple, dict] = {}
