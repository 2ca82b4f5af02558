"""``{gradient-correlation}``: gradflow's ``shattered`` view (Balduzzi et al. 2017).

How alike the gradients of neighbouring inputs are in a plain and a residual ReLU stack:
the gradient against the input at one depth, or the correlation against depth. It is a
chart widget like the others, so all of its markup and options come from
:class:`~live_widgets.view_widget.ViewDirective`.
"""

from __future__ import annotations

from .view_widget import ViewDirective


class GradientCorrelationDirective(ViewDirective):
    """``{gradient-correlation}``: options ``:depth:``, ``:mode:``, ``:chart:``, ``:seed:``
    plus the options every chart widget takes (``:controls:``, ``:predict:``...)."""
    directive_name = "gradient-correlation"
    view = "shattered"
