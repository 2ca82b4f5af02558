"""{gradient-correlation}: the build-time result is gradflow's shattered view, and a
setting outside the range where lesson 6's claim was tested fails the build with file and
line. (Markup: snapshots/gradient-correlation.html.)"""

from __future__ import annotations

from gradflow import views

from conftest import initial_json, widget


def test_initial_result_is_gradflows_shattered_view(build_book):
    html = build_book({"index": """
        # Shattered gradients

        ```{gradient-correlation}
        :name: shattered
        :depth: 14
        :chart: correlation
        :controls: depth mode
        ```
        """}).html()
    data = initial_json(widget(html, "shattered"))
    settings = views.validate_settings("shattered", {"depth": 14, "chart": "correlation"})
    assert data["view"] == "shattered" and data["settings"] == settings
    expected = views.VIEWS["shattered"].compute(settings)
    for key in ("figure", "readout", "summary", "table"):
        assert data[key] == expected[key]
    assert [c["name"] for c in data["controls"]] == ["depth", "mode"]
    assert len(data["table"]["rows"]) == 14


def test_a_seed_outside_the_tested_range_fails_the_build(build_with_problems):
    built = build_with_problems({"index": """
        # Page

        Some text.

        ```{gradient-correlation}
        :seed: 12
        ```
        """})
    assert built.statuscode != 0
    assert "index.md:6: ERROR: gradient-correlation:" in built.warnings
    assert "seed must be from 0 to 9, got 12" in built.warnings
