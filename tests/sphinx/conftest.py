"""Builds small books with the live_widgets extension through ``sphinx.testing``.

``build_book`` fails the test on any Sphinx warning (as CI's ``-W`` does);
``build_with_problems`` returns the warnings and exit status for the tests that check a
broken directive fails with its file and line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from textwrap import dedent
from typing import Callable

import pytest
from sphinx.testing.util import SphinxTestApp

# a uniquely named module: `from conftest import` could find another folder's conftest
from sphinx_test_conf import BASE_CONF


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


@dataclass
class Built:
    srcdir: Path
    outdir: Path
    warnings: str
    status: str
    statuscode: int

    def html(self, page: str = "index") -> str:
        return (self.outdir / f"{page}.html").read_text("utf-8")


def _build(srcdir: Path, pages: dict[str, str], conf: str) -> Built:
    srcdir.mkdir(parents=True, exist_ok=True)
    (srcdir / "conf.py").write_text(BASE_CONF + dedent(conf), "utf-8")
    names = [name for name in pages if name != "index"]
    if "index" not in pages:
        toctree = "\n".join(names)
        pages = {"index": f"# Book\n\n```{{toctree}}\n{toctree}\n```\n", **pages}
    for name, text in pages.items():
        page = srcdir / f"{name}.md"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(dedent(text), "utf-8")
    status, warning = StringIO(), StringIO()
    app = SphinxTestApp("html", srcdir=srcdir, status=status, warning=warning)
    try:
        app.build()
    finally:
        app.cleanup()
    return Built(srcdir, Path(app.outdir), _ANSI.sub("", warning.getvalue()),
                 _ANSI.sub("", status.getvalue()), app.statuscode)


@pytest.fixture
def build_with_problems(tmp_path: Path) -> Callable[..., Built]:
    def build(pages: dict[str, str], conf: str = "") -> Built:
        return _build(tmp_path / "src", pages, conf)
    return build


@pytest.fixture
def build_book(build_with_problems: Callable[..., Built]) -> Callable[..., Built]:
    """Like CI: any warning fails."""
    def build(pages: dict[str, str], conf: str = "") -> Built:
        built = build_with_problems(pages, conf)
        assert built.warnings == "", built.warnings
        assert built.statuscode == 0, built.status
        return built
    return build


@pytest.fixture(scope="module")
def module_book(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Built]:
    """One successful build shared by a module's contract tests (builds are slow)."""
    def build(pages: dict[str, str], conf: str = "") -> Built:
        built = _build(tmp_path_factory.mktemp("book") / "src", pages, conf)
        assert built.warnings == "", built.warnings
        assert built.statuscode == 0, built.status
        return built
    return build


def widget(html: str, widget_id: str) -> str:
    """The outer element of widget ``widget_id`` up to the next widget or section."""
    start = html.index(f'id="{widget_id}"')
    start = html.rindex("<div", 0, start)
    end = html.find('<div class="lw-widget', start + 1)
    return html[start:end if end != -1 else len(html)]


def initial_json(fragment: str) -> dict:
    import json

    match = re.search(r'<script type="application/json" class="lw-initial">(.*?)</script>',
                      fragment, re.S)
    assert match, "no lw-initial JSON block"
    return json.loads(match.group(1))
