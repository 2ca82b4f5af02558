"""Command line: explore the simulator from a terminal.

    python -m gradflow simulate --depth 30 --activation sigmoid
    python -m gradflow simulate --depth 30 --residual --zero-init-branch --json
    python -m gradflow train --depth 20 --residual --zero-init-branch
    python -m gradflow paths --blocks 54 --gradient
    python -m gradflow nielsen --hidden-layers 4 --steps 300
    python -m gradflow digits --steps 150 --seed 0

Bad values give a one-line error and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys

from .config import ACTIVATIONS, INITS, StackConfig
from .paths import path_gradient_share, path_length_distribution
from .stack import simulate
from .text import format_number
from .training import OPTIMIZERS, TrainConfig, Trainer

HELP = {  # one source for the option help of both configs
    "depth": "number of layers (residual blocks when --residual)",
    "width": "units per layer",
    "batch": "examples per batch (train: default the whole training set)",
    "activation": "activation function",
    "init": "weight initialisation: normal (with --std), xavier, he or orthogonal",
    "std": "standard deviation of the weights for --init normal",
    "residual": "add a skip connection around every layer: h + branch_scale * F(h)",
    "branch_layers": "layers in each residual branch F (1 or 2)",
    "branch_scale": "factor on each residual branch's output",
    "zero_init_branch": "start each residual branch's last layer at zero (each block's slope starts as the identity)",
    "preactivation": "residual branches run batch norm, activation, then weights (He et al. 2016)",
    "batch_norm": "normalise each layer over the batch before the activation",
    "seed": "random seed (same seed, same numbers)",
    "optimizer": "sgd (with momentum) or adam",
    "learning_rate": "step size of the optimiser",
    "momentum": "momentum of sgd",
    "adam_eps": "epsilon of adam (larger damps the steps of tiny gradients)",
    "clip": "cap the gradient norm at this value (0 = no cap)",
    "warmup": "steps over which the learning rate rises from 0 (0 = none)",
    "steps": "training steps",
    "n_points": "points in the two-spirals training set",
    "noise": "standard deviation of the noise added to the spirals",
    "turns": "how many turns each spiral makes",
}
CHOICES = {"activation": ACTIVATIONS, "init": INITS, "optimizer": OPTIMIZERS}


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a usage error is a single line (the full usage is one --help away)."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def _add_config_options(parser, config_type):
    """One option per field of a config dataclass, --like-this, with its default shown."""
    defaults = config_type()
    for f in dataclasses.fields(config_type):
        default = getattr(defaults, f.name)
        flag = "--" + f.name.replace("_", "-")
        help_ = f"{HELP[f.name]} (default: {default})"
        if isinstance(default, bool):
            parser.add_argument(flag, action=argparse.BooleanOptionalAction, default=default, help=help_)
        elif f.name in CHOICES:
            parser.add_argument(flag, choices=CHOICES[f.name], default=default, help=help_)
        else:
            kind = int if f.name == "batch" else type(default)  # TrainConfig.batch defaults to None
            parser.add_argument(flag, type=kind, default=default, metavar="N", help=help_)


def _config_from(args, config_type):
    return config_type(**{f.name: getattr(args, f.name) for f in dataclasses.fields(config_type)})


def _table(columns, rows) -> str:
    cells = [[str(c) for c in columns]] + [[str(v) for v in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(columns))]
    lines = ["  ".join(v.rjust(w) for v, w in zip(row, widths)) for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _settings_line(config) -> str:
    return ", ".join(f"{k}={v}" for k, v in config.to_dict().items())


def run_simulate(args) -> str:
    result = simulate(_config_from(args, StackConfig))
    if args.json:
        return json.dumps(result.to_dict(), indent=1)
    rows = []
    for i, layer in enumerate(result.layers):
        rows.append([layer, format_number(result.activation_grad_norms[i], 3),
                     format_number(result.weight_grad_norms[i], 3),
                     format_number(result.activation_mean[i], 3),
                     format_number(result.activation_std[i], 3),
                     f"{result.saturated_fraction[i]:.0%}", f"{result.dead_fraction[i]:.0%}"])
    flags = "; ".join(f"{k}: layers {v}" for k, v in result.flags.items() if v) or "none"
    return "\n".join([
        f"Stack: {_settings_line(result.config)}",
        _table(["layer", "grad |dL/dh|", "grad |dL/dW|", "mean h", "std h", "saturated", "dead"],
               rows[::-1]),  # top layer first: the order backpropagation visits them
        f"Layer 1 receives {format_number(result.first_to_last_ratio, 3)} of the gradient at "
        f"layer {result.config.depth}.",
        f"Exact zeros / infinities / NaN: {flags}",
    ])


def run_train(args) -> str:
    trainer = Trainer(_config_from(args, TrainConfig))
    every = args.every or max(1, trainer.config.steps // 10)
    rows = []
    while not trainer.done:
        trainer.advance(every)
        rows.append([trainer.step_count, format_number(trainer.losses[-1], 3),
                     f"{trainer.accuracies[-1]:.0%}"])
    result = trainer.result()
    if args.json:
        return json.dumps(result.to_dict(), indent=1)
    lines = [f"Network: {_settings_line(result.config)}",
             _table(["step", "training loss", "training accuracy"], rows),
             f"Final training loss {format_number(result.final_loss, 3)}, training accuracy "
             f"{result.final_accuracy:.0%} ({result.config.label()} network)."]
    if result.diverged_at is not None:
        lines.append(f"Training diverged at step {result.diverged_at} (loss not finite).")
    return "\n".join(lines)


def run_paths(args) -> str:
    distribution = path_length_distribution(args.blocks)
    share = None
    if args.gradient:
        share = path_gradient_share(depth=args.blocks, width=args.width, batch=args.batch,
                                    activation=args.activation, init=args.init,
                                    branch_layers=args.branch_layers, residual=True,
                                    branch_scale=args.branch_scale, seed=args.seed)
    if args.json:
        data = {"distribution": distribution.to_dict()}
        if share is not None:
            data["gradient_share"] = share.to_dict()
        return json.dumps(data, indent=1)
    columns = ["length", "paths", "share of paths"] + (["share of gradient"] if share else [])
    rows = []
    for k in distribution.lengths:
        row = [k, distribution.counts[k], format_number(distribution.fractions[k], 3)]
        if share is not None:
            row.append(format_number(share.shares[k], 3))
        rows.append(row)
    out = [f"{args.blocks} residual blocks: 2^{args.blocks} = {2 ** args.blocks} paths", _table(columns, rows)]
    if share is not None:
        out.append(f"Split of the gradient checked against backpropagation: relative error "
                   f"{format_number(share.reconstruction_error, 2)}")
    return "\n".join(out)


def run_nielsen(args) -> str:
    from .nielsen import NIELSEN_PUBLISHED, NIELSEN_RECIPE, NielsenSpeeds

    run = NielsenSpeeds({"hidden_layers": args.hidden_layers, "steps": args.steps,
                         "seed": args.seed})
    every = args.every or max(1, args.steps // 10)
    state = run.advance(0)
    while not state["done"]:
        state = run.advance(every)
    if args.json:
        return json.dumps({"settings": run.settings, "recipe": NIELSEN_RECIPE,
                           "speeds": run.speeds, "accuracy": run.accuracy}, indent=1)
    hidden = args.hidden_layers
    steps = sorted(set(range(0, run.step + 1, every)) | {run.step})
    rows = [[t] + [format_number(run.speeds[t][i], 3) for i in range(hidden)]
            + [format_number(run.ratio(t), 3)] for t in steps]
    lines = [f"Nielsen's recipe on the first {NIELSEN_RECIPE['images']} digits: "
             f"{hidden} hidden layers of {NIELSEN_RECIPE['width']} sigmoid units, seed {args.seed}",
             "Speed of each hidden layer (length of the averaged bias gradient):",
             _table(["step"] + [f"layer {i + 1}" for i in range(hidden)] + ["last / first"], rows),
             f"Training accuracy after {run.step} steps: {format_number(100 * run.accuracy, 3)} %."]
    if hidden in NIELSEN_PUBLISHED:
        lines.append(f"Nielsen's published speeds at the start (MNIST): "
                     f"{', '.join(NIELSEN_PUBLISHED[hidden])}.")
    return "\n".join(lines)


def run_digits(args) -> str:
    from .digit_features import DigitFeatures

    run = DigitFeatures({"steps": args.steps, "seed": args.seed})
    state = run.run_to_end()
    if args.json:
        return json.dumps({"settings": run.settings, "measured_at": run.measured_at,
                           "training_accuracy": run.train_accuracy,
                           "held_out_accuracy": run.test_accuracy,
                           "units": state["table"]["rows"]}, indent=1)
    every = max(1, len(run.measured_at) // 10)
    rows = [[t, format_number(100 * a, 3), format_number(100 * b, 3)]
            for t, a, b in list(zip(run.measured_at, run.train_accuracy, run.test_accuracy))[::every]]
    if rows[-1][0] != run.step:
        rows.append([run.step, format_number(100 * run.train_accuracy[-1], 3),
                     format_number(100 * run.test_accuracy[-1], 3)])
    return "\n".join([
        f"A 64-16-16-10 tanh network on the handwritten digits, seed {args.seed}: "
        f"{len(run.y)} training digits, {len(run.y_test)} held out",
        _table(["step", "training digits (%)", "held-out digits (%)"], rows),
        state["table"]["caption"],
        _table(state["table"]["columns"], state["table"]["rows"])])


def _add_trainer_options(parser, trainer, names) -> None:
    """Whole-number options for a streamed trainer's settings, with its controls' help and
    range (the trainer checks the values and says what is wrong)."""
    limits = {c["name"]: c for c in trainer.controls}
    for name in names:
        c = limits[name]
        parser.add_argument("--" + name.replace("_", "-"), type=int, default=trainer.defaults[name],
                            metavar="N", help=f"{c['help']} ({c['min']} to {c['max']}; default: "
                                              f"{trainer.defaults[name]})")


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="python -m gradflow", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True, parser_class=OneLineParser)

    p = commands.add_parser("simulate", help="one forward and backward pass; per-layer table",
                            description="Measure the gradient at every layer of a freshly "
                            "initialised stack. The loss is a fixed random read-out of the top "
                            "layer, so the top layer's gradient is 1.")
    _add_config_options(p, StackConfig)
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(run=run_simulate)

    p = commands.add_parser("train", help="train on two spirals; loss table",
                            description="Train a plain or residual network on the two-spirals "
                            "set and print its training loss.")
    _add_config_options(p, TrainConfig)
    p.add_argument("--every", type=int, default=0, metavar="N",
                   help="print a row every N steps (default: a tenth of the steps)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(run=run_train)

    p = commands.add_parser("paths", help="path lengths through residual blocks",
                            description="Count the paths through residual blocks by length "
                            "(Binomial(n, 1/2)) and optionally split a random stack's gradient by "
                            "path length.")
    # the {path-lengths} widget's stack and defaults (gradflow.views), so both give one answer
    from .views import PATH_DEFAULTS, PATH_STACK

    p.add_argument("--blocks", type=int, default=PATH_DEFAULTS["blocks"], metavar="N",
                   help=f"residual blocks (default: {PATH_DEFAULTS['blocks']})")
    p.add_argument("--gradient", action="store_true", help="also split the gradient by path length")
    stack = [(name, PATH_STACK[name]) for name in ("width", "batch", "activation", "init",
                                                    "branch_layers")]
    for name, default in stack + [("branch_scale", PATH_DEFAULTS["branch_scale"]),
                                  ("seed", PATH_DEFAULTS["seed"])]:
        flag = "--" + name.replace("_", "-")
        help_ = f"{HELP[name]}, for --gradient (default: {default})"
        if name in CHOICES:
            p.add_argument(flag, choices=CHOICES[name], default=default, help=help_)
        else:
            p.add_argument(flag, type=type(default), default=default, metavar="N", help=help_)
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(run=run_paths)

    from .nielsen import NielsenSpeeds
    p = commands.add_parser("nielsen", help="Nielsen's layer speeds on the digits; table",
                            description="Train a sigmoid network like Nielsen's (hidden layers of "
                            "30) on 1,000 handwritten digits and print each hidden layer's speed "
                            "of learning.")
    _add_trainer_options(p, NielsenSpeeds, ("hidden_layers", "steps", "seed"))
    p.add_argument("--every", type=int, default=0, metavar="N",
                   help="print a row every N steps (default: a tenth of the steps)")
    p.add_argument("--json", action="store_true", help="print every step's speeds as JSON")
    p.set_defaults(run=run_nielsen)

    from .digit_features import DigitFeatures
    p = commands.add_parser("digits", help="lesson 1's network on the digits: accuracy, units",
                            description="Train lesson 1's small network on the handwritten "
                            "digits and print its accuracy and, in words, what each unit "
                            "responds to.")
    _add_trainer_options(p, DigitFeatures, ("steps", "seed"))
    p.add_argument("--json", action="store_true", help="print the accuracies and units as JSON")
    p.set_defaults(run=run_digits)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        print(args.run(args))
    except ValueError as error:  # bad settings: a message for the reader, not a traceback
        print(f"{parser.prog} {args.command}: error: {error}", file=sys.stderr)
        return 2
    return 0
