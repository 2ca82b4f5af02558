"""What the layers learn: a small network trained live on the 1,797 handwritten digits.

The network: 64 pixels -> 16 tanh units -> 16 tanh units -> 10 class scores, softmax
cross-entropy, gradient descent with momentum on mini-batches of 256 training digits.
Every fourth digit (index 3, 7, 11, ...) is held out and never trained on; the held-out
accuracy is the honest measure of what it learned.

What it shows, as the same plain data at build time and in the browser:

- the first layer's 16 weight patterns as 8x8 images (each unit's input is the sum of the
  pixels times these weights, so the image is what the unit "looks for");
- for a few units of the second layer, the held-out digits that excite them most;
- a table that says the same in words, computed from the weights (the images' text
  alternative).

The recipe was chosen by measurement (tests/unit/test_digit_features.py checks it):

- SGD with momentum 0.9 at learning rate 0.3, not Adam. Adam scales every weight's step to
  about the same size, so the weights of pixels that are inked in only a few digits (near
  the edges) grew as large as the rest and the pictures were noise; plain gradient steps
  are proportional to how much a pixel matters, and the pictures show strokes. It is also
  more accurate here (with the whole training set every step: at least 94.9 % of the
  held-out digits from step 50 on, seeds 0-9, against 91.8 % with Adam).
- Mini-batches of 256 rather than all 1,348 digits: Pyodide's numpy has no BLAS, and a
  whole-set step took about 30 ms there; the held-out accuracy is about as good (at least 92.9 %
  from step 50 on, seeds 0-9).
- The first layer starts at 5 % of Xavier's scale, nearly blank, so the pictures show what
  was learned, not the random start.
- A 1e-13 change of the starting weights grows only to about 3e-13 over 300 steps, so
  CPython and Pyodide (whose numpy rounds differently in the last bit) draw the same
  pictures and print the same numbers.
"""

from __future__ import annotations

import functools

import numpy as np

from .controls import range_control, seed_control
from .digits import COUNT, load_digits
from .figures import OKABE_ITO, SERIES_STYLES, _layout
from .init import init_weights
from .layers import affine_backward, affine_forward
from .optim import SGDMomentum
from .streaming import StreamedTrainer
from .text import format_number
from .training import softmax_cross_entropy

#: pixels, first hidden layer, second hidden layer, classes
LAYER_SIZES = (64, 16, 16, 10)
LEARNING_RATE = 0.3
MOMENTUM = 0.9
#: training digits per step
BATCH = 256
#: the chart's accuracies are measured every EVAL_EVERY steps (and at the last step): each
#: measurement runs all 1,797 digits through the network, seven times a step's work
EVAL_EVERY = 5
#: the first layer starts at this fraction of Xavier's scale: nearly blank images, so what
#: the pictures show was learned (a pixel that is blank in every digit, such as most of the
#: left and right edges, never gets a gradient and would keep its random start for ever)
FIRST_LAYER_START = 0.05
#: every HOLD_OUT_EVERY-th digit (the last of each group) is held out: 449 of 1,797
HOLD_OUT_EVERY = 4
#: min, max, step of the steps control
STEPS = (50, 300, 50)
DEFAULT_STEPS = 150
SEEDS = (0, 9)
#: held-out accuracy that every seed in SEEDS beats from CLAIM_FROM_STEP steps on (the
#: lesson's claim; tests/unit/test_digit_features.py checks every seed and budget)
CLAIM_ACCURACY = 0.9
CLAIM_FROM_STEP = STEPS[0]  # every budget the widget allows
#: second-layer units whose most exciting digits are shown, and how many digits each
SHOWN_UNITS = 6
TOP_K = 5
#: the first layer's images, this many to a row
GRID_COLUMNS = 4

_IMAGE = 8  # pixels per side


def split_indices(count: int) -> tuple[np.ndarray, np.ndarray]:
    """(training indices, held-out indices): every HOLD_OUT_EVERY-th digit is held out.

    A fixed split, not a random one, so every seed is judged on the same held-out digits.
    """
    index = np.arange(count)
    held_out = index % HOLD_OUT_EVERY == HOLD_OUT_EVERY - 1
    return index[~held_out], index[held_out]


