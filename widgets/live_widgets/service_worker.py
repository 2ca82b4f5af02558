"""Write ``live-widgets-sw.js`` at the site root with a cache version that changes
whenever any shipped static file changes, so a new deployment replaces the cache.

The template is the browser side's ``static/live-widgets-sw.js``; the string
``__LW_CACHE_VERSION__`` in it is replaced (ARCHITECTURE §2).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

from .assets import STATIC_DIR

TEMPLATE = STATIC_DIR / "live-widgets-sw.js"
PLACEHOLDER = "__LW_CACHE_VERSION__"
OUTPUT_NAME = "live-widgets-sw.js"


def asset_manifest_hash(static_dir: Path) -> str:
    """sha256 over every file under ``_static`` (relative path and content)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in static_dir.rglob("*") if p.is_file()):
        digest.update(path.relative_to(static_dir).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]


def _write_service_worker(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html" or not TEMPLATE.is_file():
        return
    outdir = Path(app.outdir)
    # the copy of the template that html_static_path put in _static is not a worker
    # anyone should register; the root copy (scope: the whole site) is the real one
    Path(outdir, "_static", TEMPLATE.name).unlink(missing_ok=True)
    template = TEMPLATE.read_text("utf-8")
    if PLACEHOLDER not in template:
        raise ExtensionError(f"{TEMPLATE} must contain {PLACEHOLDER} (ARCHITECTURE §2)")
    version = asset_manifest_hash(outdir / "_static")
    (outdir / OUTPUT_NAME).write_text(template.replace(PLACEHOLDER, version), "utf-8")


def setup_service_worker(app: Sphinx) -> None:
    app.connect("build-finished", _write_service_worker, priority=500)
