"""Reading the lessons as a student, a phone user, a reader without JavaScript and a
teacher printing a lesson would (issue 11): every formula is typeset, every touch target
is at least 24 x 24 px, chart text does not collide at 375 px, every chart has a picture
without JavaScript, and every chart area holds a drawing on paper."""

from __future__ import annotations

import io
import re
import zlib
from urllib.parse import urlsplit

import pytest
from PIL import Image
from playwright.sync_api import Locator, Page, expect

from live_page import commit_prediction, wait_chart_drawn

PHONE = {"width": 375, "height": 740}
CHART_KINDS = '.lw-widget[data-lw-kind="view"], .lw-widget[data-lw-kind="race"]'
#: WCAG 2.2, 2.5.8 (target size, minimum); half a pixel for sub-pixel layout
MIN_TARGET_PX = 24 - 0.5

# Text of the article with code, maths and embedded data taken out, hidden parts (folded
# deep dives) included: what is left must hold no TeX source.
_TEXT_OUTSIDE_CODE_AND_MATHS = r"""() => {
    const article = document.querySelector('article');
    // the root page only redirects to the first page; it has no article to read
    if (!article) return {leak: null, maths: 0, typeset: 0, errors: 0, article: false};
    const copy = article.cloneNode(true);
    copy.querySelectorAll('pre, code, kbd, .katex, .math, script, style, textarea, .cm-editor')
        .forEach(el => el.remove());
    const text = copy.textContent;
    const found = text.match(/\$|\\[A-Za-z]+|[_^]\{/);
    return {
        leak: found ? text.slice(Math.max(0, found.index - 40), found.index + 40) : null,
        maths: article.querySelectorAll('.math').length,
        typeset: article.querySelectorAll('.math .katex').length,
        errors: article.querySelectorAll('.katex-error').length,
        article: true,
    };
}"""


def test_every_formula_is_typeset_and_no_tex_source_shows(page: Page, site_server, site_page):
    if site_page == "index.html":
        pytest.skip("the root page only redirects to the first page, which is tested")
    page.goto(site_server.url(site_page), wait_until="load")
    result = page.evaluate(_TEXT_OUTSIDE_CODE_AND_MATHS)
    if site_page.startswith("lessons/"):
        assert result["article"], f"{site_page} has no article"
    assert result["leak"] is None, f"{site_page}: TeX source in the text: {result['leak']!r}"
    assert result["errors"] == 0, f"{site_page}: {result['errors']} formula(s) KaTeX could not parse"
    assert result["typeset"] == result["maths"], (
        f"{site_page}: {result['maths'] - result['typeset']} formula(s) not typeset by KaTeX")


def test_the_deep_dives_of_lessons_2_and_3_are_typeset(page: Page, site_server):
    # the pages where the broken markup was found: their deep dives hold many formulas
    for lesson, at_least in (("lessons/02-vanishing-gradients.html", 10),
                             ("lessons/03-crisis-before-2015.html", 10)):
        page.goto(site_server.url(lesson), wait_until="load")
        dive = page.locator(".admonition.dropdown", has_text="Deep dive").first
        assert dive.locator(".katex").count() >= at_least, lesson
        assert dive.locator("div.math").count() >= 1, f"{lesson}: no display formula"


_SMALL_TARGETS = """(minimum) => {
    const small = [];
    const targets = document.querySelectorAll(
        '.lw-widget input[type="range"], .lw-widget input[type="checkbox"], '
        + '.lw-widget input[type="radio"], .lesson-progress-dot');
    for (const el of targets) {
        const r = el.getBoundingClientRect();
        if (r.width === 0 && r.height === 0) continue;  // not shown (display: none)
        if (r.width < minimum || r.height < minimum)
            small.push(`${el.tagName.toLowerCase()}#${el.id || ''}.${el.className} `
                       + `${r.width.toFixed(1)}x${r.height.toFixed(1)}`);
    }
    return {count: targets.length, small};
}"""

_CHART_TEXT_COLLISIONS = """el => {
    const box = sel => { const n = el.querySelector(sel); return n && n.getBoundingClientRect(); };
    const title = box('.xtitle'), legend = box('.legend');
    if (!title || !legend || legend.height === 0) return null;
    const overlap = title.bottom > legend.top + 0.5 && legend.bottom > title.top + 0.5
                    && title.right > legend.left && legend.right > title.left;
    return overlap ? {title: [title.top, title.bottom], legend: [legend.top, legend.bottom]}
                   : null;
}"""


