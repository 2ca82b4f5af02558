"""Build-time SVG pictures of the charts, for readers without JavaScript and for print.

plotly.js draws the live chart in the browser; without JavaScript the reader would get
no picture at all, and on paper a chart that was never drawn (a predict prompt still
waiting, a chart not yet scrolled into view) printed as an empty frame. So every chart
widget also carries an SVG drawn here by matplotlib from the *same* figure spec that
plotly.js draws first (the build-time result of the gradflow view, one source of truth),
shown by CSS only when the live chart is not there (live-widgets.css: no ``lw-js``
class, or in print while the live chart is empty).

Files are content-addressed (``_images/lw-chart-<sha>.svg``), reproducible (fixed hash
salt, no date), and cached beside the gradflow results so a rebuild does not redraw.
The cache is kept per version of the drawing (this file and matplotlib's version), and
the output's copy is rewritten whenever it differs from the cache's, so a rebuild after
the drawing changed never serves an old picture under the same name. At the end of every
build, pictures no page refers to any more are deleted from the output and the cache (an
incremental build keeps unchanged pages, so their references are read back from the
written HTML).
"""

from __future__ import annotations

import hashlib
import io
import math
import re
import shutil
from pathlib import Path
from typing import Any, Mapping

from sphinx.application import Sphinx

from .markup import to_json

#: plotly marker symbol -> matplotlib marker
MARKERS = {"circle": "o", "square": "s", "diamond": "D", "triangle-up": "^", "cross": "P",
           "x": "x"}
#: plotly dash -> matplotlib line style
DASHES: dict[str, Any] = {"solid": "-", "dash": (0, (5, 3)), "dot": (0, (1.5, 2)),
                          "dashdot": (0, (5, 2, 1.5, 2)), "longdash": (0, (9, 3)),
                          "longdashdot": (0, (9, 3, 1.5, 3))}
WIDTH_INCHES, HEIGHT_INCHES = 6.4, 4.4
IMAGE_DIR = "_images"
NOSCRIPT_NOTICE = ("The charts, code cells, exercises and quizzes on this page are live "
                   "and need JavaScript. Without it you see each chart as it was drawn "
                   "when the book was built, with its numbers in a table.")


def _plain(text: Any) -> str:
    """plotly's title markup (``<br>``, ``<b>``) as plain text for matplotlib."""
    text = re.sub(r"<br\s*/?>", "\n", str(text or ""))
    return re.sub(r"<[^>]+>", "", text)


def _number(value: Any) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return math.nan  # None and the JSON strings "NaN"/"Infinity" leave a gap, as in plotly


def _title(part: Mapping[str, Any] | None) -> str:
    title = (part or {}).get("title")
    return _plain(title.get("text") if isinstance(title, Mapping) else title)


def figure_svg(figure: Mapping[str, Any]) -> str:
    """An SVG document of a plotly figure spec as written by ``gradflow.figures``
    (scatter lines/markers with dashes and per-point symbols, bars, log or linear axes,
    titles, annotations, a legend under the plot)."""
    import matplotlib

    matplotlib.use("Agg")  # no display, no browser
    import matplotlib.pyplot as plt

    layout = figure.get("layout", {})
    with matplotlib.rc_context({
        "svg.fonttype": "none",          # text stays text: smaller, sharp, selectable
        "svg.hashsalt": "deep-revolution",  # reproducible element ids
        "font.family": "sans-serif",
        # measured with DejaVu (shipped with matplotlib); the short list keeps every
        # <text> small, and a reader without DejaVu gets a close substitute
        "font.sans-serif": ["DejaVu Sans", "Arial", "Helvetica"],
        "font.size": 9,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }):
        fig, ax = plt.subplots(figsize=(WIDTH_INCHES, HEIGHT_INCHES))
        try:
            _draw(ax, figure.get("data", []), layout)
            buffer = io.StringIO()
            fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
        finally:
            plt.close(fig)
    return compact_svg(buffer.getvalue())


def compact_svg(svg: str) -> str:
    """About half the bytes, the same picture: no XML prolog or metadata block, and
    coordinates to 1/100 pt (far below a printer's dot)."""
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, flags=re.S)
    svg = re.sub(r"(\d+\.\d\d)\d+", r"\1", svg)
    return re.sub(r" ?\n(?=[LMCQz\"])", " ", svg)


