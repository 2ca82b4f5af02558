"""Exercises: checks run in the worker against the reader's code, with feedback."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Locator, Page, expect

from live_page import (action, payload, renders, set_editor_code, wait_renders_above,
                       wait_runtime, wait_state, widgets)


@pytest.fixture
def exercise(page: Page, demo_url: str) -> Locator:
    page.goto(demo_url)
    found = widgets(page, "exercise")
    assert found.count() > 0, "the demonstration page has no exercise"
    wait_runtime(page)
    widget = found.first
    wait_state(widget, "ready")
    return widget


def check(exercise: Locator, code: str) -> None:
    set_editor_code(exercise.locator('.lw-widget[data-lw-kind="cell"]').first, code)
    before = renders(exercise)
    action(exercise, "check").click()
    wait_renders_above(exercise, before)


def feedback(exercise: Locator) -> list[tuple[str, str]]:
    items = exercise.locator("ul.lw-feedback > li")
    return [(items.nth(i).get_attribute("data-lw-passed"), items.nth(i).inner_text())
            for i in range(items.count())]


def test_exercise_passes_with_the_solution(exercise):
    secret = payload(exercise)
    check(exercise, secret["solution"])
    expect(exercise).to_have_attribute("data-lw-result", "passed")
    results = feedback(exercise)
    assert len(results) == len(secret["checks"]), results
    assert all(passed == "true" for passed, _text in results), results
    for (_passed, text), spec in zip(results, secret["checks"]):
        assert spec["name"] in text


def test_exercise_fails_with_feedback_for_a_wrong_answer(exercise):
    secret = payload(exercise)
    # The starter code is the task before the reader's work: it must not pass.
    starter = exercise.locator('.lw-widget[data-lw-kind="cell"] script.lw-initial')
    check(exercise, json.loads(starter.first.text_content())["code"])
    expect(exercise).to_have_attribute("data-lw-result", "failed")
    results = feedback(exercise)
    # One item per check, then possibly one more for an error the code itself raised.
    assert len(results) >= len(secret["checks"]), results
    assert any(passed == "false" for passed, _text in results), (
        f"no check failed for the starter code: {results}")
    for (passed, text), spec in zip(results, secret["checks"]):
        assert spec["name"] in text, f"feedback {text!r} does not name its check"
        if passed == "false":
            assert len(text.strip()) > len(spec["name"]), (
                f"the failed check {spec['name']!r} needs a message, shows {text!r}")


def test_hints_and_solution_are_revealed_on_request(exercise):
    secret = payload(exercise)
    assert secret["hints"], "the demonstration exercise should have hints"
    # Hints are Markdown; the page shows them rendered, without code backticks.
    first_hint = secret["hints"][0].replace("`", "").replace("*", "").strip()
    expect(exercise).not_to_contain_text(first_hint)
    action(exercise, "hint").click()
    expect(exercise).to_contain_text(first_hint)
    solution_line = next(line for line in secret["solution"].splitlines() if line.strip())
    action(exercise, "solution").click()
    expect(exercise).to_contain_text(solution_line.strip())
