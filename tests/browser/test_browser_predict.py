"""Predict first, then the answer (issue 11), as a student, a teacher and a printer meet it.

- No predict prompt in the book is answered on the page before the guess: the numbers
  its readout shows after the guess appear nowhere in the text visible before it (the
  lesson's discussion of the result waits in an ``{after-guess}`` block).
- A share link shows: it opens on the chart, scrolled into view, and says what it set;
  ``predict=ask`` keeps the prompt.
- Quizzes teach without telling: a wrong answer shows the hint, not the explanation.
- On paper the prompts print open and their answers are gathered at the end.
"""

from __future__ import annotations

import math
import re

import pytest
from playwright.sync_api import Locator, Page, expect

from gradflow.text import WrittenNumber, numbers_in
from live_page import action, initial_data, payload, wait_runtime, wait_state, widgets
from site_server import SITE_DIR

PREDICTING = '.lw-widget[data-lw-predict], .lw-widget:has(> fieldset.lw-predict)'


def lesson_pages() -> list[str]:
    pages = sorted(path.relative_to(SITE_DIR).as_posix()
                   for path in (SITE_DIR / "lessons").glob("*.html"))
    return pages or ["lessons-not-built"]


def _round(value: float, digits: int) -> float:
    if value == 0:
        return 0.0
    return round(value, digits - 1 - math.floor(math.log10(abs(value))))


def telling(readout: str, settings: dict) -> list[WrittenNumber]:
    """The numbers of a readout that answer the prompt: not the settings the prompt
    already names (30 layers, 54 blocks, "layer 1"), not a 0 % or 100 % share.
    Numbers are read by gradflow.text.numbers_in ("2.0 × 10⁻⁵", "6.9 thousand", "0.49");
    signs are ignored, so "−0.3" on the page states a readout's "0.3" too."""
    named = {float(v) for v in settings.values()
             if isinstance(v, (int, float)) and not isinstance(v, bool)}
    return [n for n in numbers_in(readout)
            if abs(n) not in named and abs(n) not in (0.0, 1.0, 100.0)]


def gives_away(answer: WrittenNumber, seen: WrittenNumber) -> bool:
    """`seen` on the page states `answer`: the same value at the readout's precision
    or finer. A small whole number in the readout ("3 times") is given away only by a
    decimal that rounds to it ("2.95 times"), not by every "3" on the page; a
    percentage only by a percentage."""
    if answer.percent != seen.percent:
        return False
    if answer.whole and abs(answer) < 10 and seen.whole:
        return False
    if seen.digits < answer.digits:
        return False
    return math.isclose(_round(abs(seen), answer.digits), abs(answer), rel_tol=1e-9, abs_tol=0.0)


def visible_text(page: Page) -> str:
    """What a reader can read: innerText leaves out hidden and folded parts. The tables
    of numbers behind *other* charts are left out too: they list every layer's value for
    other settings (a "0.49" at layer 29 of lesson 3's sigmoid stack), not the answer;
    the prompt's own table is hidden until the guess, which the test checks apart.
    Other charts' axis labels are left out for the same reason: a tick "12" on a step
    axis, or "10⁻¹²" on a log axis, is a scale, not a result (the prompt's own chart is
    hidden until the guess, which the test checks apart), and so are code editors' line
    numbers. Maths is read as a reader sees it: KaTeX's hidden MathML copy is left out and
    its raised exponents are read as superscripts, so "9.09 × 10⁻¹³" is one number, not a
    9.09, a 10 and a 13 (lesson 2's "13 times" is not given away by that exponent)."""
    return page.evaluate("""() => {
        const article = document.querySelector('article') || document.body;
        const tables = [...article.querySelectorAll(
            'details.lw-table, .lw-chart, .cm-gutters, .katex-mathml')];
        const shown = tables.map(t => t.style.display);
        tables.forEach(t => { t.style.display = 'none'; });
        const RAISED = {'0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶',
                        '7': '⁷', '8': '⁸', '9': '⁹', '-': '⁻', '−': '⁻', '+': '⁺'};
        const exponents = [...article.querySelectorAll('.katex-html .msupsub .vlist-t')];
        const markup = exponents.map(e => e.innerHTML);
        exponents.forEach(e => {
            e.textContent = [...e.textContent.replace(/\u200b/g, '').trim()]
                .map(c => RAISED[c] || c).join('');
        });
        const text = article.innerText;
        exponents.forEach((e, i) => { e.innerHTML = markup[i]; });
        tables.forEach((t, i) => { t.style.display = shown[i]; });
        return text;
    }""")


