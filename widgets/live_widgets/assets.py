"""Static files: the extension's own JS/CSS and the assembled runtime.

HTML builders only. ``live-widgets.js``/``.css`` are added only to pages that contain a
widget, so the Pyodide worker is never created on the other pages.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ConfigError

from .early_start import build_id, head_hint

STATIC_DIR = Path(__file__).parent / "static"
CELL_RUNNER = Path(__file__).parent / "cell_runner.py"
#: where the browser finds cell_runner.py, inside _static (ARCHITECTURE §2)
CELL_RUNNER_URL = "live-widgets/cell_runner.py"


def assets_dir(app: Sphinx) -> Path | None:
    """The assembled runtime (Pyodide, plotly.js, editor, KaTeX CSS), or None in unit tests."""
    configured = app.config.live_widgets_assets_dir
    if not configured:
        return None
    path = Path(app.confdir, configured).resolve()
    if not path.is_dir():
        raise ConfigError(
            f"live_widgets_assets_dir: {path} does not exist. The browser runtime "
            "(Pyodide, plotly.js, the editor and KaTeX) is assembled by the build: "
            "run `make assets` first (or `make serve`, which does it for you)."
        )
    return path


def _add_static_paths(app: Sphinx) -> None:
    if app.builder.format != "html":
        return
    app.config.html_static_path.append(str(STATIC_DIR))
    runtime = assets_dir(app)
    if runtime is not None:
        app.config.html_static_path.append(str(runtime))


def page_has_widgets(doctree: nodes.document | None) -> bool:
    from .exercise import exercise_node
    from .live_code import live_code_cell
    from .progress_page import progress_page_node
    from .quiz import quiz_node
    from .view_widget import view_widget

    kinds = (view_widget, live_code_cell, exercise_node, quiz_node, progress_page_node)
    return doctree is not None and any(
        True for _ in doctree.findall(lambda n: isinstance(n, kinds))
    )


def _is_thebe(asset: Any) -> bool:
    """sphinx-thebe's files: Jupyter Book always loads that extension, and its inline
    script names the thebe bundle on a CDN even when Thebe is switched off."""
    filename = str(getattr(asset, "filename", None) or "")
    body = str(getattr(asset, "attributes", {}).get("body", ""))
    return "sphinx-thebe" in filename or "THEBE_JS_URL" in body


def _add_page_assets(app: Sphinx, pagename: str, templatename: str,
                     context: dict[str, Any], doctree: nodes.document | None) -> None:
    for key in ("script_files", "css_files"):
        if key in context:
            # in place: the list is the builder's, which add_js_file below appends to
            context[key][:] = [asset for asset in context[key] if not _is_thebe(asset)]
    if app.builder.format == "html":
        head_hint(context, doctree, build_id(assets_dir(app)))
    if pagename == "search":
        # snippets without the formulas' TeX source (static/search-snippets.js)
        app.add_js_file("search-snippets.js", loading_method="defer")
    if page_has_widgets(doctree):
        app.add_css_file("live-widgets.css")
        app.add_js_file("live-widgets.js", loading_method="defer")


def _copy_cell_runner(app: Sphinx, exception: Exception | None) -> None:
    if exception is None and app.builder.format == "html":
        target = Path(app.outdir, "_static", CELL_RUNNER_URL)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(CELL_RUNNER, target)


def setup_assets(app: Sphinx) -> None:
    app.add_config_value("live_widgets_assets_dir", "_build/site-assets", "html", [str])
    app.connect("builder-inited", _add_static_paths)
    # every page, widgets or not: fixes to the book theme itself (static/theme-fixes.css)
    app.add_css_file("theme-fixes.css")
    app.connect("html-page-context", _add_page_assets)
    # before the service worker's cache version and the CSP are computed from the output
    app.connect("build-finished", _copy_cell_runner, priority=300)
