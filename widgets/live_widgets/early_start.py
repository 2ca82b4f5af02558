"""The head of a page with live Python starts the Python worker before layout.

``live-widgets.js`` is a ``defer`` script: it runs after the whole page is parsed, about
0.75 s after navigation here, while CPython takes about two seconds to start in the
worker (reviews/perf.md). So a few bytes of inline script at the top of ``<head>``
create the worker at once and keep what it says until ``js/runtime.mjs`` adopts it
(``takeEarlyWorker``). The CSP pass (``csp.py``) allows the script by the sha256 of its
text, like every inline script.

Each page also names the build it belongs to (``<meta name="lw-build">``, the version of
``asset-manifest.json``): the article swap (``js/navigation.mjs``) falls back to a normal
navigation when the next page comes from another deployment.
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path
from typing import Any, Callable

from docutils import nodes

#: the page script reads this global once (js/runtime.mjs, takeEarlyWorker)
EARLY_WORKER_GLOBAL = "lwEarlyWorker"
WORKER_FILE = "_static/live-widgets-worker.js"
BUILD_META = "lw-build"

# ES5 and no failure of its own: the page script starts the worker itself when this did
# not (old browser, no Worker). Events are kept, not handled, so nothing is lost
# before the page script listens.
_SCRIPT = (
    "(function(){try{var u=new URL(%s,location.href).href,w=new Worker(u),e=[];"
    "w.onmessage=w.onerror=function(v){if(v.type==='error')v.preventDefault();e.push(v)};"
    "window.%s={url:u,worker:w,events:e}}catch(x){}})();"
)


def page_needs_python(doctree: nodes.document | None) -> bool:
    """A chart, code cell or exercise (a page with only quizzes never starts Python)."""
    from .exercise import exercise_node
    from .live_code import live_code_cell
    from .view_widget import view_widget

    kinds = (view_widget, live_code_cell, exercise_node)
    return doctree is not None and any(
        True for _ in doctree.findall(lambda n: isinstance(n, kinds)))


def early_worker_script(worker_url: str) -> str:
    """The inline script that starts the worker at ``worker_url`` (relative to the page)."""
    # "<" escaped: the text sits inside <script>, where "</script" would end it
    return _SCRIPT % (json.dumps(worker_url).replace("<", "\\u003c"), EARLY_WORKER_GLOBAL)


def build_id(assets: Path | None) -> str:
    """The deployment's id: the asset manifest's version ("" without assembled assets)."""
    if assets is None:
        return ""
    manifest = assets / "asset-manifest.json"
    try:
        return str(json.loads(manifest.read_text("utf-8")).get("version", ""))
    except (OSError, ValueError):
        return ""


def head_hint(context: dict[str, Any], doctree: nodes.document | None, build: str) -> None:
    """Add the build id and, on pages with live Python, the early worker to the page's
    ``metatags``, which the theme writes at the top of ``<head>``, before the
    stylesheets (an inline script after a stylesheet waits for it to load)."""
    pathto: Callable[..., str] = context["pathto"]
    parts = [f'<meta name="{BUILD_META}" content="{escape(build)}">']
    if page_needs_python(doctree):
        parts.append(f"<script>{early_worker_script(pathto(WORKER_FILE, 1))}</script>")
    context["metatags"] = context.get("metatags", "") + "\n" + "\n".join(parts) + "\n"

