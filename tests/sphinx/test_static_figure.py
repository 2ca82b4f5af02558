"""Build-time chart pictures (live_widgets.static_figure): drawn from the same figure
spec plotly.js draws, small, reproducible, and written into the page with the chart's
text alternative."""

from __future__ import annotations

import re
from io import StringIO

from gradflow import views
from sphinx.testing.util import SphinxTestApp

from live_widgets import static_figure
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


# ---- incremental builds: no old picture is served, no unused one lingers -------------

WIDGET_PAGE = """\
# Widgets {n}

```{{gradient-flow}}
:name: demo
:depth: {depth}
```
"""
PATHS_PAGE = """\
# Paths

```{path-lengths}
:name: paths
:blocks: 5
```
"""


def _pictures(built) -> dict[str, set[str]]:
    """The chart pictures in the output, the ones the pages refer to, and the cache's."""
    in_output = {p.name for p in (built.outdir / "_images").glob("lw-chart-*.svg")}
    referred = set()
    for page in built.outdir.glob("*.html"):
        referred |= set(static_figure.IMAGE_NAME.findall(page.read_text("utf-8")))
    caches = list(built.srcdir.rglob("live-widgets-cache"))
    assert len(caches) == 1, caches
    cached = {p.name for p in caches[0].rglob("lw-chart-*.svg")}
    return {"output": in_output, "referred": referred, "cached": cached}


def _rebuild_unchanged(built):
    """An incremental build of the same sources, files untouched (so Sphinx itself finds
    nothing outdated)."""
    app = SphinxTestApp("html", srcdir=built.srcdir, status=StringIO(), warning=StringIO())
    try:
        app.build()
    finally:
        app.cleanup()
    assert app.statuscode == 0


def test_rebuild_after_a_widget_changed_or_went_keeps_only_the_pictures_in_use(build_book):
    first = build_book({"a": WIDGET_PAGE.format(n=1, depth=4), "b": PATHS_PAGE})
    before = _pictures(first)
    assert len(before["referred"]) == 2 and before["output"] == before["referred"]
    (old_a,) = {n for n in before["referred"] if n in first.html("a")}
    # lesson a's widget changes, lesson b's widget is removed
    second = build_book({"a": WIDGET_PAGE.format(n=1, depth=6), "b": "# Paths\n\nNo widget.\n"})
    after = _pictures(second)
    assert len(after["referred"]) == 1 and old_a not in after["referred"]
    assert after["output"] == after["referred"], "an unused picture stayed in _images"
    assert after["cached"] == after["referred"], "an unused picture stayed in the cache"
    (new_a,) = after["referred"]
    assert "(6 layers)" in (second.outdir / "_images" / new_a).read_text("utf-8")


def test_a_new_drawing_redraws_pictures_of_unchanged_pages(build_book, monkeypatch):
    built = build_book({"a": WIDGET_PAGE.format(n=1, depth=4)})
    (name,) = _pictures(built)["referred"]
    picture = built.outdir / "_images" / name
    assert "(4 layers)" in picture.read_text("utf-8")
    # the drawing code changes (a new static_figure.py or matplotlib): same figure, same
    # file name, another picture
    monkeypatch.setattr(static_figure, "DRAWING_VERSION", "0123456789abcdef")
    monkeypatch.setattr(static_figure, "figure_svg",
                        lambda figure: '<svg xmlns="http://www.w3.org/2000/svg"><text>redrawn</text></svg>')
    _rebuild_unchanged(built)
    assert "redrawn" in picture.read_text("utf-8"), "the old drawing is still served"
    caches = list(built.srcdir.rglob("live-widgets-cache/svg/*"))
    assert [c.name for c in caches] == ["0123456789abcdef"], "an old drawing's cache stayed"
