"""Links between pages of the book swap the article and keep Python running
(js/navigation.mjs): the same worker and interpreter serve the next lesson, with a fresh
namespace; Back and Forward, scroll and focus behave as on a full load; anything the swap
cannot handle is loaded as a new page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, Route, expect

from live_page import (RUNTIME_TIMEOUT_MS, action, output_text, run_cell, set_editor_code,
                       top_level_cells, wait_runtime, wait_state)
from site_server import SiteServer

LESSON_1 = "lessons/01-promise-of-depth.html"
LESSON_3 = "lessons/03-crisis-before-2015.html"
LESSON_5 = "lessons/05-residual-idea.html"
LESSON_7 = "lessons/07-summary-and-next.html"
DEMO = "book/demo.html"

# Counts workers the page creates (the head's early worker included) and keeps a value
# on window that only survives while the document does.
COUNT_WORKERS = """(() => {
  const Original = window.Worker;
  window.__workers = 0;
  window.Worker = class extends Original {
    constructor(...args) { super(...args); window.__workers += 1; }
  };
})();"""


@pytest.fixture
def page(new_context) -> Page:
    context = new_context()
    context.add_init_script(COUNT_WORKERS)
    return context.new_page()


def follow(page: Page, href_end: str) -> None:
    """Click the primary sidebar's link to a page and wait until it is swapped in."""
    page.evaluate("""() => { window.__navigated = new Promise(resolve =>
        document.addEventListener('lw:navigated', resolve, {once: true})); }""")
    page.locator(f'nav.bd-docs-nav a[href$="{href_end}"]').first.click()
    page.evaluate("() => window.__navigated")


def heading(page: Page) -> str:
    return page.locator("article.bd-article h1").first.inner_text()


def first_cell(page: Page):
    cell = top_level_cells(page).first
    wait_state(cell, "ready")
    return cell


def python_says(page: Page, code: str) -> str:
    cell = first_cell(page)
    run_cell(cell, code)
    error = output_text(cell, "error")
    assert not error, f"the cell failed:\n{error}"
    return output_text(cell, "stdout").strip()


def test_a_swap_keeps_the_worker_and_python_but_not_the_lessons_variables(
        page: Page, site_server: SiteServer):
    wasm = []
    page.on("request", lambda r: wasm.append(r.url) if r.url.endswith(".wasm") else None)
    page.goto(site_server.url(DEMO))
    wait_runtime(page)
    page.evaluate("() => { window.__sameDocument = true; }")
    # `sys` outlives a namespace: it proves the same interpreter; demo_only does not.
    assert python_says(page, "import sys\nsys.lw_visits = 1\ndemo_only = 42\n"
                             "print('slope_of_sigmoid' in globals())") == "True"

    follow(page, LESSON_1.split("/")[-1])
    assert page.url.endswith(LESSON_1)
    assert "promise of depth" in heading(page).lower()
    assert "promise of depth" in page.title().lower()
    expect(page.locator('nav.bd-docs-nav li.current > a')).to_contain_text("promise of depth")
    assert page.evaluate("() => window.__sameDocument") is True, "the page was reloaded"
    assert page.evaluate("() => document.documentElement.dataset.lwRuntime") == "ready"
    said = python_says(page, "import sys\nsys.lw_visits += 1\nprint(sys.lw_visits, "
                             "'demo_only' in globals(), 'slope_of_sigmoid' in globals())")
    assert said == "2 False False", said
    assert page.evaluate("() => window.__workers") == 1
    assert len(wasm) == 1, f"pyodide.asm.wasm fetched {len(wasm)} times"
    # the old article's widgets are gone with it
    expect(page.locator('.lw-widget[data-lw-kind="setup"]')).to_have_count(0)


def test_back_and_forward_restore_the_article_scroll_and_focus(page: Page,
                                                              site_server: SiteServer):
    page.goto(site_server.url(LESSON_3))
    page.evaluate("() => { window.__sameDocument = true; window.scrollTo(0, 900); }")
    page.wait_for_function("() => Math.abs(scrollY - 900) < 2")
    follow(page, LESSON_5.split("/")[-1])
    assert "residual idea" in heading(page).lower()
    assert page.evaluate("() => scrollY") == 0, "a new page starts at the top"
    # focus moves to the new heading, and the page is announced
    assert page.evaluate("() => document.activeElement === document.querySelector('article h1')")
    expect(page.locator(".lw-page-announcer")).to_have_text(re.compile("residual idea", re.I))
    page.evaluate("() => window.scrollTo(0, 1500)")
    page.wait_for_function("() => Math.abs(scrollY - 1500) < 2")

    page.go_back()
    page.wait_for_function("() => location.pathname.endsWith('03-crisis-before-2015.html')")
    expect(page.locator("article.bd-article h1").first).to_contain_text("crisis before 2015")
    page.wait_for_function("() => Math.abs(scrollY - 900) < 2")
    assert "crisis before 2015" in page.title().lower()

    page.go_forward()
    page.wait_for_function("() => location.pathname.endsWith('05-residual-idea.html')")
    expect(page.locator("article.bd-article h1").first).to_contain_text("residual idea")
    page.wait_for_function("() => Math.abs(scrollY - 1500) < 2")
    assert page.evaluate("() => window.__sameDocument") is True
    # a link into a section of another page lands on that section
    page.evaluate("""() => { window.__navigated = new Promise(resolve =>
        document.addEventListener('lw:navigated', resolve, {once: true})); }""")
    page.locator('article a[href*="glossary.html#"]').first.click()
    page.evaluate("() => window.__navigated")
    target = page.evaluate("() => decodeURIComponent(location.hash.slice(1))")
    box = page.evaluate("(id) => document.getElementById(id).getBoundingClientRect().top",
                        target)
    assert 0 <= box < 300, f"#{target} is at {box} px, not at the top of the screen"


