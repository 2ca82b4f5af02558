"""The student's progress (issue 15): a student does a lesson (a predict prompt, a quiz
question, the exercise), sees it on the lesson's progress line and on the progress page,
prints the one-page summary, reloads (kept) and forgets (cleared). Also: the summary code
checks out in the teachers' checker, a guess is scored only at the lesson's settings,
a browser that refuses storage still works, and the page passes axe and fits 375 px."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Locator, Page, expect

from live_page import (action, payload, renders, set_editor_code, wait_renders_above,
                       wait_runtime, wait_state)
from test_browser_pages import _serious_axe_violations

LESSON = "lessons/02-vanishing-gradients"
PROGRESS = "book/progress.html"
STORAGE_KEY = "deep-revolution:progress"


def stored(page: Page) -> dict | None:
    text = page.evaluate(f"() => localStorage.getItem({json.dumps(STORAGE_KEY)})")
    return json.loads(text) if text else None


def line_text(page: Page) -> str:
    return page.locator(".lw-progress-line .lw-progress-text").inner_text()


def lesson_row(page: Page, lesson: str = LESSON) -> list[str]:
    row = page.locator(f'.lw-progress-table tbody tr[data-lw-page="{lesson}"]')
    expect(row).to_have_count(1)
    return [cell.strip() for cell in row.locator("th, td").all_inner_texts()]


def answer_question(quiz: Locator, number: int, choice: int) -> None:
    question = quiz.locator(f'fieldset.lw-question[data-lw-question="{number}"]')
    question.locator('input[type="radio"]').nth(choice).check()
    action(question, "check").click()


def do_the_lesson(page: Page, site_server) -> dict:
    """Answer the first prompt, get one quiz question right and another right only at the
    second try, fail and then pass the exercise. Returns what the lesson contains and the
    two questions' ids ("first", "second")."""
    page.goto(site_server.url(f"{LESSON}.html"))
    line = page.locator(".lw-progress-line")
    items = json.loads(line.get_attribute("data-lw-items"))
    assert items["prompts"] and len(items["questions"]) >= 2 and len(items["exercises"]) == 1
    expect(line.locator(".lw-progress-text")).to_contain_text(
        f"0 of {len(items['questions'])} quiz questions right first time")
    expect(line.locator("a")).to_have_attribute("href", "../book/progress.html")

    prompt = page.locator(f"#{items['prompts'][0]}")
    prompt.locator('fieldset.lw-predict input[type="radio"]').first.check()
    action(prompt, "show-result").click()
    expect(prompt).to_have_attribute("data-lw-predict", "done")
    expect(line.locator(".lw-progress-text")).to_contain_text(
        f"1 of {len(items['prompts'])} prompt")

    quiz_id = items["questions"][0].rsplit("-q", 1)[0]
    quiz = page.locator(f"#{quiz_id}")
    answers = payload(quiz)
    first, second = [i for i, answer in enumerate(answers) if "answer" in answer][:2]
    answer_question(quiz, first, answers[first]["answer"])
    expect(quiz.locator(f'[data-lw-question="{first}"]')).to_have_attribute("data-lw-result",
                                                                           "correct")
    answer_question(quiz, second, 1 if answers[second]["answer"] == 0 else 0)
    expect(quiz.locator(f'[data-lw-question="{second}"]')).to_have_attribute("data-lw-result",
                                                                            "incorrect")
    answer_question(quiz, second, answers[second]["answer"])
    expect(quiz.locator(f'[data-lw-question="{second}"]')).to_have_attribute("data-lw-result",
                                                                            "correct")
    expect(line.locator(".lw-progress-text")).to_contain_text(
        f"1 of {len(items['questions'])} quiz questions right first time")

    exercise = page.locator(f"#{items['exercises'][0]}")
    wait_runtime(page)
    wait_state(exercise, "ready")
    cell = exercise.locator('.lw-widget[data-lw-kind="cell"]').first
    for code, result in (("x = 1\n", "failed"), (payload(exercise)["solution"], "passed")):
        set_editor_code(cell, code)
        before = renders(exercise)
        action(exercise, "check").click()
        wait_renders_above(exercise, before)
        expect(exercise).to_have_attribute("data-lw-result", result)
        if result == "failed":
            expect(line.locator(".lw-progress-text")).to_contain_text("exercise not passed yet")
    expect(line.locator(".lw-progress-text")).to_contain_text("exercise passed")
    return {**items, "first": f"{quiz_id}-q{first}", "second": f"{quiz_id}-q{second}"}