def prompt_pages() -> list[str]:
    """Every page of the built book that has a predict prompt."""
    if not SITE_DIR.is_dir():
        return ["book-not-built"]
    return sorted(path.relative_to(SITE_DIR).as_posix() for path in SITE_DIR.rglob("*.html")
                  if 'class="lw-predict"' in path.read_text(encoding="utf-8", errors="ignore"))


@pytest.mark.parametrize("lesson", prompt_pages())
def test_no_prompt_is_answered_on_the_page_before_the_guess(page: Page, site_server, lesson):
    page.goto(site_server.url(lesson), wait_until="load")
    prompts = page.locator(PREDICTING)
    assert prompts.count() > 0, f"{lesson}: the page has predict markup but no prompt widget"
    for index in range(prompts.count()):
        widget = prompts.nth(index)
        name = widget.get_attribute("id")
        expect(widget).to_have_attribute("data-lw-predict", "pending")
        for part in (".lw-readout", ".lw-chart", ".lw-table", ".lw-caption"):
            for element in widget.locator(f":scope > {part}").all():
                expect(element).to_be_hidden()
        held_back = page.locator(f'.lw-after-guess[data-lw-after="{name}"]')
        for block in held_back.all():
            expect(block).to_be_hidden()
        before = visible_text(page)

        widget.locator('fieldset.lw-predict input[type="radio"]').first.check()
        action(widget, "show-result").click()
        expect(widget).to_have_attribute("data-lw-predict", "done")
        expect(widget.locator(":scope > .lw-chart")).to_be_visible()
        expect(widget.locator(".lw-predict-note")).to_contain_text("Your guess")
        for block in held_back.all():
            expect(block).to_be_visible()
        readout = widget.locator(":scope > .lw-readout").inner_text()
        assert readout.strip(), f"#{name}: no readout after the guess"
        answers = telling(readout, initial_data(widget)["settings"])
        assert answers, f"#{name}: the readout {readout!r} states no result to check"
        seen = numbers_in(before)
        told = [(answer, shown) for answer in answers for shown in seen
                if gives_away(answer, shown)]
        assert not told, (
            f"{lesson} #{name}: before the guess the page already shows "
            f"{told[0][1].text!r}, the readout's {told[0][0].text!r} ({readout!r}); move the "
            "text that states it into an {after-guess} block")


def test_the_race_is_hidden_until_the_guess_and_show_the_result_works(page: Page, site_server):
    page.goto(site_server.url("lessons/04-degradation.html"), wait_until="load")
    race = widgets(page, "race").first
    expect(race).to_have_attribute("data-lw-predict", "pending")
    expect(race.locator(":scope > .lw-chart")).to_be_hidden()
    expect(race.locator(":scope > .lw-readout")).to_be_hidden()
    expect(action(race, "start")).to_be_hidden()
    show = action(race, "show-result")
    show.click()  # no guess yet: asked for one, nothing revealed
    expect(race.locator(".lw-predict-note")).to_contain_text("Choose one guess")
    expect(race).to_have_attribute("data-lw-predict", "pending")
    race.locator('fieldset.lw-predict input[type="radio"]').nth(1).check()
    show.click()
    expect(race).to_have_attribute("data-lw-predict", "done")
    chart = race.locator(":scope > .lw-chart")
    expect(chart).to_be_visible()
    page.wait_for_function("el => Array.isArray(el.data) && el.data.length > 0",
                           arg=chart.element_handle(), timeout=60_000)
    expect(race.locator(".lw-predict-note")).to_contain_text("Your guess")
    expect(action(race, "start")).to_be_visible()


