"""Build-time chart pictures (live_widgets.static_figure): drawn from the same figure
spec plotly.js draws, small, reproducible, and written into the page with the chart's
text alternative."""

from __future__ import annotations

import re

from gradflow import views

from live_widgets.static_figure import NOSCRIPT_NOTICE, figure_svg


def _view_figure(view: str, **settings) -> dict:
    return views.VIEWS[view].compute(views.validate_settings(view, settings))["figure"]


def test_gradient_chart_svg_holds_the_figure_titles_and_every_series():
    figure = _view_figure("gradient", depth=8, mode="both")
    svg = figure_svg(figure)
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    text = " ".join(re.findall(r"<text[^>]*>([^<]*)</text>", svg))
    assert "Gradient size at each layer (8 layers)" in text
    assert "Layer (1 = nearest the input)" in text
    for trace in figure["data"]:
        assert trace["name"] in text  # the legend names every line, as plotly's does
    assert len(svg.encode()) < 40_000, "keep the no-JavaScript pictures small"


def test_svg_is_reproducible_and_carries_no_date():
    figure = _view_figure("paths", blocks=6)
    first, second = figure_svg(figure), figure_svg(figure)
    assert first == second
    assert "<dc:date>" not in first and "<metadata>" not in first


def test_a_view_widget_carries_its_picture_and_the_page_a_noscript_notice(build_book):
    page = """\
    # Page

    ```{gradient-flow}
    :name: demo
    :depth: 4
    ```
    """
    built = build_book({"index": page})
    html = built.html()
    images = re.findall(r'<figure class="lw-static-chart">\s*<img src="([^"]+)" alt="([^"]*)"',
                        html)
    assert len(images) == 1
    source, alt = images[0]
    summary = re.search(r'<div class="lw-chart" role="img" aria-label="([^"]*)"', html).group(1)
    assert alt == summary and alt
    svg = (built.outdir / source).read_text("utf-8")
    assert "Gradient size at each layer (4 layers)" in svg
    assert html.count("lw-noscript-notice") == 1 and NOSCRIPT_NOTICE in html
    assert html.index("lw-noscript-notice") < html.index("lw-widget")
