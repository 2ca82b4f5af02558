"""Report widget errors with file and line, and fail the build if there were any.

Errors are logged as Sphinx errors at the place they were made (``path/page.md:12``)
so a reader of the log sees every broken widget at once, and each page's errors are
remembered in the environment so that the build ends with a failure even without
``-W`` (and still fails on a rebuild that did not re-read the broken page).
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.console import colorize

logger = logging.getLogger(__name__)

_ENV_KEY = "live_widgets_errors"


def _errors(env: BuildEnvironment) -> dict[str, list[str]]:
    if not hasattr(env, _ENV_KEY):
        setattr(env, _ENV_KEY, {})
    return getattr(env, _ENV_KEY)


def report_error(env: BuildEnvironment, message: str, location: Any) -> None:
    """Log ``message`` at ``location`` (a node, ``(docname, line)`` or ``"file:line"``)."""
    logger.error(message, location=location, type="live_widgets")
    where = logging.get_node_location(location) if hasattr(location, "source") else None
    if where is None:
        if isinstance(location, tuple):
            docname, line = location
            where = f"{env.doc2path(docname)}:{line}"
        else:
            where = str(location)
    _errors(env).setdefault(env.docname, []).append(f"{where}: {message}")


def _purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    _errors(env).pop(docname, None)


def _merge(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    for docname in docnames:
        if docname in _errors(other):
            _errors(env)[docname] = _errors(other)[docname]


def fail_build(app: Sphinx, message: str) -> None:
    """Make the build end with a failure status, from a ``build-finished`` handler.

    Raising there would make Sphinx emit ``build-finished`` a second time, and other
    extensions' clean-up handlers (sphinxcontrib-katex's) fail on that and hide our
    message; logging a warning would raise too under ``-W``. So the message is printed
    and the exit status set, which ``sphinx-build`` and ``jupyter-book`` both return.
    """
    logger.info(colorize("red", f"live_widgets: {message}"))
    app.statuscode = 1


def _fail_if_errors(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.env is None:
        return
    found = [message for messages in _errors(app.env).values() for message in messages]
    if found:
        fail_build(app, f"{len(found)} widget error(s):\n" + "\n".join(found))


def setup_build_errors(app: Sphinx) -> None:
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    # last, after every other build-finished handler has written its files
    app.connect("build-finished", _fail_if_errors, priority=900)
