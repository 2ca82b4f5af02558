"""Page-level checks: on every page of the built site those about every page (loads
clean, no other origin, axe, text without JavaScript); on the representative pages
(conftest.representative_pages) those about how the widgets behave (sub-path, 375 px)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Page, expect

from live_page import WORKER_KINDS, initial_data, wait_runtime, wait_state, widgets
from site_server import REPO_ROOT, SUBPATH

AXE_SCRIPT = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 375, "height": 812}


def open_and_settle(page: Page, url: str) -> None:
    """Load a page and, if it has live widgets, wait until every one is interactive."""
    response = page.goto(url, wait_until="load")
    assert response is not None and response.ok, f"{url} answered {response and response.status}"
    expect(page.locator("h1:visible").first).to_be_visible()
    live = page.locator(", ".join(
        f'.lw-widget[data-lw-kind="{kind}"]' for kind in WORKER_KINDS))
    if live.count():
        wait_runtime(page)
        for index in range(live.count()):
            wait_state(live.nth(index), "ready")


def test_every_page_loads_clean_and_every_widget_becomes_ready(page, site_server, site_page):
    # The guard (conftest) fails this test on any console error, uncaught exception,
    # HTTP error or request to another origin while the page loads and its runtime starts.
    open_and_settle(page, site_server.url(site_page))
    quizzes = widgets(page, "quiz")
    for index in range(quizzes.count()):
        wait_state(quizzes.nth(index), "ready")


def test_page_works_under_a_sub_path(page, site_server, guard, representative_page):
    # The guard fails the test on any request outside /deep-revolution/: an absolute
    # URL would work at the server's root but break on GitHub Pages.
    guard.path_prefix = SUBPATH
    open_and_settle(page, site_server.url(representative_page, subpath=True))


_OVERFLOWING = """() => {
    const limit = document.documentElement.clientWidth;
    // An element inside a scrolling or clipping box (a wide table in its own scroller)
    // does not make the page scroll; only unclipped overflow does.
    const clippedByAncestor = el => {
        for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
            if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(a).overflowX))
                return true;
        }
        return false;
    };
    const wide = [...document.querySelectorAll('body *')].filter(el => {
        const r = el.getBoundingClientRect();
        return r.width > 0 && r.right > limit + 1 && !clippedByAncestor(el);
    });
    return {scrollWidth: document.documentElement.scrollWidth, clientWidth: limit,
            culprits: wide.slice(0, 5).map(el => el.tagName.toLowerCase()
                + (el.id ? '#' + el.id : '') + '.' + [...el.classList].join('.')
                + ' right=' + Math.round(el.getBoundingClientRect().right))};
}"""


def test_no_horizontal_scroll_at_375px(new_context, site_server, representative_page):
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    open_and_settle(page, site_server.url(representative_page))
    layout = page.evaluate(_OVERFLOWING)
    # A page without a device-width viewport would be laid out 980 px wide and zoomed.
    assert layout["clientWidth"] <= PHONE["width"], f"layout viewport is {layout}"
    assert layout["scrollWidth"] <= layout["clientWidth"], (
        f"{representative_page} scrolls sideways at 375 px: content is {layout['scrollWidth']} px "
        f"wide; widest elements: {layout['culprits']}")


# The page's own text (the article), not the theme's menus and print-only tables of
# contents, which are hidden by design.
_HIDDEN_TEXT = """() => [...document.querySelectorAll('article p, article li, article h1, article h2')]
    .filter(el => !el.closest('.lw-widget') && el.textContent.trim()
                  && el.getClientRects().length === 0)
    .slice(0, 5).map(el => el.textContent.trim().slice(0, 60))"""


def test_without_javascript_text_and_fallback_tables_show(new_context, guard, site_server,
                                                          site_page):
    # With JavaScript off, Chromium cancels the theme's script preloads (reported as
    # blocked by "csp"); that is the setting under test, not a fault of the site.
    guard.expect_failed_requests(lambda url: urlsplit(url).path.endswith(".js"))
    page = new_context(java_script_enabled=False).new_page()
    page.goto(site_server.url(site_page), wait_until="load")
    expect(page.locator("h1:visible").first).to_be_visible()
    assert page.evaluate("() => document.documentElement.classList.contains('lw-js')") is False
    assert page.evaluate(_HIDDEN_TEXT) == [], "text hidden when JavaScript is off"
    for kind in ("view", "race"):
        found = widgets(page, kind)
        for index in range(found.count()):
            _assert_fallback_table(found.nth(index))
    cells = widgets(page, "cell")
    for index in range(cells.count()):
        source = cells.nth(index).locator(".lw-source")
        expect(source).to_be_visible()
        expect(source).not_to_be_empty()
    for question in page.locator(".lw-question legend").all():
        expect(question).to_be_visible()


def _assert_fallback_table(widget) -> None:
    initial = initial_data(widget)
    details = widget.locator("details.lw-table")
    expect(details).to_have_attribute("open", "")
    expect(details.locator("table")).to_be_visible()
    rows = details.locator("tbody tr")
    assert rows.count() == len(initial["table"]["rows"]), (
        f"{widget.get_attribute('id')}: fallback table has {rows.count()} rows, "
        f"the build-time result {len(initial['table']['rows'])}")
    expect(details).to_contain_text(initial["table"]["caption"].strip())


def _serious_axe_violations(page: Page) -> list[str]:
    page.add_script_tag(path=str(AXE_SCRIPT))
    violations = page.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ['violations']});
        return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""")
    return [f"{v['impact']}: {v['id']} ({v['help']}) at {v['nodes']}"
            for v in violations if v["impact"] in ("serious", "critical")]


def test_axe_finds_no_serious_violation(new_context, guard, site_server, site_page):
    _audit(new_context, guard, site_server.url(site_page), "light")


def test_axe_finds_no_serious_violation_in_dark_mode(new_context, guard, site_server,
                                                    widget_page):
    # The theme follows the reader's colour scheme; dark mode has its own contrasts.
    _audit(new_context, guard, site_server.url(widget_page), "dark")


def _audit(new_context, guard, url: str, colour_scheme: str) -> None:
    # The pages' Content-Security-Policy rightly forbids injected scripts; the audit
    # script is test instrumentation, so this context alone bypasses the policy.
    page = new_context(bypass_csp=True, color_scheme=colour_scheme).new_page()
    # axe re-fetches stylesheets to read them, and resolves theme.css's
    # `@import "../basic.css"` against the page instead of the stylesheet (a 404 at
    # /basic.css). Real stylesheet 404s fail the page-load test, which runs without axe.
    guard.expect_failed_requests(lambda request_url: request_url.endswith(".css"))
    open_and_settle(page, url)
    problems = _serious_axe_violations(page)
    assert problems == [], f"{url} ({colour_scheme}):\n  " + "\n  ".join(problems)


def test_axe_script_is_installed():
    assert Path(AXE_SCRIPT).is_file(), f"{AXE_SCRIPT} missing: run npm ci (make setup)"
