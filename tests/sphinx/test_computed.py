"""The computed role and the number format shared with the fallback tables."""

from __future__ import annotations

import pytest
from gradflow import simulate

from live_widgets.computed import split_expression
from live_widgets.number_format import format_number


@pytest.mark.parametrize("value, spec, text", [
    (3.2e-9, ".1e", "3.2 × 10⁻⁹"),
    (9.094947017729282e-13, ".2e", "9.09 × 10⁻¹³"),
    (-1.5e12, ".1e", "−1.5 × 10¹²"),
    (2.5, ".1e", "2.5"),
    (0.1234, ".3f", "0.123"),
    (-0.5, ".2f", "−0.50"),
    (7, "", "7"),
    (float("inf"), ".1e", "∞"),
])
def test_format_number(value, spec, text):
    assert format_number(value, spec) == text


def test_split_expression_uses_the_last_bar():
    assert split_expression("a | b | .2f") == ("a | b", ".2f")
    assert split_expression("simulate().loss") == ("simulate().loss", "")


def test_role_inserts_gradflows_number(build_book):
    built = build_book({"index": """
        # Numbers

        Ratio {computed}`simulate(depth=6, activation="sigmoid").first_to_last_ratio | .2e` and
        depth {computed}`StackConfig(depth=6).depth`.
        """})
    expected = format_number(simulate(depth=6, activation="sigmoid").first_to_last_ratio, ".2e")
    assert f'<span class="lw-computed">{expected}</span>' in built.html()
    assert '<span class="lw-computed">6</span>' in built.html()


@pytest.mark.parametrize("text, message", [
    ("simulate(depth=0).loss", "ValueError"),
    ("no_such_name | .1e", "NameError"),
    ("'text' | .1e", "ValueError: Unknown format code 'e'"),
])
def test_failing_expression_fails_with_file_and_line(build_with_problems, text, message):
    built = build_with_problems({"index": f"""
        # Numbers

        A paragraph whose first line is fine,
        then a value: {{computed}}`{text}`.
        """})
    assert built.statuscode != 0
    assert "index.md:5: ERROR: computed:" in built.warnings and message in built.warnings
