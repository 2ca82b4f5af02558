"""The computed role: a number computed by gradflow at build time, written with the
one formatter (gradflow.text.format_number, tested in tests/unit/test_text.py)."""

from __future__ import annotations

import pytest
from gradflow import simulate

from live_widgets.computed import split_expression
from gradflow.text import format_number


def test_split_expression_uses_the_last_bar():
    assert split_expression("a | b | .2f") == ("a | b", ".2f")
    assert split_expression("simulate().loss") == ("simulate().loss", "")


def test_role_inserts_gradflows_number(build_book):
    built = build_book({"index": """
        # Numbers

        Ratio {computed}`simulate(depth=6, activation="sigmoid").first_to_last_ratio | .2e` and
        depth {computed}`StackConfig(depth=6).depth`.
        """})
    expected = format_number(simulate(depth=6, activation="sigmoid").first_to_last_ratio, spec=".2e")
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