class DigitNetwork:
    """Parameters and forward/backward of 64 -> 16 -> 16 -> 10 (tanh, tanh, scores).

    All parameters live in one flat vector ``theta`` and ``weights``/``biases`` are views
    into it, so the optimiser updates everything with a few whole-vector operations.
    """

    def __init__(self, rng: np.random.Generator, sizes=LAYER_SIZES):
        shapes = [(a, b) for a, b in zip(sizes[:-1], sizes[1:])]
        # Xavier/Glorot initialisation: made for tanh units (Glorot & Bengio 2010)
        arrays = [init_weights(rng, a, b, "xavier") for a, b in shapes]
        arrays[0] *= FIRST_LAYER_START
        arrays += [np.zeros(b) for _, b in shapes]
        self.theta = np.concatenate([a.ravel() for a in arrays])
        views, start = [], 0
        for a in arrays:
            views.append(self.theta[start:start + a.size].reshape(a.shape))
            start += a.size
        n = len(shapes)
        self.weights, self.biases = views[:n], views[n:]

    def forward(self, x):
        """x: (B, 64) -> (scores: (B, 10), pre-activations [z1, z2], caches)."""
        h, zs, caches = x, [], []
        for i, (w, b) in enumerate(zip(self.weights, self.biases)):
            z, cache = affine_forward(h, w, b)
            caches.append(cache)
            if i == len(self.weights) - 1:
                return z, zs, caches
            zs.append(z)
            h = np.tanh(z)
        raise ValueError("a DigitNetwork needs at least one layer")

    def loss_and_grads(self, x, y):
        """(loss, accuracy, flat gradient matching theta) on x: (B, 64), y: (B,)."""
        scores, zs, caches = self.forward(x)
        loss, dscores = softmax_cross_entropy(scores, y)
        accuracy = float(np.mean(scores.argmax(axis=1) == y))
        dweights, dbiases = [None] * len(caches), [None] * len(caches)
        dh = dscores
        for i in range(len(caches) - 1, 0, -1):
            dh, dweights[i], dbiases[i] = affine_backward(dh, caches[i])
            # through the tanh of layer i: tanh'(z) = 1 - tanh(z)^2, and caches[i] holds
            # that layer's input tanh(z_i) as its x
            dh = dh * (1.0 - caches[i][0] ** 2)
        # the first layer: its weights' gradient only (nothing learns the pixels)
        dweights[0], dbiases[0] = caches[0][0].T @ dh, dh.sum(axis=0)
        return loss, accuracy, np.concatenate(dweights + dbiases, axis=None)

    def accuracy(self, x, y) -> float:
        return self.accuracy_and_hidden(x, y)[0]

    def accuracy_and_hidden(self, x, y):
        """(accuracy, pre-activations [z1, z2]) on x, y."""
        scores, zs, _ = self.forward(x)
        return float(np.mean(scores.argmax(axis=1) == y)), zs


