"""While live Python starts, each thing the reader looks at says so once: an exercise
leaves the start-up news to the code cell inside it, right under its code and Run
button (js/status.mjs, followRuntime's `quiet`)."""

from __future__ import annotations

from playwright.sync_api import Route, expect

from live_page import wait_runtime, widgets
from site_server import SiteServer


def test_an_exercise_says_starting_live_python_once(page, site_server: SiteServer):
    held: list[Route] = []
    page.route("**/*.wasm", lambda route: held.append(route))  # hold start-up at step 1
    page.goto(site_server.url("book/demo.html"))
    exercise = widgets(page, "exercise").first
    exercise.scroll_into_view_if_needed()
    cell = exercise.locator('.lw-widget[data-lw-kind="cell"]')
    expect(cell.locator(".lw-status")).to_contain_text("Starting live Python (step 1 of")
    expect(exercise.locator(".lw-status").filter(has_text="Starting live Python")).to_have_count(1)
    expect(exercise.locator("progress.lw-progress")).to_have_count(1)
    expect(exercise).to_have_attribute("data-lw-state", "waiting")
    for route in held:
        route.continue_()
    page.unroute("**/*.wasm")
    wait_runtime(page)
    expect(exercise).to_have_attribute("data-lw-state", "ready")
    expect(exercise.locator('[data-lw-action="check"]')).to_be_enabled()
    expect(exercise.locator(".lw-status").filter(has_text="Starting")).to_have_count(0)
