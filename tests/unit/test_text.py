"""The one number formatter of the Python side (gradflow.text.format_number), against the
examples shared with the browser's formatter (tests/fixtures/number_format.json)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from gradflow.text import MINUS, format_number

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "number_format.json"
# Inside Pyodide only tests/unit is mounted, so the shared fixture is not there; the module
# must still import for pytest to collect the marked tests next to it (this one is not marked).
CASES = json.loads(FIXTURE.read_text(encoding="utf-8"))["cases"] if FIXTURE.is_file() else []
NON_FINITE = {"Infinity": math.inf, "-Infinity": -math.inf, "NaN": math.nan}
SUPERSCRIPT_DIGITS = str.maketrans("⁻⁺⁰¹²³⁴⁵⁶⁷⁸⁹", "-+0123456789")


def test_the_shared_examples_are_there():
    assert FIXTURE.is_file() and len(CASES) >= 10, f"{FIXTURE} is missing or nearly empty"


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c['value']}@{c['digits']}")
def test_the_shared_examples(case):
    value = NON_FINITE.get(case["value"], case["value"])
    assert format_number(value, case["digits"]) == case["text"]


def read_back(text: str) -> float:
    """The value a reader takes from the text."""
    text = text.replace(MINUS, "-")
    mantissa, times, power = text.partition(" × 10")
    return float(mantissa) * (10.0 ** int(power.translate(SUPERSCRIPT_DIGITS)) if times else 1.0)


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
                assert math.isclose(read_back(text), value, rel_tol=0.51 * 10.0 ** (1 - digits)), (value, text)


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
