"""Lesson 6's shattered-gradient widgets: the guess reveals the chart, and moving every
control redraws it live (Pyodide) with gradflow's numbers for the new settings."""

from __future__ import annotations

from gradflow import views
from playwright.sync_api import Page, expect

from live_page import (action, assert_traces_match, initial_data, plotted_traces, renders,
                       set_control, wait_chart_drawn, wait_renders_above, wait_runtime,
                       wait_state)

LESSON = "lessons/06-why-it-works.html"
# Same margin as test_browser_views.py: the two numpy builds differ in the last bits, and
# the plain stack's batch-normalised layers amplify that by far less than this.
RTOL = 1e-6
# Values each control is moved to, in order (depth first, so the seed is tried deep).
MOVES = {"depth": 12, "mode": "plain", "seed": 7, "chart": "correlation"}


def expected(settings: dict) -> dict:
    return views.VIEWS["shattered"].compute(views.validate_settings("shattered", settings))


def test_guess_then_every_control_redraws_with_gradflows_numbers(page: Page, site_server):
    page.goto(site_server.url(LESSON))
    widget = page.locator("#shattered-gradients")
    widget.scroll_into_view_if_needed()
    expect(widget.locator(".lw-chart")).to_be_hidden()       # hidden until the guess
    widget.locator('fieldset.lw-predict input[type="radio"]').nth(1).check()
    action(widget, "show-result").click()
    wait_chart_drawn(widget)
    initial = initial_data(widget)
    assert initial["view"] == "shattered"
    assert_traces_match(plotted_traces(widget), expected(initial["settings"])["figure"], RTOL,
                        "build-time chart")

    wait_runtime(page)
    wait_state(widget, "ready")
    settings = dict(initial["settings"])
    form = widget.locator("form.lw-controls")
    shown = [spec for spec in initial["controls"]]
    assert {spec["name"] for spec in shown} == {"depth", "mode", "seed"}
    for spec in shown:
        value = MOVES[spec["name"]]
        before = renders(widget)
        set_control(form, spec, value)
        wait_renders_above(widget, before)
        wait_state(widget, "ready")
        settings[spec["name"]] = value
        wanted = expected(settings)
        assert_traces_match(plotted_traces(widget), wanted["figure"], RTOL,
                            f"after {spec['name']} = {value!r}")
        expect(widget.locator(".lw-readout")).to_have_text(wanted["readout"])


def test_correlation_chart_follows_the_depth(page: Page, site_server):
    page.goto(site_server.url(LESSON))
    widget = page.locator("#shattered-correlation")
    widget.scroll_into_view_if_needed()
    wait_chart_drawn(widget)
    wait_runtime(page)
    wait_state(widget, "ready")
    initial = initial_data(widget)
    spec = next(c for c in initial["controls"] if c["name"] == "depth")
    before = renders(widget)
    set_control(widget.locator("form.lw-controls"), spec, 20)
    wait_renders_above(widget, before)
    wait_state(widget, "ready")
    wanted = expected({**initial["settings"], "depth": 20})
    plotted = plotted_traces(widget)
    assert_traces_match(plotted, wanted["figure"], RTOL, "correlation chart at depth 20")
    assert len(plotted[0]["x"]) == 20
    expect(widget.locator(".lw-readout")).to_have_text(wanted["readout"])
