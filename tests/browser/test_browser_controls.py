"""Every control of every chart in every lesson, moved as a reader on a phone would (issue 11).

One browser context per lesson, at 375 px with touch. Each predict prompt is answered
first. Then every control of every chart widget goes through its range ends and a middle
value (a select through every option, a checkbox through both states) and back to where
it started. After each change the test asserts that

- the chart redrew, with the numbers, legend and words gradflow computes in CPython for
  the same settings (readout, the chart's text alternative, the table's caption), and the
  texts written with ``{setting}`` placeholders name the settings the controls now hold;
- nothing overlaps at 375 px (the x-axis title and the legend; nothing wider than the
  screen) and every touch target is at least 24 x 24 px;
- no widget froze: an out-of-range number names the allowed range and leaves the last
  good chart, and a valid number then redraws;
- no console error (the guard, conftest.py).

A race (kind ``race``) is not run for every setting: its controls set up the next run, so
the test checks that each change keeps the widget working and says whether the chart
still shows the earlier settings (test_browser_race.py runs races).

Live numbers come from Pyodide (numpy 2.0.2), the expected ones from CPython: they agree
far below what a chart or a readout shows (test_browser_views.py measures it), so numbers
written in words are compared to one unit of their last written digit, and plotted values
to 1e-3 relative.
"""

from __future__ import annotations

import math
from typing import Any

import pytest
from gradflow import views
from gradflow.text import numbers_in
from live_widgets.setting_text import fill
from playwright.sync_api import Locator, Page, expect

from live_page import (commit_prediction, control_value, initial_data, plotted_traces,
                       renders, set_control, wait_chart_drawn, wait_renders_above,
                       wait_runtime, wait_state)
from test_browser_reading import (_CHART_TEXT_COLLISIONS, _SMALL_TARGETS, CHART_KINDS,
                                  MIN_TARGET_PX, PHONE)

#: plotted values, Pyodide against CPython: measured agreement is 2e-7 at worst
PLOT_RTOL = 1e-3


def _middle(spec: dict[str, Any]) -> Any:
    """The value on the control's step grid nearest the middle of its range."""
    low, high, step = spec["min"], spec["max"], spec.get("step") or 1
    return control_value(spec, round(low + round((high - low) / 2 / step) * step, 9))


def _values_to_try(spec: dict[str, Any], start: Any) -> list[Any]:
    """The values a reader can reach at the edges and in the middle, ending on `start`."""
    kind = spec["kind"]
    if kind == "checkbox":
        values = [not start]
    elif kind == "select":
        values = [value for value, _label in spec["choices"]]
    else:
        values = [control_value(spec, spec["min"]), _middle(spec),
                  control_value(spec, spec["max"])]
    values = [v for v in values if v != start] + [start]
    # no value twice in a row (the page would not recompute an unchanged setting)
    return [v for i, v in enumerate(values) if i == 0 or v != values[i - 1]]


def _same_words_and_numbers(seen: str, wanted: str, what: str, numbers: bool = True) -> None:
    """Equal text, except that each number may differ by one unit of its last written
    digit (a rounding boundary between the runtimes); with `numbers` false, only the
    words (and how many numbers stand between them) must agree."""
    seen_numbers, wanted_numbers = numbers_in(seen), numbers_in(wanted)

    def words(text: str, numbers: list) -> str:
        for number in reversed(numbers):
            start, end = number.span
            text = text[:start] + "#" + text[end:]
        return " ".join(text.split())

    assert words(seen, seen_numbers) == words(wanted, wanted_numbers), (
        f"{what}: the page says {seen!r}, gradflow says {wanted!r}")
    for shown, computed in zip(seen_numbers, wanted_numbers if numbers else []):
        a, b = float(shown), float(computed)
        if math.isfinite(a) and math.isfinite(b):
            close = math.isclose(a, b, rel_tol=10.0 ** (1 - computed.digits), abs_tol=1e-300)
        else:
            close = str(a) == str(b)
        assert close, f"{what}: {shown.text!r} on the page, {computed.text!r} from gradflow"


