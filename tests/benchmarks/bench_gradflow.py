"""Benchmark of gradflow in CPython: simulate and train over a grid, plus the lessons'
default configurations. A script, not a test (pytest does not collect bench_*.py).

    .venv/bin/python tests/benchmarks/bench_gradflow.py [--quick]

Prints tables of the best of several runs: wall time and CPU time of this process (CPU
time is less disturbed by other programs on a busy machine; with a threaded BLAS it
includes the helper threads). Goal: each lesson default simulates in < 20 ms here. The
browser (Pyodide) is 2-4x slower; compare there with the same configurations.
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import time

# One BLAS thread, as in the browser (Pyodide's numpy has no threads); for these small
# matrices extra threads mostly add waiting, more so on a shared 2-core machine.
for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(variable, "1")
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "widgets"))

from gradflow import StackConfig, TrainConfig, Trainer, simulate, views  # noqa: E402

GOAL_MS = 20.0


def best_of(fn, repeats: int) -> tuple[float, float]:
    """(wall ms, cpu ms): the fastest of `repeats` runs."""
    wall, cpu = [], []
    for _ in range(repeats):
        w, c = time.perf_counter(), time.process_time()
        fn()
        wall.append(1000 * (time.perf_counter() - w))
        cpu.append(1000 * (time.process_time() - c))
    return min(wall), min(cpu)


def table(columns, rows):
    widths = [max(len(str(x)) for x in [c] + [r[i] for r in rows]) for i, c in enumerate(columns)]
    print("  ".join(str(c).rjust(w) for c, w in zip(columns, widths)))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print("  ".join(str(x).rjust(w) for x, w in zip(r, widths)))
    print()


def bench_simulate_grid(depths, widths, batches, repeats):
    rows = []
    for depth, width, batch in itertools.product(depths, widths, batches):
        try:
            config = StackConfig(depth=depth, width=width, batch=batch)
        except ValueError:
            rows.append([depth, width, batch, "refused by the compute guard", "", ""])
            continue
        wall, cpu = best_of(lambda: simulate(config), repeats)
        rows.append([depth, width, batch, f"{wall:.1f}", f"{cpu:.1f}", f"{wall / depth:.3f}"])
    print("simulate (plain sigmoid, normal std 1), best of", repeats)
    table(["depth", "width", "batch", "wall ms", "cpu ms", "wall ms/layer"], rows)


def bench_train_grid(depths, widths, batches, steps, repeats):
    rows = []
    for depth, width, batch in itertools.product(depths, widths, batches):
        config = TrainConfig(depth=depth, width=width, n_points=max(batch, 200), batch=batch, steps=steps)

        def run():
            Trainer(config).advance(steps)
        wall, cpu = best_of(run, repeats)
        rows.append([depth, width, batch, f"{wall / steps:.2f}", f"{cpu / steps:.2f}"])
    print(f"train (lesson recipe: relu, he, batch norm, sgd), {steps} steps, best of {repeats}")
    table(["depth", "width", "batch", "wall ms/step", "cpu ms/step"], rows)


LESSON_DEFAULTS = [
    ("gradient view default (30 sigmoid, plain)", lambda: views.VIEWS["gradient"].compute({})),
    ("gradient view, plain + residual", lambda: views.VIEWS["gradient"].compute({"mode": "both"})),
    ("gradient view, 100 layers tanh xavier", lambda: views.VIEWS["gradient"].compute(
        {"depth": 100, "activation": "tanh", "init": "xavier"})),
    ("gradient view, 200 layers both", lambda: views.VIEWS["gradient"].compute({"depth": 200, "mode": "both"})),
    ("simulate(depth=30, activation='sigmoid')", lambda: simulate(depth=30)),
    ("simulate(depth=50, relu, he)", lambda: simulate(depth=50, activation="relu", init="he")),
    ("paths view default (54 blocks)", lambda: views.VIEWS["paths"].compute({})),
    ("paths view with gradient split (54 blocks)", lambda: views.VIEWS["paths"].compute({"gradient": True})),
]


def bench_lesson_defaults(repeats):
    rows = []
    for name, fn in LESSON_DEFAULTS:
        wall, cpu = best_of(fn, repeats)
        rows.append([name, f"{wall:.1f}", f"{cpu:.1f}"])
    print(f"lesson defaults, best of {repeats} (goal: simulate-based views < {GOAL_MS:.0f} ms)")
    table(["configuration", "wall ms", "cpu ms"], rows)


def bench_race(chunk: int):
    """The default training race, in the chunks the browser would request."""
    race = views.TrainingRace({})
    chunks = []
    w, c = time.perf_counter(), time.process_time()
    while not race.done:
        t = time.perf_counter()
        race.advance(chunk)
        chunks.append(1000 * (time.perf_counter() - t))
    wall, cpu = 1000 * (time.perf_counter() - w), 1000 * (time.process_time() - c)
    print(f"default training race ({race.settings}), chunks of {chunk} steps")
    table(["total wall ms", "total cpu ms", "slowest chunk ms", "chunks"],
          [[f"{wall:.0f}", f"{cpu:.0f}", f"{max(chunks):.0f}", len(chunks)]])


def bench_nielsen(repeats: int):
    """Nielsen's layer speeds on the digits (lesson 2): the lesson's default and the most
    the widget allows. Goal: the default under 3 s in the browser (Pyodide is 2-4x slower)."""
    from gradflow.digits import load_digits
    from gradflow.nielsen import NIELSEN_HIDDEN, NIELSEN_STEPS, NielsenSpeeds

    load_digits()  # read once per process, in the browser before the first run too
    rows = []
    for settings in (NielsenSpeeds.defaults,
                     {"hidden_layers": NIELSEN_HIDDEN[1], "steps": NIELSEN_STEPS[1], "seed": 0}):
        wall, cpu = best_of(lambda: NielsenSpeeds(settings).run_to_end(), repeats)
        steps = settings["steps"]
        rows.append([settings["hidden_layers"], steps, f"{wall:.0f}", f"{cpu:.0f}",
                     f"{cpu / steps:.2f}"])
    print(f"Nielsen's layer speeds on 1,000 digits (trainer 'nielsen'), best of {repeats}")
    table(["hidden layers", "steps", "wall ms", "cpu ms", "cpu ms/step"], rows)


def bench_digit_features(repeats: int):
    """Lesson 1's network on the digits (trainer 'digit-features'): the default and the
    longest run, whole, and in the browser's chunks of 10 steps (each chunk also draws the
    pictures: that is the state's cost). Goal: the default under 3 s in the browser."""
    from gradflow.digit_features import STEPS, DigitFeatures
    from gradflow.digits import load_digits

    load_digits()  # read once per process, in the browser before the first run too

    def chunked(settings, chunk=10):
        run = DigitFeatures(settings)
        while not run.advance(chunk)["done"]:
            pass

    rows = []
    for settings in (DigitFeatures.defaults, {"steps": STEPS[1], "seed": 0}):
        for how, fn in (("whole", lambda: DigitFeatures(settings).run_to_end()),
                        ("chunks of 10", lambda: chunked(settings))):
            wall, cpu = best_of(fn, repeats)
            rows.append([settings["steps"], how, f"{wall:.0f}", f"{cpu:.0f}",
                         f"{cpu / settings['steps']:.2f}"])
    state = best_of(lambda: DigitFeatures(DigitFeatures.defaults).advance(0), repeats)
    print(f"lesson 1's digits network (trainer 'digit-features'), best of {repeats}; "
          f"one state with its pictures: {state[0]:.1f} ms wall, {state[1]:.1f} ms cpu")
    table(["steps", "run", "wall ms", "cpu ms", "cpu ms/step"], rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a smaller grid, one repeat")
    args = parser.parse_args()
    repeats = 1 if args.quick else 3
    if args.quick:
        bench_simulate_grid([10, 100, 1000], [16, 128], [16, 256], repeats)
        bench_train_grid([10, 100], [16], [16, 256], 5, repeats)
    else:
        bench_simulate_grid([10, 30, 100, 300, 1000], [16, 32, 64, 128], [16, 64, 256], repeats)
        bench_train_grid([10, 30, 100], [16, 32, 64], [16, 64, 256], 10, repeats)
    bench_lesson_defaults(repeats if args.quick else 5)
    bench_race(chunk=25)
    bench_nielsen(repeats if args.quick else 3)
    bench_digit_features(repeats if args.quick else 3)


if __name__ == "__main__":
    main()
