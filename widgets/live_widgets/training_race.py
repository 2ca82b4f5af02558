"""The ``training-race`` directive (ARCHITECTURE §4): gradflow's ``race`` view as a live chart."""

from __future__ import annotations

from sphinx.application import Sphinx

from .view_widget import ViewDirective, register_view_directive


class TrainingRaceDirective(ViewDirective):
    directive_name = "training-race"
    view = "race"


def setup_training_race(app: Sphinx) -> None:
    register_view_directive(app, TrainingRaceDirective)
