"""Plotly figure specs as plain dicts (gradflow never imports plotly).

The same dicts are drawn by plotly.js in the browser and validated by the plotly Python
package in the tests. Colours are Okabe-Ito (distinguishable with the common colour-vision
deficiencies), and every series also differs in dash and marker shape, so nothing relies
on colour alone. On a log axis an exact zero cannot be drawn; instead of dropping it, such
points are drawn at a marked floor line below the smallest real value.
"""

from __future__ import annotations

import math

from .text import format_number

# Okabe & Ito (2008) palette.
OKABE_ITO = {
    "black": "#000000", "orange": "#E69F00", "sky_blue": "#56B4E9",
    "bluish_green": "#009E73", "yellow": "#F0E442", "blue": "#0072B2",
    "vermillion": "#D55E00", "reddish_purple": "#CC79A7",
}
SERIES_STYLES = [  # (colour, dash, marker symbol) for the 1st, 2nd, ... series
    (OKABE_ITO["blue"], "solid", "circle"),
    (OKABE_ITO["vermillion"], "dash", "square"),
    (OKABE_ITO["bluish_green"], "dot", "diamond"),
    (OKABE_ITO["reddish_purple"], "dashdot", "triangle-up"),
    (OKABE_ITO["orange"], "longdash", "cross"),
]
FLOOR_COLOUR = OKABE_ITO["black"]
THEORY_COLOUR = "#666666"


def _finite_positive(values):
    return [v for v in values if v is not None and math.isfinite(v) and v > 0]


def log_floor(series: list[list[float]]) -> float:
    """A power of ten one decade below the smallest positive finite value of all series."""
    positives = [v for values in series for v in _finite_positive(values)]
    smallest = min(positives) if positives else 1.0
    return 10.0 ** (math.floor(math.log10(smallest)) - 1)


def _plottable(values, log_y, floor):
    """Values plotly can draw: non-finite -> None (a gap, reported elsewhere), and on a log
    axis zeros -> the floor. Returns (ys, indices of points moved to the floor)."""
    ys, floored = [], []
    for i, v in enumerate(values):
        if v is None or not math.isfinite(v):
            ys.append(None)
        elif log_y and v <= 0:
            ys.append(floor)
            floored.append(i)
        else:
            ys.append(v)
    return ys, floored


def _layout(title, x_title, y_title, log_y, notes):
    layout = {
        "title": {"text": title, "font": {"size": 15}},
        "xaxis": {"title": {"text": x_title}, "zeroline": False},
        "yaxis": {"title": {"text": y_title}, "type": "log" if log_y else "linear",
                  "exponentformat": "power"},
        # Legend below the plot: on a 375 px phone a side legend would squeeze the chart.
        # Anchored to the bottom of the whole chart ("container"), not a fraction of the
        # plot area below it: at phone height that fraction was less than the tick labels
        # plus the axis title, and the title was drawn across the first legend entry.
        "legend": {"orientation": "h", "x": 0, "xanchor": "left",
                   "yref": "container", "y": 0, "yanchor": "bottom"},
        "margin": {"l": 60, "r": 10, "t": 40, "b": 10},
        "hovermode": "closest",
        # plotly hides the legend of a one-line chart, which then no longer says what it
        # shows (tanh, ReLU...): the legend names every line, however many there are
        "showlegend": True,
    }
    if notes:
        layout["annotations"] = [{
            "text": "<br>".join(notes), "xref": "paper", "yref": "paper", "x": 0, "y": 1,
            "xanchor": "left", "yanchor": "top", "showarrow": False, "align": "left",
            "font": {"size": 11, "color": OKABE_ITO["vermillion"]},
            "bgcolor": "rgba(255,255,255,0.8)",
        }]
    return layout


def series_label(result) -> str:
    """'Plain stack' / 'Residual stack', with the settings that tell series apart."""
    c = result.config
    kind = "Residual" if c.residual else "Plain"
    extra = ", batch norm" if c.batch_norm else ""
    if c.residual:  # the branch settings the gradient view lets a reader change
        extra += ", pre-activation" if c.preactivation else ""
        extra += f", gain {c.branch_scale:g}" if c.branch_scale != 1.0 else ""
        extra += ", branches start at 0" if c.zero_init_branch else ""
    init = f"normal std {c.std:g}" if c.init == "normal" else c.init
    return f"{kind} stack ({c.activation}, {init}{extra})"


