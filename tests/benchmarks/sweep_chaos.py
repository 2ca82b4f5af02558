"""Sweep of the gradient view: where its printed numbers depend on the last bits of a
float, and whether gradflow.chaos's levels keep every printed text the same. A script,
not a test (tests/unit/test_chaotic_readouts.py checks a grid of its own).

    .venv/bin/python tests/benchmarks/sweep_chaos.py           # the full map (minutes)
    .venv/bin/python tests/benchmarks/sweep_chaos.py --quick   # seed 0, fewer depths

For every setting (mode "both": the plain and the residual stack at once) and seed it
prints each stack's chaos level (. calm, r rough, X chaotic) by depth, and then:

- mismatches: settings whose readout, summary, table or levels differ on another
  "computer" (tests/unit/chaos_nudges.py: weights nudged by 1e-15, products summed in
  another order). Must be none.
- rounding gain: the largest relative change of any layer's gradient size under those
  nudges, divided by the stack's stretch factor, over the stacks below ROUGH_STRETCH: how
  a rounding difference compares with the stretch factor (the module docstring of
  gradflow.chaos uses about 2e-15).
- border: calm stacks with the largest stretch factors and rough ones with the smallest,
  and the same for rough and chaotic: the margin the thresholds have.
- time: what gradflow.chaos.assess adds to a simulate() call.

Measured 29 Nov 2026 (--quick, 576 settings, both stacks each): 0 mismatches. Chaotic or
rough: tanh with normal std >= 0.3 from about 30 layers (std 1: rough at 30, chaotic from
40), sigmoid with std >= 5, and plain stacks with batch norm from 60-100 layers (ReLU and
tanh; sigmoid with std 0.001 from 30); linear + batch norm is rounding noise at every depth
(its loss is constant). Residual stacks turn chaotic only with tanh (std >= 0.5) or
sigmoid std 10. Largest stretch of a calm stack 9.9e4, smallest of a rough one 1.09e5;
largest rough 8.7e7 (tanh, std 1, depth 30, seed 0), smallest chaotic 1.9e8. Rounding
gain at most 8.8e-11 (sigmoid, std 0.001, batch norm: centring a nearly constant batch
cancels digits that no weight nudge shows), far below the 1e-3 a 3-digit table needs.
chaos.assess took 0.97 s beside simulate's 2.37 s at depth 200, width 128 (a loaded
machine; 0.32 s and 0.76 s on a quieter moment).
"""

from __future__ import annotations

import argparse
import os
import sys
import time

for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(variable, "1")
HERE = os.path.dirname(__file__)
sys.path.insert(0, os.path.join(HERE, "..", "..", "widgets"))
sys.path.insert(0, os.path.join(HERE, "..", "unit"))

import numpy as np  # noqa: E402

import chaos_nudges  # noqa: E402
from gradflow import views  # noqa: E402
from gradflow.chaos import CALM_STRETCH, ROUGH_STRETCH, SMALLEST_NORMAL, assess  # noqa: E402

DEPTHS = (1, 2, 5, 10, 20, 30, 40, 50, 60, 80, 100, 150, 200)
QUICK_DEPTHS = (2, 10, 30, 60, 101, 200)
STDS = (0.001, 0.1, 0.2, 0.3, 0.5, 1.0, 2.0, 5.0, 10.0)
SYMBOL = {"calm": ".", "rough": "r", "chaotic": "X"}


def inits():
    """(init, std) pairs: every initialisation, and normal at a spread of stds."""
    return [("normal", std) for std in STDS] + [(i, 1.0) for i in ("xavier", "he", "orthogonal")]


def families(quick: bool):
    """Settings without depth and seed, one row of the map each."""
    rows = []
    for activation in ("sigmoid", "tanh", "relu", "linear"):
        for init, std in inits():
            for batch_norm in (False, True):
                rows.append(dict(activation=activation, init=init, std=std, batch_norm=batch_norm))
    if not quick:
        # widths, and the residual branch's own settings, at the stds that matter most
        for activation in ("sigmoid", "tanh", "relu"):
            for std in (0.3, 1.0, 5.0):
                for width in (8, 128):
                    rows.append(dict(activation=activation, std=std, width=width))
                rows.append(dict(activation=activation, std=std, branch_layers=2))
                rows.append(dict(activation=activation, std=std, branch_scale=0.25))
                rows.append(dict(activation=activation, std=std, branch_scale=2.0))
                rows.append(dict(activation=activation, std=std, preactivation=True,
                                 branch_layers=2, batch_norm=True))
                rows.append(dict(activation=activation, std=std, zero_init_branch=True))
    return rows


