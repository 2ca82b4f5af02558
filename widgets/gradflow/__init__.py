"""gradflow: how gradients flow through deep plain and residual stacks (pure numpy).

    >>> from gradflow import simulate
    >>> simulate(depth=30, activation="sigmoid").first_to_last_ratio   # tiny
"""

from .config import StackConfig
from .stack import SimulationResult, simulate

__version__ = "0.1.0"

__all__ = ["StackConfig", "SimulationResult", "simulate", "figures", "views"]

from . import figures, views  # noqa: E402  (they use the names above)