def _draw(ax: Any, data: list[Mapping[str, Any]], layout: Mapping[str, Any]) -> None:
    xaxis, yaxis = layout.get("xaxis", {}), layout.get("yaxis", {})
    for trace in data:
        xs = [_number(x) for x in trace.get("x", [])]
        ys = [_number(y) for y in trace.get("y", [])]
        name = _plain(trace.get("name", ""))
        line = trace.get("line", {})
        marker = trace.get("marker", {})
        colour = line.get("color") or marker.get("color") or "#000000"
        if trace.get("type") == "bar":
            ax.bar(xs, ys, width=1 - float(layout.get("bargap", 0.2)),
                   color=marker.get("color", colour),
                   edgecolor=(marker.get("line") or {}).get("color"), linewidth=0.6, label=name)
            continue
        mode = trace.get("mode", "lines")
        style = DASHES.get(line.get("dash", "solid"), "-") if "lines" in mode else "none"
        symbols = marker.get("symbol", "circle") if "markers" in mode else None
        first = symbols[0] if isinstance(symbols, list) and symbols else symbols
        ax.plot(xs, ys, linestyle=style, linewidth=float(line.get("width", 2)) * 0.75,
                color=colour, marker=MARKERS.get(first, "o") if first else None,
                markersize=float(marker.get("size", 6)) * 0.6, label=name,
                markevery=None if not isinstance(symbols, list) else
                [i for i, s in enumerate(symbols) if s == first])
        if isinstance(symbols, list):  # points with another symbol (zeros on the floor)
            for other in sorted(set(symbols) - {first}):
                points = [(x, y) for x, y, s in zip(xs, ys, symbols) if s == other]
                ax.plot([p[0] for p in points], [p[1] for p in points], linestyle="none",
                        marker=MARKERS.get(other, "x"), color=colour,
                        markersize=float(marker.get("size", 6)) * 0.8)
    if yaxis.get("type") == "log":
        ax.set_yscale("log")
    if all(isinstance(x, int) for trace in data for x in trace.get("x", [])):
        from matplotlib.ticker import MaxNLocator

        ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # layers, steps: no 2.5
    if isinstance(xaxis.get("range"), list) and len(xaxis["range"]) == 2:
        ax.set_xlim(*xaxis["range"])
    if isinstance(yaxis.get("range"), list) and len(yaxis["range"]) == 2:
        low, high = yaxis["range"]  # plotly gives a log axis's range in decades
        ax.set_ylim(*((10.0 ** low, 10.0 ** high) if yaxis.get("type") == "log" else (low, high)))
    ax.set_xlabel(_title(xaxis))
    ax.set_ylabel(_title(yaxis))
    ax.set_title(_title(layout), fontsize=11, loc="left")
    ax.grid(True, color="#000000", alpha=0.1, linewidth=0.6)
    for note in layout.get("annotations", []):
        ax.text(0.01, 0.99, _plain(note.get("text")), transform=ax.transAxes, va="top",
                ha="left", fontsize=8, color=(note.get("font") or {}).get("color", "#000000"),
                bbox={"facecolor": "white", "alpha": 0.8, "edgecolor": "none"})
    if any(trace.get("name") for trace in data):
        ax.legend(loc="upper left", bbox_to_anchor=(0, -0.14), frameon=False, fontsize=8,
                  ncol=1)


def _cache_root(app: Sphinx) -> Path:
    return Path(app.doctreedir, "live-widgets-cache", "svg")


def _cache_dir(app: Sphinx) -> Path:
    return _cache_root(app) / DRAWING_VERSION


def _drawing_version() -> str:
    """What else decides the picture besides the figure: how this module draws it and
    the matplotlib that renders it."""
    from importlib.metadata import version

    source = Path(__file__).read_bytes()
    return hashlib.sha256(source + version("matplotlib").encode()).hexdigest()[:16]


DRAWING_VERSION = _drawing_version()
IMAGE_NAME = re.compile(r"lw-chart-[0-9a-f]{20}\.svg")


def image_name(figure: Mapping[str, Any]) -> str:
    """The picture's file name: the figure spec, hashed (the snapshots pin it)."""
    return f"lw-chart-{hashlib.sha256(to_json(figure).encode('utf-8')).hexdigest()[:20]}.svg"


