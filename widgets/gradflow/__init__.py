"""gradflow: how gradients flow through deep plain and residual stacks (pure numpy).

    >>> from gradflow import simulate
    >>> simulate(depth=30, activation="sigmoid").first_to_last_ratio   # tiny

simulate() measures one stack at initialisation; train() / Trainer train plain and
residual networks on two spirals; path_length_distribution() and path_gradient_share()
count and weigh the paths through residual blocks; figures and views turn results into
what the book's widgets show.
"""

from .config import StackConfig
from .paths import (PathGradientShare, PathLengths, SinglePathShare, path_gradient_share,
                    path_length_distribution, single_path_share)
from .stack import SimulationResult, simulate
from .training import TrainConfig, Trainer, TrainingResult, train

__version__ = "0.1.0"

__all__ = [
    "StackConfig", "SimulationResult", "simulate",
    "TrainConfig", "Trainer", "TrainingResult", "train",
    "PathLengths", "PathGradientShare", "path_length_distribution", "path_gradient_share",
    "SinglePathShare", "single_path_share",
    "figures", "views",
]

from . import figures, views  # noqa: E402  (they use the names above)
