"""Lesson 2's {layer-speeds} widget: Nielsen's measurement on the digits trains live in the
browser, streams its progress, pauses and resumes where it stopped, can be cancelled, and
ends with gradflow's numbers. Without the digits file it says so, and the page's other
widgets still work."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Locator, Page, expect

from live_page import (RENDER_TIMEOUT_MS, action, assert_traces_match, commit_prediction,
                       initial_data, plotted_traces, renders, set_control, wait_renders_above,
                       wait_runtime, wait_state)

LESSON = "lessons/02-vanishing-gradients.html"
# Full-batch gradient descent at Nielsen's small rate is not chaotic: measured in Pyodide
# against CPython within 1e-9 (tests/pyodide/test_nielsen_in_pyodide.py)
RTOL = 1e-6


def step(widget: Locator) -> tuple[int, int]:
    return (int(widget.get_attribute("data-lw-step") or 0),
            int(widget.get_attribute("data-lw-steps") or 0))


def open_widget(page: Page, url: str) -> Locator:
    page.goto(url)
    widget = page.locator('.lw-widget[data-lw-view="nielsen"]').first
    expect(widget).to_have_count(1)
    wait_runtime(page)
    commit_prediction(widget)  # the finished build-time run answers the prompt
    wait_state(widget, "ready")
    return widget


def choose(widget: Locator, **values) -> dict:
    initial = initial_data(widget)
    settings = dict(initial["settings"])
    form = widget.locator("form.lw-controls")
    for spec in initial["controls"]:
        if spec["name"] in values:
            settings[spec["name"]] = values[spec["name"]]
            set_control(form, spec, values[spec["name"]])
    return settings


def wait_finished(widget: Locator) -> None:
    widget.page.wait_for_function(
        """el => el.dataset.lwState === 'error' || (el.dataset.lwState === 'ready'
               && el.dataset.lwStep && el.dataset.lwStep === el.dataset.lwSteps)""",
        arg=widget.element_handle(), timeout=RENDER_TIMEOUT_MS * 4)
    expect(widget).to_have_attribute("data-lw-state", "ready")


@pytest.fixture
def lesson_url(site_server) -> str:
    return site_server.url(LESSON)


def test_pause_resume_and_finish_with_gradflows_numbers(page: Page, lesson_url: str):
    from gradflow.nielsen import NielsenSpeeds

    widget = open_widget(page, lesson_url)
    settings = choose(widget, hidden_layers=5, steps=300)  # the longest run: time to pause
    before = renders(widget)
    started = time.monotonic()
    action(widget, "start").click()
    wait_renders_above(widget, before)
    first, total = step(widget)
    assert 0 < first < total == 300
    action(widget, "pause").click()
    expect(widget).to_have_attribute("data-lw-paused", "true", timeout=RENDER_TIMEOUT_MS)
    paused_at, _ = step(widget)
    expect(action(widget, "pause")).to_have_text("Resume")
    assert "Paused at step" in widget.locator(".lw-status").inner_text()
    curves = plotted_traces(widget)
    assert len(curves) == 5 and all(len(t["y"]) == paused_at + 1 for t in curves)
    page.wait_for_timeout(300)
    assert step(widget)[0] == paused_at, "training went on while paused"
    action(widget, "pause").click()  # Resume: carries on from the paused step
    wait_finished(widget)
    print(f"5 hidden layers, 300 steps with a pause: {time.monotonic() - started:.1f} s")
    result = NielsenSpeeds(settings).run_to_end()
    plotted = plotted_traces(widget)
    assert [len(t["y"]) for t in plotted] == [301] * 5
    # a resumed run is the same run: every step matches one uninterrupted run in CPython
    assert_traces_match(plotted, result["figure"], RTOL, "paused and resumed run")
    expect(widget.locator(".lw-readout")).to_have_text(result["readout"])


def test_cancel_stops_and_default_run_is_quick(page: Page, lesson_url: str):
    widget = open_widget(page, lesson_url)
    before = renders(widget)
    started = time.monotonic()
    action(widget, "start").click()
    wait_finished(widget)
    elapsed = time.monotonic() - started
    print(f"lesson default ({initial_data(widget)['settings']}): {elapsed:.1f} s in the browser")
    assert renders(widget) > before
    choose(widget, hidden_layers=5, steps=300)
    action(widget, "start").click()
    wait_renders_above(widget, renders(widget))
    action(widget, "cancel").click()
    wait_state(widget, "ready")
    stopped_at, total = step(widget)
    assert stopped_at < total
    expect(action(widget, "pause")).to_be_disabled()
    assert "Cancelled at step" in widget.locator(".lw-status").inner_text()


def test_missing_digits_file_is_reported_in_the_widget_only(page: Page, lesson_url: str, guard):
    guard.expect_failed_requests(lambda url: url.endswith("digits-8x8.bin"))
    # the worker fetches the file: route on the context, which sees workers' requests too
    page.context.route("**/_static/data/digits-8x8.bin", lambda route: route.fulfill(status=404))
    widget = open_widget(page, lesson_url)
    action(widget, "start").click()
    status = widget.locator(".lw-status")
    expect(status).to_contain_text("handwritten digits", timeout=RENDER_TIMEOUT_MS)
    expect(status).to_contain_text("HTTP 404")
    # the page's other live widgets still work
    gradient = page.locator('.lw-widget[data-lw-view="gradient"]').first
    commit_prediction(gradient)
    spec = next(c for c in initial_data(gradient)["controls"] if c["name"] == "depth")
    before = renders(gradient)
    set_control(gradient.locator("form.lw-controls"), spec, 12)
    wait_renders_above(gradient, before)
