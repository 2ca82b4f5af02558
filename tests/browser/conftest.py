"""Fixtures for the browser layer: one local server and one Chromium per session, a
fresh browser context per test, and a guard that fails a test whose page logged a
console error or asked another origin for anything."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from chromium_launch import launch_chromium
from page_guard import PageGuard
from site_server import SITE_DIR, SiteServer, site_pages

DESKTOP = {"width": 1280, "height": 900}
DEMO_PAGE = "book/demo.html"
_NOT_BUILT = "site-not-built"


_FEATURE = re.compile(r'data-lw-(kind|view)="([\w-]+)"|class="(lw-[\w-]+)')


def page_features(page: str) -> set[str]:
    """What a page's markup has that its scripts and styles act on: each widget kind
    (`kind:race`), each gradflow view (`view:nielsen`) and each `lw-` class."""
    html = (SITE_DIR / page).read_text(encoding="utf-8", errors="replace")
    return {f"{m[0]}:{m[1]}" if m[0] else m[2] for m in _FEATURE.findall(html)}


def representative_pages(pages: list[str]) -> list[str]:
    """Few pages that together hold every widget kind, view and `lw-` class of the site:
    the demonstration page, then greedily the page that adds the most not yet held, and
    one page of plain text. A new widget kind on one lesson brings that lesson in."""
    features = {page: page_features(page) for page in pages}
    chosen = [DEMO_PAGE] if DEMO_PAGE in features else []
    held = set().union(*(features[page] for page in chosen))
    while missing := set().union(*features.values()) - held:
        best = max(pages, key=lambda page: len(features[page] & missing))  # first of ties
        chosen.append(best)
        held |= features[best]
    # the root index.html only redirects to the first page
    text = [page for page in pages if not features[page] and page != "index.html"]
    return sorted(chosen + text[:1])


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """`site_page`: every reader-facing page of the built site, for checks about every
    page (console errors, other origins, axe, text); `widget_page`: the lessons and the
    demonstration page, where the live widgets are; `representative_page`: a few pages
    that hold every widget kind between them (representative_pages), for checks of how
    the widgets behave, which are the same on every page that has them."""
    built = (SITE_DIR / "index.html").is_file()
    # Unbuilt: one case each, which fails in the server fixture with "run make book".
    pages = site_pages() if built else [_NOT_BUILT]
    if "site_page" in metafunc.fixturenames:
        metafunc.parametrize("site_page", pages)
    if "widget_page" in metafunc.fixturenames:
        metafunc.parametrize("widget_page", [
            page for page in pages
            if page.startswith("lessons/") or page in (DEMO_PAGE, _NOT_BUILT)])
    if "representative_page" in metafunc.fixturenames:
        metafunc.parametrize("representative_page",
                             representative_pages(pages) if built else [_NOT_BUILT])


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):
    """Check the guard as part of the test itself, so a dirty page is a failure."""
    result = yield
    guard = item.funcargs.get("guard") if hasattr(item, "funcargs") else None
    if guard is not None:
        guard.assert_clean()
    return result


@pytest.fixture(scope="session")
def site_server():
    try:
        server = SiteServer()
    except FileNotFoundError as error:
        pytest.fail(str(error), pytrace=False)
    with server:
        yield server


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        try:
            chromium = launch_chromium(playwright)
        except FileNotFoundError as error:
            pytest.fail(str(error), pytrace=False)
        yield chromium
        chromium.close()


@pytest.fixture
def guard(site_server: SiteServer) -> PageGuard:
    return PageGuard(origin=site_server.origin)


@pytest.fixture
def new_context(browser: Browser, guard: PageGuard):
    """Make browser contexts (options as for `browser.new_context`) watched by the guard."""
    contexts: list[BrowserContext] = []

    def make(**options) -> BrowserContext:
        options.setdefault("viewport", DESKTOP)
        context = browser.new_context(**options)
        guard.watch(context)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context) -> Page:
    """A desktop-sized page in a fresh context (empty cache, storage, service workers)."""
    return new_context().new_page()


@pytest.fixture
def demo_url(site_server: SiteServer) -> str:
    return site_server.url(DEMO_PAGE)