def _lesson_pages(site_page: str) -> bool:
    return site_page.startswith("lessons/")


def test_touch_targets_and_chart_text_at_375px(new_context, site_server, representative_page):
    if not _lesson_pages(representative_page):
        pytest.skip("lessons only")
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    page.goto(site_server.url(representative_page), wait_until="load")
    charts = page.locator(CHART_KINDS)
    for index in range(charts.count()):
        commit_prediction(charts.nth(index))  # a waiting prompt hides the controls
    targets = page.evaluate(_SMALL_TARGETS, MIN_TARGET_PX)
    assert targets["small"] == [], (
        f"{representative_page}: touch targets under 24 x 24 px at 375 px: {targets['small']}")
    for index in range(charts.count()):
        widget = charts.nth(index)
        wait_chart_drawn(widget)
        collision = widget.locator(".lw-chart").evaluate(_CHART_TEXT_COLLISIONS)
        assert collision is None, (
            f"{representative_page} #{widget.get_attribute('id')}: the x-axis title overlaps the "
            f"legend at 375 px: {collision}")


def test_without_javascript_every_chart_is_a_picture_with_its_table(
        new_context, guard, site_server, representative_page):
    # With JavaScript off, Chromium cancels the theme's script preloads (reported as
    # blocked by "csp"); that is the setting under test, not a fault of the site.
    guard.expect_failed_requests(lambda url: urlsplit(url).path.endswith(".js"))
    page = new_context(java_script_enabled=False).new_page()
    page.goto(site_server.url(representative_page), wait_until="load")
    charts = page.locator(CHART_KINDS)
    if page.locator(".lw-widget").count():
        notice = page.locator(".lw-noscript-notice")
        expect(notice).to_have_count(1)
        expect(notice).to_be_visible()
        expect(notice).to_contain_text("need JavaScript")
    for index in range(charts.count()):
        widget = charts.nth(index)
        name = widget.get_attribute("id")
        image = widget.locator(".lw-static-chart img")
        expect(image).to_be_visible()
        assert image.evaluate("img => img.complete && img.naturalWidth > 0"), \
            f"{representative_page} #{name}: the chart picture did not load"
        alt = image.get_attribute("alt") or ""
        assert alt and alt == widget.locator(".lw-chart").get_attribute("aria-label"), \
            f"{representative_page} #{name}: the picture needs the chart's text alternative"
        expect(widget.locator(".lw-table table")).to_be_visible()
        _assert_drawn(image, f"{representative_page} #{name}")
    # figures a code cell drew at build time (show(...)) are pictures too
    for holder in page.locator(".lw-output > .lw-figure").all():
        pictures = holder.locator("xpath=following-sibling::figure[@class='lw-static-chart']/img")
        assert pictures.count() >= 1, f"{representative_page}: a cell's figure has no picture"
        for image in pictures.all():
            expect(image).to_be_visible()
            assert image.get_attribute("alt"), \
                f"{representative_page}: a cell picture has no alt text"
            _assert_drawn(image, f"{representative_page}: a cell's figure")


def _assert_drawn(area: Locator, what: str) -> None:
    """The area's pixels hold a drawing: enough of them differ from the background."""
    shot = Image.open(io.BytesIO(area.screenshot())).convert("L")
    inked = sum(1 for value in shot.getdata() if value < 200)
    assert inked > 0.01 * shot.width * shot.height, (
        f"{what}: the chart area is blank ({inked} dark pixels of {shot.width * shot.height})")


def _shown_chart_area(widget: Locator) -> Locator:
    """What print shows for a chart: the live plotly chart, or the build-time picture; for
    a prompt still waiting, the picture in the end section (the prompt prints open)."""
    name = widget.get_attribute("id")
    areas = [widget.locator(f":scope > {selector}") for selector in (".lw-chart", ".lw-static-chart")]
    areas.append(widget.page.locator(f'.lw-print-answer[data-lw-for="{name}"] > .lw-static-chart'))
    for area in areas:
        if area.count() and area.is_visible() and area.bounding_box()["height"] > 50:
            return area
    raise AssertionError(f"#{name}: no chart shows in print")


@pytest.mark.parametrize("lesson", ["lessons/02-vanishing-gradients.html",
                                    "lessons/05-residual-idea.html"])