def test_another_deployment_loads_as_a_new_page(page: Page, site_server: SiteServer):
    page.goto(site_server.url(LESSON_3))
    page.evaluate("() => { window.__sameDocument = true; }")
    swapped_fetches = []

    def other_build(route: Route) -> None:
        if route.request.resource_type == "fetch":
            swapped_fetches.append(route.request.url)
            response = route.fetch()
            body = re.sub(r'(<meta name="lw-build" content=")[^"]*', r"\g<1>0000000000000000",
                          response.text())
            route.fulfill(response=response, body=body)
        else:
            route.continue_()

    page.route(re.compile(r".*/05-residual-idea\.html$"), other_build)
    page.locator('nav.bd-docs-nav a[href$="05-residual-idea.html"]').first.click()
    page.wait_for_function("() => window.__sameDocument === undefined "
                           "&& location.pathname.endsWith('05-residual-idea.html')")
    assert swapped_fetches, "the swap never fetched the page"
    expect(page.locator("article.bd-article h1").first).to_contain_text("residual idea")


def test_a_failed_fetch_loads_as_a_new_page(page: Page, site_server: SiteServer, guard):
    page.goto(site_server.url(LESSON_3))
    page.evaluate("() => { window.__sameDocument = true; }")
    guard.expect_failed_requests(lambda url: url.endswith("05-residual-idea.html"))

    def fail_the_swap(route: Route) -> None:
        if route.request.resource_type == "fetch":
            route.abort()
        else:
            route.continue_()

    page.route(re.compile(r".*/05-residual-idea\.html$"), fail_the_swap)
    page.locator('nav.bd-docs-nav a[href$="05-residual-idea.html"]').first.click()
    page.wait_for_function("() => window.__sameDocument === undefined "
                           "&& location.pathname.endsWith('05-residual-idea.html')")
    expect(page.locator("article.bd-article h1").first).to_contain_text("residual idea")


def test_links_the_swap_leaves_alone(page: Page, site_server: SiteServer):
    page.goto(site_server.url(LESSON_3))
    page.evaluate("() => { window.__sameDocument = true; }")
    # a link within the page is the browser's: no fetch, no swap
    toc_link = page.locator("#pst-page-toc-nav a").nth(2)
    toc_link.click()
    page.wait_for_function("() => location.hash.length > 1")
    assert page.evaluate("() => window.__sameDocument") is True
    # the search page runs its search on load: it is loaded as a new page
    page.evaluate("""() => { const a = document.createElement('a');
        a.href = '../search.html'; a.id = 'to-search'; a.textContent = 'search';
        document.querySelector('article').append(a); }""")
    page.locator("#to-search").click()
    page.wait_for_function("() => window.__sameDocument === undefined "
                           "&& location.pathname.endsWith('search.html')")


def test_stop_after_a_swap_reruns_only_this_lessons_setup(page: Page, site_server: SiteServer):
    page.goto(site_server.url(LESSON_7))
    wait_runtime(page)
    python_says(page, "lesson_seven = 7")
    follow(page, DEMO.split("/")[-1])
    # the demonstration page's hidden set-up ran in the kept worker; lesson 7's name is gone
    assert python_says(page, "print('slope_of_sigmoid' in globals(), "
                             "'lesson_seven' in globals())") == "True False"

    loop_cell = first_cell(page)
    set_editor_code(loop_cell, "while True:\n    pass")
    action(loop_cell, "run").click()
    wait_state(loop_cell, "busy")
    action(loop_cell, "stop").click()
    page.wait_for_function("() => document.documentElement.dataset.lwRuntime === 'ready'",
                           timeout=RUNTIME_TIMEOUT_MS)
    assert python_says(page, "print('slope_of_sigmoid' in globals(), "
                             "'lesson_seven' in globals())") == "True False"
    assert page.evaluate("() => window.__workers") == 2  # Stop still means a new worker

    page.go_back()
    page.wait_for_function("() => location.pathname.endsWith('07-summary-and-next.html')")
    expect(page.locator("article.bd-article h1").first).to_contain_text(re.compile("summary", re.I))
    # the demonstration page's set-up does not follow the reader into lesson 7
    assert python_says(page, "print('slope_of_sigmoid' in globals())") == "False"