def _plotted_close(seen: Any, wanted: Any) -> bool:
    def number(value: Any) -> float:
        return math.nan if value is None else float(value)  # "Infinity", "NaN" parse too
    try:
        a, b = number(seen), number(wanted)
    except (TypeError, ValueError):
        return str(seen) == str(wanted)  # a category label
    if math.isnan(a) or math.isnan(b) or math.isinf(a) or math.isinf(b):
        return str(a) == str(b)
    return math.isclose(a, b, rel_tol=PLOT_RTOL, abs_tol=1e-300)


_LEGEND_SHOWN = """el => {
    const g = el.querySelector('.js-plotly-plot') || el;
    return g._fullLayout ? g._fullLayout.showlegend : null;
}"""

_OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"


def _exploding(figure: dict) -> bool:
    """A stack whose gradient grows a millionfold: tanh with large weights is chaotic
    there, and the runtimes' last-bit differences grow with it (measured: a factor of 4
    between Pyodide and CPython at 101 tanh layers, normal std 1). Such charts are
    compared by what they draw (lines, points, words), not by their numbers."""
    for trace in figure["data"]:
        for y in trace.get("y") or []:
            if isinstance(y, (int, float)) and math.isfinite(y) and abs(y) > 1e6:
                return True
    return False


def _assert_chart_says_what_it_draws(widget: Locator, view: str, settings: dict,
                                     what: str) -> None:
    wanted = views.VIEWS[view].compute(views.validate_settings(view, settings))
    plotted = plotted_traces(widget)
    expected = wanted["figure"]["data"]
    numbers = not _exploding(wanted["figure"])
    assert [t["name"] for t in plotted] == [t.get("name") for t in expected], (
        f"{what}: the legend names other lines than gradflow draws")
    for seen, computed in zip(plotted, expected):
        assert seen["x"] == [x for x in computed.get("x") or []] or all(
            _plotted_close(a, b) for a, b in zip(seen["x"], computed.get("x") or [])), (
            f"{what}, {computed.get('name')!r}: other x values than gradflow's")
        ys = list(computed.get("y") or [])
        assert len(seen["y"]) == len(ys), f"{what}, {computed.get('name')!r}: point count"
        bad = [i for i, (a, b) in enumerate(zip(seen["y"], ys))
               if numbers and not _plotted_close(a, b)]
        assert not bad, (f"{what}, {computed.get('name')!r}: y[{bad[0]}] drawn "
                         f"{seen['y'][bad[0]]!r}, gradflow gives {ys[bad[0]]!r}")
    named = [t for t in expected if t.get("name") and t.get("showlegend", True)]
    if named:
        assert widget.locator(":scope > .lw-chart").evaluate(_LEGEND_SHOWN), (
            f"{what}: the chart hides its legend")
    _same_words_and_numbers(widget.locator(":scope > .lw-readout").inner_text(),
                            wanted["readout"], f"{what}, readout", numbers)
    _same_words_and_numbers(widget.locator(":scope > .lw-chart").get_attribute("aria-label"),
                            wanted["summary"], f"{what}, the chart's text alternative", numbers)
    caption = widget.locator(".lw-table caption")
    if caption.count():
        _same_words_and_numbers(caption.first.text_content(), wanted["table"]["caption"],
                                f"{what}, the table's caption", numbers)
    _assert_templates_follow(widget, settings, what)


def _assert_templates_follow(widget: Locator, settings: dict, what: str) -> None:
    """Words written with {setting} placeholders (caption, prompt) name today's settings."""
    for node in widget.locator("[data-lw-template]").all():
        template = node.get_attribute("data-lw-template")
        expect(node).to_have_text(fill(template, settings))


def _assert_phone_layout(page: Page, widget: Locator, what: str) -> None:
    overflow = page.evaluate(_OVERFLOW)
    assert overflow <= 0, f"{what}: the page is {overflow} px wider than the 375 px screen"
    chart = widget.locator(":scope > .lw-chart")
    if chart.is_visible():
        collision = chart.evaluate(_CHART_TEXT_COLLISIONS)
        assert collision is None, f"{what}: the x-axis title overlaps the legend: {collision}"
    small = widget.evaluate("(el, minimum) => (" + _SMALL_TARGETS + ")(minimum)", MIN_TARGET_PX)
    assert small["small"] == [], f"{what}: touch targets under 24 x 24 px: {small['small']}"


