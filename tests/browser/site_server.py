"""A local static server for the built site, used by the browser tests and the benchmark.

It serves `_build/html` both at `/` and under `/deep-revolution/`, the way GitHub Pages
serves a project site, so a test can prove that every URL the site computes is relative:
a page opened under the sub-path must never request anything outside it.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
# LW_SITE_DIR points the tests and the benchmark at another build of the site (a fresh
# clone's, or a scratch --path-output build) without touching the shared one.
SITE_DIR = Path(os.environ.get("LW_SITE_DIR") or REPO_ROOT / "_build" / "html")
SUBPATH = "/deep-revolution/"


def _served_types() -> dict[str, str]:
    """The MIME types `make serve` uses (build/serve_site.py, run as a file there), so the
    tests serve the site exactly as the README's server does."""
    spec = importlib.util.spec_from_file_location("serve_site", REPO_ROOT / "build" / "serve_site.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.MIME_TYPES


_EXTRA_TYPES = _served_types()


def require_built_site(site_dir: Path = SITE_DIR) -> Path:
    """Return the site folder, or raise with the command that builds it."""
    if not (site_dir / "index.html").is_file():
        raise FileNotFoundError(
            f"{site_dir}/index.html does not exist: run make book (the browser tests "
            "and the benchmark measure the built site, they never build it)"
        )
    return site_dir


class _SiteHandler(SimpleHTTPRequestHandler):
    """Static files with the sub-path mapped onto the site root."""

    # HTTP/1.1 keeps connections alive like a real static host; the benchmark would
    # otherwise measure a TCP handshake per file.
    protocol_version = "HTTP/1.1"
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, **_EXTRA_TYPES}

    def translate_path(self, path: str) -> str:
        if path.startswith(SUBPATH):
            path = "/" + path[len(SUBPATH):]
        elif path == SUBPATH.rstrip("/"):
            path = "/"
        return super().translate_path(path)

    def end_headers(self) -> None:
        # GitHub Pages sends max-age=600; the same header makes warm-cache visits honest.
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - stdlib signature
        """Silent: the tests record requests in the browser, not in the server log."""


class SiteServer:
    """`with SiteServer() as server: server.url("book/demo.html")`."""

    def __init__(self, site_dir: Path = SITE_DIR, host: str = "127.0.0.1") -> None:
        self.site_dir = require_built_site(site_dir)
        handler = partial(_SiteHandler, directory=str(self.site_dir))
        self._httpd = ThreadingHTTPServer((host, 0), handler)  # port 0: a free port
        self._httpd.daemon_threads = True
        host, port = self._httpd.server_address[:2]
        self.origin = f"http://{host}:{port}"
        self._thread = threading.Thread(target=self._httpd.serve_forever,
                                        name="site-server", daemon=True)

    def url(self, page: str = "", *, subpath: bool = False) -> str:
        """Absolute URL of `page` (a path relative to the site root)."""
        prefix = SUBPATH if subpath else "/"
        return f"{self.origin}{prefix}{page.lstrip('/')}"

    def start(self) -> "SiteServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> "SiteServer":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()


def site_pages(site_dir: Path = SITE_DIR) -> list[str]:
    """Every reader-facing HTML page, as paths relative to the site root.

    Sphinx's own folders (`_static`, `_sources`, `_images`, ...) start with an
    underscore and hold no pages a reader navigates to.
    """
    pages = []
    for path in sorted(require_built_site(site_dir).rglob("*.html")):
        relative = path.relative_to(site_dir)
        if any(part.startswith("_") for part in relative.parts[:-1]):
            continue
        pages.append(relative.as_posix())
    return pages
