"""The head hint (early_start.py): pages with live Python start the worker from <head>,
every page names its deployment for the article swap and guards the theme's scripts."""

from __future__ import annotations

import json

from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser
from docutils.utils import new_document

from live_widgets import csp
from live_widgets.early_start import THEME_GUARD, build_id, early_worker_script, head_hint
from live_widgets.live_code import live_code_cell
from live_widgets.quiz import quiz_node


def document_with(*children):
    doc = new_document("page", get_default_settings(Parser))
    for child in children:
        doc += child
    return doc


def context(metatags: str = "") -> dict:
    return {"metatags": metatags, "pathto": lambda name, resource: f"../{name}"}


def test_a_page_with_python_starts_the_worker_from_its_head():
    page = context('<meta name="viewport" content="width=device-width">')
    head_hint(page, document_with(live_code_cell()), "952fb9afa8622bad")
    tags = page["metatags"]
    assert tags.startswith('<meta name="viewport"'), "the theme's own tags stay first"
    assert '<meta name="lw-build" content="952fb9afa8622bad">' in tags
    assert '"../_static/live-widgets-worker.js"' in tags and "window.lwEarlyWorker=" in tags
    # the CSP pass allows them by their hashes, like every inline script
    scripts = [part.split("</script>")[0] for part in tags.split("<script>")[1:]]
    assert scripts[0] == THEME_GUARD and "new Worker(u)" in scripts[1]
    assert csp.inline_script_hashes(tags) == [csp._sha256_source(s) for s in scripts]


def test_a_page_with_only_quizzes_or_nothing_live_names_its_build_and_guards_the_theme():
    for doctree in (document_with(quiz_node()), document_with(), None):
        page = context()
        head_hint(page, doctree, "952fb9afa8622bad")
        assert page["metatags"].count("<script") == 1
        assert f"<script>{THEME_GUARD}</script>" in page["metatags"]
        assert "Worker" not in page["metatags"]
        assert 'content="952fb9afa8622bad"' in page["metatags"]


def test_the_theme_guard_is_one_script_that_cannot_end_early():
    assert "</" not in THEME_GUARD and "\n" not in THEME_GUARD
    # it replaces a storage only when a probe write throws, and marks the stand-in
    assert "lwInMemory:true" in THEME_GUARD and "catch(x){}t=m()" in THEME_GUARD


def test_the_worker_url_is_quoted_as_javascript():
    script = early_worker_script('../_static/a"b</script>.js')
    assert "</script" not in script
    assert '"../_static/a\\"b\\u003c/script>.js"' in script
    assert script.count("new Worker(u)") == 1


def test_build_id_is_the_asset_manifests_version(tmp_path):
    assert build_id(None) == ""
    assert build_id(tmp_path) == ""  # not assembled
    (tmp_path / "asset-manifest.json").write_text(json.dumps({"version": "0123456789abcdef"}))
    assert build_id(tmp_path) == "0123456789abcdef"
    (tmp_path / "asset-manifest.json").write_text("{broken")
    assert build_id(tmp_path) == ""