def test_changed_race_settings_say_restart_is_needed(page: Page, site_server):
    page.goto(site_server.url("lessons/04-degradation.html"), wait_until="load")
    race = widgets(page, "race").first
    race.locator('fieldset.lw-predict input[type="radio"]').first.check()
    action(race, "show-result").click()
    wait_runtime(page)
    wait_state(race, "ready")
    field = race.locator("form.lw-controls input[type=number], form.lw-controls input[type=range]").first
    current = field.input_value()
    low, high = field.get_attribute("min"), field.get_attribute("max")
    other = str(int(float(low))) if float(current) != float(low) else str(int(float(high)))

    def set_value(value: str) -> None:
        field.fill(value)
        field.dispatch_event("input")
        field.dispatch_event("change")

    set_value(other)
    status = race.locator(".lw-status")
    expect(status).to_contain_text("earlier settings")
    expect(status).to_contain_text(action(race, "start").inner_text())
    set_value(current)
    expect(status).to_have_text("")


# --- share links ----------------------------------------------------------------------

LESSON_2 = "lessons/02-vanishing-gradients.html"
PROMPT_WIDGET = "vanishing-sigmoid"


def test_a_share_link_opens_on_the_chart_and_says_what_it_set(page: Page, site_server):
    page.goto(site_server.url(LESSON_2) + f"#{PROMPT_WIDGET}?depth=10&activation=tanh")
    widget = page.locator(f"#{PROMPT_WIDGET}")
    expect(widget).to_have_attribute("data-lw-predict", "done")
    chart = widget.locator(":scope > .lw-chart")
    expect(chart).to_be_visible()
    expect(chart).to_be_in_viewport()
    wait_runtime(page)  # start-up progress has the status line until Python is ready
    status = widget.locator(".lw-status")
    expect(status).to_contain_text("This link set")
    expect(status).to_contain_text("10")
    expect(status).to_contain_text("tanh")
    # the prompt's words follow the link's settings, not the lesson's 30 layers
    legend = widget.locator("fieldset.lw-predict legend")
    expect(legend).to_contain_text("10-layer tanh")
    # and the chart is the linked one, once Python has computed it
    page.wait_for_function(
        """el => { const g = el.querySelector('.lw-chart');
                   return g && g.data && g.data[0].x.length === 10; }""",
        arg=widget.element_handle(), timeout=120_000)
    expect(widget.locator(".lw-caption")).to_contain_text("10-layer tanh")


def test_a_share_link_can_keep_the_prompt(page: Page, site_server):
    page.goto(site_server.url(LESSON_2) + f"#{PROMPT_WIDGET}?depth=50&predict=ask")
    widget = page.locator(f"#{PROMPT_WIDGET}")
    expect(widget).to_have_attribute("data-lw-predict", "pending")
    expect(widget.locator(":scope > .lw-chart")).to_be_hidden()
    expect(widget.locator("fieldset.lw-predict legend")).to_contain_text("50-layer")
    wait_runtime(page)
    expect(widget.locator(".lw-status")).to_contain_text("Depth (layers): 50")


# --- bad input ------------------------------------------------------------------------

def test_an_out_of_range_value_names_the_range_and_other_controls_still_work(
        page: Page, site_server):
    page.goto(site_server.url("lessons/06-why-it-works.html"))
    widget = page.locator("#paths-resnet")
    widget.locator('fieldset.lw-predict input[type="radio"]').first.check()
    action(widget, "show-result").click()
    wait_runtime(page)
    wait_state(widget, "ready")
    form = widget.locator("form.lw-controls")
    form.locator('[name="gradient"]').check()
    strength = form.locator('[name="branch_scale"]')
    spec = next(c for c in initial_data(widget)["controls"] if c["name"] == "branch_scale")
    before = int(widget.get_attribute("data-lw-renders") or 0)
    page.wait_for_function("([el, n]) => Number(el.dataset.lwRenders || 0) > n",
                           arg=[widget.element_handle(), before - 1], timeout=120_000)
    strength.fill(str(spec["max"] + 1))
    strength.dispatch_event("change")
    status = widget.locator(".lw-status")
    expect(status).to_contain_text(f"from {spec['min']:g} to {spec['max']:g}")
    chart = widget.locator(":scope > .lw-chart")
    expect(chart).to_be_visible()
    # the blocks slider still redraws, with the last good strength
    rendered = int(widget.get_attribute("data-lw-renders") or 0)
    blocks = form.locator('[name="blocks"]')
    blocks.fill("20")
    blocks.dispatch_event("input")
    page.wait_for_function("([el, n]) => Number(el.dataset.lwRenders || 0) > n",
                           arg=[widget.element_handle(), rendered], timeout=120_000)
    expect(widget.locator(":scope > .lw-readout")).to_contain_text("20 blocks")
    expect(status).to_contain_text(f"from {spec['min']:g} to {spec['max']:g}")


