"""The option catalogue the lesson checker and the authoring guide read."""

from __future__ import annotations

import pytest
from gradflow import views

from live_widgets.catalogue import DIRECTIVES, directive_options, validate_settings


def test_every_directive_is_listed_with_its_options():
    options = directive_options()
    assert set(options) == {"live-code", "gradient-flow", "path-lengths", "training-race",
                            "exercise", "quiz"}
    assert set(options["live-code"]) == {"name", "hidden", "raises"}
    common = {"name", "controls", "predict", "predict-choices", "caption"}
    gradient = {s.replace("_", "-") for s in views.VIEWS["gradient"].defaults}
    assert set(options["gradient-flow"]) == gradient | common
    race = {s.replace("_", "-") for s in views.TrainingRace.defaults}
    assert set(options["training-race"]) == race | common
    # the option spec docutils/MyST sees accepts exactly the same names
    for name, directive in DIRECTIVES.items():
        assert set(directive.option_spec or {}) == set(options[name]), name


def test_converters_parse_and_reject_like_the_build():
    gradient = directive_options()["gradient-flow"]
    assert gradient["depth"]("30") == 30
    assert gradient["zero-init-branch"]("") is True
    assert gradient["width"]("64") == 64
    with pytest.raises(ValueError, match="not one of"):
        gradient["activation"]("softsign")
    assert validate_settings("gradient-flow", {"depth": 3})["depth"] == 3
    with pytest.raises(ValueError, match="depth"):
        validate_settings("gradient-flow", {"depth": 0})
    with pytest.raises(ValueError, match="no view settings"):
        validate_settings("quiz", {})