def gradient_figure(results, log_y: bool = True, theory: bool = True) -> dict:
    """Gradient size against layer, one line per SimulationResult.

    results: a SimulationResult or a list of them (e.g. plain and residual).
    theory: add the reference curves the results carry ((1/4)^(depth - l) for plain
    sigmoid stacks, the identity term 1 for residual ones) as grey dashed lines.
    """
    if not isinstance(results, (list, tuple)):
        results = [results]
    if not results:
        raise ValueError("gradient_figure needs at least one SimulationResult, got none")
    series = [r.activation_grad_norms for r in results]
    references = []
    if theory:
        seen = set()
        for r in results:
            for name, values in r.reference.items():
                if name not in seen:
                    seen.add(name)
                    references.append((name, r.layers, values))
    floor = log_floor(series + [v for _, _, v in references])
    data, notes, any_floored = [], [], False
    for i, r in enumerate(results):
        colour, dash, symbol = SERIES_STYLES[i % len(SERIES_STYLES)]
        ys, floored = _plottable(r.activation_grad_norms, log_y, floor)
        any_floored = any_floored or bool(floored)
        symbols = [("x" if j in floored else symbol) for j in range(len(ys))]
        data.append({
            "type": "scatter", "mode": "lines+markers", "name": series_label(r),
            "x": list(r.layers), "y": ys,
            "line": {"color": colour, "dash": dash, "width": 2},
            "marker": {"color": colour, "symbol": symbols, "size": 6},
            "hovertemplate": "layer %{x}: %{y:.3g}<extra>" + series_label(r) + "</extra>",
        })
        label = "residual" if r.config.residual else "plain"
        if r.flags.get("overflow"):
            notes.append(f"{label}: gradient overflowed (infinite) at {len(r.flags['overflow'])} layer(s), not drawn")
        if r.flags.get("nan"):
            notes.append(f"{label}: gradient not a number at {len(r.flags['nan'])} layer(s), not drawn")
        if floored:
            notes.append(f"{label}: gradient exactly 0 at {len(floored)} layer(s), drawn as x on the floor")
    theory_names = {"sigmoid_bound": "Sigmoid slopes alone: 1/4 per layer above",
                    "identity": "Identity path alone (= 1)"}
    for name, layers, values in references:
        ys, floored = _plottable(values, log_y, floor)
        any_floored = any_floored or bool(floored)
        data.append({
            "type": "scatter", "mode": "lines", "name": theory_names.get(name, name),
            "x": list(layers), "y": ys,
            "line": {"color": THEORY_COLOUR, "dash": "dot" if name == "identity" else "dash",
                     "width": 1.5},
            "hovertemplate": "layer %{x}: %{y:.3g}<extra>" + theory_names.get(name, name) + "</extra>",
        })
    if log_y and any_floored:
        xs = [x for r in results for x in r.layers]
        data.append({
            "type": "scatter", "mode": "lines", "name": f"Floor: exact 0 drawn at {format_number(floor, 1)}",
            "x": [min(xs), max(xs)], "y": [floor, floor],
            "line": {"color": FLOOR_COLOUR, "dash": "longdashdot", "width": 1},
            "hoverinfo": "skip",
        })
    depth = max(r.config.depth for r in results)
    title = f"Gradient size at each layer ({depth} layers)"
    y_title = "Gradient size (top layer = 1)" + (", log scale" if log_y else "")
    layout = _layout(title, "Layer (1 = nearest the input)", y_title, log_y, notes)
    if log_y and references:
        limited = _log_range_limit(series + [v for _, _, v in references],
                                   series + ([[floor]] if any_floored else []))
        if limited is not None:
            layout["yaxis"]["range"] = limited
    return {"data": data, "layout": layout}


#: how far below the lowest measured value a reference line may pull the log axis. At
#: lesson 2's 30 sigmoid layers the (1/4)^(layers above) line ends 13 decades below the
#: real curve, and the lesson compares the two, so it stays whole there; at 120 layers it
#: reaches 10^-72 and squashed the real curve into a flat line at the top.
REFERENCE_DECADES = 14


def _log_range_limit(everything, measured):
    """``[low, high]`` in decades when a reference would stretch the log axis more than
    REFERENCE_DECADES below the measured curves (it then runs off the bottom of the
    chart), else None (plotly fits the axis to every line)."""
    drawn = [v for values in everything for v in _finite_positive(values)]
    real = [v for values in measured for v in _finite_positive(values)]
    if not drawn or not real:
        return None
    bottom = math.log10(min(real)) - REFERENCE_DECADES
    if math.log10(min(drawn)) >= bottom:
        return None
    return [bottom, math.log10(max(drawn)) + 0.5]


