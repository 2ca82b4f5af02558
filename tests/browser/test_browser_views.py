"""The chart widgets compute live in Pyodide and agree with gradflow in CPython.

Each check reads the numbers plotly.js is drawing straight from the graph div and compares
them with `gradflow.views` computed here, for the same settings.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from gradflow import views
from playwright.sync_api import Locator, Page, expect

from live_page import (RENDER_TIMEOUT_MS, action, another_value, assert_traces_match,
                       commit_prediction, initial_data, plotted_traces, renders, set_control,
                       wait_chart_drawn, wait_renders_above, wait_runtime, wait_state, widgets)

# CPython (numpy 2.x with OpenBLAS) and Pyodide (numpy 2.0.2, no BLAS, its own libm)
# run the same float64 code but round matrix products and tanh differently in the last
# bits. A stable stack (sigmoid) agrees to ~1e-15; an exploding one amplifies the
# difference layer by layer: measured 2.0e-7 relative at depth 33, tanh, std 1 (layer-1
# gradient 2.1e7). 1e-6 keeps a factor of five above that and is still far finer than
# any chart, table or readout shows, while a wrong setting changes numbers by percent.
RTOL = 1e-6


def expected(view: str, settings: dict) -> dict:
    return views.VIEWS[view].compute(views.validate_settings(view, settings))


def view_widgets(page: Page) -> list[Locator]:
    found = widgets(page, "view")
    assert found.count() > 0, "the demonstration page has no chart widget"
    return [found.nth(index) for index in range(found.count())]


@pytest.fixture
def demo(page: Page, demo_url: str) -> Page:
    page.goto(demo_url)
    return page


def test_build_time_charts_are_drawn_before_the_runtime_is_needed(demo):
    for widget in view_widgets(demo):
        initial = initial_data(widget)
        name = widget.get_attribute("id")
        # Charts are drawn as they near the viewport, and after the guess on predict prompts.
        widget.scroll_into_view_if_needed()
        commit_prediction(widget)
        wait_chart_drawn(widget)
        assert_traces_match(plotted_traces(widget), initial["figure"], 0.0, f"{name} (build time)")
        # The build-time numbers are what gradflow gives for the directive's settings.
        assert_traces_match(plotted_traces(widget),
                            expected(initial["view"], initial["settings"])["figure"],
                            RTOL, f"{name} (build time vs gradflow now)")


def test_every_control_change_redraws_with_gradflows_numbers(demo):
    wait_runtime(demo)
    for widget in view_widgets(demo):
        name = widget.get_attribute("id")
        wait_state(widget, "ready")
        commit_prediction(widget)
        initial = initial_data(widget)
        settings = dict(initial["settings"])
        form = widget.locator("form.lw-controls")
        for spec in initial["controls"]:
            field = form.locator(f'[name="{spec["name"]}"]')
            assert field.count() > 0, f"{name}: no form input for control {spec['name']!r}"
            expect(field.first).to_be_enabled()
            new_value = another_value(spec, settings[spec["name"]])
            before = renders(widget)
            set_control(form, spec, new_value)
            wait_renders_above(widget, before)
            wait_state(widget, "ready")
            settings[spec["name"]] = new_value
            wanted = expected(initial["view"], settings)
            what = f"{name} after {spec['name']} = {new_value!r}"
            assert_traces_match(plotted_traces(widget), wanted["figure"], RTOL, what)
            expect(widget.locator(".lw-readout")).to_have_text(wanted["readout"])


def test_rapid_changes_end_on_the_latest_settings(demo):
    """Coalescing: a burst of changes must leave the chart showing the last one."""
    wait_runtime(demo)
    widget = _gradient_widget_with(demo, "depth")
    wait_state(widget, "ready")
    commit_prediction(widget)
    initial = initial_data(widget)
    spec = next(c for c in initial["controls"] if c["name"] == "depth")
    form = widget.locator("form.lw-controls")
    depths = [spec["min"] + 1, spec["max"], spec["min"] + 2, spec["max"] - 1, spec["min"] + 7]
    for depth in depths:
        set_control(form, spec, depth)
    settings = {**initial["settings"], "depth": depths[-1]}
    wanted = expected("gradient", settings)
    layers = len(wanted["figure"]["data"][0]["x"])
    widget.page.wait_for_function(
        """([el, layers]) => {
            const g = el.querySelector('.js-plotly-plot') || el.querySelector('.lw-chart');
            return el.dataset.lwState === 'ready' && g && g.data
                   && g.data[0].x.length === layers; }""",
        arg=[widget.element_handle(), layers], timeout=RENDER_TIMEOUT_MS)
    assert_traces_match(plotted_traces(widget), wanted["figure"], RTOL, "after a burst")
    expect(widget.locator(".lw-readout")).to_have_text(wanted["readout"])


def test_predict_prompt_hides_the_chart_until_a_guess(demo):
    predicting = [w for w in view_widgets(demo) if w.locator("fieldset.lw-predict").count()]
    assert predicting, "the demonstration page has no predict-then-run widget"
    widget = predicting[0]
    expect(widget.locator(".lw-chart")).to_be_hidden()
    show = action(widget, "show-result")
    choices = widget.locator('fieldset.lw-predict input[type="radio"]')
    assert choices.count() >= 2, "a prediction needs at least two choices"
    choices.nth(1).check()
    show.click()
    expect(widget.locator(".lw-chart")).to_be_visible()


def _shared_settings(widget: Locator) -> dict:
    """A depth and one select setting that differ from the widget's own."""
    initial = initial_data(widget)
    specs = {c["name"]: c for c in initial["controls"]}
    shared = {"depth": another_value(specs["depth"], initial["settings"]["depth"])}
    for spec in specs.values():
        if spec["kind"] == "select":
            shared[spec["name"]] = another_value(spec, initial["settings"][spec["name"]])
            break
    return shared