def rounding_gain(here: dict, others: list) -> float:
    """Largest relative change of a layer's size on the other computers / the stack's
    stretch factor, over the stacks whose sizes are still printed (stretch 1 to
    ROUGH_STRETCH)."""
    worst = 0.0
    for _, there in others:
        for a, b, stretch in zip(here["sizes"], there["sizes"], here["stretch"]):
            if not 1.0 < stretch <= ROUGH_STRETCH:
                continue
            ga, gb = np.array(a), np.array(b)
            ok = np.isfinite(ga) & (ga >= SMALLEST_NORMAL) & np.isfinite(gb)
            if ok.any():
                worst = max(worst, float(np.max(np.abs(ga[ok] - gb[ok]) / ga[ok])) / stretch)
    return worst


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="seed 0 and fewer depths")
    parser.add_argument("--seeds", type=int, default=3, help="seeds 0..N-1 (default 3)")
    args = parser.parse_args()
    depths = QUICK_DEPTHS if args.quick else DEPTHS
    seeds = range(1 if args.quick else args.seeds)
    mismatches, gains, border = [], [], {"calm": [], "rough": [], "chaotic": []}
    started = time.perf_counter()
    count = 0
    print(f"levels by depth {depths}, per seed; plain stack | residual stack")
    for family in families(args.quick):
        line = []
        for seed in seeds:
            plain, residual = "", ""
            for depth in depths:
                settings = {**family, "mode": "both", "depth": depth, "seed": seed}
                try:
                    compared = chaos_nudges.on_other_computers(settings)
                except ValueError:  # too large for a browser tab: the view refuses it
                    plain, residual = plain + " ", residual + " "
                    continue
                count += 1
                here, others = compared
                mismatches += chaos_nudges.differences(settings, compared=compared)
                plain += SYMBOL[here["levels"][0]]
                residual += SYMBOL[here["levels"][1]]
                for level, stretch, name in zip(here["levels"], here["stretch"], ("plain", "residual")):
                    border[level].append((stretch, name, settings))
                gains.append((rounding_gain(here, others), settings))
            line.append(f"{plain}|{residual}")
        label = ", ".join(f"{k}={v}" for k, v in family.items())
        print(f"{label:70s} {'  '.join(line)}", flush=True)
    elapsed = time.perf_counter() - started
    print(f"\n{count} settings in {elapsed:.0f} s")
    print(f"mismatches: {len(mismatches)}")
    for line in mismatches[:20]:
        print("  " + line)
    print(f"rounding gain (relative change / stretch, stretch <= {ROUGH_STRETCH:g}): "
          f"largest {max(gains, key=lambda item: item[0])[0]:.2e} at "
          f"{max(gains, key=lambda item: item[0])[1]}")
    for level, threshold in (("calm", CALM_STRETCH), ("rough", ROUGH_STRETCH)):
        top = sorted(border[level], key=lambda item: item[0])[-3:]
        print(f"largest stretch among {level} stacks (threshold {threshold:g}):")
        for stretch, name, settings in top:
            print(f"  {stretch:.3g} {name} {settings}")
    for level in ("rough", "chaotic"):
        low = sorted(border[level], key=lambda item: item[0])[:3]
        print(f"smallest stretch among {level} stacks:")
        for stretch, name, settings in low:
            print(f"  {stretch:.3g} {name} {settings}")
    # what the check costs beside the simulation itself, at the largest stack a reader reaches
    settings = views.validate_settings("gradient", {"depth": 200, "width": 128, "activation": "tanh"})
    t0 = time.perf_counter()
    results = views.gradient_results(settings)
    t1 = time.perf_counter()
    assess(results[0])
    t2 = time.perf_counter()
    print(f"time at depth 200, width 128: simulate {t1 - t0:.2f} s, chaos.assess {t2 - t1:.2f} s")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
