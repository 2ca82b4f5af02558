"""Live code cells: run, errors, Stop, and edits that survive a reload."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Locator, Page, expect

from live_page import (RUNTIME_TIMEOUT_MS, action, editor_text, initial_data, output_text,
                       renders, run_cell, set_editor_code, top_level_cells, wait_renders_above,
                       wait_runtime, wait_state)


def cells(page: Page, minimum: int = 1) -> list[Locator]:
    found = top_level_cells(page)
    assert found.count() >= minimum, (
        f"the demonstration page needs at least {minimum} live code cell(s), has {found.count()}")
    return [found.nth(index) for index in range(found.count())]


@pytest.fixture
def demo(page: Page, demo_url: str) -> Page:
    page.goto(demo_url)
    wait_runtime(page)
    return page


def test_cell_runs_and_shows_output_and_value(demo):
    first, second = cells(demo, 2)[:2]
    wait_state(first, "ready")
    run_cell(first, "shared_number = 6 * 7\nprint('printed', shared_number)\nshared_number + 1")
    assert "printed 42" in output_text(first, "stdout")
    assert output_text(first, "value").strip() == "43"
    assert output_text(first, "error").strip() == ""
    # Cells on a page share one namespace, like a notebook.
    run_cell(second, "print(shared_number * 2)")
    assert output_text(second, "stdout").strip() == "84"


def test_output_is_text_not_html(demo):
    cell = cells(demo)[0]
    wait_state(cell, "ready")
    run_cell(cell, "print('<b id=\"injected\">bold</b>')")
    assert "<b id=\"injected\">bold</b>" in output_text(cell, "stdout")
    expect(demo.locator("#injected")).to_have_count(0)


def test_python_error_shows_a_trimmed_traceback(demo):
    cell = cells(demo)[0]
    wait_state(cell, "ready")
    run_cell(cell, "def ratio(a, b):\n    return a / b\n\nratio(1, 0)")
    error = output_text(cell, "error")
    assert "ZeroDivisionError" in error, f"no exception name in {error!r}"
    assert "return a / b" in error, f"the reader's failing line is missing from {error!r}"
    # Trimmed to the reader's code: no frames from the runner, Pyodide or the stdlib.
    for internal in ("cell_runner", "_pyodide", "pyodide/", "/lib/python3", "exec("):
        assert internal not in error, f"traceback shows internals ({internal!r}):\n{error}"
    wait_state(cell, "ready")


def test_stop_ends_an_endless_loop_and_cells_work_again(demo):
    loop_cell, other = cells(demo, 2)[:2]
    wait_state(loop_cell, "ready")
    set_editor_code(loop_cell, "while True:\n    pass")
    action(loop_cell, "run").click()
    wait_state(loop_cell, "busy")
    stop = action(loop_cell, "stop")
    expect(stop).to_be_enabled()
    stop.click()
    # A fresh worker starts; the page must say the namespace was reset.
    demo.wait_for_function(
        "() => document.documentElement.dataset.lwRuntime === 'ready'",
        timeout=RUNTIME_TIMEOUT_MS)
    reset_notice = re.compile(
        r"(namespace|variables).{0,80}(reset|clear|lost|gone)"
        r"|(reset|clear|restart).{0,80}(namespace|variables)", re.I | re.S)
    expect(demo.locator(".lw-status, .lw-output").filter(has_text=reset_notice).first
           ).to_be_visible()
    wait_state(other, "ready")
    run_cell(other, "print('alive after stop')")
    assert output_text(other, "stdout").strip() == "alive after stop"
    wait_state(loop_cell, "ready")
    run_cell(loop_cell, "print(sum(range(10)))")
    assert output_text(loop_cell, "stdout").strip() == "45"


def test_edits_survive_a_reload_and_reset_restores_the_original(demo):
    cell = cells(demo)[0]
    original = initial_data(cell)["code"]
    marker = f"edited_{uuid.uuid4().hex[:8]}"
    wait_state(cell, "ready")
    set_editor_code(cell, f"{marker} = 1\nprint({marker})")
    # Saved in localStorage (keyed by the original code's hash); wait until it is.
    demo.wait_for_function(
        "m => Object.keys(localStorage).some(k => String(localStorage.getItem(k)).includes(m))",
        arg=marker)
    demo.reload()
    wait_runtime(demo)
    cell = cells(demo)[0]
    expect(cell.locator(".cm-content")).to_contain_text(marker)
    action(cell, "reset").click()
    expect(cell.locator(".cm-content")).not_to_contain_text(marker)
    assert editor_text(cell).strip() == original.strip()


def test_a_cell_runs_with_shift_enter(demo):
    cell = cells(demo)[0]
    wait_state(cell, "ready")
    set_editor_code(cell, "print('via keyboard')")
    before = renders(cell)
    cell.locator(".cm-content").press("Shift+Enter")
    wait_renders_above(cell, before)
    assert output_text(cell, "stdout").strip() == "via keyboard"
