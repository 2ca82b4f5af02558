"""The newcomer test: in a temporary copy of the repository, follow the authoring guide
(book/authoring.md) to add an eighth lesson with a gradient-flow widget, run the checker
as the guide says, build the book, and find the new page, its widget and its place in the
navigation in the built site.

The lesson text and the table-of-contents line are taken from the guide itself (its
code blocks named ``lesson-template-source`` and ``toc-entry``), so a guide that drifts
from what the build accepts fails here. The runtime assets are not rebuilt: the copy links
the real repository's ``_build/site-assets`` (assembled by ``make assets``/``make book``).
"""

from __future__ import annotations

import html
import json
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from authoring_helpers import REPO

GUIDE = REPO / "book" / "authoring.md"
NEW_LESSON = "lessons/08-beyond-images.md"     # the file name the guide's steps use
# Not copied: environments, downloads, build output, caches and git's own store.
NOT_COPIED = shutil.ignore_patterns(".git", ".venv", "node_modules", "_build", ".cache",
                                    "__pycache__", ".pytest_cache", ".hypothesis",
                                    "test-results", "*.egg-info")


def guide_block(checker, name: str) -> str:
    """The body of the guide's code block with ``:name: name``."""
    page = checker.parse_page(GUIDE)
    for directive in page.directives:
        if directive.name == "code-block" and directive.options.get("name") == name:
            return directive.body + "\n"
    raise AssertionError(f"book/authoring.md has no code block named {name!r}")


def guide_command(prefix: str) -> list[str]:
    """The guide's ``$ ...`` console line that starts with ``prefix``."""
    for line in GUIDE.read_text(encoding="utf-8").splitlines():
        if line.strip().startswith(f"$ {prefix}"):
            return shlex.split(line.strip()[2:])
    raise AssertionError(f"book/authoring.md shows no command starting {prefix!r}")


@pytest.fixture(scope="module")
def repo_copy(tmp_path_factory) -> Path:
    assets = REPO / "_build" / "site-assets"
    if not (assets / "asset-manifest.json").is_file():
        pytest.fail("the runtime assets are missing: run `make assets` (or `make book`) first")
    copy = tmp_path_factory.mktemp("newcomer") / "repo"
    shutil.copytree(REPO, copy, ignore=NOT_COPIED, symlinks=True)
    for shared in (".venv", "node_modules"):
        (copy / shared).symlink_to(REPO / shared, target_is_directory=True)
    (copy / "_build").mkdir()
    (copy / "_build" / "site-assets").symlink_to(assets, target_is_directory=True)
    # Build-time simulator results are keyed by gradflow's source, so reusing them is safe
    # and saves minutes on a busy machine.
    cache = REPO / "_build" / ".doctrees" / "live-widgets-cache"
    if cache.is_dir():
        shutil.copytree(cache, copy / "_build" / ".doctrees" / "live-widgets-cache")
    return copy


@pytest.fixture(scope="module")
def newcomer_book(repo_copy: Path, checker) -> Path:
    """Steps 1-2 of the guide: the template as lessons/08-…, listed in _toc.yml."""
    lesson = repo_copy / NEW_LESSON
    lesson.write_text(guide_block(checker, "lesson-template-source"), encoding="utf-8")
    entry = yaml.safe_load(guide_block(checker, "toc-entry"))
    assert entry == [{"file": NEW_LESSON.removesuffix(".md")}], entry
    toc_path = repo_copy / "_toc.yml"
    toc = yaml.safe_load(toc_path.read_text(encoding="utf-8"))
    toc["parts"][0]["chapters"].extend(entry)      # "under the chapters: of the first part"
    toc_path.write_text(yaml.safe_dump(toc, sort_keys=False), encoding="utf-8")
    return repo_copy


def test_the_checker_passes_the_new_lesson(newcomer_book: Path) -> None:
    command = guide_command(".venv/bin/python build/check_lessons.py")
    assert command[-1] == NEW_LESSON
    completed = subprocess.run(command, cwd=newcomer_book, capture_output=True, text=True,
                               timeout=600)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "0 problem(s) in 1 page(s)" in completed.stderr


def test_the_built_book_has_the_new_lesson_with_its_widget(newcomer_book: Path) -> None:
    # What `make book` runs once the assets exist (the copy reuses the real ones).
    completed = subprocess.run([".venv/bin/python", "build/build_book.py"], cwd=newcomer_book,
                               capture_output=True, text=True, timeout=1800)
    assert completed.returncode == 0, (completed.stdout + completed.stderr)[-6000:]

    site = newcomer_book / "_build" / "html"
    page = site / NEW_LESSON.replace(".md", ".html")
    assert page.is_file(), f"no {page.relative_to(newcomer_book)} in the built site"
    text = page.read_text(encoding="utf-8")

    widget = re.search(r'<div [^>]*id="beyond-images-flow"[^>]*>', text)
    assert widget, "the template's gradient-flow widget is not in the page"
    assert 'data-lw-kind="view"' in widget.group(0)
    assert 'data-lw-view="gradient"' in widget.group(0)
    initial = re.search(r'<script type="application/json" class="lw-initial">(.*?)</script>',
                        text[widget.start():], re.DOTALL)
    assert initial, "the widget carries no build-time result"
    result = json.loads(html.unescape(initial.group(1)))
    assert result["settings"]["depth"] == 20 and result["settings"]["mode"] == "both"
    assert len(result["table"]["rows"]) == 20

    # the computed number was inserted (no role text left behind), the quiz is there
    assert "first_to_last_ratio" not in re.sub(r"<pre.*?</pre>", "", text, flags=re.DOTALL)
    assert 'class="lw-computed"' in text
    assert 'data-lw-kind="quiz"' in text

    # the lesson is in the navigation: linked from the landing page's table of contents
    index = (site / "book" / "index.html").read_text(encoding="utf-8")
    assert "lessons/08-beyond-images.html" in index