# --- quizzes --------------------------------------------------------------------------

def test_a_wrong_answer_gets_the_hint_and_the_explanation_waits(page: Page, site_server):
    page.goto(site_server.url(LESSON_2))
    quiz = widgets(page, "quiz").first
    answers = payload(quiz)
    index = next(i for i, a in enumerate(answers) if "answer" in a and a.get("hint"))
    question, answer = quiz.locator(".lw-question").nth(index), answers[index]
    radios = question.locator('input[type="radio"]')
    radios.nth((answer["answer"] + 1) % radios.count()).check()
    action(question, "check").click()
    expect(question).to_have_attribute("data-lw-result", "incorrect")
    feedback = question.locator(".lw-quiz-feedback")
    expect(feedback).to_contain_text(answer["hint"].replace("`", ""))
    assert answer["explain"] not in feedback.inner_text()
    give_up = action(question, "show-answer")
    expect(give_up).to_be_visible()
    give_up.click()
    right = radios.nth(answer["answer"]).evaluate("r => r.labels[0].textContent.trim()")
    expect(feedback).to_contain_text(right)
    expect(feedback).to_contain_text(answer["explain"].replace("`", "")[:40])


# --- print ----------------------------------------------------------------------------

def test_printed_prompts_are_open_and_their_answers_come_at_the_end(page: Page, site_server):
    page.goto(site_server.url(LESSON_2), wait_until="load")
    page.emulate_media(media="print")
    widget = page.locator(f"#{PROMPT_WIDGET}")
    expect(widget.locator("fieldset.lw-predict legend")).to_be_visible()
    expect(widget.locator('fieldset.lw-predict input[type="radio"]').first).to_be_visible()
    expect(action(widget, "show-result")).to_be_hidden()
    in_place = page.locator(f'.lw-after-guess[data-lw-after="{PROMPT_WIDGET}"]')
    expect(in_place).to_be_hidden()
    answers = page.locator(".lw-print-answers")
    expect(answers).to_be_visible()
    first_words = in_place.evaluate("el => el.textContent.trim().slice(0, 40)")
    expect(answers).to_contain_text(first_words)
    # the answers come after everything else the lesson prints
    last = page.evaluate("""() => { const a = document.querySelector('article');
        return a.lastElementChild.classList.contains('lw-print-answers'); }""")
    assert last, "the answers section is not at the end of the lesson"
    # after the guess the discussion prints in place, and the end section is gone
    page.emulate_media(media="screen")
    widget.locator('fieldset.lw-predict input[type="radio"]').first.check()
    action(widget, "show-result").click()
    page.emulate_media(media="print")
    expect(in_place).to_be_visible()
    # its entry leaves the end section (another prompt still waiting keeps its own)
    expect(page.locator(f'.lw-print-answer[data-lw-for="{PROMPT_WIDGET}"]')).to_have_count(0)
    if page.locator('.lw-widget[data-lw-predict="pending"]').count() == 0:
        expect(answers).to_have_count(0)


# Every chart on paper, read back from Chromium's PDF as pixels: each chart area is
# printed on its own (everything else made invisible, the layout unchanged), the PDF is
# rasterised with PDFium, and the inside of the inked region (a frame's border cut off)
# must hold a drawing. An empty frame, the bug in the review, leaves it blank.
CHART_WIDGETS = '.lw-widget[data-lw-kind="view"], .lw-widget[data-lw-kind="race"]'
#: dark pixels inside the printed chart at 72 dpi: axes, ticks, labels and curves give
#: thousands; an empty frame gives none
MIN_CHART_INK = 400

_ISOLATE = """([id, restore]) => {
    const root = document.getElementById(id);
    document.body.style.visibility = restore ? '' : 'hidden';
    // a prompt still waiting prints its chart in the end section (predict.mjs)
    const areas = [...root.querySelectorAll(':scope > .lw-chart, :scope > .lw-static-chart'),
        ...document.querySelectorAll(`.lw-print-answer[data-lw-for="${id}"] > .lw-static-chart`)];
    for (const area of areas) area.style.visibility = restore ? '' : 'visible';
}"""


