"""Sweep of the degradation race: which recipe makes its claim hold for every seed and
budget, and stay reproducible across numpy builds. A script, not a test.

    .venv/bin/python tests/benchmarks/sweep_degradation.py            # the race's recipe
    .venv/bin/python tests/benchmarks/sweep_degradation.py --explore  # the candidates too

For every recipe, deep depth and seed it trains the race's three networks (shallow plain,
deep plain, deep residual with the same number of weight layers) once for the longest
budget; with a constant learning rate the loss at step k of that run is the loss a k-step
race ends at, so one run gives every budget. It prints, over the seeds, per budget:

- ratio: the smallest deep plain / shallow final training loss (the claim: >= 10);
- shallow err: the smallest shallow training error (the task must keep it above 0 %);
- gap: the smallest deep plain minus shallow training error, in points;
- res/sh: the largest deep residual / shallow final loss (the claim: <= 1);
- chaos: the largest relative change of any network's loss at any step when every weight
  and every step's gradient is multiplied by (1 + 1e-15 x a random normal number), a
  stand-in for the last-bit rounding differences between numpy builds and CPUs. The
  race's curves must agree across runtimes to 1e-6, so it must stay far below that.

Measured numbers are in widgets/gradflow/DEGRADATION.md.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

# One BLAS thread: as in the browser, and steadier on a shared machine.
for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(variable, "1")
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "widgets"))

import numpy as np  # noqa: E402

from gradflow import TrainConfig, Trainer, views  # noqa: E402

PERTURBATION = 1e-15


def perturbed_trainer(config: TrainConfig, seed: int = 12345) -> Trainer:
    """A Trainer whose weights and every gradient are perturbed in the 15th digit."""
    trainer = Trainer(config)
    rng = np.random.default_rng(seed)
    theta = trainer.network.theta
    theta *= 1.0 + PERTURBATION * rng.standard_normal(theta.shape)
    step = trainer.optimizer.step

    def noisy_step(grads):
        step([g * (1.0 + PERTURBATION * rng.standard_normal(g.shape)) for g in grads])

    trainer.optimizer.step = noisy_step
    return trainer


def race_configs(recipe: dict, shallow: int, deep: int, steps: int, seed: int) -> list[TrainConfig]:
    return views.race_configs({"shallow_depth": shallow, "deep_depth": deep, "steps": steps,
                               "seed": seed}, recipe)


def run_race(recipe, shallow, deep, steps, seed, chaos):
    """-> (losses: (3, steps), errors: (3, steps), chaos: per network, or None)."""
    losses, errors, drift = [], [], []
    for config in race_configs(recipe, shallow, deep, steps, seed):
        trainer = Trainer(config)
        trainer.advance(steps)
        missing = steps - trainer.step_count  # a diverged run stops early: nan to the end
        losses.append(trainer.losses + [float("nan")] * missing)
        errors.append([1.0 - a for a in trainer.accuracies] + [float("nan")] * missing)
        if chaos:
            other = perturbed_trainer(config)
            other.advance(steps)
            if other.step_count != trainer.step_count:  # one diverged and stopped, one did not
                drift.append(float("inf"))
                continue
            a, b = np.array(trainer.losses), np.array(other.losses)
            drift.append(float(np.nanmax(np.abs(a - b) / np.abs(a))))
    return np.array(losses), np.array(errors), (drift if chaos else None)


def table(columns, rows):
    widths = [max(len(str(x)) for x in [c] + [r[i] for r in rows]) for i, c in enumerate(columns)]
    print("| " + " | ".join(str(c).rjust(w) for c, w in zip(columns, widths)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in rows:
        print("| " + " | ".join(str(x).rjust(w) for x, w in zip(r, widths)) + " |")
    print(flush=True)


def sweep(name, recipe, shallow, deeps, budgets, seeds, chaos_seeds):
    rows = []
    for deep in deeps:
        t0 = time.perf_counter()
        runs = [run_race(recipe, shallow, deep, max(budgets), s, s in chaos_seeds) for s in seeds]
        chaos = max((max(c) for _, _, c in runs if c), default=float("nan"))
        for b in budgets:
            i = b - 1
            ratio = min(l[1, i] / l[0, i] for l, _, _ in runs)
            worst_seed = seeds[int(np.argmin([l[1, i] / l[0, i] for l, _, _ in runs]))]
            shallow_err = min(e[0, i] for _, e, _ in runs)
            gap = min(e[1, i] - e[0, i] for _, e, _ in runs)
            res = max(l[2, i] / l[0, i] for l, _, _ in runs)
            shallow_loss = max(l[0, i] for l, _, _ in runs)
            rows.append([name, deep, b, f"{ratio:.3g} (seed {worst_seed})", f"{shallow_loss:.3g}",
                         f"{100 * shallow_err:.0f} %", f"{100 * gap:.0f}", f"{res:.2g}",
                         f"{chaos:.0e}" if chaos == chaos else "-"])
        print(f"  [{name}, deep {deep}: {time.perf_counter() - t0:.0f} s]", file=sys.stderr, flush=True)
    table(["recipe", "deep layers", "steps", "min ratio", "max shallow loss", "min shallow err",
           "min err gap (points)", "max res/sh", "chaos"], rows)


# Candidates measured on the way to the race's recipe (see DEGRADATION.md for why).
SGD = dict(optimizer="sgd", momentum=0.9, noise=0.05, turns=1.5)
ADAM = dict(optimizer="adam", noise=0.05, turns=1.5)
CANDIDATES = {
    "BN, SGD 0.05 (the 2015 recipe)": dict(SGD, batch_norm=True, learning_rate=0.05),
    "BN, SGD 0.001": dict(SGD, batch_norm=True, learning_rate=0.001),
    "BN, Adam 0.003": dict(ADAM, batch_norm=True, learning_rate=0.003),
    "no BN, SGD 0.05": dict(SGD, batch_norm=False, learning_rate=0.05),
    "no BN, Adam 0.01": dict(ADAM, batch_norm=False, learning_rate=0.01),
    "no BN, Adam 0.01, eps 1e-3, warm-up 50": dict(ADAM, batch_norm=False, learning_rate=0.01,
                                                   adam_eps=1e-3, warmup=50),
}


def write_bands(path: str, seeds: list[int]) -> None:
    """Store the per-step smallest and largest loss over `seeds` of each network of the
    race at its claim depths and longest budget, for the chart's shaded bands."""
    settings = {**views.RACE_CLAIM_DEPTHS, "steps": views.RACE_STEPS[1]}
    runs = [run_race(views.RACE_RECIPE, settings["shallow_depth"], settings["deep_depth"],
                     settings["steps"], seed, chaos=False)[0] for seed in seeds]
    stacked = np.array(runs)  # (seed, network, step)
    low, high = stacked.min(axis=0), stacked.max(axis=0)

    def numbers(values):
        return "[" + ", ".join(f"{v:.4g}" for v in values) + "]"

    key = (settings["shallow_depth"], settings["deep_depth"])
    lines = [
        '"""Shaded bands of the training race: for each network, the smallest and largest',
        f"training loss at every step over seeds {seeds[0]}-{seeds[-1]}, measured in advance (training",
        "ten seeds live would take ten times as long in the browser).",
        "",
        "Written by tests/benchmarks/sweep_degradation.py --write-bands; do not edit. The",
        "race's recipe is not chaotic, so these numbers are the same on every machine to far",
        "better than the 4 digits kept here; tests/unit/test_training_claims.py recomputes them.",
        '"""',
        "",
        f"RECIPE = {views.RACE_RECIPE!r}",
        "",
        "BANDS = {",
        f"    {key!r}: {{",
        f"        \"seeds\": {[seeds[0], seeds[-1]]!r},",
        f"        \"steps\": {settings['steps']},",
        "        \"low\": [",
        *[f"            {numbers(row)}," for row in low],
        "        ],",
        "        \"high\": [",
        *[f"            {numbers(row)}," for row in high],
        "        ],",
        "    },",
        "}",
        "",
    ]
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))
    print(f"wrote {path}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--explore", action="store_true", help="also sweep the rejected candidates")
    parser.add_argument("--depths", type=int, nargs="*", default=None,
                        help="deep depths to sweep with the race's recipe (default: the claim's)")
    parser.add_argument("--seeds", type=int, default=10, help="seeds 0..N-1 (default 10)")
    parser.add_argument("--chaos-seeds", type=int, default=None,
                        help="measure chaos on seeds 0..N-1 (default: all)")
    parser.add_argument("--write-bands", action="store_true",
                        help="rewrite widgets/gradflow/race_bands.py from seeds 0..N-1")
    args = parser.parse_args()
    seeds = list(range(args.seeds))
    chaos_seeds = set(range(args.chaos_seeds if args.chaos_seeds is not None else args.seeds))
    if args.write_bands:
        write_bands(os.path.join(os.path.dirname(__file__), "..", "..", "widgets", "gradflow",
                                 "race_bands.py"), seeds)
        return
    low, high, every = views.RACE_STEPS
    budgets = list(range(low, high + 1, every))
    shallow = views.RACE_CLAIM_DEPTHS["shallow_depth"]
    depths = args.depths or [views.RACE_CLAIM_DEPTHS["deep_depth"]]
    print(f"numpy {np.__version__}; seeds 0-{seeds[-1]}; chaos measured on {len(chaos_seeds)} seeds")
    print(f"recipe: {views.RACE_RECIPE}\n")
    sweep("race", views.RACE_RECIPE, shallow, depths, budgets, seeds, chaos_seeds)
    if args.explore:
        print("Rejected candidates (shallow 4, deep plain 60 and residual 30 blocks):\n")
        for name, recipe in CANDIDATES.items():
            sweep(name, recipe, 4, [60], [100, 200, 300], seeds, chaos_seeds)


if __name__ == "__main__":
    main()