AUTHORING = "book/authoring.html"
LICENCE = "book/licence.html"


def swap_by_link(page: Page, href: str) -> None:
    """Follow a link the test puts in the article (to a page the sidebar may not show)."""
    page.evaluate("""(href) => {
        window.__navigated = new Promise(resolve =>
            document.addEventListener('lw:navigated', resolve, {once: true}));
        const a = Object.assign(document.createElement('a'), {href, id: 'lw-test-link',
                                                              textContent: 'go'});
        document.querySelector('article.bd-article').append(a); }""", href)
    page.locator("#lw-test-link").click()
    page.evaluate("() => window.__navigated")


def test_one_click_on_a_copy_button_copies_once_after_any_number_of_swaps(
        page: Page, site_server: SiteServer):
    page.goto(site_server.url(LESSON_3))
    page.evaluate("""() => { window.__copies = 0;
        document.addEventListener('copy', () => { window.__copies += 1; }); }""")
    for visit in range(2):
        if visit == 0:
            follow(page, AUTHORING.split("/")[-1])
        else:  # Back to the lesson, Forward to the guide: swapped in again
            page.go_back()
            page.wait_for_function("() => location.pathname.endsWith('03-crisis-before-2015.html')")
            page.evaluate("""() => { window.__navigated = new Promise(resolve =>
                document.addEventListener('lw:navigated', resolve, {once: true})); }""")
            page.go_forward()
            page.evaluate("() => window.__navigated")
        code = page.locator("article div.highlight").first
        expect(code.locator("button.copybtn")).to_have_count(1)
        before = page.evaluate("() => window.__copies")
        # by keyboard: the event's target is the button itself (a pointer click on the
        # icon inside meets a second handler after the first replaced the icon)
        code.locator("button.copybtn").focus()
        page.keyboard.press("Enter")
        expect(code.locator("button.copybtn")).to_have_attribute("data-tooltip", "Copied!")
        page.wait_for_timeout(300)  # a second handler would copy within the same click
        assert page.evaluate("() => window.__copies") - before == 1, f"visit {visit + 1}"


TIP = ('<button type="button" class="lw-test-tip" data-bs-toggle="tooltip" '
       'title="{}">tip</button>')


def test_tooltips_of_the_old_parts_go_and_the_new_parts_get_theirs(
        page: Page, site_server: SiteServer):
    def with_a_tip(route: Route) -> None:
        response = route.fetch()
        body = response.text().replace('<article class="bd-article">',
                                       '<article class="bd-article">' + TIP.format("New tip"), 1)
        route.fulfill(response=response, body=body)

    page.route(re.compile(r".*/05-residual-idea\.html$"), with_a_tip)
    page.goto(site_server.url(LESSON_3))
    # an old tooltip on show when the reader follows a link
    page.evaluate("""(html) => {
        document.querySelector('article.bd-article').insertAdjacentHTML('afterbegin', html);
        bootstrap.Tooltip.getOrCreateInstance(document.querySelector('.lw-test-tip')).show(); }""",
                  TIP.format("Old tip"))
    expect(page.locator(".tooltip")).to_have_text("Old tip")
    follow(page, LESSON_5.split("/")[-1])
    expect(page.locator(".tooltip")).to_have_count(0)
    page.locator(".lw-test-tip").focus()  # the theme's trigger: hover or focus
    expect(page.locator(".tooltip")).to_have_text("New tip")


def sidebar_shows_current_item(page: Page) -> bool:
    return page.evaluate("""() => {
        const holder = [...document.querySelectorAll('#pst-primary-sidebar-modal[open], '
                                                      + '#pst-primary-sidebar')][0];
        const item = document.querySelector('nav.bd-docs-nav a.current');
        const box = holder.getBoundingClientRect(), at = item.getBoundingClientRect();
        return at.height > 0 && at.top >= box.top && at.bottom <= box.bottom; }""")


def test_the_sidebar_keeps_its_place_and_shows_the_new_current_page(
        new_context, site_server: SiteServer):
    page = new_context(viewport={"width": 1280, "height": 400}).new_page()
    page.goto(site_server.url(LESSON_1))
    sidebar = page.locator("#pst-primary-sidebar")
    page.evaluate("() => { document.querySelector('#pst-primary-sidebar').scrollTop = 0; }")
    # a page whose item is in sight: the sidebar stays where the reader left it
    follow(page, "02-vanishing-gradients.html")
    assert sidebar.evaluate("(s) => s.scrollTop") == 0
    assert sidebar_shows_current_item(page)
    # a page whose item is out of sight (the last one): scrolled into view
    swap_by_link(page, "../book/licence.html")
    expect(page.locator("nav.bd-docs-nav a.current")).to_contain_text("Licence")
    assert sidebar.evaluate("(s) => s.scrollTop") > 0
    assert sidebar_shows_current_item(page)


