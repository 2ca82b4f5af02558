"""Fixtures of the authoring tests (checker, readability, book pages, newcomer)."""

from __future__ import annotations

import shutil
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
def sample_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # A fresh copy for each test, always at the same path: the checker keeps the names
    # the build knows per (configuration, root), and finding them starts a Sphinx in a
    # child process (seconds). The same root lets every test after the first reuse them.
    root = tmp_path_factory.getbasetemp() / "book-root"
    shutil.rmtree(root, ignore_errors=True)
    return make_sample_book(root)
