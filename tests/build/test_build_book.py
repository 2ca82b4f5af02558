"""build/build_book.py fails on any Sphinx warning and reports each with file and line, in
a small book that uses the real configuration, extension and assets."""

import shutil
import subprocess
import sys

import pytest

from build_test_paths import REPO, SITE_ASSETS

GOOD_PAGE = """# A page

Text, and a live widget:

```{gradient-flow}
:name: small-flow
:depth: 5
```
"""

# Line 3: a cross-reference to a label that does not exist (a plain Sphinx warning);
# line 6: an invalid directive option (the extension's error).
BROKEN_PAGE = """# A page

See {ref}`a-label-that-does-not-exist`.

```{gradient-flow}
:depth: banana
```
"""


@pytest.fixture()
def small_book(tmp_path):
    if not (SITE_ASSETS / "asset-manifest.json").is_file():
        pytest.fail(f"{SITE_ASSETS} is not assembled: run `make assets`")
    root = tmp_path / "repo"
    shutil.copytree(REPO / "build", root / "build",
                    ignore=shutil.ignore_patterns("__pycache__"))
    # The configuration points into book/ (bibliography, favicon); the pages are ours.
    shutil.copytree(REPO / "book", root / "book")
    shutil.copy(REPO / "_config.yml", root / "_config.yml")
    (root / "_toc.yml").write_text("format: jb-book\nroot: book/index\n")
    for shared in ("widgets", ".venv", "node_modules"):
        (root / shared).symlink_to(REPO / shared, target_is_directory=True)
    (root / "_build").mkdir()
    (root / "_build" / "site-assets").symlink_to(SITE_ASSETS, target_is_directory=True)
    return root


def build(root):
    return subprocess.run([sys.executable, "build/build_book.py"], cwd=root,
                          capture_output=True, text=True, timeout=900)


def test_a_clean_page_builds(small_book):
    (small_book / "book" / "index.md").write_text(GOOD_PAGE)
    completed = build(small_book)
    assert completed.returncode == 0, (completed.stdout + completed.stderr)[-4000:]
    assert "build_book: built _build/html" in completed.stdout
    assert (small_book / "_build" / "html" / "book" / "index.html").is_file()


def test_every_warning_fails_the_build_with_file_and_line(small_book):
    (small_book / "book" / "index.md").write_text(BROKEN_PAGE)
    completed = build(small_book)
    output = completed.stdout + completed.stderr
    assert completed.returncode != 0
    page = str(small_book / "book" / "index.md")
    # --keep-going: both problems are reported, not just the first
    assert f"{page}:3" in output, output[-4000:]
    assert f"{page}:5" in output or f"{page}:6" in output, output[-4000:]
    assert "build_book: FAILED" in completed.stderr
