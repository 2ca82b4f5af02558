"""The teacher's demonstration links work in a real browser: clicking each one on the
built teacher's page, served under a sub-path as on GitHub Pages, opens the lesson with
the named widget's controls set to the link's settings.

Needs the built site (``make book``; ``LW_SITE_DIR`` points at another build) and
Debian's Chromium, like the browser tests.
"""

from __future__ import annotations

import os
import re
import threading
from html import unescape
from pathlib import Path
from urllib.parse import parse_qsl

import pytest

from authoring_helpers import REPO, load_script

SITE = Path(os.environ.get("LW_SITE_DIR") or REPO / "_build" / "html")
BASE = "/deep-revolution/"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
SHARE_LINK = re.compile(r'<a href="(\.\./lessons/[\w-]+\.html#[\w-]+\?[^"]+)"')


def teacher_links() -> list[str]:
    source = (REPO / "book" / "teachers.md").read_text(encoding="utf-8")
    return [unescape(href) for href in SHARE_LINK.findall(source)]


@pytest.fixture(scope="module")
def site_url():
    if not (SITE / "book" / "teachers.html").is_file():
        pytest.fail(f"{SITE} has no built teacher's page: run `make book` first")
    server = load_script("serve_site").make_server(SITE, "127.0.0.1", 0, BASE, quiet=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}{BASE}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def test_the_teachers_page_has_demonstration_links() -> None:
    assert len(teacher_links()) >= 8


@pytest.mark.parametrize("href", teacher_links())
def test_a_demonstration_link_opens_its_widget_with_its_settings(browser, site_url,
                                                                 href: str) -> None:
    from playwright.sync_api import expect
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(site_url + "book/teachers.html")
        page.locator(f'a[href="{href}"]').first.click()
        lesson, _, fragment = href.removeprefix("../").partition("#")
        page.wait_for_url(f"**/{BASE.strip('/')}/{lesson}#*")
        name, _, query = fragment.partition("?")
        widget = page.locator(f"#{name}")
        expect(widget).to_have_attribute("data-lw-kind", "view")
        for setting, value in parse_qsl(query):
            control = widget.locator(f'[name="{setting}"]')
            if control.get_attribute("type") == "checkbox":
                expect(control).to_be_checked(checked=value == "true", timeout=30_000)
            elif control.get_attribute("type") in ("range", "number"):
                expect(control).to_have_value(re.compile(rf"^{re.escape(value)}(\.0+)?$"),
                                              timeout=30_000)
            else:
                expect(control).to_have_value(value, timeout=30_000)
    finally:
        context.close()