def test_printed_lesson_has_a_drawing_in_every_chart_area(page: Page, site_server, lesson):
    # As the teacher does it: open the lesson and print at once, without answering the
    # prompt or scrolling to the charts (which then are not drawn live).
    page.goto(site_server.url(lesson), wait_until="load")
    page.emulate_media(media="print")
    charts = page.locator(CHART_KINDS)
    assert charts.count() > 0
    titles = []
    for index in range(charts.count()):
        widget = charts.nth(index)
        area = _shown_chart_area(widget)
        area.scroll_into_view_if_needed()
        if area.get_attribute("class") == "lw-static-chart":
            image = area.locator("img")
            assert image.evaluate("img => img.complete && img.naturalWidth > 0")
        _assert_drawn(area, f"{lesson} #{widget.get_attribute('id')} in print")
        titles.append(widget.get_attribute("id"))
    pdf = page.pdf(format="A4", print_background=False)
    assert pdf.startswith(b"%PDF")
    # every chart adds its lines to the PDF: with the chart areas emptied, the page's
    # drawing loses well over a hundred line segments per chart (a chart is 300 to 800)
    page.evaluate("() => document.querySelectorAll('.lw-chart, .lw-static-chart')"
                  ".forEach(el => el.remove())")
    without = page.pdf(format="A4", print_background=False)
    per_chart = (_line_segments(pdf) - _line_segments(without)) / len(titles)
    assert per_chart > 100, (
        f"{lesson}: the PDF gains only {per_chart:.0f} line segments per chart; "
        "the charts did not print")


def _line_segments(pdf: bytes) -> int:
    """How many straight line segments (``x y l``) the PDF's page content draws."""
    count = 0
    for stream in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            content = zlib.decompress(stream.group(1))
        except zlib.error:
            continue  # not a Flate stream (an image, a font): no drawing operators
        count += len(re.findall(rb"-?[\d.]+ -?[\d.]+ l\b", content))
    return count


def test_search_finds_lessons_with_clean_snippets_and_no_console_error(page: Page, site_server):
    # The guard fails the test on any console error: the search page parses every result
    # page for its snippet, and Chromium checked the parsed pages' inline handlers against
    # the search page's policy (14 CSP errors before csp.py allowed every page's handlers).
    page.goto(site_server.url("search.html"), wait_until="load")
    box = page.locator("#search-results").locator(
        "xpath=preceding-sibling::form[contains(@class, 'bd-search')]//input[@name='q']")
    expect(box).to_be_visible()
    box.fill("gradient")
    box.press("Enter")
    summary = page.locator("#search-results .search-summary")
    expect(summary).to_contain_text("found", timeout=30_000)
    results = page.locator("#search-results li")
    assert results.count() >= 5, f"only {results.count()} results for 'gradient'"
    assert page.locator("#search-results a", has_text="Vanishing gradients").count() >= 1
    # snippets are fetched and filled in one by one: wait until every lesson's is there
    page.wait_for_function(
        "() => [...document.querySelectorAll('#search-results li')]"
        ".filter(li => li.querySelector('a[href*=\"lessons/\"]'))"
        ".every(li => li.querySelector('p.context'))", timeout=30_000)
    snippets = page.locator("#search-results p.context").all_inner_texts()
    assert snippets, "no result has a snippet"
    for snippet in snippets:
        assert "still to come" not in snippet, f"a snippet reads the progress strip: {snippet!r}"
    # a formula reads once, as drawn, never as its TeX source (KaTeX's MathML annotation)
    box.fill("Jacobian")
    box.press("Enter")
    expect(summary).to_contain_text("found", timeout=30_000)
    page.wait_for_function(
        "() => [...document.querySelectorAll('#search-results li')]"
        ".filter(li => li.querySelector('a[href*=\"lessons/\"]'))"
        ".every(li => li.querySelector('p.context'))", timeout=30_000)
    snippets = page.locator("#search-results p.context").all_inner_texts()
    assert any("∂" in snippet for snippet in snippets), "no snippet holds a formula"
    for snippet in snippets:
        assert not re.search(r"\\[A-Za-z]+", snippet), f"TeX source in a snippet: {snippet!r}"


_HEADER_COVERS_TEXT = """() => {
    const bar = document.querySelector('.bd-header-article');
    if (!bar) return {bar: false};
    const colour = getComputedStyle(bar).backgroundColor;
    const alpha = /rgba\\(.*,\\s*([\\d.]+)\\)/.exec(colour);
    const icons = [...bar.querySelectorAll('button, .btn, label')].filter(el => {
        const r = el.getBoundingClientRect();
        return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden';
    });
    // what a reader sees at the middle of each icon: the icon, not the text under the bar
    const covered = icons.filter(el => {
        const r = el.getBoundingClientRect();
        const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        return hit && !bar.contains(hit);
    }).map(el => el.className);
    return {bar: true, colour, opaque: !alpha || Number(alpha[1]) === 1,
            sticky: getComputedStyle(bar).position === 'sticky', icons: icons.length, covered};
}"""


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 800}, PHONE],
                         ids=["1280px", "375px"])