def _walk_view(page: Page, widget: Locator, what: str) -> int:
    data = initial_data(widget)
    view, settings = data["view"], dict(data["settings"])
    form = widget.locator("form.lw-controls")
    wait_chart_drawn(widget)
    _assert_chart_says_what_it_draws(widget, view, settings, f"{what} as built")
    _assert_phone_layout(page, widget, f"{what} as built")
    changes = 0
    for spec in data["controls"]:
        name = spec["name"]
        for value in _values_to_try(spec, settings[name]):
            before = renders(widget)
            set_control(form, spec, value)
            wait_renders_above(widget, before)
            wait_state(widget, "ready")
            settings[name] = value
            step = f"{what} after {name} = {value!r}"
            _assert_chart_says_what_it_draws(widget, view, settings, step)
            _assert_phone_layout(page, widget, step)
            changes += 1
        if spec["kind"] == "number":
            _assert_bad_number_does_not_freeze(widget, view, spec, settings, what)
            changes += 2
    return changes


def _assert_bad_number_does_not_freeze(widget: Locator, view: str, spec: dict,
                                       settings: dict, what: str) -> None:
    form = widget.locator("form.lw-controls")
    field = form.locator(f'[name="{spec["name"]}"]')
    status = widget.locator(".lw-status")
    drawn = plotted_traces(widget)
    before = renders(widget)
    low, high = spec["min"], spec["max"]
    field.fill(str(high + (high - low) + 1))
    field.dispatch_event("change")
    expect(status).to_contain_text(f"from {low:g} to {high:g}")
    assert widget.get_attribute("data-lw-state") != "error", f"{what}: a bad number broke it"
    assert plotted_traces(widget) == drawn, f"{what}: the last good chart did not stay"
    assert renders(widget) == before
    # a valid value redraws, and the message goes
    middle = _middle(spec)
    other = middle if middle != settings[spec["name"]] else control_value(spec, low)
    for value in (other, settings[spec["name"]]):
        count = renders(widget)
        set_control(form, spec, value)
        wait_renders_above(widget, count)
        wait_state(widget, "ready")
        expected_settings = {**settings, spec["name"]: value}
        _assert_chart_says_what_it_draws(widget, view, expected_settings,
                                         f"{what} after a bad {spec['name']}, then {value!r}")
    expect(status).not_to_contain_text(f"from {low:g} to {high:g}")


def _walk_race(page: Page, widget: Locator, what: str) -> int:
    """Each change keeps the race working and says whether a Restart is needed."""
    data = initial_data(widget)
    shown, settings = dict(data["settings"]), dict(data["settings"])
    form = widget.locator("form.lw-controls")
    changes = 0
    for spec in data["controls"]:
        for value in _values_to_try(spec, settings[spec["name"]]):
            set_control(form, spec, value)
            settings[spec["name"]] = value
            stale = settings != shown
            step = f"{what} after {spec['name']} = {value!r}"
            expect(widget).to_have_attribute("data-lw-stale", "true" if stale else "false")
            if stale:
                expect(widget.locator(".lw-status")).to_contain_text("press")
            assert widget.get_attribute("data-lw-state") == "ready", f"{step}: not ready"
            # the caption describes the race the chart shows, until Restart
            _assert_templates_follow(widget, shown, step)
            _assert_phone_layout(page, widget, step)
            changes += 1
    return changes


def test_every_control_of_every_chart_redraws_and_says_what_it_draws(new_context, site_server,
                                                                      widget_page):
    if not widget_page.startswith("lessons/"):
        pytest.skip("lessons only (the demonstration page is walked by test_browser_views)")
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    page.goto(site_server.url(widget_page), wait_until="load")
    charts = page.locator(CHART_KINDS)
    if charts.count() == 0:
        pytest.skip(f"{widget_page} has no chart widget")
    wait_runtime(page)
    changes = 0
    for widget in charts.all():
        what = f"{widget_page} #{widget.get_attribute('id')}"
        commit_prediction(widget)
        wait_state(widget, "ready")
        if widget.get_attribute("data-lw-kind") == "view":
            changes += _walk_view(page, widget, what)
        else:
            changes += _walk_race(page, widget, what)
    assert changes > 0, f"{widget_page}: no control was moved"
