"""Shared helpers of the authoring tests: import the build scripts by path (build/ is not
a package, so it cannot shadow PyPA's ``build``) and lay out small books in a folder."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SAMPLE_BOOK = Path(__file__).resolve().parent / "sample_book"


def load_script(name: str):
    """The module ``build/<name>.py``, imported once by its path."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, REPO / "build" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module          # dataclasses look their module up while loading
    spec.loader.exec_module(module)
    return module


def make_sample_book(root: Path) -> Path:
    """A two-page book around the sample lesson, with the real configuration, glossary,
    bibliography and extension (widgets/ is linked, not copied)."""
    (root / "book").mkdir(parents=True)
    (root / "lessons").mkdir()
    shutil.copy(SAMPLE_BOOK / "_toc.yml", root / "_toc.yml")
    shutil.copy(SAMPLE_BOOK / "index.md", root / "book" / "index.md")
    shutil.copy(SAMPLE_BOOK / "other-page.md", root / "book" / "other-page.md")
    shutil.copy(SAMPLE_BOOK / "good-lesson.md", root / "lessons" / "good-lesson.md")
    shutil.copytree(SAMPLE_BOOK / "good-lesson", root / "lessons" / "good-lesson")
    for name in ("glossary.md", "references.bib"):
        shutil.copy(REPO / "book" / name, root / "book" / name)
    # the real configuration: it decides which directives and roles the build knows
    shutil.copy(REPO / "_config.yml", root / "_config.yml")
    (root / "widgets").symlink_to(REPO / "widgets", target_is_directory=True)
    return root


def line_of(path: Path, text: str, occurrence: int = 1) -> int:
    """1-based number of the line holding ``text`` (its ``occurrence``-th appearance)."""
    seen = 0
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if text in line:
            seen += 1
            if seen == occurrence:
                return number
    raise AssertionError(f"{text!r} not found {occurrence} time(s) in {path}")
