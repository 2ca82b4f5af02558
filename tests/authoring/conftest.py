"""Fixtures of the authoring tests (checker, readability, book pages, newcomer)."""

from __future__ import annotations

from pathlib import Path

import pytest

from authoring_helpers import load_script, make_sample_book


@pytest.fixture(scope="session")
def checker():
    return load_script("check_lessons")


@pytest.fixture(scope="session")
def readability():
    return load_script("readability")


@pytest.fixture
def sample_book(tmp_path: Path) -> Path:
    return make_sample_book(tmp_path / "book-root")
