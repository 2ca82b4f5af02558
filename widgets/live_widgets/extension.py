"""Composes the live_widgets extension from its parts (one ``setup_*`` per part).

``DIRECTIVES`` and ``ROLES`` are what the extension registers; the lesson checker
(``build/check_lessons.py``) reads them too, and validates each directive with its own
``parse``.
"""

from __future__ import annotations

from sphinx.application import Sphinx

from .after_guess import setup_after_guess
from .assets import setup_assets
from .bibliography_aria import setup_bibliography_aria
from .build_errors import setup_build_errors
from .computed import ComputedRole
from .csp import setup_csp
from .exercise import ExerciseDirective, setup_exercise
from .gradient_correlation import GradientCorrelationDirective
from .katex_setup import setup_katex
from .lesson_progress import setup_lesson_progress
from .math_check import setup_math_check
from .static_figure import setup_static_figure
from .live_code import LiveCodeDirective, setup_live_code
from .page_execution import setup_page_execution
from .picture_widgets import DigitFeaturesDirective
from .progress_page import ProgressPageDirective, setup_progress_page
from .quiz import QuizDirective, setup_quiz
from .root_redirect import setup_root_redirect
from .service_worker import setup_service_worker
from .view_widget import (GradientFlowDirective, LayerSpeedsDirective, PathLengthsDirective,
                          TrainingRaceDirective, setup_view_widget)
from .widget_base import WidgetDirective

DIRECTIVES: dict[str, type[WidgetDirective]] = {
    d.directive_name: d
    for d in (LiveCodeDirective, GradientFlowDirective, PathLengthsDirective,
              TrainingRaceDirective, GradientCorrelationDirective, ExerciseDirective,
              QuizDirective, ProgressPageDirective, DigitFeaturesDirective,
              LayerSpeedsDirective)
}
ROLES = {"computed": ComputedRole}


def setup_extension(app: Sphinx) -> None:
    setup_build_errors(app)
    setup_assets(app)
    setup_katex(app)
    setup_math_check(app)
    setup_static_figure(app)
    setup_view_widget(app)
    setup_live_code(app)
    setup_exercise(app)
    setup_quiz(app)
    setup_after_guess(app)
    for name, directive in DIRECTIVES.items():
        app.add_directive(name, directive)
    for name, role in ROLES.items():
        app.add_role(name, role())
    setup_page_execution(app)
    setup_lesson_progress(app)
    setup_progress_page(app)
    setup_bibliography_aria(app)
    setup_service_worker(app)
    setup_root_redirect(app)
    setup_csp(app)
