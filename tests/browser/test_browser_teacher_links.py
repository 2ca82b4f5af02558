"""The teacher's demonstration links work in a real browser: clicking each one on the
built teacher's page, served under a sub-path as on GitHub Pages, opens the lesson with
the named widget's controls set to the link's settings, and the page stays clean (the
guard: no console error, no request to another origin or outside the sub-path)."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qsl

import pytest
from playwright.sync_api import Page, expect

from site_server import REPO_ROOT, SUBPATH

SHARE_LINK = re.compile(r'<a href="(\.\./lessons/[\w-]+\.html#[\w-]+\?[^"]+)"')
# the link sets the controls as the page script starts, before Python has to run; the
# bound is generous for a machine shared by several test runs
SET_TIMEOUT_MS = 60_000


def teacher_links() -> list[str]:
    source = (REPO_ROOT / "book" / "teachers.md").read_text(encoding="utf-8")
    return [unescape(href) for href in SHARE_LINK.findall(source)]


def test_the_teachers_page_has_demonstration_links() -> None:
    assert len(teacher_links()) >= 8


@pytest.mark.parametrize("href", teacher_links())
def test_a_demonstration_link_opens_its_widget_with_its_settings(page: Page, site_server,
                                                                 guard, href: str) -> None:
    guard.path_prefix = SUBPATH
    page.goto(site_server.url("book/teachers.html", subpath=True))
    page.locator(f'a[href="{href}"]').first.click()
    lesson, _, fragment = href.removeprefix("../").partition("#")
    page.wait_for_url(f"**{SUBPATH}{lesson}#*")
    name, _, query = fragment.partition("?")
    widget = page.locator(f"#{name}")
    expect(widget).to_have_attribute("data-lw-kind", "view")
    for setting, value in parse_qsl(query):
        control = widget.locator(f'[name="{setting}"]')
        if control.get_attribute("type") == "checkbox":
            expect(control).to_be_checked(checked=value == "true", timeout=SET_TIMEOUT_MS)
        elif control.get_attribute("type") in ("range", "number"):
            expect(control).to_have_value(re.compile(rf"^{re.escape(value)}(\.0+)?$"),
                                          timeout=SET_TIMEOUT_MS)
        else:
            expect(control).to_have_value(value, timeout=SET_TIMEOUT_MS)
