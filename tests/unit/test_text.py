"""The one number formatter of the Python side (gradflow.text.format_number), against the
examples shared with the browser's formatter (tests/fixtures/number_format.json), and the
one reader of written numbers (read_number, numbers_in) that takes its text back."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from gradflow.text import MINUS, format_number, numbers_in, read_number

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "number_format.json"
# Inside Pyodide only tests/unit is mounted, so the shared fixture is not there; the module
# must still import for pytest to collect the marked tests next to it (this one is not marked).
CASES = json.loads(FIXTURE.read_text(encoding="utf-8"))["cases"] if FIXTURE.is_file() else []
NON_FINITE = {"Infinity": math.inf, "-Infinity": -math.inf, "NaN": math.nan}


def test_the_shared_examples_are_there():
    assert FIXTURE.is_file() and len(CASES) >= 10, f"{FIXTURE} is missing or nearly empty"


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c['value']}@{c['digits']}")
def test_the_shared_examples(case):
    value = NON_FINITE.get(case["value"], case["value"])
    assert format_number(value, case["digits"]) == case["text"]


@pytest.mark.parametrize("digits", [1, 2, 3, 4])
def test_every_magnitude_reads_back_within_its_digits(digits):
    # a sweep over 600 orders of magnitude: never Python's "e+02", always the value to
    # the digits asked for (plain decimals may show more digits, never fewer)
    for exponent in range(-300, 300):
        for mantissa in (1.0, 1.5, 2.345678, 9.87654, 9.99999):
            for sign in (1, -1):
                value = sign * mantissa * 10.0 ** exponent
                text = format_number(value, digits)
                assert "e" not in text and "-" not in text, (value, text)
                assert math.isclose(read_number(text), value, rel_tol=0.51 * 10.0 ** (1 - digits)), (value, text)


@pytest.mark.parametrize("value, spec, text", [
    (3.2e-9, ".1e", "3.2 × 10⁻⁹"),
    (9.094947017729282e-13, ".2e", "9.09 × 10⁻¹³"),
    (1e-3, ".1e", "1.0 × 10⁻³"),          # the digits the spec asked for are kept
    (-1.5e12, ".1e", "−1.5 × 10¹²"),
    (2.5, ".1e", "2.5"),
    (0.1234, ".3f", "0.123"),
    (-0.5, ".2f", "−0.50"),
    (1234567, ",", "1,234,567"),
    (7, "", "7"),
    (float("inf"), ".1e", "∞"),
    (float("nan"), ".3f", "not a number"),
])
def test_an_authors_format_spec(value, spec, text):
    assert format_number(value, spec=spec) == text


def test_the_shared_examples_read_back():
    for case in CASES:
        value = NON_FINITE.get(case["value"], case["value"])
        back = read_number(case["text"])
        if math.isnan(value):
            assert math.isnan(back), case
        else:
            assert math.isclose(back, value, rel_tol=0.51 * 10.0 ** (1 - case["digits"])), case


@pytest.mark.parametrize("text, value", [
    ("3.2 × 10⁻⁹", 3.2e-9),
    ("−1.5 × 10¹²", -1.5e12),
    ("9.09 x 10^-13", 9.09e-13),    # as typed on a keyboard
    ("9.09*10^(-13)", 9.09e-13),
    ("2e-05", 2e-5),
    ("1.0E3", 1000.0),
    ("-0.5", -0.5),
    ("+7", 7.0),
    ("1,234,567", 1234567.0),
    ("10⁻⁵", 1e-5),                 # a power of ten alone
    ("2⁵⁴", 2.0 ** 54),
    ("6.9 thousand", 6900.0),       # how readouts say large ratios
    ("1.2 million", 1.2e6),
    ("50 %", 50.0),
    ("  0.25\n", 0.25),
    ("∞", math.inf),
    ("−∞", -math.inf),
    ("1 × 10⁴⁰⁰", math.inf),        # beyond the largest float, as float("1e400") is
])
def test_read_number_reads_every_written_form(text, value):
    assert read_number(text) == value


def test_read_number_reads_not_a_number():
    assert math.isnan(read_number("not a number"))


@pytest.mark.parametrize("text", ["", "abc", "1 2", "3 layers", "0.27.7", "1 × 10", "e5"])
def test_read_number_refuses_text_that_is_not_one_number(text):
    with pytest.raises(ValueError, match="is not one number"):
        read_number(text)
    with pytest.raises(TypeError, match="read_number needs text, got float"):
        read_number(0.5)


def test_numbers_in_finds_each_number_and_how_it_was_written():
    text = ("Layer 1 receives 6.9 thousand times the gradient at layer 30: 2.0 × 10⁻⁵ "
            "against 0.0250, seeds 0-9 of a 2-layer block, 50 % of −3.5 and 1,000 more.")
    found = numbers_in(text)
    assert found == pytest.approx([1, 6900, 30, 2e-5, 0.025, 0, 9, 2, 50, -3.5, 1000])
    assert [n.text for n in found] == ["1", "6.9 thousand", "30", "2.0 × 10⁻⁵", "0.0250", "0",
                                       "9", "2", "50 %", "−3.5", "1,000"]
    assert [n.digits for n in found] == [1, 2, 2, 2, 3, 1, 1, 1, 2, 2, 4]
    assert [n.whole for n in found] == [True, False, True, False, False, True, True, True,
                                        True, False, True]
    assert [n.percent for n in found] == [False] * 8 + [True, False, False]
    assert all(text[slice(*n.span)] == n.text for n in found)


def test_a_number_never_starts_inside_another():
    # a version is not two numbers, a sentence's full stop ends a number
    assert numbers_in("Pyodide 0.27.7") == [0.27]
    assert numbers_in("Type e-notation such as 3e-8.") == [3e-8]
    assert numbers_in("a range 1-5 or (1,5)") == [1, 5, 1]


def test_bad_input_is_refused_where_it_is_made():
    with pytest.raises(TypeError, match="format_number needs a number, got str"):
        format_number("0.5")
    with pytest.raises(TypeError, match="got bool"):
        format_number(True)
    with pytest.raises(ValueError, match="digits must be at least 1, got 0"):
        format_number(0.5, 0)
    with pytest.raises(ValueError):
        format_number("text", spec=".1e")


def test_no_view_writes_python_e_notation():
    # the paths table once showed "7.89e-29 %" for the rarest path lengths
    import re

    from gradflow import views

    shown = []
    for name, settings in [("paths", {"blocks": 100}), ("gradient", {"depth": 200, "width": 8}),
                           ("gradient", {"activation": "linear", "std": 3.0, "depth": 200})]:
        out = views.VIEWS[name].compute(settings)
        shown += [out["readout"], out["summary"], out["table"]["caption"]]
        shown += [str(cell) for row in out["table"]["rows"] for cell in row]
        shown += [trace.get("name", "") for trace in out["figure"]["data"]]
    offenders = [text for text in shown if re.search(r"\de[+-]?\d", text)]
    assert offenders == []