def pdf_pages(page: Page, paper: str) -> int:
    pdf = page.pdf(format=paper, print_background=True)
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def test_a_lesson_done_shows_on_the_progress_page_prints_on_one_page_and_can_be_forgotten(
        page: Page, site_server):
    items = do_the_lesson(page, site_server)
    record = stored(page)["pages"][LESSON]
    assert record["questions"] == {items["first"]: {"firstTry": True, "solved": True},
                                   items["second"]: {"firstTry": False, "solved": True}}
    assert record["exercises"] == {items["exercises"][0]: {"passed": True}}

    page.goto(site_server.url(PROGRESS))
    root = page.locator(".lw-progress-page")
    expect(root).to_have_attribute("data-lw-state", "ready")
    expect(root.locator(".lw-progress-needs-js")).to_have_count(0)
    # lesson 2's first prompt names its right answer (the second choice), and the guess
    # was the first choice at the lesson's own settings: scored, and wrong
    prompts, questions = len(items["prompts"]), len(items["questions"])
    assert lesson_row(page)[1:] == [f"1 of {prompts}", "0 of 1", f"1 of {questions}",
                                    "1 of 1"]
    # the lessons not visited show nothing done
    rows = page.locator(".lw-progress-table tbody tr")
    assert rows.count() == 7
    other = rows.filter(has_not=page.locator(f'[data-lw-page="{LESSON}"]')).first
    assert all(not re.match(r"[1-9]", cell) for cell in other.locator("td").all_inner_texts())

    name = root.locator(".lw-progress-name input")
    name.fill("Ada Lovelace")
    code = root.locator(".lw-progress-code").inner_text().removeprefix("Summary code: ")
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{1,4})+", code), code

    # one page on A4 and on Letter, with the name and numbers on it
    assert pdf_pages(page, "A4") == 1
    assert pdf_pages(page, "Letter") == 1
    page.emulate_media(media="print")
    expect(root.locator(".lw-progress-summary")).to_be_visible()
    expect(root.locator('[data-lw-action="forget"]')).to_be_hidden()
    expect(page.locator("article p").filter(has_text="stays in this browser only")).to_be_hidden()
    page.emulate_media(media="screen")

    # the teachers' checker reads the code back with the name on the sheet
    verify = root.locator(".lw-progress-verify")
    verify.locator("summary").click()
    verify.get_by_label("Name on the sheet").fill("ada lovelace")
    verify.get_by_label("Summary code", exact=True).fill(code.lower())
    action(verify, "verify").click()
    result = verify.locator(".lw-progress-verify-result")
    expect(result).to_have_attribute("data-lw-result", "match")
    decoded = result.locator("tbody tr").nth(1).locator("td").all_inner_texts()
    assert decoded == ["1", "0", "1", "1"]
    verify.get_by_label("Name on the sheet").fill("Charles Babbage")
    action(verify, "verify").click()
    expect(result).to_have_attribute("data-lw-result", "mismatch")

    # kept after a reload, the name too
    page.reload()
    expect(root).to_have_attribute("data-lw-state", "ready")
    assert lesson_row(page)[3] == f"1 of {questions}"
    expect(name).to_have_value("Ada Lovelace")

    # forgetting asks first; Escape keeps, the keyboard confirms
    forget = action(root, "forget")
    forget.click()
    confirm = root.locator(".lw-progress-confirm")
    expect(confirm).to_be_visible()
    expect(action(root, "keep")).to_be_focused()
    page.keyboard.press("Escape")
    expect(confirm).to_be_hidden()
    expect(forget).to_be_focused()
    assert stored(page) is not None
    forget.press("Enter")
    action(root, "confirm-forget").focus()
    page.keyboard.press("Enter")
    expect(root.locator(".lw-status")).to_contain_text("forgotten")
    assert stored(page) is None
    assert lesson_row(page)[1:] == [f"0 of {prompts}", "–", f"0 of {questions}", "0 of 1"]
    expect(name).to_have_value("")

    page.goto(site_server.url(f"{LESSON}.html"))
    expect(page.locator(".lw-progress-line .lw-progress-text")).to_contain_text(
        f"0 of {questions} quiz questions right first time")


