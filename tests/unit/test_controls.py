"""The settings schema (gradflow.controls): every spec says its value's type, and text
from a directive option or a share link is parsed by that type alone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gradflow import views
from gradflow.controls import parse_setting, validate_controls

PYTHON_TYPES = {"int": int, "float": float, "str": str, "bool": bool}
SCHEMAS = [(name, view.controls, view.defaults) for name, view in views.VIEWS.items()] + [
    (name, trainer.controls, trainer.defaults) for name, trainer in views.TRAINERS.items()]


@pytest.mark.parametrize("name, controls, defaults", SCHEMAS, ids=[s[0] for s in SCHEMAS])
def test_every_setting_has_a_spec_whose_type_fits_its_default(name, controls, defaults):
    assert {c["name"] for c in controls} == set(defaults)
    for control in controls:
        default = defaults[control["name"]]
        assert type(default) is PYTHON_TYPES[control["type"]], control["name"]
        # the default written as text parses back to itself
        text = str(default).lower() if isinstance(default, bool) else str(default)
        assert parse_setting(control, text) == default, control["name"]


def _spec(name):
    return next(c for c in views.VIEWS["gradient"].controls if c["name"] == name)


@pytest.mark.parametrize("setting, text, value", [
    ("depth", " 40 ", 40),
    ("std", "0.5", 0.5),
    ("width", "64", 64),                # a select of whole numbers
    ("activation", "relu", "relu"),
    ("batch_norm", "yes", True),
    ("batch_norm", "off", False),
    ("batch_norm", "", True),           # a bare flag (":batch-norm:", "?batch_norm")
])
def test_text_is_parsed_by_the_specs_type(setting, text, value):
    parsed = parse_setting(_spec(setting), text)
    assert parsed == value and type(parsed) is type(value)


@pytest.mark.parametrize("setting, value, message", [
    ("depth", "many", "depth must be a whole number from 1 to 200, got 'many'"),
    ("depth", "2.5", "depth must be a whole number"),
    ("depth", "0", "depth must be from 1 to 200, got 0"),
    ("std", "nan", "std must be from"),
    ("width", "65", "width must be one of 8, 16, 32, 64, 128, got 65"),
    ("width", "wide", "width must be one of"),
    ("activation", "softmax", "activation must be one of 'sigmoid'"),
    ("batch_norm", "maybe", "batch_norm must be true or false, got 'maybe'"),
    ("batch_norm", 1, "batch_norm must be True or False"),    # not text: no parsing
    ("depth", True, "depth must be a whole number"),
])
def test_bad_values_are_refused_naming_the_setting(setting, value, message):
    with pytest.raises(ValueError) as caught:
        parse_setting(_spec(setting), value)
    assert message in str(caught.value)


def test_validate_controls_fills_defaults_and_refuses_unknown_names():
    view = views.VIEWS["gradient"]
    settings = validate_controls(view.controls, view.defaults, {"depth": "12"}, "the view")
    assert settings == {**view.defaults, "depth": 12}
    with pytest.raises(ValueError, match="unknown setting 'colour' for the view"):
        validate_controls(view.controls, view.defaults, {"colour": "red"}, "the view")


FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "settings_parsing.json"
SHARED = json.loads(FIXTURE.read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", SHARED["cases"], ids=lambda c: f"{c['setting']}={c['text']!r}")
def test_the_shared_parsing_examples(case):
    spec = SHARED["specs"][case["setting"]]
    if "error" in case:
        with pytest.raises(ValueError) as caught:
            parse_setting(spec, case["text"])
        assert str(caught.value) == case["error"]
    else:
        parsed = parse_setting(spec, case["text"])
        assert parsed == case["value"] and type(parsed) is type(case["value"])


def test_every_random_seed_is_the_one_seed_control():
    # declared once (controls.seed_control): a free number box, or a slider over exactly
    # the seeds a claim was measured over; only the help text says what the seed draws
    from gradflow.controls import FREE_SEEDS, seed_control

    seeds = [(name, c) for name, controls, _ in SCHEMAS for c in controls if c["name"] == "seed"]
    assert set(views.VIEWS) | set(views.TRAINERS) == {name for name, _ in seeds}
    for name, control in seeds:
        bounds = (control["min"], control["max"])
        expected = seed_control(None if bounds == FREE_SEEDS else bounds, control["help"])
        assert control == expected, name
    assert seed_control()["kind"] == "number" and seed_control((0, 9))["kind"] == "range"