def chart_image(app: Sphinx, figure: Mapping[str, Any]) -> str:
    """Write the figure's SVG into the output's ``_images`` and return its file name.
    Drawn once per figure and drawing version; the output's copy is replaced when it
    differs (an earlier build drew it with other code)."""
    name = image_name(figure)
    target = Path(app.outdir, IMAGE_DIR, name)
    cached = _cache_dir(app) / name
    if not cached.is_file():
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(".tmp")
        tmp.write_text(figure_svg(figure), "utf-8")
        tmp.replace(cached)
    picture = cached.read_bytes()
    if not target.is_file() or target.read_bytes() != picture:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(picture)
    return name


def static_chart_html(translator: Any, figure: Mapping[str, Any], alt: str) -> str:
    """``<figure class="lw-static-chart">`` with the chart's picture and its text
    alternative (the same summary the live chart's aria-label carries)."""
    from .markup import element, start_tag

    builder = translator.builder
    name = chart_image(builder.app, figure)
    svg_head = Path(builder.outdir, IMAGE_DIR, name).read_text("utf-8")[:300]
    size = {}
    for key in ("width", "height"):
        found = re.search(rf'{key}="([\d.]+)pt"', svg_head)
        if found:
            size[key] = round(float(found.group(1)) * 4 / 3)  # pt -> CSS px
    source = f"{builder.imgpath}/{name}" if builder.imgpath else f"{IMAGE_DIR}/{name}"
    return (start_tag("figure", {"class": "lw-static-chart"})
            + start_tag("img", {"src": source, "alt": alt, **size, "decoding": "async"})
            + "</figure>")


def cell_figures_html(translator: Any, figures: list[Mapping[str, Any]]) -> str:
    """One picture per figure a code cell drew with ``show()`` at build time; the text
    alternative names the chart by its title."""
    pictures = []
    for number, figure in enumerate(figures, 1):
        title = _title(figure.get("layout", {})) or f"figure {number} of this cell"
        pictures.append(static_chart_html(translator, figure, f"Chart: {title}"))
    return "".join(pictures)


def _add_noscript_notice(app: Sphinx, pagename: str, templatename: str,
                         context: dict[str, Any], doctree: Any) -> None:
    """One notice per page with live parts, shown only when scripts do not run."""
    body = context.get("body")
    if isinstance(body, str) and 'class="lw-widget' in body:
        context["body"] = ('<noscript><p class="lw-noscript-notice" role="note">'
                           f"{NOSCRIPT_NOTICE}</p></noscript>\n" + body)


def _remove_unused_images(app: Sphinx, exception: Exception | None) -> None:
    """Delete the pictures no page of the site refers to: a widget that was removed or
    changed, or a drawing that changed, leaves its old file behind otherwise."""
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    used: set[str] = set()
    for page in outdir.rglob("*.html"):
        if page.relative_to(outdir).parts[0] in ("_static", "_sources"):
            continue
        used.update(IMAGE_NAME.findall(page.read_text("utf-8", errors="replace")))
    for folder in (outdir / IMAGE_DIR, _cache_dir(app)):
        if folder.is_dir():
            for picture in folder.glob("lw-chart-*.svg"):
                if picture.name not in used:
                    picture.unlink()
    # caches of earlier drawing versions are never read again
    if _cache_root(app).is_dir():
        for old in _cache_root(app).iterdir():
            if old.name != DRAWING_VERSION:
                shutil.rmtree(old) if old.is_dir() else old.unlink()


def _reread_after_new_drawing(app: Sphinx, env: Any, added: set[str], changed: set[str],
                              removed: set[str]) -> list[str]:
    """Every page is read and written again once the drawing changed: an incremental
    build would otherwise keep unchanged pages, and their pictures as drawn before."""
    if getattr(env, "lw_drawing_version", None) == DRAWING_VERSION:
        return []
    env.lw_drawing_version = DRAWING_VERSION
    return sorted(env.found_docs - added - changed - removed)


def setup_static_figure(app: Sphinx) -> None:
    app.connect("html-page-context", _add_noscript_notice)
    app.connect("env-get-outdated", _reread_after_new_drawing)
    # after the pages are written; before the service worker and the policy (300, 600)
    app.connect("build-finished", _remove_unused_images, priority=250)
