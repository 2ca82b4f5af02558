"""Each lesson's exercise, in the built lesson page: a likely mistake gets the feedback
written for it, and the solution passes every check, judged by the page's own worker."""

from __future__ import annotations

import pytest
from playwright.sync_api import Locator, Page, expect

from live_page import (action, payload, renders, set_editor_code, wait_renders_above,
                       wait_runtime, wait_state, widgets)

# lesson page, the solution's text, the mistake, words its feedback must contain
MISTAKES = [
    ("lessons/01-promise-of-depth.html", "return 3 ** layers\n", "return 3 * layers\n",
     "multiplies"),
    ("lessons/02-vanishing-gradients.html", "total = 1\n", "total = 0\n", "start from 1"),
    ("lessons/03-crisis-before-2015.html", "return np.sqrt(2 / n)", "return np.sqrt(1 / n)",
     "half"),
    ("lessons/04-degradation.html", "if deep_train[-1] > shallow_train[-1]:",
     "if deep_train[0] > shallow_train[0]:", "where training ends"),
    ("lessons/05-residual-idea.html", "return g + dx_branch", "return dx_branch", "+1"),
    ("lessons/06-why-it-works.html", "range(low, high + 1)", "range(low, high)",
     "range(low, high + 1)"),
    ("lessons/07-summary-and-next.html", "np.all(m >= 0)\n                and ", "",
     "negative"),
]


def check(exercise: Locator, code: str) -> list[tuple[str, str]]:
    set_editor_code(exercise.locator('.lw-widget[data-lw-kind="cell"]').first, code)
    before = renders(exercise)
    action(exercise, "check").click()
    wait_renders_above(exercise, before)
    items = exercise.locator("ul.lw-feedback > li")
    return [(items.nth(i).get_attribute("data-lw-passed"), items.nth(i).inner_text())
            for i in range(items.count())]


@pytest.mark.parametrize("lesson, old, new, words", MISTAKES, ids=[m[0] for m in MISTAKES])
def test_the_lesson_exercise_names_a_mistake_and_passes_the_solution(
        page: Page, site_server, lesson, old, new, words):
    page.goto(site_server.url(lesson))
    found = widgets(page, "exercise")
    assert found.count() == 1, f"{lesson} should have one exercise"
    wait_runtime(page)
    exercise = found.first
    wait_state(exercise, "ready")
    solution = payload(exercise)["solution"]
    assert old in solution, f"{lesson}: the solution no longer contains {old!r}"

    results = check(exercise, solution.replace(old, new))
    expect(exercise).to_have_attribute("data-lw-result", "failed")
    failed = [text for passed, text in results if passed == "false"]
    assert any(words in text for text in failed), f"{lesson}: {failed}"

    results = check(exercise, solution)
    expect(exercise).to_have_attribute("data-lw-result", "passed")
    assert results and all(passed == "true" for passed, _text in results), results
