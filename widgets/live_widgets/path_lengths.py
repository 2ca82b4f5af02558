"""The ``path-lengths`` directive (ARCHITECTURE §4): gradflow's ``paths`` view as a live chart."""

from __future__ import annotations

from sphinx.application import Sphinx

from .view_widget import ViewDirective, register_view_directive


class PathLengthsDirective(ViewDirective):
    directive_name = "path-lengths"
    view = "paths"


def setup_path_lengths(app: Sphinx) -> None:
    register_view_directive(app, PathLengthsDirective)
