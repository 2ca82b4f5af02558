"""Quizzes work with the keyboard alone and give feedback with the explanation."""

from __future__ import annotations

import pytest
from playwright.sync_api import Locator, Page, expect

from live_page import payload, widgets


@pytest.fixture
def quiz(page: Page, demo_url: str) -> Locator:
    page.goto(demo_url)
    found = widgets(page, "quiz")
    assert found.count() > 0, "the demonstration page has no quiz"
    return found.first


def focused_action(page: Page) -> str | None:
    return page.evaluate("() => document.activeElement?.dataset?.lwAction ?? null")


def answer_choice_by_keyboard(page: Page, question: Locator, index: int) -> None:
    """Select choice `index` with Space and the arrow keys, then Tab to Check and press Enter."""
    radios = question.locator('input[type="radio"]')
    radios.first.focus()  # the reader tabs into the group; focus lands on its first radio
    page.keyboard.press("Space")
    for _ in range(index):
        page.keyboard.press("ArrowDown")
    expect(radios.nth(index)).to_be_checked()
    page.keyboard.press("Tab")
    assert focused_action(page) == "check", "Tab from the choices should reach Check"
    page.keyboard.press("Enter")


def answer_number_by_keyboard(page: Page, question: Locator, value: float) -> None:
    field = question.locator('input[type="number"], input[inputmode="decimal"]').first
    field.focus()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(repr(value))
    page.keyboard.press("Tab")
    assert focused_action(page) == "check", "Tab from the answer should reach Check"
    page.keyboard.press("Enter")


def test_quiz_questions_answered_by_keyboard_alone(page, quiz):
    answers = payload(quiz)
    questions = quiz.locator(".lw-question")
    assert questions.count() == len(answers)
    for index, answer in enumerate(answers):
        question = questions.nth(index)
        explanation = answer["explain"].replace("`", "").replace("*", "").strip()
        if "answer" in answer:
            choices = question.locator('input[type="radio"]').count()
            wrong = (answer["answer"] + 1) % choices
            answer_choice_by_keyboard(page, question, wrong)
            expect(question).to_have_attribute("data-lw-result", "incorrect")
            answer_choice_by_keyboard(page, question, answer["answer"])
        else:
            target, tolerance = answer["number"], answer.get("tolerance", 0.0)
            # Ten times the answer lies outside any sensible relative tolerance.
            answer_number_by_keyboard(page, question, target * 10 + 1)
            expect(question).to_have_attribute("data-lw-result", "incorrect")
            # Just inside the tolerance still counts as right.
            answer_number_by_keyboard(page, question, target * (1 + tolerance / 2))
        expect(question).to_have_attribute("data-lw-result", "correct")
        expect(question).to_contain_text(explanation)
