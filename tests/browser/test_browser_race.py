"""The training race streams progress from the worker, can be cancelled and restarted."""

from __future__ import annotations

import pytest
from playwright.sync_api import Locator, Page, expect

from live_page import (RENDER_TIMEOUT_MS, action, assert_traces_match, commit_prediction,
                       initial_data, plotted_traces, renders, set_control,
                       wait_renders_above, wait_runtime, wait_state, widgets)

# Training runs thousands of float64 matrix products, which round differently in
# CPython's numpy (OpenBLAS) and Pyodide's numpy 2.0.2 (no BLAS). The race's recipe
# (gradflow.views.RACE_RECIPE) was chosen so that those last-bit differences stay tiny
# (tests/unit/test_training_claims.py::test_race_is_not_chaotic), so the page's curves and
# the browser's must agree at every step, not only the first ones.
RACE_RTOL = 1e-6


def step(widget: Locator) -> tuple[int, int]:
    return (int(widget.get_attribute("data-lw-step") or 0),
            int(widget.get_attribute("data-lw-steps") or 0))


@pytest.fixture
def race(page: Page, demo_url: str) -> Locator:
    page.goto(demo_url)
    found = widgets(page, "race")
    assert found.count() > 0, "the demonstration page has no training race"
    wait_runtime(page)
    widget = found.first
    # the finished build-time race would answer its prompt: it opens after a guess
    commit_prediction(widget)
    wait_state(widget, "ready")
    return widget


def choose_steps(widget: Locator, pick) -> dict:
    """Set the race's length through its `steps` control when it has one."""
    initial = initial_data(widget)
    settings = dict(initial["settings"])
    for spec in initial["controls"]:
        if spec["name"] == "steps":
            settings["steps"] = pick(spec)
            set_control(widget.locator("form.lw-controls"), spec, settings["steps"])
    return settings


def test_race_streams_progress_and_can_be_cancelled(race):
    # The longest race allowed, so there is time to see progress and to cancel.
    choose_steps(race, lambda spec: spec["max"])
    before = renders(race)
    action(race, "start").click()
    wait_renders_above(race, before)
    first_step, total = step(race)
    assert 0 < first_step < total, f"first progress at step {first_step} of {total}"
    wait_renders_above(race, renders(race))
    second_step, _ = step(race)
    assert second_step > first_step, "progress did not stream: the step did not advance"
    action(race, "cancel").click()
    wait_state(race, "ready")
    stopped_at, total = step(race)
    assert stopped_at < total, f"the race ran to the end ({stopped_at}/{total}) despite Cancel"
    curves = plotted_traces(race)
    assert curves and all(len(trace["x"]) <= stopped_at + 1 for trace in curves), (
        "the chart shows more steps than were trained before Cancel")


def wait_finished(race: Locator) -> None:
    race.page.wait_for_function(
        """el => el.dataset.lwState === 'error' || (el.dataset.lwState === 'ready'
               && el.dataset.lwStep && el.dataset.lwStep === el.dataset.lwSteps)""",
        arg=race.element_handle(), timeout=RENDER_TIMEOUT_MS * 4)
    expect(race).to_have_attribute("data-lw-state", "ready")


def test_race_runs_to_the_end_and_restarts_with_gradflows_numbers(race):
    from gradflow import views

    settings = choose_steps(race, lambda spec: spec["min"])  # the shortest race
    before = renders(race)
    action(race, "start").click()
    wait_renders_above(race, before)  # the build-time result may already be "finished"
    wait_finished(race)
    first_run = renders(race)
    action(race, "start").click()  # a restart trains again from step 0
    wait_renders_above(race, first_run)
    wait_finished(race)
    result = views.TrainingRace(settings).advance(step(race)[1])
    assert result["done"], "gradflow's TrainingRace did not finish in the page's step count"
    assert step(race) == (result["steps"], result["steps"])
    plotted = plotted_traces(race)
    assert [len(t["y"]) for t in plotted] == [len(t["y"]) for t in result["figure"]["data"]]
    assert_traces_match(plotted, result["figure"], RACE_RTOL, "finished race, every step")
