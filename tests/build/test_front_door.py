"""The root index.html that Jupyter Book writes as a bare redirect becomes a complete
page: title, language, icon (so browsers do not ask for /favicon.ico), redirect, link."""

import re

import pytest

from build_test_paths import SITE


def test_the_built_front_door_is_a_complete_redirecting_page():
    page = SITE / "index.html"
    if not page.is_file():
        pytest.fail(f"{SITE} is not built: run `make book`")
    html = page.read_text("utf-8")
    assert html.startswith("<!DOCTYPE html>") and '<html lang="en">' in html
    assert re.search(r"<title>[^<]+</title>", html)
    icon = re.search(r'<link rel="icon" href="([^"]+)">', html).group(1)
    assert not icon.startswith(("/", "http")) and (SITE / icon).is_file()
    target = re.search(r'<meta http-equiv="Refresh" content="0; url=([^"]+)">', html).group(1)
    assert (SITE / target).is_file() and f'<a href="{target}">' in html
    # the policy is still added to this page, before anything it governs
    assert html.index("Content-Security-Policy") < html.index("<title>")
