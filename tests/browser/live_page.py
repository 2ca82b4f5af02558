"""Reading and driving the live widgets through the DOM contract (ARCHITECTURE.md §5).

Every wait here is on an explicit state the page publishes (`data-lw-runtime`,
`data-lw-state`, `data-lw-renders`), bounded by a timeout; nothing sleeps.
"""

from __future__ import annotations

import base64
import json
import math
import re
from typing import Any

from playwright.sync_api import Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

# Cold Pyodide start is ~2.5 s on an idle machine; eight engineers share two cores,
# so the bound is generous. A timeout here means "never became ready", not "slow".
RUNTIME_TIMEOUT_MS = 120_000
RENDER_TIMEOUT_MS = 120_000

WORKER_KINDS = ("view", "race", "cell", "exercise")

_ACTION_SELECTOR = '[data-lw-action="{}"]'


def widgets(page: Page, kind: str | None = None) -> Locator:
    selector = ".lw-widget" if kind is None else f'.lw-widget[data-lw-kind="{kind}"]'
    return page.locator(selector)


def top_level_cells(page: Page) -> Locator:
    """Cells the reader sees on their own (not the editor inside an exercise)."""
    return page.locator(
        '.lw-widget[data-lw-kind="cell"]:not(.lw-widget[data-lw-kind="exercise"] *)')


def wait_runtime(page: Page, expected: str = "ready") -> None:
    """Wait until the page's runtime settles, and say why when it settles wrongly."""
    page.wait_for_function(
        "() => ['ready', 'failed'].includes(document.documentElement.dataset.lwRuntime)",
        timeout=RUNTIME_TIMEOUT_MS)
    state = page.evaluate("() => document.documentElement.dataset.lwRuntime")
    if state != expected:
        statuses = page.locator(".lw-status").all_inner_texts()
        raise AssertionError(
            f"runtime became {state!r}, expected {expected!r}; status lines: {statuses[:3]}")


def wait_state(widget: Locator, state: str, timeout: int = RENDER_TIMEOUT_MS) -> None:
    expect(widget).to_have_attribute("data-lw-state", state, timeout=timeout)


def renders(widget: Locator) -> int:
    return int(widget.get_attribute("data-lw-renders") or 0)


def wait_renders_above(widget: Locator, count: int) -> None:
    """Wait for the next live redraw after `count`; fail at once if the widget errors."""
    try:
        widget.page.wait_for_function(
            """([el, count]) => el.dataset.lwState === 'error'
                                || Number(el.dataset.lwRenders || 0) > count""",
            arg=[widget.element_handle(), count], timeout=RENDER_TIMEOUT_MS)
    except PlaywrightTimeoutError:
        raise AssertionError(
            f"widget {widget.get_attribute('id')!r} did not redraw within "
            f"{RENDER_TIMEOUT_MS / 1000:.0f} s (state {widget.get_attribute('data-lw-state')!r}, "
            f"status {widget.locator('.lw-status').all_inner_texts()})") from None
    if widget.get_attribute("data-lw-state") == "error":
        status = widget.locator(".lw-status").all_inner_texts()
        raise AssertionError(f"widget went to state 'error': {status}")


def initial_data(widget: Locator) -> dict[str, Any]:
    """The build-time result embedded in the widget (`script.lw-initial`)."""
    text = widget.locator(":scope > script.lw-initial").text_content()
    return json.loads(text)


def payload(widget: Locator) -> Any:
    """Decoded `data-lw-payload` (checks, hints, solution, quiz answers)."""
    encoded = widget.get_attribute("data-lw-payload")
    assert encoded, "widget has no data-lw-payload"
    return json.loads(base64.b64decode(encoded).decode("utf-8"))


def action(scope: Locator, name: str) -> Locator:
    return scope.locator(_ACTION_SELECTOR.format(name))


def commit_prediction(widget: Locator) -> None:
    """Predict-then-run widgets hide the chart until the reader commits a guess."""
    predict = widget.locator("fieldset.lw-predict")
    if predict.count() == 0:
        return
    predict.locator('input[type="radio"]').first.check()
    action(widget, "show-result").click()
    expect(widget.locator(".lw-chart")).to_be_visible()


# --- charts -------------------------------------------------------------------------

_READ_TRACES = """el => {
    const graph = el.classList.contains('js-plotly-plot') ? el
                : el.querySelector('.js-plotly-plot');
    if (!graph || !graph.data) return null;
    const plain = v => (v == null ? [] : Array.from(v));
    return graph.data.map(t => ({name: t.name ?? null, type: t.type ?? null,
                                 x: plain(t.x), y: plain(t.y)}));
}"""


def wait_chart_drawn(widget: Locator) -> None:
    """Scroll the widget near the screen (charts are drawn lazily) and wait for a graph."""
    widget.scroll_into_view_if_needed()
    widget.page.wait_for_function(
        "el => { const g = el.querySelector('.js-plotly-plot') || el;"
        " return Array.isArray(g.data) && g.data.length > 0; }",
        arg=widget.locator(".lw-chart").first.element_handle(), timeout=RENDER_TIMEOUT_MS)


def plotted_traces(widget: Locator) -> list[dict[str, Any]]:
    """The data plotly.js is drawing in the widget's chart, read from the graph div."""
    traces = widget.locator(":scope .lw-chart").first.evaluate(_READ_TRACES)
    assert traces is not None, "the widget's .lw-chart holds no plotly graph"
    return traces