class DigitFeatures(StreamedTrainer):
    """Trains DigitNetwork on the training digits; advance(n) returns what the widget shows.

    The digits come from gradflow.digits (DigitsUnavailable, a ValueError with one line for
    the reader, if the file is missing or damaged). Random numbers come from one generator
    seeded with the seed, drawn in a fixed order (starting weights, then the mini-batches),
    so a seed reproduces a run exactly, however it is cut into chunks.
    """

    name = "digit-features"
    running_text = "Training the network on the handwritten digits…"
    controls = [
        range_control("steps", "Training steps", *STEPS,
                      f"How many steps the network trains, each on {BATCH} of the 1,348 "
                      "training digits."),
        seed_control(SEEDS,
                     "Other random starting weights and another order of the training digits."),
    ]
    defaults = {"steps": DEFAULT_STEPS, "seed": 0}

    def __init__(self, settings: dict | None = None):
        super().__init__(settings)
        digits = load_digits()
        train, held_out = split_indices(len(digits))
        inputs = digits.inputs()
        self.labels = digits.labels.astype(np.int64)
        self.images = digits.images
        self.x, self.y = inputs[train], self.labels[train]
        self.x_test, self.y_test = inputs[held_out], self.labels[held_out]
        self.test_images = digits.images[held_out]
        self._rng = np.random.default_rng(self.settings["seed"])
        self.network = DigitNetwork(self._rng)
        self.optimizer = SGDMomentum([self.network.theta], LEARNING_RATE, MOMENTUM)
        self._order = np.arange(0)
        self.losses: list[float] = []
        #: the steps at which the accuracies were measured, and what they were
        self.measured_at: list[int] = []
        self.train_accuracy: list[float] = []
        self.test_accuracy: list[float] = []

    #: for the lesson's {computed} numbers (views.DigitFeatures.CLAIM_ACCURACY, ...)
    CLAIM_ACCURACY = CLAIM_ACCURACY
    HELD_OUT = int(split_indices(COUNT)[1].size)

    @staticmethod
    def outcome(seed: int = 0, steps: int = DEFAULT_STEPS) -> dict:
        """What a finished run ends at, for the lesson's {computed} numbers:
        {"held_out": accuracy, "training": accuracy, "worst_held_out": the lowest held-out
        accuracy over SEEDS at this budget}. Cached: the build asks several times."""
        runs = [_finished(s, steps) for s in range(SEEDS[0], SEEDS[1] + 1)]
        run = _finished(seed, steps)
        return {"held_out": run.test_accuracy[-1], "training": run.train_accuracy[-1],
                "worst_held_out": min(r.test_accuracy[-1] for r in runs)}

    @property
    def step(self) -> int:
        return len(self.losses)

    @property
    def done(self) -> bool:
        return self.step >= self.settings["steps"]

    def advance(self, n_steps: int) -> dict:
        """Train up to n_steps more steps (fewer at the end); return the widget's state."""
        for _ in range(max(0, int(n_steps))):
            if self.done:
                break
            self.train_step()
            if self.step % EVAL_EVERY == 0 or self.done:
                self.measured_at.append(self.step)
                self.train_accuracy.append(self.network.accuracy(self.x, self.y))
                self.test_accuracy.append(self.network.accuracy(self.x_test, self.y_test))
        return self.state()

    def train_step(self) -> None:
        """One step of SGD with momentum on the next mini-batch (a new random order of the
        training digits each time through them)."""
        if self._order.size < BATCH:
            self._order = self._rng.permutation(len(self.y))
        chosen, self._order = self._order[:BATCH], self._order[BATCH:]
        with np.errstate(over="ignore", under="ignore"):
            loss, _, grad = self.network.loss_and_grads(self.x[chosen], self.y[chosen])
        self.optimizer.step([grad])
        self.losses.append(loss)

    # ------------------------------------------------------------ what the widget shows

    def units(self) -> dict:
        """Per unit, what the pictures and the table show (plain data):
        {"first": [{"weights": 8x8 list, "words": str, "top": [held-out indices]}],
         "second": [{"from": str, "top": [held-out indices]}] for the SHOWN_UNITS units}."""
        accuracy, (z1, z2) = self.network.accuracy_and_hidden(self.x_test, self.y_test)
        w1, w2 = self.network.weights[0], self.network.weights[1]
        shown = min(SHOWN_UNITS, w2.shape[1])
        top1, top2 = top_inputs(z1, TOP_K), top_inputs(z2[:, :shown], TOP_K)
        words = weight_words(w1)
        first = [{"weights": w1[:, j].reshape(_IMAGE, _IMAGE), "words": words[j], "top": top1[j]}
                 for j in range(w1.shape[1])]
        second = [{"from": built_from(w2[:, j]), "top": top2[j]} for j in range(shown)]
        return {"first": first, "second": second, "held_out_accuracy": accuracy}

    def state(self) -> dict:
        steps = self.settings["steps"]
        units = self.units()
        n_test = len(self.y_test)
        # the readout is measured now, whether or not this step is one of the chart's
        held_out = units["held_out_accuracy"]
        if self.step == 0:
            readout = "Not trained yet: press Start to train the network on the digits."
        else:
            training = self.network.accuracy(self.x, self.y)
            readout = (f"Step {self.step} of {steps}: {_percent(held_out)} of the "
                       f"{n_test} held-out digits recognised (training digits: "
                       f"{_percent(training)}).")
        summary = (f"Chart of accuracy against training step for a network with two hidden "
                   f"layers of 16 tanh units learning the 8x8 handwritten digits, on the "
                   f"{len(self.y)} training digits and on {n_test} held-out digits it never "
                   f"trains on.")
        if self.step > 0:
            summary += f" After {self.step} steps it recognises {_percent(held_out)} of the held-out digits."
        images = [
            {"name": "weights", "svg": weights_svg([u["weights"] for u in units["first"]]),
             "label": (f"The 16 first-layer units' weights after {self.step} steps, each as "
                       f"an 8x8 image: orange where ink raises the unit's input, blue where "
                       f"ink lowers it. The table below describes each in words.")},
            {"name": "top-inputs",
             "svg": digits_svg([[self.test_images[i] for i in u["top"]] for u in units["second"]]),
             "label": (f"For units 1 to {len(units['second'])} of the second layer, the "
                       f"{TOP_K} held-out digits that excite each most, after {self.step} "
                       f"steps. The table below lists their labels.")},
        ]
        return {"figure": accuracy_figure(self.measured_at, self.train_accuracy,
                                          self.test_accuracy, steps),
                "readout": readout, "summary": summary, "table": self.table(units),
                "images": images, "step": self.step, "steps": steps, "done": self.done}

    def table(self, units: dict) -> dict:
        rows = []
        for j, unit in enumerate(units["first"]):
            rows.append([f"Layer 1, unit {j + 1}", unit["words"], self._labels(unit["top"])])
        for j, unit in enumerate(units["second"]):
            rows.append([f"Layer 2, unit {j + 1}", unit["from"], self._labels(unit["top"])])
        caption = (f"What each unit responds to after {self.step} steps: its weights in words "
                   f"(first layer: where ink raises or lowers its input; second layer: the "
                   f"first-layer units it weighs most) and the labels of the {TOP_K} held-out "
                   f"digits that excite it most, most exciting first.")
        return {"caption": caption,
                "columns": ["Unit", "Its weights in words", f"Digits that excite it most"],
                "rows": rows}

    def _labels(self, indices) -> str:
        return ", ".join(str(int(self.y_test[i])) for i in indices)


