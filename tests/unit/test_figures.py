"""Figure specs: valid plotly (unknown properties are rejected), honest about zeros."""

import json

import plotly.graph_objects as go
import pytest

from gradflow import figures, path_gradient_share, path_length_distribution, simulate, train
from gradflow.figures import OKABE_ITO


def validate(spec: dict) -> go.Figure:
    json.dumps(spec, allow_nan=False)  # what the worker posts must be strict JSON
    return go.Figure(spec)  # raises ValueError on any unknown or malformed property


def test_gradient_figure_plain_and_residual_with_theory():
    results = [simulate(depth=30), simulate(depth=30, residual=True)]
    figure = validate(figures.gradient_figure(results))
    names = [trace.name for trace in figure.data]
    assert names[0].startswith("Plain stack") and names[1].startswith("Residual stack")
    assert any("Sigmoid slopes alone: 1/4 per layer above" == n for n in names) and any("Identity" in n for n in names)
    assert figure.layout.yaxis.type == "log"
    palette = set(OKABE_ITO.values())
    assert figure.data[0].line.color in palette and figure.data[1].line.color in palette
    assert figure.data[0].line.dash != figure.data[1].line.dash  # not colour alone


def test_exact_zeros_are_drawn_at_a_marked_floor_not_dropped():
    result = simulate(depth=1000, width=16, batch=16, activation="sigmoid", std=0.1)
    zeros = result.flags["underflow"]
    assert zeros
    spec = figures.gradient_figure(result, theory=False)
    validate(spec)
    trace = spec["data"][0]
    floor = spec["data"][-1]["y"][0]
    assert spec["data"][-1]["name"].startswith("Floor: exact 0")
    assert all(trace["y"][l - 1] == floor for l in zeros)
    assert all(trace["marker"]["symbol"][l - 1] == "x" for l in zeros)
    assert None not in trace["y"]
    assert floor < min(v for v in result.activation_grad_norms if v > 0)
    assert "exactly 0" in spec["layout"]["annotations"][0]["text"]


def test_overflow_is_noted_not_hidden():
    result = simulate(depth=400, width=64, batch=8, activation="linear", std=3.0)
    spec = figures.gradient_figure(result)
    validate(spec)
    assert "overflowed" in spec["layout"]["annotations"][0]["text"] or \
        "not a number" in spec["layout"]["annotations"][0]["text"]


def test_linear_axis_keeps_zeros_as_zeros():
    result = simulate(depth=1000, width=16, batch=16, activation="sigmoid", std=0.1)
    spec = figures.gradient_figure(result, log_y=False, theory=False)
    validate(spec)
    assert spec["layout"]["yaxis"]["type"] == "linear"
    assert spec["data"][0]["y"][0] == 0.0 and len(spec["data"]) == 1


def test_loss_figure():
    results = [train(depth=2, steps=20), train(depth=3, steps=20, residual=True)]
    figure = validate(figures.loss_figure(results, steps=40))
    # a residual network's depth counts weight layers: 3 two-layer blocks are 6 layers
    assert [t.name for t in figure.data] == ["2-layer plain network", "6-layer residual network"]
    assert list(figure.layout.xaxis.range) == [0, 40]


def test_loss_figure_shades_bands_behind_the_lines():
    results = [train(depth=2, steps=20), train(depth=3, steps=20)]
    bands = [([0.1] * 20, [0.9] * 20), ([0.2] * 20, [0.8] * 20)]
    figure = validate(figures.loss_figure(results, steps=20, bands=bands))
    assert len(figure.data) == 6  # two traces per band, drawn first, then the two lines
    assert [t.fill for t in figure.data[:4]] == [None, "tonexty", None, "tonexty"]
    assert list(figure.data[1].y) == [0.9] * 20 and not figure.data[1].showlegend
    assert figure.data[1].legendgroup == figure.data[4].legendgroup == "2-layer plain network"
    with pytest.raises(ValueError, match="one band per result"):
        figures.loss_figure(results, bands=bands[:1])


@pytest.mark.parametrize("with_share", [False, True])
def test_path_figure(with_share):
    share = path_gradient_share(depth=10) if with_share else None
    figure = validate(figures.path_figure(path_length_distribution(10), share))
    assert figure.data[0].type == "bar" and len(figure.data) == (2 if with_share else 1)


def test_gradient_figure_needs_results():
    with pytest.raises(ValueError, match="at least one"):
        figures.gradient_figure([])
