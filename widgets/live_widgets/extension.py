"""Composes the live_widgets extension from its parts (one ``setup_*`` per part)."""

from __future__ import annotations

from sphinx.application import Sphinx

from .assets import setup_assets
from .build_errors import setup_build_errors
from .citation_roles import setup_citation_roles
from .computed import setup_computed
from .csp import setup_csp
from .exercise import setup_exercise
from .gradient_flow import setup_gradient_flow
from .katex_setup import setup_katex
from .lesson_progress import setup_lesson_progress
from .live_code import setup_live_code
from .page_execution import setup_page_execution
from .path_lengths import setup_path_lengths
from .quiz import setup_quiz
from .root_redirect import setup_root_redirect
from .service_worker import setup_service_worker
from .training_race import setup_training_race
from .view_widget import setup_view_widget


def setup_extension(app: Sphinx) -> None:
    setup_build_errors(app)
    setup_assets(app)
    setup_katex(app)
    setup_view_widget(app)
    setup_gradient_flow(app)
    setup_path_lengths(app)
    setup_training_race(app)
    setup_live_code(app)
    setup_exercise(app)
    setup_quiz(app)
    setup_computed(app)
    setup_page_execution(app)
    setup_lesson_progress(app)
    setup_citation_roles(app)
    setup_service_worker(app)
    setup_root_redirect(app)
    setup_csp(app)