@functools.lru_cache(maxsize=None)
def _finished(seed: int, steps: int) -> DigitFeatures:
    run = DigitFeatures({"seed": seed, "steps": steps})
    run.advance(steps)
    return run


def _percent(x: float) -> str:
    return f"{format_number(100 * x, 3)} %"


def top_inputs(z: np.ndarray, k: int) -> list[list[int]]:
    """Per column of z: (inputs, units), the row indices of its k largest entries, largest
    first.

    z is rounded to 9 decimals first and the sort is stable, so inputs that tie (the same
    image twice) come in index order in both runtimes, whatever their last bit.
    """
    order = np.argsort(-np.round(z, 9), axis=0, kind="stable")[:k]
    return order.T.tolist()


# 3x3 regions of the 8x8 image: rows 0-2, 3-4, 5-7 and the same columns
_BANDS = ((0, 3), (3, 5), (5, 8))
_REGION_NAMES = (("top-left corner", "top edge", "top-right corner"),
                 ("left edge", "centre", "right edge"),
                 ("bottom-left corner", "bottom edge", "bottom-right corner"))


def weight_words(w: np.ndarray) -> list[str]:
    """Each first-layer unit's weights (w: (64, units)) in words: the region where ink
    raises its input most and the one where ink lowers it most ("ink at the top edge raises
    it; ink in the centre lowers it"), from the mean weight of each of 3x3 regions."""
    images = np.asarray(w, dtype=float).reshape(_IMAGE, _IMAGE, -1)
    names = [name for row in _REGION_NAMES for name in row]
    # rounded so that two runtimes' last bits cannot swap two regions that tie
    means = np.round(np.stack([images[r0:r1, c0:c1].mean(axis=(0, 1))
                               for r0, r1 in _BANDS for c0, c1 in _BANDS]), 9).T.tolist()
    out = []
    for unit in means:
        low, high = unit.index(min(unit)), unit.index(max(unit))  # the first of any tie
        words = []
        if unit[high] > 0:
            words.append(f"ink {_at(names[high])} raises it")
        if unit[low] < 0:
            words.append(f"ink {_at(names[low])} lowers it")
        out.append("; ".join(words) or "no region stands out")
    return out