def test_a_guess_is_scored_only_at_the_lessons_own_settings(new_context, site_server):
    # the demonstration page's first prompt names its right answer (:predict-answer:)
    page = new_context().new_page()
    page.goto(site_server.url("book/demo.html"))
    prompt = page.locator("#demo-vanishing")
    fieldset = prompt.locator("fieldset.lw-predict")
    right = payload(fieldset)["answer"] if fieldset.get_attribute("data-lw-payload") else None
    assert right is not None, "demo-vanishing should carry :predict-answer:"
    fieldset.locator('input[type="radio"]').nth(right).check()
    action(prompt, "show-result").click()
    assert stored(page)["pages"]["book/demo"]["prompts"] == {"demo-vanishing": {"right": True}}

    # the controls stay hidden until the guess, but a link can open the prompt at other
    # settings (predict=ask): the same choice there is not scored
    page = new_context().new_page()
    page.goto(site_server.url("book/demo.html#demo-vanishing?activation=tanh&predict=ask"))
    prompt = page.locator("#demo-vanishing")
    expect(prompt.locator("fieldset.lw-predict legend")).to_contain_text("tanh")
    prompt.locator('fieldset.lw-predict input[type="radio"]').nth(right).check()
    action(prompt, "show-result").click()
    assert stored(page)["pages"]["book/demo"]["prompts"] == {"demo-vanishing": {"right": None}}


def test_a_browser_that_refuses_storage_still_shows_this_visits_progress(new_context,
                                                                         site_server):
    context = new_context()
    # as in some private windows, or with the storage full: writing throws (reading
    # localStorage itself throwing is checked in tests/js/progress-store.test.mjs). Only
    # for the progress key: the theme's own script does not catch a refused write.
    context.add_init_script("""{
        const write = Storage.prototype.setItem;
        Storage.prototype.setItem = function (key, value) {
            if (String(key).startsWith('deep-revolution:progress')) {
                throw new DOMException('storage refused', 'QuotaExceededError');
            }
            return write.call(this, key, value);
        };
    }""")
    page = context.new_page()
    page.goto(site_server.url(f"{LESSON}.html"))
    line = page.locator(".lw-progress-line")
    quiz_id = json.loads(line.get_attribute("data-lw-items"))["questions"][0].rsplit("-q", 1)[0]
    quiz = page.locator(f"#{quiz_id}")
    answers = payload(quiz)
    first = next(i for i, answer in enumerate(answers) if "answer" in answer)
    answer_question(quiz, first, answers[first]["answer"])
    expect(quiz.locator(f'[data-lw-question="{first}"]')).to_have_attribute("data-lw-result",
                                                                           "correct")
    expect(line.locator(".lw-progress-text")).to_contain_text("1 of")
    page.goto(site_server.url(PROGRESS))
    note = page.locator(".lw-progress-storage-note")
    expect(note).to_be_visible()
    expect(note).to_contain_text("does not let the page keep your progress")


@pytest.mark.parametrize("width", [1280, 375])
def test_the_progress_page_with_progress_passes_axe_and_fits(new_context, guard, site_server,
                                                             width):
    page = new_context(bypass_csp=True, viewport={"width": width, "height": 900}).new_page()
    guard.expect_failed_requests(lambda request_url: request_url.endswith(".css"))
    page.goto(site_server.url(PROGRESS))
    progress = {"version": 1, "name": "Ada Lovelace", "pages": {LESSON: {
        "prompts": {}, "questions": {}, "exercises": {}}}}
    data = json.loads(page.locator("script.lw-progress-manifest").text_content())
    lesson = next(item for item in data["lessons"] if item["page"] == LESSON)
    progress["pages"][LESSON]["questions"] = {q: {"firstTry": True, "solved": True}
                                              for q in lesson["questions"]}
    page.evaluate("([key, value]) => localStorage.setItem(key, value)",
                  [STORAGE_KEY, json.dumps(progress)])
    page.reload()
    expect(page.locator(".lw-progress-page")).to_have_attribute("data-lw-state", "ready")
    assert lesson_row(page)[3] == f"{len(lesson['questions'])} of {len(lesson['questions'])}"
    page.locator(".lw-progress-verify summary").click()
    action(page.locator(".lw-progress-page"), "forget").click()
    assert _serious_axe_violations(page) == []
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow} px at {width} px"
