"""Maths prerendered at build time by sphinxcontrib-katex, with two fixes:

* it uses the KaTeX from ``node_modules`` (the version whose CSS and fonts the site
  ships) instead of its own bundled copy, and refuses a CDN stylesheet;
* its render server is started with retries: upstream connects once, as soon as the
  server's socket file appears, which on a busy machine happens before the server
  listens and fails the build with ``ConnectionRefusedError``.
"""

from __future__ import annotations

import socket
import time
from pathlib import Path
from subprocess import PIPE, Popen
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ConfigError

REPOSITORY = Path(__file__).resolve().parents[2]
KATEX_RENDERER = Path("node_modules/katex/dist/katex.min.js")
#: seconds for node to start the render server on a loaded 2-core machine
SERVER_START_SECONDS = 60.0


def _use_local_katex(app: Sphinx, config: Config) -> None:
    if not getattr(config, "katex_prerender", False):
        return
    if config.katex_js_path == "katex.min.js":  # sphinxcontrib-katex's default
        # the book's own node_modules, else the repository's (tests build elsewhere)
        candidates = [Path(app.confdir, KATEX_RENDERER), REPOSITORY / KATEX_RENDERER]
        renderer = next((c for c in candidates if c.is_file()), None)
        if renderer is None:
            raise ConfigError(f"katex_prerender needs {candidates[0]}: run `npm ci` "
                              "(or `make assets`)")
        config.katex_js_path = str(renderer)
    if str(config.katex_css_path).startswith(("http:", "https:", "//")):
        raise ConfigError(
            f"katex_css_path is {config.katex_css_path!r}, another origin; set it to the "
            "self-hosted copy, katex/katex.min.css"
        )


def _start_server_process(cls: Any, rundir: Path, timeout: float) -> tuple[Popen, socket.socket]:
    """Upstream's ``KaTeXServer.start_server_process``, retrying the connection."""
    socket_path = rundir / "katex.sock"
    process = Popen(cls.build_command(socket=socket_path), stdin=PIPE, stdout=PIPE, cwd=rundir)
    deadline = time.monotonic() + max(timeout, SERVER_START_SECONDS)
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"the KaTeX render server (node) exited with {process.returncode}")
        if socket_path.is_socket():
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                sock.connect(str(socket_path))
                return process, sock
            except (ConnectionRefusedError, FileNotFoundError):
                sock.close()  # bound but not listening yet
        if time.monotonic() > deadline:
            process.kill()
            raise cls.timeout_error(timeout)
        time.sleep(0.01)


def setup_katex(app: Sphinx) -> None:
    app.connect("config-inited", _use_local_katex)
    try:
        from sphinxcontrib.katex import KaTeXServer
    except ImportError:
        return
    KaTeXServer.start_server_process = classmethod(_start_server_process)