def _at(region: str) -> str:
    return f"in the {region}" if region == "centre" else f"at the {region}"


def built_from(w: np.ndarray, count: int = 2) -> str:
    """A second-layer unit in words: the first-layer units it weighs most, with the sign of
    the weight ("unit 3 (+), unit 11 (−)")."""
    w = np.asarray(w, dtype=float)
    order = np.argsort(-np.round(np.abs(w), 9), kind="stable")[:count]
    parts = [f"unit {int(i) + 1} ({'+' if w[i] > 0 else '−'})" for i in order]
    return "mostly layer-1 " + ", ".join(parts)


# ---------------------------------------------------------------- pictures as SVG

# Weights: blue (negative) through near-white to vermillion (positive), Okabe-Ito ends, so
# the two signs differ in lightness and hue for every common colour-vision deficiency.
_WEIGHT_LEVELS = 4  # shades per sign
_NEUTRAL = (247, 247, 247)
_CELL = _IMAGE + 2  # an image and the gap after it
_LABEL = 3  # room above an image for its number


def _mix(colour: str, t: float) -> str:
    target = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    rgb = [round(n + (c - n) * t) for n, c in zip(_NEUTRAL, target)]
    return "#" + "".join(f"{v:02x}" for v in rgb)


def _paths(levels: np.ndarray, origins: list[tuple[int, int]]) -> dict[int, str]:
    """Path data per level for images of integer levels (n, 8, 8), image i placed at
    origins[i]: runs of equal level along a row become one rectangle; level 0 is not drawn.

    Found with whole-array operations: a loop over pixels cost 30 ms per state in Pyodide,
    which is slower than a training step."""
    n, rows, cols = levels.shape
    starts = np.ones(levels.shape, dtype=bool)
    starts[:, :, 1:] = levels[:, :, 1:] != levels[:, :, :-1]
    image, row, col = np.nonzero(starts)  # every run's first pixel, in reading order
    # a run ends where the next one starts, or at the end of its row
    same_row = np.append((image[1:] == image[:-1]) & (row[1:] == row[:-1]), False)
    width = np.where(same_row, np.append(col[1:], cols), cols) - col
    level = levels[image, row, col]
    drawn = level != 0
    x = np.asarray([o[0] for o in origins])[image] + col
    y = np.asarray([o[1] for o in origins])[image] + row
    out: dict[int, str] = {}
    for value in sorted(set(level[drawn].tolist())):
        chosen = level == value
        out[value] = "".join(f"M{a} {b}h{w}v1h-{w}z" for a, b, w in
                             zip(x[chosen].tolist(), y[chosen].tolist(), width[chosen].tolist()))
    return out


def _svg(width: int, height: int, label: str, body: list[str]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="-1 -1 {width + 2} {height + 2}" '
            f'role="img" aria-label="{label}" class="lw-image-svg">' + "".join(body) + "</svg>")


def _frame(x: int, y: int, fill: str) -> str:
    # a thin frame, so an image stays visible on a dark page and on paper
    return (f'<rect x="{x - 0.15:g}" y="{y - 0.15:g}" width="{_IMAGE + 0.3:g}" '
            f'height="{_IMAGE + 0.3:g}" fill="{fill}" stroke="#767676" stroke-width="0.3"/>')


def _text(x: float, y: float, text: str, anchor: str = "middle") -> str:
    return (f'<text x="{x:g}" y="{y:g}" font-size="2.2" text-anchor="{anchor}" '
            f'fill="currentColor">{text}</text>')