def _number(value: Any) -> float | None:
    """A plotted value as a float (gradflow's JSON strings for non-finite values too)."""
    if value is None:
        return math.nan
    if isinstance(value, str):
        try:
            return float(value)  # "Infinity", "-Infinity", "NaN" parse as floats
        except ValueError:
            return None  # a category label, compared as text
    return float(value)


def _values_match(seen: Any, wanted: Any, rtol: float) -> bool:
    seen_number, wanted_number = _number(seen), _number(wanted)
    if seen_number is None or wanted_number is None:
        return str(seen) == str(wanted)
    if math.isnan(seen_number) or math.isnan(wanted_number):
        return math.isnan(seen_number) and math.isnan(wanted_number)
    return math.isclose(seen_number, wanted_number, rel_tol=rtol, abs_tol=0.0)


def assert_traces_match(plotted: list[dict], figure: dict, rtol: float, what: str) -> None:
    """Every trace gradflow specifies is drawn, in order, with the same numbers."""
    expected = figure["data"]
    assert len(plotted) == len(expected), (
        f"{what}: page draws {len(plotted)} traces, gradflow specifies {len(expected)}")
    for index, (seen, wanted) in enumerate(zip(plotted, expected)):
        label = f"{what}, trace {index} ({wanted.get('name')!r})"
        for axis in ("x", "y"):
            wanted_values = list(wanted.get(axis) or [])
            seen_values = seen[axis]
            assert len(seen_values) == len(wanted_values), (
                f"{label}: {len(seen_values)} {axis} values drawn, "
                f"{len(wanted_values)} computed")
            for position, (s, w) in enumerate(zip(seen_values, wanted_values)):
                assert _values_match(s, w, rtol), (
                    f"{label}: {axis}[{position}] drawn {s!r}, gradflow gives {w!r}")


# --- controls -----------------------------------------------------------------------

def control_value(spec: dict[str, Any], raw: Any) -> Any:
    """The typed setting a control's raw form value stands for."""
    kind = spec["kind"]
    if kind == "checkbox":
        return bool(raw)
    if kind == "select":
        for value, _label in spec["choices"]:
            if str(value) == str(raw):
                return value
        raise ValueError(f"{raw!r} is not a choice of control {spec['name']!r}")
    number = float(raw)
    step = spec.get("step")
    integral = isinstance(step, int) or (isinstance(step, float) and step.is_integer())
    return int(number) if integral and number.is_integer() else number


def another_value(spec: dict[str, Any], current: Any) -> Any:
    """A valid value different from `current`, kept small so the test stays fast."""
    kind = spec["kind"]
    if kind == "checkbox":
        return not current
    if kind == "select":
        values = [value for value, _label in spec["choices"]]
        return values[(values.index(current) + 1) % len(values)]
    step = spec.get("step") or 1
    low, high = spec.get("min"), spec.get("max")
    candidate = current + 3 * step
    if high is not None and candidate > high:
        candidate = current - 3 * step
    if low is not None and candidate < low:
        candidate = low if current != low else current + step
    return control_value(spec, candidate)


def set_control(form: Locator, spec: dict[str, Any], value: Any) -> None:
    """Change one control the way a reader would, so the page sees input/change events."""
    field = form.locator(f'[name="{spec["name"]}"]')
    kind = spec["kind"]
    if kind == "checkbox":
        field.set_checked(bool(value))
    elif kind == "select":
        if field.first.evaluate("el => el.tagName") == "SELECT":
            field.select_option(str(value))
        else:  # a radio group
            form.locator(f'[name="{spec["name"]}"][value="{value}"]').check()
    else:
        field.fill(str(value))  # ranges and numbers: sets the value, fires input + change


# --- cells --------------------------------------------------------------------------

def editor_text(cell: Locator) -> str:
    # textContent, not innerText: an empty line is a <br>, which innerText reads as "\n".
    return "\n".join(cell.locator(".cm-content .cm-line").all_text_contents())


def set_editor_code(cell: Locator, code: str) -> None:
    """Replace a cell's code by typing into its CodeMirror editor."""
    content = cell.locator(".cm-content").first
    # The editor is created as its cell nears the viewport (its bundle loads lazily).
    cell.scroll_into_view_if_needed()
    expect(content).to_be_visible(timeout=RENDER_TIMEOUT_MS)
    content.click()
    page = cell.page
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.press("Delete")
    # insert_text types the text as one input event, so CodeMirror's auto-indent and
    # bracket closing (keymap-driven) do not rewrite it.
    page.keyboard.insert_text(code)
    expect(content).to_have_text(re.compile(re.escape(code.splitlines()[-1])))
    typed = editor_text(cell)
    assert typed.strip() == code.strip(), f"editor holds {typed!r}, typed {code!r}"


def run_cell(cell: Locator, code: str | None = None) -> None:
    """Optionally replace the code, press Run and wait for this run's output."""
    if code is not None:
        set_editor_code(cell, code)
    before = renders(cell)
    action(cell, "run").click()
    wait_renders_above(cell, before)


def output_text(cell: Locator, part: str) -> str:
    """Text of one output block (`stdout`, `stderr`, `value`, `error`) or ''."""
    block = cell.locator(f".lw-output .lw-{part}")
    return "\n".join(block.all_inner_texts()) if block.count() else ""
