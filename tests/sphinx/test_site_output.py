"""What the extension adds to the built site: assets only on widget pages, cell_runner,
the service worker, the Content-Security-Policy, and no other origin."""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from live_widgets import csp
from live_widgets.assets import CELL_RUNNER
from live_widgets.service_worker import PLACEHOLDER, TEMPLATE

PAGES = {
    "widgets": """
        # Widgets

        ```{live-code}
        print("hi")
        ```
        """,
    "plain": """
        # Plain

        Just text with maths $a^2 + b^2$.
        """,
}
THEME_CONF = """
extensions += ["sphinxcontrib.katex", "sphinx_thebe"]  # Jupyter Book always loads thebe
katex_prerender = True
katex_css_path = "katex/katex.min.css"
html_theme = "sphinx_book_theme"
"""


class _Scripts(HTMLParser):
    """An independent reading of a page: its CSP and its inline scripts/handlers."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.policy = None
        self.inline: list[str] = []
        self.handlers: list[str] = []
        self._in_script = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and attrs.get("http-equiv") == "Content-Security-Policy":
            self.policy = attrs["content"]
        self.handlers += [value for name, value in attrs.items() if name.startswith("on")]
        if tag == "script" and "src" not in attrs and attrs.get("type", "") in ("", "text/javascript"):
            self._in_script = []

    def handle_data(self, data):
        if self._in_script is not None:
            self._in_script.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._in_script is not None:
            self.inline.append("".join(self._in_script))
            self._in_script = None


def _sha(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


@pytest.fixture(scope="module")
def site(module_book):
    return module_book(PAGES, THEME_CONF)


def test_widget_assets_only_on_widget_pages(site):
    widgets, plain = site.html("widgets"), site.html("plain")
    # The script is bundled into the site assets, which these builds leave out, so Sphinx
    # has no file to checksum here ("?v=" appears in the real site).
    assert re.search(r'<script defer="defer" src="_static/live-widgets.js(\?v=\w+)?"></script>', widgets)
    assert "live-widgets.css" in widgets
    assert "live-widgets.js" not in plain and "live-widgets.css" not in plain


def test_cell_runner_is_shipped_unchanged(site):
    shipped = site.outdir / "_static" / "live-widgets" / "cell_runner.py"
    assert shipped.read_bytes() == CELL_RUNNER.read_bytes()


def test_service_worker_at_root_with_cache_version(site):
    worker = (site.outdir / "live-widgets-sw.js").read_text("utf-8")
    assert PLACEHOLDER not in worker
    template = TEMPLATE.read_text("utf-8")
    before, after = template.split(PLACEHOLDER, 1)
    version = worker[len(before):len(worker) - len(after)]
    assert re.fullmatch(r"[0-9a-f]{16}", version)
    assert not (site.outdir / "_static" / TEMPLATE.name).exists()


def test_cache_version_follows_static_files(tmp_path: Path):
    from live_widgets.service_worker import cache_version

    (tmp_path / "pyodide").mkdir()
    (tmp_path / "pyodide" / "big.wasm").write_bytes(b"runtime")
    (tmp_path / "asset-manifest.json").write_text(
        '{"version": "aaaa", "files": {"pyodide/big.wasm": {"sha256": "x", "bytes": 7}}}')
    (tmp_path / "live-widgets.js").write_text("one")
    first = cache_version(tmp_path)
    (tmp_path / "pyodide" / "big.wasm").write_bytes(b"changed")  # covered by the manifest
    assert cache_version(tmp_path) == first
    (tmp_path / "live-widgets.js").write_text("two")
    second = cache_version(tmp_path)
    assert second != first
    (tmp_path / "asset-manifest.json").write_text('{"version": "bbbb", "files": {}}')
    assert cache_version(tmp_path) != second


def test_every_page_has_a_policy_with_its_inline_script_hashes(site):
    pages = csp.html_pages(site.outdir)
    assert {p.name for p in pages} >= {"index.html", "widgets.html", "plain.html",
                                       "search.html", "genindex.html"}
    for page in pages:
        html = page.read_text("utf-8")
        assert html.count('http-equiv="Content-Security-Policy"') == 1, page
        # the policy comes before every script
        assert html.index("Content-Security-Policy") < html.find("<script")
        reader = _Scripts()
        reader.feed(html)
        directives = dict(d.strip().split(" ", 1) for d in reader.policy.split(";"))
        script_src = directives["script-src"].split()
        assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
        assert "'wasm-unsafe-eval'" in script_src and "'self'" in script_src
        for source in ("default-src", "connect-src", "worker-src"):
            assert directives[source] == "'self'"
        for body in reader.inline:
            assert _sha(body) in script_src, (page, body[:80])
        for handler in reader.handlers:
            assert _sha(handler) in script_src and "'unsafe-hashes'" in script_src
        assert reader.inline, "the theme writes inline scripts; they must be hashed"


def test_every_page_allows_every_handler_of_the_site(site):
    # The search page parses the other pages (snippets) and Chromium checks their inline
    # handlers against the search page's own policy: a handler the search page lacks
    # (the print button's window.print()) logged one CSP error per result.
    pages = csp.html_pages(site.outdir)
    handlers = set()
    for page in pages:
        reader = _Scripts()
        reader.feed(page.read_text("utf-8"))
        handlers |= {_sha(handler) for handler in reader.handlers}
    assert _sha("window.print()") in handlers, "the theme's print button has moved"
    for page in pages:
        reader = _Scripts()
        reader.feed(page.read_text("utf-8"))
        directives = dict(d.strip().split(" ", 1) for d in reader.policy.split(";"))
        missing = handlers - set(directives["script-src"].split())
        assert not missing, (page.name, missing)


def test_site_handlers_join_the_page_own():
    page = "<html><head><meta charset='utf-8'></head><body onload=\"a()\"></body></html>"
    html = csp.add_policy(page, [_sha("b()"), _sha("a()")])
    script_src = re.search(r"script-src ([^;]*)", html).group(1).split()
    assert script_src.count(_sha("a()")) == 1 and _sha("b()") in script_src
    assert "'unsafe-hashes'" in script_src


def test_policy_is_replaced_not_repeated_on_rebuild():
    page = "<html><head><meta charset='utf-8'><script>a()</script></head></html>"
    once = csp.add_policy(page)
    twice = csp.add_policy(once.replace("a()", "b()"))
    assert twice.count("Content-Security-Policy") == 1
    assert _sha("b()") in twice and _sha("a()") not in twice


def test_no_page_loads_from_another_origin(site):
    for page in csp.html_pages(site.outdir):
        assert csp.external_loads(page.read_text("utf-8")) == [], page
    for page in ("widgets", "plain"):
        assert "sphinx-thebe.js" not in site.html(page)
        assert "THEBE_JS_URL" not in site.html(page)  # its inline script names a CDN


def test_external_script_fails_the_build(build_with_problems):
    built = build_with_problems({"index": """
        # Page

        ```{raw} html
        <script src="https://example.org/tracker.js"></script>
        ```
        """})
    assert built.statuscode != 0
    assert "index.html: loads https://example.org/tracker.js" in built.status


def test_missing_assets_dir_says_run_make_assets(build_with_problems):
    with pytest.raises(Exception, match="run `make assets`"):
        build_with_problems({"index": "# Page\n"}, 'live_widgets_assets_dir = "no/such/dir"\n')


def test_non_html_builders_skip_widgets(tmp_path: Path):
    from io import StringIO

    from sphinx.testing.util import SphinxTestApp

    from sphinx_test_conf import BASE_CONF

    (tmp_path / "conf.py").write_text(BASE_CONF)
    (tmp_path / "index.md").write_text("# Text\n\nBefore.\n\n```{live-code}\nprint(1)\n```\n\n"
                                       "```{gradient-flow}\n:depth: 3\n```\n\nAfter.\n")
    warning = StringIO()
    app = SphinxTestApp("text", srcdir=tmp_path, warning=warning, status=StringIO())
    try:
        app.build()
    finally:
        app.cleanup()
    text = (Path(app.outdir) / "index.txt").read_text()
    assert "Before." in text and "After." in text and "print(1)" not in text
    assert warning.getvalue() == ""