def test_on_a_phone_the_drawer_opens_and_a_link_in_it_closes_it_as_a_full_load_would(
        new_context, site_server: SiteServer):
    page = new_context(viewport={"width": 375, "height": 700}, is_mobile=True,
                       has_touch=True).new_page()
    page.goto(site_server.url(LESSON_1))
    page.evaluate("() => { window.__sameDocument = true; }")
    drawer = page.locator("#pst-primary-sidebar-modal")
    # the visible menu button opens the site navigation (the themes wire a hidden twin)
    page.locator(".primary-toggle:visible").first.tap()
    expect(drawer).to_have_attribute("open", "")
    follow(page, LESSON_7.split("/")[-1])
    assert page.evaluate("() => window.__sameDocument") is True
    expect(drawer).not_to_have_attribute("open", "")
    expect(drawer.locator("nav.bd-docs-nav")).to_have_count(0)  # its contents went back
    assert page.evaluate("() => document.activeElement === document.querySelector('article h1')")
    # the sidebar's contents are the new page's, once, wherever the drawer put them
    expect(page.locator("nav.bd-docs-nav")).to_have_count(1)
    expect(page.locator("nav.bd-docs-nav a.current")).to_contain_text("Summary")
    page.locator(".primary-toggle:visible").first.tap()
    expect(drawer.locator("nav.bd-docs-nav a.current")).to_contain_text("Summary")
    page.keyboard.press("Escape")
    expect(drawer).not_to_have_attribute("open", "")
    # "on this page" opens too, with the new page's sections
    contents = page.locator("#pst-secondary-sidebar-modal")
    page.locator(".secondary-toggle:visible").first.tap()
    expect(contents).to_have_attribute("open", "")
    expect(contents.locator("a[href^='#']").first).to_be_visible()
    sections = contents.locator("a[href^='#']").evaluate_all(
        "(links) => links.every(a => document.getElementById(decodeURIComponent(a.hash.slice(1))))")
    assert sections, "an 'on this page' link points to no section of the new page"


def test_the_new_heading_takes_focus_without_a_ring(page: Page, site_server: SiteServer):
    page.goto(site_server.url(LESSON_3))
    page.locator("footer.prev-next-footer a.right-next").focus()
    page.evaluate("""() => { window.__navigated = new Promise(resolve =>
        document.addEventListener('lw:navigated', resolve, {once: true})); }""")
    page.keyboard.press("Enter")  # by keyboard, where :focus-visible rings show
    page.evaluate("() => window.__navigated")
    heading = page.locator("article.bd-article h1").first
    expect(heading).to_contain_text("degradation")
    assert heading.evaluate("(h) => h === document.activeElement")
    assert heading.evaluate("(h) => getComputedStyle(h).outlineStyle") == "none"


def test_a_cell_queued_when_the_reader_leaves_does_not_run_in_the_next_lesson(
        page: Page, site_server: SiteServer):
    page.goto(site_server.url(DEMO))
    wait_runtime(page)
    cells = top_level_cells(page)
    slow, queued = cells.nth(0), cells.nth(1)
    wait_state(slow, "ready")
    set_editor_code(queued, "leaked_from_the_demo = 1")
    # a few seconds of Python, a cell queued behind it, then a link
    set_editor_code(slow, "import time\nstart = time.time()\nwhile time.time() - start < 3:\n    pass")
    action(slow, "run").click()
    action(queued, "run").click()
    wait_state(queued, "busy")
    follow(page, LESSON_7.split("/")[-1])
    assert python_says(page, "print('leaked_from_the_demo' in globals())") == "False"


def test_an_endless_loop_left_running_is_stopped_so_the_next_lesson_goes_live(
        page: Page, site_server: SiteServer):
    page.goto(site_server.url(DEMO))
    wait_runtime(page)
    assert python_says(page, "print('set-up done')") == "set-up done"  # so the loop runs at once
    loop_cell = first_cell(page)
    set_editor_code(loop_cell, "while True:\n    pass")
    action(loop_cell, "run").click()
    wait_state(loop_cell, "busy")
    follow(page, LESSON_7.split("/")[-1])
    # the worker busy with the old lesson's loop is replaced, as Stop would
    page.wait_for_function("() => window.__workers === 2", timeout=RUNTIME_TIMEOUT_MS)
    wait_runtime(page)
    assert python_says(page, "print(6 * 7)") == "42"
