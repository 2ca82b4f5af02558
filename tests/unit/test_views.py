"""Views: what each widget shows, computed the same at build time and in the browser."""

import json

import plotly.graph_objects as go
import pytest

from gradflow import simulate, views
from gradflow.text import format_number

KEYS = {"figure", "readout", "summary", "table"}


def check_view_result(out: dict):
    assert KEYS <= set(out)
    json.dumps(out, allow_nan=False)
    go.Figure(out["figure"])
    table = out["table"]
    assert table["caption"] and all(len(row) == len(table["columns"]) for row in table["rows"])


def test_gradient_view_default_readout_matches_simulate():
    out = views.VIEWS["gradient"].compute({})
    check_view_result(out)
    ratio = simulate(depth=30, activation="sigmoid").first_to_last_ratio
    assert out["readout"].startswith(f"Layer 1 receives {format_number(ratio)} of the gradient")
    assert out["readout"].endswith("of the gradient at layer 30 (plain stack).")
    assert len(out["table"]["rows"]) == 30


def test_gradient_view_both_modes():
    out = views.VIEWS["gradient"].compute({"mode": "both", "depth": 12, "zero_init_branch": True})
    check_view_result(out)
    assert out["table"]["columns"] == ["Layer", "Gradient size, plain stack", "Gradient size, residual stack"]
    assert out["readout"].endswith("; 1 (residual stack).")
    assert "Residual stack: 1 at layer 12, 1 at layer 1" in out["summary"]


def test_gradient_view_branch_settings_change_only_the_residual_stack():
    """Branch gain and pre-activation belong to residual branches: the plain stack of a
    "both" view is the same with or without them."""
    settings = {"mode": "both", "depth": 20, "activation": "relu", "init": "he", "branch_layers": 2}
    before = views.VIEWS["gradient"].compute(settings)
    after = views.VIEWS["gradient"].compute({**settings, "branch_scale": 0.2, "preactivation": True,
                                             "batch_norm": False})
    check_view_result(after)
    plain = [row[1] for row in before["table"]["rows"]]
    assert plain == [row[1] for row in after["table"]["rows"]]
    assert before["table"]["rows"][0][2] != after["table"]["rows"][0][2]
    residual = simulate(depth=20, activation="relu", init="he", branch_layers=2, residual=True,
                        branch_scale=0.2, preactivation=True)
    assert after["readout"].endswith(f"; {views.spoken_ratio(residual.first_to_last_ratio)} (residual stack).")


def test_large_ratios_read_as_people_say_them():
    assert views.spoken_ratio(2.0e-5) == format_number(2.0e-5)
    assert views.spoken_ratio(1.0) == "1"
    assert views.spoken_ratio(2.95) == "3 times"
    assert views.spoken_ratio(6903.0) == "6.9 thousand times"
    assert views.spoken_ratio(999_700.0) == "1 million times"
    assert views.spoken_ratio(6.1e6) == "6.1 million times"
    assert views.spoken_ratio(2e18) == "2 × 10¹⁸ times"
    out = views.VIEWS["gradient"].compute({"std": 5.0})
    assert " times the gradient at layer 30" in out["readout"]
    assert " of the gradient" not in out["readout"]


def test_gradient_view_rejects_a_gain_outside_the_control():
    with pytest.raises(ValueError, match="branch_scale must be from 0 to 2, got 2.5"):
        views.validate_settings("gradient", {"branch_scale": 2.5})


def test_gradient_view_reports_underflow_in_words():
    out = views.VIEWS["gradient"].compute({"depth": 200, "std": 0.01, "width": 8})
    check_view_result(out)
    # 0 and sizes below the smallest full-precision float count together (gradflow.chaos)
    assert "the gradient is 0 or under 2.2 × 10⁻³⁰⁸ at" in out["summary"]


def test_controls_and_defaults_agree():
    for view in list(views.VIEWS.values()) + [views.TrainingRace]:
        names = [c["name"] for c in view.controls]
        assert names == list(view.defaults), view
        for control in view.controls:
            assert control["kind"] in {"range", "select", "checkbox", "number"}
            assert control["label"] and control["help"]
        json.dumps(view.controls)


def test_numeric_defaults_lie_on_the_browser_step_grid():
    """A browser refuses a number input whose value is not min + k * step ("step
    mismatch"), which would block every change to the widget's form; so each default must
    sit on that grid."""
    for view in list(views.VIEWS.values()) + [views.TrainingRace]:
        for control in view.controls:
            if control["kind"] not in {"range", "number"}:
                continue
            default = view.defaults[control["name"]]
            steps = (default - control["min"]) / control["step"]
            assert control["min"] <= default <= control["max"], control["name"]
            assert abs(steps - round(steps)) < 1e-9, (control["name"], default, control["step"])


@pytest.mark.parametrize("settings", [{}, {"gradient": True, "blocks": 20}])
def test_paths_view(settings):
    out = views.VIEWS["paths"].compute(settings)
    check_view_result(out)
    n = settings.get("blocks", 54)
    assert len(out["table"]["rows"]) == n + 1
    assert out["readout"].startswith(f"{n} blocks give 2")


def test_race_view_streams():
    race = views.TrainingRace({"steps": 50, "deep_depth": 6, "shallow_depth": 2})
    first = race.view()
    assert first["step"] == 0 and first["readout"].startswith("Not started")
    out = race.advance(50)
    check_view_result(out)
    assert out["done"] and out["step"] == 50 and out["steps"] == 50
    assert out["readout"].startswith("Step 50 of 50: training loss")
    assert [row[0] for row in out["table"]["rows"]] == ["2-layer plain", "6-layer plain", "6-layer residual"]