def test_without_javascript_the_header_bar_hides_the_text_scrolled_under_it(
        new_context, guard, site_server, viewport):
    # The theme's colours exist only once its script sets light or dark mode: without
    # JavaScript the sticky bar was transparent and its icons drew over the headings.
    guard.expect_failed_requests(lambda url: urlsplit(url).path.endswith(".js"))
    page = new_context(java_script_enabled=False, viewport=viewport).new_page()
    for lesson in ("lessons/02-vanishing-gradients.html", "book/teachers.html"):
        page.goto(site_server.url(lesson), wait_until="load")
        # a heading just under the bar, as when the reader scrolls past it
        page.locator("article h2").nth(1).evaluate(
            "h => window.scrollTo(0, h.getBoundingClientRect().top + window.scrollY - 20)")
        state = page.evaluate(_HEADER_COVERS_TEXT)
        assert state["bar"] and state["sticky"], f"{lesson}: the theme's header bar changed"
        assert state["opaque"], (
            f"{lesson} at {viewport['width']} px: the header bar is see-through "
            f"({state['colour']}); its icons draw over the text under it")
        assert state["icons"] >= 1 and state["covered"] == [], (lesson, state)


def _pdf_pages_text(pdf: bytes) -> list[str]:
    """Each printed page's text, whitespace collapsed (lines wrap differently on paper)."""
    import pypdfium2 as pdfium  # the project's test requirements (requirements.txt)

    document = pdfium.PdfDocument(pdf)
    try:
        return [" ".join(document[i].get_textpage().get_text_range().split())
                for i in range(len(document))]
    finally:
        document.close()


def _words(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("lesson", ["lessons/02-vanishing-gradients.html",
                                    "lessons/04-degradation.html"])
def test_a_printed_prompt_is_open_and_its_result_prints_at_the_end(page: Page, site_server,
                                                                     lesson):
    # The decision (issue 11, "prompts print open, with the answers folded at the end for
    # teachers"): a lesson printed before the prompts are answered is a worksheet. Beside
    # each prompt: the question and its choices, and a note; the prompt's chart, readout
    # and caption print in the end section with the discussion. Read back from the PDF.
    page.goto(site_server.url(lesson), wait_until="load")
    page.wait_for_function("() => [...document.images].every(i => i.complete)")
    pending = page.locator('.lw-widget[data-lw-predict="pending"]')
    assert pending.count() >= 1, f"{lesson} has no predict prompt"
    texts = _pdf_pages_text(page.pdf(format="A4"))
    heading = "For teachers: what the predict prompts show"
    start = next((i for i, text in enumerate(texts) if "For teachers: what the predict" in text),
                 None)
    assert start is not None, f"{lesson}: the printed lesson has no section {heading!r}"
    before, after = " ".join(texts[:start]), " ".join(texts[start:])
    assert after.count("The result is printed at the end") == 0
    for index in range(pending.count()):
        widget = pending.nth(index)
        name = widget.get_attribute("id")
        question = _words(widget.locator("fieldset.lw-predict legend").inner_text())
        assert question[:60] in before, f"{lesson} #{name}: the prompt did not print in place"
        for choice in widget.locator("fieldset.lw-predict label").all_inner_texts():
            assert _words(choice) in before, f"{lesson} #{name}: choice {choice!r} did not print"
        assert "The result is printed at the end of the lesson, for the teacher." in before
        readout = _words(widget.locator(":scope > .lw-readout").text_content())
        assert readout, f"{lesson} #{name} has no readout"
        assert readout[:50] not in before, (
            f"{lesson} #{name}: the result prints beside its open prompt: {readout[:50]!r}")
        assert readout[:50] in after, f"{lesson} #{name}: the result is not in the end section"
        assert f"After the prompt “{question[:40]}" in after
    # once the prompt is answered, its result prints in place and the end section goes
    for name in [widget.get_attribute("id") for widget in pending.all()]:
        commit_prediction(page.locator(f"#{name}"))
    texts = _pdf_pages_text(page.pdf(format="A4"))
    assert not any("For teachers: what the predict" in text for text in texts)
    assert not any("The result is printed at the end" in text for text in texts)
