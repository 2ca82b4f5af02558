"""With the Pyodide files unreachable or corrupt, pages stay readable and say what failed."""

from __future__ import annotations

import pytest
from playwright.sync_api import Route, expect

from live_page import (assert_traces_match, initial_data, plotted_traces, wait_chart_drawn,
                       wait_runtime, widgets)

PYODIDE_FILES = "**/_static/pyodide/**"


def _is_pyodide_file(url: str) -> bool:
    return "/_static/pyodide/" in url


def _abort(route: Route) -> None:
    route.abort("connectionrefused")


def _corrupt_wasm(route: Route) -> None:
    if route.request.url.endswith(".wasm"):
        route.fulfill(status=200, content_type="application/wasm", body=b"\0asm garbage")
    else:
        route.continue_()


@pytest.mark.parametrize("breakage", ["unreachable", "corrupt-wasm"])
@pytest.mark.parametrize("page_path", ["book/demo.html", "lessons/02-vanishing-gradients.html"])
def test_page_stays_readable_and_says_what_failed(new_context, site_server, guard,
                                                 breakage, page_path):
    # Service workers would answer from their own cache and bypass request routing.
    context = new_context(service_workers="block")
    context.route(PYODIDE_FILES, _abort if breakage == "unreachable" else _corrupt_wasm)
    guard.expect_failed_requests(_is_pyodide_file)
    # What the browser itself logs about the broken runtime (not the page's own errors):
    guard.expect_console_error(r"WebAssembly|wasm|importScripts|NetworkError|pyodide")
    page = context.new_page()
    page.goto(site_server.url(page_path))
    wait_runtime(page, expected="failed")

    expect(page.locator("h1:visible").first).to_be_visible()
    statuses = page.locator(".lw-status")
    assert statuses.count() > 0, f"{page_path} has no status line to report the failure"
    for index in range(statuses.count()):
        line = statuses.nth(index).inner_text().strip()
        assert line, "a widget's status line is empty after the runtime failed"
        assert "\n" not in line and len(line) < 240, f"not one line: {line!r}"
    # The build-time charts and their tables are still there.
    charts = widgets(page, "view")
    for index in range(charts.count()):
        widget = charts.nth(index)
        expect(widget.locator("details.lw-table table")).to_be_attached()
        if widget.locator("fieldset.lw-predict").count() == 0:
            wait_chart_drawn(widget)
            assert_traces_match(plotted_traces(widget), initial_data(widget)["figure"], 0.0,
                                f"{widget.get_attribute('id')} after the runtime failed")
