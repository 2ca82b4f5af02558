"""Lesson 1's digits network in the browser: the page shows the build-time pictures without
waiting for Python; Start trains it live in the worker, Pause holds it, Resume goes on
from the same step, and the finished run reads and looks exactly as gradflow's."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from playwright.sync_api import Locator, Page, expect

from live_page import (RENDER_TIMEOUT_MS, action, initial_data, renders, set_control,
                       wait_renders_above, wait_runtime, wait_state)

LESSON = "lessons/01-promise-of-depth.html"
WIDGET = "#digits-what-layers-learn"
SVG = "{http://www.w3.org/2000/svg}"


def step(widget: Locator) -> int:
    return int(widget.get_attribute("data-lw-step") or 0)


def drawn_paths(widget: Locator, name: str) -> list[tuple[str, str]]:
    """(fill, d) of every path of picture `name` as the page shows it now."""
    return widget.locator(f'figure.lw-image-grid[data-lw-image="{name}"] > svg path').evaluate_all(
        "paths => paths.map(p => [p.getAttribute('fill'), p.getAttribute('d')])")


def gradflow_paths(svg: str) -> list[tuple[str, str]]:
    return [[p.get("fill"), p.get("d")] for p in ET.fromstring(svg).iter(SVG + "path")]


@pytest.fixture
def digits_widget(page: Page, site_server) -> Locator:
    page.goto(site_server.url(LESSON))
    widget = page.locator(WIDGET)
    expect(widget).to_have_count(1)
    return widget


def test_build_time_pictures_and_their_words_are_on_the_page(digits_widget):
    figures = digits_widget.locator("figure.lw-image-grid")
    expect(figures).to_have_count(2)
    for index in range(2):
        svg = figures.nth(index).locator("svg")
        expect(svg).to_be_visible()
        assert svg.get_attribute("role") == "img" and svg.get_attribute("aria-label")
        assert figures.nth(index).locator("figcaption").inner_text().strip()
    # the pictures' text alternative: every unit in words, with its favourite digits
    rows = digits_widget.locator("details.lw-table tbody tr")
    assert rows.count() == 16 + 6
    first = rows.first.text_content() or ""  # the table may be folded away: not inner_text
    assert "raises it" in first or "lowers it" in first


def test_trains_live_pauses_resumes_and_ends_as_gradflow_does(digits_widget):
    from gradflow.views import DigitFeatures

    page = digits_widget.page
    wait_runtime(page)
    wait_state(digits_widget, "ready")
    built = drawn_paths(digits_widget, "weights")
    # the longest run, so there is time to pause it
    spec = next(c for c in initial_data(digits_widget)["controls"] if c["name"] == "steps")
    set_control(digits_widget.locator("form.lw-controls"), spec, spec["max"])
    before = renders(digits_widget)
    action(digits_widget, "start").click()
    wait_renders_above(digits_widget, before)
    assert 0 < step(digits_widget) < spec["max"]

    action(digits_widget, "pause").click()
    page.wait_for_function("el => el.dataset.lwPaused === 'true'",
                           arg=digits_widget.element_handle(), timeout=RENDER_TIMEOUT_MS)
    paused_at = step(digits_widget)
    assert 0 < paused_at < spec["max"], f"paused at step {paused_at}"
    expect(digits_widget.locator(".lw-status")).to_contain_text(f"Paused at step {paused_at}")
    page.wait_for_timeout(300)  # a paused run stays where it is
    assert step(digits_widget) == paused_at

    action(digits_widget, "pause").click()  # now labelled Resume
    page.wait_for_function(
        """el => el.dataset.lwState === 'error' || (el.dataset.lwState === 'ready'
               && el.dataset.lwStep === el.dataset.lwSteps && el.dataset.lwPaused !== 'true')""",
        arg=digits_widget.element_handle(), timeout=RENDER_TIMEOUT_MS * 4)
    expect(digits_widget).to_have_attribute("data-lw-state", "ready")

    # Resume went on from the pause: the finished run is exactly gradflow's uninterrupted
    # run (words, numbers and pixels; the recipe is not chaotic across runtimes)
    expected = DigitFeatures({**initial_data(digits_widget)["settings"], "steps": spec["max"]}).run_to_end()
    expect(digits_widget.locator(".lw-readout")).to_have_text(expected["readout"])
    assert "%" in expected["readout"]
    for picture in expected["images"]:
        assert drawn_paths(digits_widget, picture["name"]) == gradflow_paths(picture["svg"])
    assert drawn_paths(digits_widget, "weights") != built, "the pictures were not redrawn"
    # the pictures' words: the table is the finished run's, cell for cell (all text)
    rows = digits_widget.locator("details.lw-table tbody tr")
    shown = [rows.nth(i).locator("td").all_text_contents() for i in range(rows.count())]
    assert shown == expected["table"]["rows"]
