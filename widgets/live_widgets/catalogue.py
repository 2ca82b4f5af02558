"""What each directive accepts, for tools such as the lesson checker
(``build/check_lessons.py``) and the authoring guide.

``directive_options()`` maps each directive to ``{option: converter}``; a converter
takes the option's text and returns the value or raises ``ValueError`` with a message
fit for an author. The chart widgets' settings are then checked as a whole by
``validate_settings(directive, settings)``.
"""

from __future__ import annotations

from typing import Any, Callable

from .build_results import validate
from .exercise import ExerciseDirective
from .gradient_flow import GradientFlowDirective
from .live_code import LiveCodeDirective
from .path_lengths import PathLengthsDirective
from .quiz import QuizDirective
from .training_race import TrainingRaceDirective
from .view_widget import ViewDirective

DIRECTIVES = {
    d.directive_name: d
    for d in (LiveCodeDirective, GradientFlowDirective, PathLengthsDirective,
              TrainingRaceDirective, ExerciseDirective, QuizDirective)
}
ROLES = ("computed",)


def directive_options() -> dict[str, dict[str, Callable[[str], Any]]]:
    return {name: directive.converters() for name, directive in DIRECTIVES.items()}


def validate_settings(directive: str, settings: dict[str, Any]) -> dict[str, Any]:
    """Complete and check a chart widget's settings (setting names with underscores)."""
    widget = DIRECTIVES[directive]
    if not issubclass(widget, ViewDirective):
        raise ValueError(f"{directive} has no view settings")
    return validate(widget.view, settings)
