"""A Content-Security-Policy ``<meta>`` on every HTML page, so the browser itself
enforces "nothing from another origin".

Scripts, styles, fonts, images, fetches and workers are limited to the site's own
origin. Inline scripts (the theme writes a few) are allowed by the sha256 of their exact
text, computed per page, never by ``'unsafe-inline'``; the theme's inline event
handlers (``onclick="window.print()"``) by their hashes under ``'unsafe-hashes'``. ``'wasm-unsafe-eval'`` lets the
page compile WebAssembly (Pyodide runs in a worker, whose own policy comes from its
response headers, but the page must not forbid what Pyodide needs). Inline *styles* are
allowed: plotly.js and KaTeX's prerendered maths set ``style`` attributes.

The same pass fails the build if any page loads a script, stylesheet, font or image
from another origin.
"""

from __future__ import annotations

import base64
import hashlib
import re
from html import unescape
from pathlib import Path

from sphinx.application import Sphinx

from .build_errors import fail_build

_SCRIPT = re.compile(r"<script\b(?P<attrs>[^>]*)>(?P<body>.*?)</script\s*>", re.S | re.I)
_ATTR = re.compile(r"""([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*(?:=\s*("[^"]*"|'[^']*'|[^\s"'>]+))?""")
_OUR_META = re.compile(r'<meta http-equiv="Content-Security-Policy"[^>]*>\n?', re.I)
_CHARSET = re.compile(r"<meta\s+charset=[^>]*>\n?", re.I)
_HEAD = re.compile(r"<head\b[^>]*>\n?", re.I)
#: elements whose URL the browser loads (anchors are navigation, not loading)
_LOADED_URL = re.compile(
    r"<(?P<tag>script|img|iframe|audio|video|source|embed)\b[^>]*?\ssrc=[\"'](?P<src>[^\"']+)"
    r"|<link\b[^>]*?\shref=[\"'](?P<href>[^\"']+)",
    re.I,
)
_EVENT_HANDLER = re.compile(r"""<[a-zA-Z][^>]*?\son[a-z]+\s*=\s*(?P<quoted>"[^"]*"|'[^']*')""")
_EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//", re.I)
#: script types the browser executes (data blocks such as application/json are not)
_EXECUTABLE_TYPES = {"", "text/javascript", "application/javascript", "module"}


def _sha256_source(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def _attributes(text: str) -> dict[str, str]:
    return {name.lower(): value.strip("\"'") for name, value in _ATTR.findall(text)}


def inline_script_hashes(html: str) -> list[str]:
    """``'sha256-…'`` sources for each executable inline script, in page order."""
    hashes: list[str] = []
    for match in _SCRIPT.finditer(html):
        attrs = _attributes(match["attrs"])
        if "src" in attrs or attrs.get("type", "").lower() not in _EXECUTABLE_TYPES:
            continue
        source = _sha256_source(match["body"])
        if source not in hashes:
            hashes.append(source)
    return hashes


def event_handler_hashes(html: str) -> list[str]:
    """Hashes of inline event handlers (the theme's ``onclick="window.print()"``), which
    CSP allows only with ``'unsafe-hashes'`` plus the hash of each handler's text."""
    hashes: list[str] = []
    for match in _EVENT_HANDLER.finditer(html):
        text = unescape(match["quoted"][1:-1])
        source = _sha256_source(text)
        if source not in hashes:
            hashes.append(source)
    return hashes


def policy(script_hashes: list[str], handler_hashes: list[str] | None = None) -> str:
    handlers = ["'unsafe-hashes'", *handler_hashes] if handler_hashes else []
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'wasm-unsafe-eval'", *script_hashes, *handlers],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'"],
        "manifest-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


def add_policy(html: str, site_handlers: list[str] | None = None) -> str:
    """The page with exactly one policy meta, placed before any script.

    ``site_handlers``: the handler hashes of every page of the site. The search page
    parses the other pages' HTML (Sphinx's ``DOMParser`` for result snippets), and
    Chromium checks each parsed ``onclick`` against the *search page's* policy: a handler
    only another page holds (``window.print()``) logged a CSP error per result."""
    html = _OUR_META.sub("", html)
    handlers = event_handler_hashes(html)
    handlers += [source for source in site_handlers or [] if source not in handlers]
    content = policy(inline_script_hashes(html), handlers)
    meta = f'<meta http-equiv="Content-Security-Policy" content="{content}">\n'
    anchor = _CHARSET.search(html) or _HEAD.search(html)
    # a page without <head> (Jupyter Book's index.html redirect): a leading <meta> goes
    # into the head the parser implies
    position = anchor.end() if anchor else 0
    return html[:position] + meta + html[position:]


def external_loads(html: str) -> list[str]:
    """URLs on another origin that the page would load."""
    found = []
    for match in _LOADED_URL.finditer(html):
        url = match["src"] or match["href"]
        if match["href"] is not None:
            rel = _attributes(match.group(0)).get("rel", "")
            if rel in ("canonical", "alternate", "author", "license", "next", "prev", "search"):
                continue
        if _EXTERNAL.match(url):
            found.append(url)
    return found


def html_pages(outdir: Path) -> list[Path]:
    return sorted(p for p in outdir.rglob("*.html")
                  if not p.relative_to(outdir).parts[0].startswith(("_static", "_sources")))


def _apply(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    problems = []
    pages = {page: page.read_text("utf-8") for page in html_pages(outdir)}
    site_handlers: list[str] = []
    for html in pages.values():
        site_handlers += [h for h in event_handler_hashes(html) if h not in site_handlers]
    for page, html in pages.items():
        problems += [f"{page.relative_to(outdir)}: loads {url}" for url in external_loads(html)]
        page.write_text(add_policy(html, site_handlers), "utf-8")
    if problems:
        fail_build(app, "pages must load nothing from another origin:\n" + "\n".join(problems))


def setup_csp(app: Sphinx) -> None:
    app.connect("build-finished", _apply, priority=600)
