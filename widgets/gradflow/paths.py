"""Paths through a residual stack (Veit, Wilber & Belongie 2016).

Every residual block either sends the signal through its branch F or around it along the
skip, so n blocks give 2^n paths, and a path's length (how many branches it passes) follows
Binomial(n, 1/2). Written out, the gradient at the stack's input is a sum over those paths:

    dL/dh_0 = dL/dh_n (I + J_n) ... (I + J_1) = sum over subsets S of the product of J_l, l in S

where J_l is block l's branch Jacobian. path_gradient_share groups that sum by |S| exactly
(no sampling), at the stack's actual forward pass.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np

from .config import MAX_SIMULATE_WORK, check_int, check_work, make_config
from .serialize import to_jsonable
from .stack import (StackConfig, branch_backward_input, init_blocks, norm, norms,
                    readout_vector, stack_forward)

BLOCKS_RANGE = (1, 1000)


@dataclass
class PathLengths:
    """lengths[k] = k; counts[k] = C(n, k) paths of length k; fractions[k] = counts[k] / 2^n."""

    blocks: int
    lengths: list[int]
    counts: list[int]
    fractions: list[float]

    def to_dict(self) -> dict:
        data = to_jsonable(dataclasses.asdict(self))
        data["counts"] = [str(c) for c in self.counts]  # exact: 2^n is beyond JSON's safe integers
        return data


def path_length_distribution(blocks: int) -> PathLengths:
    """How many of the 2^blocks paths pass through exactly k residual branches, k = 0..blocks."""
    blocks = check_int("blocks", blocks, *BLOCKS_RANGE)
    counts = [math.comb(blocks, k) for k in range(blocks + 1)]
    total = 2**blocks
    # Fractions of exact integers, so even C(1000, k) / 2^1000 is correct to the last bit.
    fractions = [c / total for c in counts]
    return PathLengths(blocks=blocks, lengths=list(range(blocks + 1)), counts=counts,
                       fractions=fractions)


@dataclass
class PathGradientShare:
    """The gradient at the stack's input, split by path length.

    gradient_norms[k]: per-example size (sqrt(B) * Frobenius norm, as in simulate) of the
        summed contribution of all C(n, k) paths through exactly k branches.
    shares[k]: gradient_norms[k] / sum(gradient_norms): the share of gradient size
        carried by paths of length k (contributions can partly cancel, so the sizes do not
        add up to total_norm exactly; the vectors do).
    total_norm: size of the full gradient at the input; reconstruction_error: relative
        difference between the sum of the per-length vectors and that gradient computed by
        ordinary backpropagation (a check, ~1e-15).
    """

    config: StackConfig
    lengths: list[int]
    gradient_norms: list[float]
    shares: list[float]
    total_norm: float
    reconstruction_error: float

    @property
    def peak_length(self) -> int:
        """The path length whose paths carry the largest share of the gradient."""
        return max(self.lengths, key=lambda k: self.shares[k])

    def share_of_lengths(self, low: int, high: int) -> float:
        """Share of the gradient carried by paths through low to high branches (inclusive)."""
        return float(sum(self.shares[max(low, 0):high + 1]))

    def to_dict(self) -> dict:
        data = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        data["config"] = self.config.to_dict()
        return to_jsonable(data)


def path_gradient_share(config: StackConfig | None = None, **overrides) -> PathGradientShare:
    """Split dL/dh_0 of a residual stack (same set-up and loss as simulate) by path length.

    Dynamic programming from the top down: G_l[k] is the part of dL/dh_l carried by paths
    through exactly k of the branches above h_l. Crossing block l, a path either takes the
    skip (length unchanged) or the branch (length + 1):
        G_{l-1}[k] = G_l[k] + branch_backward(G_l[k-1]).
    This is exact because a branch's backward pass is linear in the incoming gradient.
    Cost grows with depth^2 (one branch backward per block and length).
    """
    if config is None:
        overrides.setdefault("residual", True)
    config = make_config(StackConfig, config, overrides)
    if not config.residual:
        raise ValueError("path_gradient_share needs a residual stack (residual=True), got residual=False")
    n = config.depth
    check_work(config.work() * (n + 1) / 2, MAX_SIMULATE_WORK, "This path decomposition",
               f"depth ({n}), width ({config.width}) or batch ({config.batch})")
    # Same random draws as simulate(config), so the two describe the same stack.
    rng = np.random.default_rng(config.seed)
    x = rng.standard_normal((config.batch, config.width))
    blocks = init_blocks(rng, config)
    r = readout_vector(rng, config.width)
    with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
        hs, caches = stack_forward(x, blocks, config)
        top = np.broadcast_to(r / config.batch, hs[-1].shape)
        # parts[k] = G_l[k], shape (n + 1, B, D); above the top block only the empty path exists
        parts = np.zeros((n + 1,) + top.shape)
        parts[0] = top
        full = np.array(top)
        for l in reversed(range(n)):
            used = n - l  # paths above block l+1 pass at most n - l - 1 branches
            through = branch_backward_input(parts[:used], caches[l], config)
            parts[1:used + 1] += through  # taking the branch adds one to the length
            full = full + branch_backward_input(full, caches[l], config)  # plain backprop, as a check
        scale = math.sqrt(config.batch)
        sizes = [scale * norm(p) for p in parts]
        total = sum(sizes)
        shares = [s / total if total > 0 else math.nan for s in sizes]
        full_norm = norm(full)
        error = norm(parts.sum(axis=0) - full) / full_norm if full_norm > 0 else math.nan
    return PathGradientShare(config=config, lengths=list(range(n + 1)), gradient_norms=sizes,
                             shares=shares, total_norm=scale * full_norm,
                             reconstruction_error=float(error))


@dataclass
class SinglePathShare:
    """The gradient split by path length the way Veit et al. (2016) measured it: the size of
    single paths, times how many paths there are.

    path_norms[k]: mean per-example size (as in simulate) of the gradient that one path
        through exactly k branches carries to the stack's input, over `samples` paths
        drawn at random (all of them when there are fewer).
    shares[k]: C(n, k) * path_norms[k], normalised to add up to 1. Unlike
        PathGradientShare, paths of one length do not cancel each other here.
    """

    config: StackConfig
    lengths: list[int]
    path_norms: list[float]
    shares: list[float]
    samples: int

    @property
    def peak_length(self) -> int:
        """The path length whose paths carry the largest share of the gradient."""
        return max(self.lengths, key=lambda k: self.shares[k])

    def share_of_lengths(self, low: int, high: int) -> float:
        """Share of the gradient carried by paths through low to high branches (inclusive)."""
        return float(sum(self.shares[max(low, 0):high + 1]))


def single_path_share(config: StackConfig | None = None, samples: int = 8,
                      **overrides) -> SinglePathShare:
    """Veit et al.'s measure on the same stack as path_gradient_share (same seed, same
    weights): for each length k, `samples` random sets of k blocks; the gradient is sent
    back through the branches of exactly those blocks and through the skips of all others.
    The paths are drawn from their own generator, seeded with (seed, 1), so the stack's
    weights are the same as simulate's. Cost: about samples x depth^2 / 2 branch passes.
    """
    if config is None:
        overrides.setdefault("residual", True)
    config = make_config(StackConfig, config, overrides)
    if not config.residual:
        raise ValueError("single_path_share needs a residual stack (residual=True), got residual=False")
    samples = check_int("samples", samples, 1, 64)
    n = config.depth
    check_work(config.work() * (n + 1) * samples / 2, MAX_SIMULATE_WORK, "This path sampling",
               f"depth ({n}), width ({config.width}), batch ({config.batch}) or samples ({samples})")
    rng = np.random.default_rng(config.seed)
    x = rng.standard_normal((config.batch, config.width))
    blocks = init_blocks(rng, config)
    r = readout_vector(rng, config.width)
    pick = np.random.default_rng([config.seed, 1])
    # member[p, l]: path p passes through block l's branch; samples paths per length
    member = np.zeros(((n + 1) * samples, n), dtype=bool)
    for k in range(n + 1):
        for i in range(samples):
            member[k * samples + i, pick.choice(n, size=k, replace=False)] = True
    with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
        hs, caches = stack_forward(x, blocks, config)
        top = np.broadcast_to(r / config.batch, hs[-1].shape)
        paths = np.array(np.broadcast_to(top, (len(member),) + top.shape))
        for l in reversed(range(n)):
            through = member[:, l]
            if through.any():  # the others take block l's skip: unchanged
                paths[through] = branch_backward_input(paths[through], caches[l], config)
        sizes = math.sqrt(config.batch) * norms(paths)
    path_norms = [float(np.mean(sizes[k * samples:(k + 1) * samples])) for k in range(n + 1)]
    # C(n, k) reaches 1e299 at n = 1000: weigh in logarithms, then normalise
    logs = [math.log(math.comb(n, k)) + math.log(s) if s > 0 else -math.inf
            for k, s in enumerate(path_norms)]
    top_log = max(logs)
    weights = [math.exp(v - top_log) if math.isfinite(top_log) else math.nan for v in logs]
    total = sum(weights)
    return SinglePathShare(config=config, lengths=list(range(n + 1)), path_norms=path_norms,
                           shares=[w / total for w in weights], samples=samples)