def _open_shared_link(new_context, site_server, predicting: bool) -> tuple[Locator, dict]:
    probe = new_context().new_page()
    probe.goto(site_server.url("book/demo.html"))
    widget = _gradient_widget_with(probe, "depth", predicting=predicting)
    name = widget.get_attribute("id")
    assert name, "a chart widget needs an id (its :name:) to be shared"
    initial, shared = initial_data(widget), _shared_settings(widget)
    probe.close()

    page = new_context().new_page()
    page.goto(site_server.url("book/demo.html") + f"#{name}?{urlencode(shared)}")
    wait_runtime(page)
    widget = page.locator(f"#{name}")
    wait_renders_above(widget, 0)  # the restored settings are computed live
    wait_state(widget, "ready")
    form = widget.locator("form.lw-controls")
    for key, value in shared.items():
        expect(form.locator(f'[name="{key}"]').first).to_have_value(str(value))
    return widget, expected(initial["view"], {**initial["settings"], **shared})


def test_shared_link_restores_a_widgets_settings(new_context, site_server):
    widget, wanted = _open_shared_link(new_context, site_server, predicting=False)
    assert_traces_match(plotted_traces(widget), wanted["figure"], RTOL, "from a shared link")
    expect(widget.locator(".lw-readout")).to_have_text(wanted["readout"])


def test_shared_link_to_a_predict_widget_opens_on_the_shared_result(
        new_context, site_server):
    # a link is for showing (issue 11): it opens past the prompt, with no guess
    widget, wanted = _open_shared_link(new_context, site_server, predicting=True)
    expect(widget).to_have_attribute("data-lw-predict", "done")
    expect(widget.locator(".lw-readout")).to_have_text(wanted["readout"])
    assert_traces_match(plotted_traces(widget), wanted["figure"], RTOL,
                        "shared link to a predict widget")


def _gradient_widget_with(page: Page, control: str, predicting: bool | None = None) -> Locator:
    for widget in view_widgets(page):
        initial = initial_data(widget)
        has_prompt = widget.locator("fieldset.lw-predict").count() > 0
        if (initial["view"] == "gradient"
                and any(c["name"] == control for c in initial["controls"])
                and (predicting is None or predicting == has_prompt)):
            return widget
    raise AssertionError(f"no gradient widget on the page shows a {control!r} control"
                         + ("" if predicting is None else f" with predict={predicting}"))
