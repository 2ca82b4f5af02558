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

And each page's head fixes two faults of the theme's own scripts before they run
(``THEME_GUARD``):

- They use ``localStorage`` and ``sessionStorage`` without ``try``. When the browser refuses
  storage (reading it throws ``SecurityError`` with storage switched off; writing throws
  ``QuotaExceededError`` in some private windows), they throw on load, and the colour-mode
  button never gets its handler. Only then, an in-memory stand-in replaces the refused
  storage for the page's life, marked ``lwInMemory`` so the progress page still says that
  progress is not kept.
- The sidebars' toggles: pydata-sphinx-theme 0.17 and sphinx-book-theme each write a
  button of class ``primary-toggle`` (and of ``secondary-toggle``); both themes' scripts
  wire only the first, which the book theme hides, so the visible one did nothing (on a
  phone neither the site navigation nor "on this page" could be opened). A click on any
  other such button is passed to the first.
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
#: the assembled runtime's manifest (build/asset_manifest.py writes it), whose version is
#: the build id here and the service worker's cache version (service_worker.py)
MANIFEST_NAME = "asset-manifest.json"

# ES5, every statement guarded. `m` makes a Storage-like object in memory; a storage the
# browser refuses (the probe write throws) is replaced by one holding what could be read.
THEME_GUARD = (
    "(function(){function m(){var d={};return{lwInMemory:true,"
    "getItem:function(k){k=String(k);return Object.prototype.hasOwnProperty.call(d,k)?d[k]:null},"
    "setItem:function(k,v){d[String(k)]=String(v)},removeItem:function(k){delete d[String(k)]},"
    "clear:function(){d={}},key:function(i){var k=Object.keys(d);return i<k.length?k[i]:null},"
    "get length(){return Object.keys(d).length}}}"
    "['localStorage','sessionStorage'].forEach(function(n){var s,t,p='lw-storage-probe';"
    "try{s=window[n];s.setItem(p,p);s.removeItem(p);return}catch(x){}t=m();"
    "try{for(var i=0;i<s.length;i++)t.setItem(s.key(i),s.getItem(s.key(i)))}catch(x){}"
    "try{Object.defineProperty(window,n,{configurable:true,enumerable:true,value:t})}catch(x){}});"
    "document.addEventListener('click',function(e){var t=e.target;"
    "['.primary-toggle','.secondary-toggle'].forEach(function(c){var b=t&&t.closest&&t.closest(c),"
    "f=document.querySelector(c);if(b&&f&&b!==f){e.preventDefault();f.click()}})})})();"
)

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
    manifest = assets / MANIFEST_NAME
    try:
        return str(json.loads(manifest.read_text("utf-8")).get("version", ""))
    except (OSError, ValueError):
        return ""


def head_hint(context: dict[str, Any], doctree: nodes.document | None, build: str) -> None:
    """Add the build id, the theme guard and, on pages with live Python, the early worker
    to the page's ``metatags``, which the theme writes at the top of ``<head>``, before
    the theme's own inline script and the stylesheets (an inline script after a
    stylesheet waits for it to load)."""
    pathto: Callable[..., str] = context["pathto"]
    parts = [f'<meta name="{BUILD_META}" content="{escape(build)}">', f"<script>{THEME_GUARD}</script>"]
    if page_needs_python(doctree):
        parts.append(f"<script>{early_worker_script(pathto(WORKER_FILE, 1))}</script>")
    context["metatags"] = context.get("metatags", "") + "\n" + "\n".join(parts) + "\n"

