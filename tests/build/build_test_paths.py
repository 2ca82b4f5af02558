"""Paths shared by the build tests (a uniquely named module: every test folder has its
own conftest.py, so `from conftest import ...` could pick up another folder's)."""

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BUILD_SCRIPTS = REPO / "build"
SITE_ASSETS = REPO / "_build" / "site-assets"
SITE = REPO / "_build" / "html"
