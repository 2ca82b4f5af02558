"""Chart layout that keeps the chart readable (issue 11): a legend on every chart, below
the plot and clear of the axis title, and a log axis that a reference line cannot
stretch so far that the measured curve goes flat."""

from __future__ import annotations

import math

import plotly.graph_objects as go
import pytest

from gradflow import figures, simulate


def test_a_one_line_chart_keeps_its_legend():
    figure = figures.gradient_figure(simulate(depth=5, activation="tanh"), theory=False)
    assert len(figure["data"]) == 1
    assert figure["layout"]["showlegend"] is True


def test_legend_hangs_from_the_bottom_of_the_chart_not_from_the_plot_area():
    legend = figures.gradient_figure(simulate(depth=5))["layout"]["legend"]
    assert (legend["yref"], legend["y"], legend["yanchor"]) == ("container", 0, "bottom")


def test_at_lesson_2s_depth_the_whole_reference_line_stays_on_the_chart():
    figure = figures.gradient_figure(simulate(depth=30, activation="sigmoid"))
    assert "range" not in figure["layout"]["yaxis"]  # plotly fits every line


def test_a_deep_reference_line_cannot_squash_the_measured_curve():
    result = simulate(depth=150, activation="sigmoid")
    figure = figures.gradient_figure(result)
    go.Figure(figure)  # plotly accepts the layout (it rejects unknown properties)
    low, high = figure["layout"]["yaxis"]["range"]
    measured = [v for v in result.activation_grad_norms if v > 0]
    reference = min(v for v in result.reference["sigmoid_bound"] if v > 0)
    assert math.log10(reference) < low, "the reference should run off the bottom"
    assert low == pytest.approx(math.log10(min(measured)) - figures.REFERENCE_DECADES)
    assert high >= math.log10(max(measured))
