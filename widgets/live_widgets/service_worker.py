"""Write ``live-widgets-sw.js`` at the site root with a cache version that changes
whenever any shipped static file changes, so a new deployment replaces the cache.

The template is the browser side's ``static/live-widgets-sw.js``; the string
``__LW_CACHE_VERSION__`` in it is replaced (ARCHITECTURE §2). The version starts from
the runtime's ``asset-manifest.json`` (which already hashes Pyodide, numpy, plotly.js…,
so those large files are not read again) and adds every other file under ``_static``
(our JS/CSS, ``cell_runner.py``, the theme).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from sphinx.application import Sphinx

from .assets import STATIC_DIR
from .build_errors import fail_build
from .early_start import MANIFEST_NAME

TEMPLATE = STATIC_DIR / "live-widgets-sw.js"
PLACEHOLDER = "__LW_CACHE_VERSION__"
OUTPUT_NAME = "live-widgets-sw.js"


def cache_version(static_dir: Path) -> str:
    """16 hex characters over the manifest's version and every file it does not list."""
    digest = hashlib.sha256()
    listed: set[str] = set()
    manifest = static_dir / MANIFEST_NAME
    if manifest.is_file():
        data = json.loads(manifest.read_text("utf-8"))
        digest.update(str(data["version"]).encode())
        listed = set(data.get("files", {})) | {MANIFEST_NAME}
    for path in sorted(p for p in static_dir.rglob("*") if p.is_file()):
        name = path.relative_to(static_dir).as_posix()
        if name in listed:
            continue
        digest.update(name.encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]


def _write_service_worker(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html" or not TEMPLATE.is_file():
        return
    outdir = Path(app.outdir)
    # html_static_path also copied the template into _static; only the root copy
    # (whose scope is the whole site) is a worker anyone should register
    Path(outdir, "_static", TEMPLATE.name).unlink(missing_ok=True)
    template = TEMPLATE.read_text("utf-8")
    if PLACEHOLDER not in template:
        fail_build(app, f"{TEMPLATE} must contain {PLACEHOLDER} (ARCHITECTURE §2)")
        return
    version = cache_version(outdir / "_static")
    (outdir / OUTPUT_NAME).write_text(template.replace(PLACEHOLDER, version), "utf-8")


def setup_service_worker(app: Sphinx) -> None:
    app.connect("build-finished", _write_service_worker, priority=500)