def _printed_ink(pdf: bytes) -> int:
    import pypdfium2 as pdfium  # the project's test requirements (requirements.txt)
    from PIL import ImageOps

    document = pdfium.PdfDocument(pdf)
    ink = 0
    for index in range(len(document)):
        image = document[index].render(scale=1).to_pil().convert("L")
        dark = ImageOps.invert(image).point(lambda value: 255 if value > 55 else 0)
        box = dark.getbbox()
        if not box:
            continue
        left, top, right, bottom = box
        if right - left <= 10 or bottom - top <= 10:
            continue
        inside = dark.crop((left + 4, top + 4, right - 4, bottom - 4))
        ink += inside.histogram()[255]
    document.close()
    return ink


def _assert_every_chart_prints(page: Page, lesson: str, when: str) -> None:
    charts = page.locator(CHART_WIDGETS)
    for index in range(charts.count()):
        name = charts.nth(index).get_attribute("id")
        page.evaluate(_ISOLATE, [name, False])
        try:
            ink = _printed_ink(page.pdf(format="A4"))
        finally:
            page.evaluate(_ISOLATE, [name, True])
        assert ink >= MIN_CHART_INK, (
            f"{lesson} #{name} ({when}): the printed chart area is empty ({ink} dark pixels)")


def _chart_lessons() -> list[str]:
    pages = [page for page in lesson_pages()
             if page == "lessons-not-built"
             or "lw-chart" in (SITE_DIR / page).read_text(encoding="utf-8")]
    return pages


@pytest.mark.parametrize("lesson", _chart_lessons())
def test_every_chart_prints_when_the_lesson_is_printed_at_once(page: Page, site_server, lesson):
    # as a teacher does it: open and print, no prompt answered, no chart scrolled to
    page.goto(site_server.url(lesson), wait_until="load")
    page.wait_for_function("() => [...document.images].every(i => i.complete)")
    _assert_every_chart_prints(page, lesson, "printed at once")


def test_every_chart_prints_as_the_reader_left_it(page: Page, site_server):
    page.goto(site_server.url(LESSON_2), wait_until="load")
    charts = page.locator(CHART_WIDGETS)
    for index in range(charts.count()):
        widget = charts.nth(index)
        if widget.get_attribute("data-lw-predict") == "pending":
            widget.locator('fieldset.lw-predict input[type="radio"]').first.check()
            action(widget, "show-result").click()
        widget.scroll_into_view_if_needed()
        page.wait_for_function("el => !!el.querySelector('.main-svg')",
                               arg=widget.locator(":scope > .lw-chart").element_handle(),
                               timeout=60_000)
    _assert_every_chart_prints(page, LESSON_2, "live charts drawn")


# --- cells say what happened -----------------------------------------------------------

_CLOCK = r"\d{1,2}:\d{2}:\d{2}"


def test_a_cell_says_finished_nothing_printed_error_and_stopped_with_its_time(
        page: Page, demo_url: str):
    from live_page import run_cell, set_editor_code, top_level_cells

    page.goto(demo_url)
    wait_runtime(page)
    cell = top_level_cells(page).first
    wait_state(cell, "ready")
    status = cell.locator(".lw-status")
    run_cell(cell, "quiet = 1 + 1")
    expect(status).to_have_text(
        re.compile(rf"Finished in [\d.]+ s at {_CLOCK}; nothing printed\."))
    run_cell(cell, "print('hello')")
    expect(status).to_have_text(re.compile(rf"^Finished in [\d.]+ s at {_CLOCK}\.$"))
    run_cell(cell, "1 / 0")
    expect(status).to_contain_text("Stopped by an error (ZeroDivisionError)")
    expect(status).to_have_text(re.compile(_CLOCK))
    # Stop: the old output goes, and the status says when the run was stopped
    run_cell(cell, "print('old output')")
    set_editor_code(cell, "while True:\n    pass")
    action(cell, "run").click()
    wait_state(cell, "busy")
    action(cell, "stop").click()
    wait_runtime(page)
    expect(status).to_have_text(re.compile(rf"^Stopped after [\d.]+ s at {_CLOCK}\."))
    expect(cell.locator(".lw-output")).not_to_contain_text("old output")