def _rgba(hex_colour: str, alpha: float) -> str:
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def loss_figure(results, log_y: bool = True, steps: int | None = None, bands=None) -> dict:
    """Training loss against step, one line per TrainingResult (or Trainer-like object with
    .config and .losses). steps fixes the x axis length so a race in progress does not
    rescale as it grows. Log scale by default: the losses the lesson compares differ by
    orders of magnitude near the end.

    bands: None, or one (low, high) pair of loss lists per result (the spread over seeds),
    drawn as a shaded area in the result's colour behind the lines.
    """
    if not isinstance(results, (list, tuple)):
        results = [results]
    if not results:
        raise ValueError("loss_figure needs at least one training result, got none")
    if bands is not None and len(bands) != len(results):
        raise ValueError(f"loss_figure needs one band per result: {len(results)} results, "
                         f"{len(bands)} bands")
    floor = log_floor([r.losses for r in results] + [v for pair in (bands or []) for v in pair])
    data, notes = [], []
    for i, (r, band) in enumerate(zip(results, bands or [None] * len(results))):
        if band is None:
            continue
        colour = SERIES_STYLES[i % len(SERIES_STYLES)][0]
        name = f"{r.config.label()} network"
        low, _ = _plottable(band[0], log_y, floor)
        high, _ = _plottable(band[1], log_y, floor)
        xs = list(range(1, len(low) + 1))
        # plotly fills "tonexty" from this trace down to the one before it: low first
        data.append({"type": "scatter", "mode": "lines", "x": xs, "y": low, "name": name + ", range over seeds",
                     "legendgroup": name, "showlegend": False, "hoverinfo": "skip",
                     "line": {"color": colour, "width": 0}})
        data.append({"type": "scatter", "mode": "lines", "x": xs, "y": high, "name": name + ", range over seeds",
                     "legendgroup": name, "showlegend": False, "hoverinfo": "skip",
                     "line": {"color": colour, "width": 0}, "fill": "tonexty",
                     "fillcolor": _rgba(colour, 0.18)})
    for i, r in enumerate(results):
        colour, dash, symbol = SERIES_STYLES[i % len(SERIES_STYLES)]
        ys, floored = _plottable(r.losses, log_y, floor)
        name = f"{r.config.label()} network"
        data.append({
            "type": "scatter", "mode": "lines", "name": name, "legendgroup": name,
            "x": list(range(1, len(ys) + 1)), "y": ys,
            "line": {"color": colour, "dash": dash, "width": 2},
            "hovertemplate": "step %{x}: loss %{y:.3g}<extra>" + name + "</extra>",
        })
        if floored:
            notes.append(f"{name}: loss exactly 0 at {len(floored)} step(s), drawn on the floor")
        if any(v is not None and not math.isfinite(v) for v in r.losses):
            notes.append(f"{name}: training diverged (loss not finite)")
    layout = _layout("Training loss", "Training step", "Training loss" + (", log scale" if log_y else ""),
                     log_y, notes)
    total = steps or max((len(r.losses) for r in results), default=1)
    layout["xaxis"]["range"] = [0, max(total, 1)]
    return {"data": data, "layout": layout}


def path_figure(distribution, share=None) -> dict:
    """Bars: share of the 2^n paths with each length (PathLengths). If share (a
    PathGradientShare) is given, a line with markers: share of the gradient carried by the
    paths of each length."""
    data = [{
        "type": "bar", "name": "Share of paths",
        "x": list(distribution.lengths), "y": list(distribution.fractions),
        "marker": {"color": OKABE_ITO["sky_blue"], "line": {"color": OKABE_ITO["blue"], "width": 1}},
        "hovertemplate": "length %{x}: %{y:.3g} of all paths<extra></extra>",
    }]
    if share is not None:
        ys, _ = _plottable(share.shares, False, 0.0)
        data.append({
            "type": "scatter", "mode": "lines+markers", "name": "Share of gradient",
            "x": list(share.lengths), "y": ys,
            "line": {"color": OKABE_ITO["vermillion"], "dash": "dash", "width": 2},
            "marker": {"color": OKABE_ITO["vermillion"], "symbol": "diamond", "size": 6},
            "hovertemplate": "length %{x}: %{y:.3g} of the gradient<extra></extra>",
        })
    n = distribution.blocks
    layout = _layout(f"Path lengths through {n} residual blocks",
                     "Path length (residual branches passed)", "Share", False, [])
    layout["bargap"] = 0.05
    return {"data": data, "layout": layout}
