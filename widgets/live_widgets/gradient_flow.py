"""The ``gradient-flow`` directive (ARCHITECTURE §4): gradflow's ``gradient`` view as a live chart."""

from __future__ import annotations

from sphinx.application import Sphinx

from .view_widget import ViewDirective, register_view_directive


class GradientFlowDirective(ViewDirective):
    directive_name = "gradient-flow"
    view = "gradient"


def setup_gradient_flow(app: Sphinx) -> None:
    register_view_directive(app, GradientFlowDirective)
