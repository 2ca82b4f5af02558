"""The path-length widget's words (issue 11): an odd number of blocks has two most common
path lengths, C(n, (n-1)/2) = C(n, (n+1)/2), and the readout names both; one block is
"1 block", not "1 blocks"."""

from __future__ import annotations

import math

import pytest

from gradflow import views


def _paths(blocks: int) -> dict:
    return views.VIEWS["paths"].compute(views.validate_settings("paths", {"blocks": blocks}))


@pytest.mark.parametrize("blocks", [3, 5, 7, 53, 99])
def test_odd_blocks_name_both_most_common_lengths(blocks):
    low, high = (blocks - 1) // 2, (blocks + 1) // 2
    assert math.comb(blocks, low) == math.comb(blocks, high)  # the tie the readout must name
    out = _paths(blocks)
    assert f"lengths {low} and {high} tie as most common" in out["readout"]
    assert "the most common length is" not in out["readout"]
    assert f"peaking at {low} and {high}" in out["summary"]


def test_five_blocks_reads_as_the_review_expected():
    # the case the review found: lengths 2 and 3 each hold 10 of the 32 paths, 31.25 %
    assert _paths(5)["readout"] == ("5 blocks give 2⁵ paths; lengths 2 and 3 tie as most "
                                    "common (31.2 % of paths each).")


@pytest.mark.parametrize("blocks", [2, 4, 54, 100])
def test_even_blocks_name_one_most_common_length(blocks):
    out = _paths(blocks)
    assert f"the most common length is {blocks // 2} (" in out["readout"]
    assert " tie " not in out["readout"]
    assert out["summary"].endswith(f"peaking at {blocks // 2}.")


def test_one_block_is_singular():
    out = _paths(1)
    assert out["readout"].startswith("1 block gives 2¹ paths; lengths 0 and 1 tie")
    assert "1 blocks" not in out["readout"] + out["summary"] + out["table"]["caption"]
    assert out["table"]["caption"].startswith("Paths through 1 residual block,")