def weights_svg(images: list[np.ndarray], columns: int = GRID_COLUMNS) -> str:
    """The first layer's weight images in a grid, each scaled to its own largest |weight|
    (a unit's pattern matters, not its overall size), in 2 x _WEIGHT_LEVELS shades."""
    rows = -(-len(images) // columns)
    origins = [((j % columns) * _CELL, (j // columns) * (_CELL + _LABEL) + _LABEL)
               for j in range(len(images))]
    body = [_frame(x0, y0, _mix(OKABE_ITO["blue"], 0)) for x0, y0 in origins]
    body += [_text(x0 + _IMAGE / 2, y0 - 0.8, str(j + 1)) for j, (x0, y0) in enumerate(origins)]
    stack = np.asarray(images, dtype=float).reshape(-1, _IMAGE, _IMAGE)
    scale = np.abs(stack).max(axis=(1, 2), keepdims=True)
    # minimum/maximum rather than np.clip, whose wrapper alone took 10 ms in Pyodide
    levels = np.maximum(np.minimum(np.rint(_WEIGHT_LEVELS * stack / np.where(scale > 0, scale, 1.0)),
                                   _WEIGHT_LEVELS), -_WEIGHT_LEVELS).astype(int)
    for level, d in _paths(levels, origins).items():
        colour = OKABE_ITO["vermillion"] if level > 0 else OKABE_ITO["blue"]
        body.append(f'<path fill="{_mix(colour, abs(level) / _WEIGHT_LEVELS)}" d="{d}"/>')
    return _svg(columns * _CELL - 2, rows * (_CELL + _LABEL) - 2,
                "First-layer weights as 8 by 8 images", body)


_INK_LEVELS = 8  # grey shades for the digits' 0-16 pixel values


def digits_svg(rows: list[list[np.ndarray]]) -> str:
    """Rows of digit images (pixels 0-16), dark ink on white, each row labelled with its
    second-layer unit ("Unit 1")."""
    label_width = 9
    origins = [(label_width + c * _CELL, r * _CELL)
               for r, images in enumerate(rows) for c in range(len(images))]
    body = [_frame(x0, y0, "#ffffff") for x0, y0 in origins]
    body += [_text(0, r * _CELL + _IMAGE / 2 + 0.8, f"Unit {r + 1}", anchor="start")
             for r in range(len(rows))]
    stack = np.asarray([image for images in rows for image in images], dtype=float)
    levels = np.rint(stack.reshape(-1, _IMAGE, _IMAGE) * _INK_LEVELS / 16).astype(int)
    for level, d in _paths(levels, origins).items():
        grey = round(255 * (1 - level / _INK_LEVELS))
        body.append(f'<path fill="#{grey:02x}{grey:02x}{grey:02x}" d="{d}"/>')
    columns = max((len(images) for images in rows), default=0)
    return _svg(label_width + columns * _CELL - 2, len(rows) * _CELL - 2,
                "Held-out digits that most excite second-layer units", body)


def accuracy_figure(measured_at: list[int], train_accuracy: list[float],
                    test_accuracy: list[float], steps: int) -> dict:
    """Accuracy (%) against step on the training digits and on the held-out digits,
    measured at the steps measured_at."""
    data = []
    for i, (name, values) in enumerate((("Held-out digits", test_accuracy),
                                        ("Training digits", train_accuracy))):
        colour, dash, _ = SERIES_STYLES[i]
        data.append({"type": "scatter", "mode": "lines", "name": name,
                     "x": list(measured_at), "y": [100 * v for v in values],
                     "line": {"color": colour, "dash": dash, "width": 2},
                     "hovertemplate": "step %{x}: %{y:.1f} %<extra>" + name + "</extra>"})
    layout = _layout("Accuracy on the handwritten digits", "Training step",
                     "Digits recognised (%)", False, [])
    layout["xaxis"]["range"] = [0, max(steps, 1)]
    layout["yaxis"]["range"] = [0, 100]
    return {"data": data, "layout": layout}
