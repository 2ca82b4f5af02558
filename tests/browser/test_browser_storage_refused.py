"""A browser that refuses storage (early_start.py, THEME_GUARD): the theme's own scripts
use localStorage and sessionStorage without `try`, so such a page threw on load and its
colour-mode button never worked. The page must stay free of uncaught errors, live Python
must start, the colour mode must switch for the page's life, and the progress page must
still say that progress is not kept.

Both refusals are imitated with an init script, which runs before the page's own: storage
switched off (reading `window.localStorage` throws SecurityError, as in Chromium with
site data blocked) and writes refused (setItem throws QuotaExceededError, as in some
private windows)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from live_page import wait_runtime
from site_server import SiteServer

REFUSALS = {
    "switched off": """(() => {
        for (const name of ['localStorage', 'sessionStorage']) {
            Object.defineProperty(window, name, { configurable: true, enumerable: true,
                get() { throw new DOMException('Access is denied for this document.',
                                               'SecurityError'); } });
        }
    })();""",
    "writes refused": """(() => {
        Storage.prototype.setItem = function () {
            throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        };
    })();""",
}


@pytest.mark.parametrize("refusal", sorted(REFUSALS))
def test_a_page_without_storage_has_no_uncaught_error_and_works(new_context, guard,
                                                                site_server: SiteServer,
                                                                refusal: str):
    context = new_context()
    context.add_init_script(REFUSALS[refusal])
    page = context.new_page()
    page.goto(site_server.url("lessons/02-vanishing-gradients.html"))
    wait_runtime(page)  # live Python starts
    # the colour-mode button works, and keeps working (three clicks: a full cycle)
    button = page.locator(".theme-switch-button:visible").first
    modes = []
    for _ in range(3):
        before = page.evaluate("() => document.documentElement.dataset.mode")
        button.click()
        page.wait_for_function("(before) => document.documentElement.dataset.mode !== before",
                               arg=before)
        modes.append(page.evaluate("() => document.documentElement.dataset.mode"))
    assert sorted(modes) == ["auto", "dark", "light"], modes
    # a swap to another lesson (the sidebar's scroll position is kept in sessionStorage)
    page.evaluate("""() => { window.__navigated = new Promise(resolve =>
        document.addEventListener('lw:navigated', resolve, {once: true})); }""")
    page.locator('nav.bd-docs-nav a[href$="03-crisis-before-2015.html"]').first.click()
    page.evaluate("() => window.__navigated")
    expect(page.locator("article.bd-article h1").first).to_contain_text("crisis")
    # the stand-in must not make the progress page claim that progress is kept
    page.goto(site_server.url("book/progress.html"))
    expect(page.locator(".lw-progress-storage-note")).to_be_visible()
    guard.assert_clean()  # no uncaught error on any of these pages
