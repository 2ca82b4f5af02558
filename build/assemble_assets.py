"""Assemble _build/site-assets/: the verified browser runtime the book serves from its own
origin (layout in widgets/ARCHITECTURE.md, section 2).

Run as a file from anywhere:  python build/assemble_assets.py
Downloads are verified and cached in .cache/, so a second run works offline.
"""

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import asset_manifest
import gradflow_wheel
import npm_packages
import numpy_wheel
import pyodide_snapshot
import third_party_notices
from verified_files import AssetError
from gradflow.digits import DIGITS_FILE_NAME, write_digits_file

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "_build" / "site-assets"
CACHE = ROOT / ".cache"


def assemble(root: Path, target: Path, cache_dir: Path) -> dict:
    """Build the assets in a scratch folder and swap it into `target`, so a book build
    running meanwhile never sees half a runtime. Returns the manifest."""
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".site-assets-", dir=target.parent))
    try:
        assets = scratch / "site-assets"
        pyodide_dir = assets / "pyodide"
        pyodide_dir.mkdir(parents=True)

        print("- npm packages (integrity-checked by package-lock.json)")
        npm_packages.ensure_node_modules(root)
        print("- Pyodide core")
        npm_packages.copy_pyodide_core(root, pyodide_dir)
        print("- numpy wheel")
        numpy_path = numpy_wheel.copy_numpy_wheel(cache_dir, pyodide_dir)
        print("- gradflow wheel")
        compiled = gradflow_wheel.add_gradflow(root, pyodide_dir)
        print(f"  {compiled.name}")
        print("- start-up snapshot (numpy and gradflow imported; build/pyodide_snapshot.py)")
        reused = pyodide_snapshot.add_snapshot(root, pyodide_dir, assets, cache_dir)
        print("  reused from .cache/" if reused else "  made")
        print("- plotly.js, KaTeX, CodeMirror")
        npm_packages.copy_plotly(root, assets)
        npm_packages.copy_katex(root, assets)
        editor_packages = npm_packages.bundle_editor(root, assets, scratch)
        print("- the live widgets' page and worker scripts (from widgets/live_widgets/js/)")
        npm_packages.bundle_live_widgets(root, assets, scratch)
        print("- theme icons (the subset the pages use)")
        icon_packages = npm_packages.bundle_icons(root, assets, scratch)
        print("- the handwritten digits (read from scikit-learn, checked against gradflow's pin)")
        write_digits_file(assets / "data" / DIGITS_FILE_NAME)
        print("- third-party notices")
        third_party_notices.write_notices(root, assets, numpy_path,
                                          {"the code editor": editor_packages,
                                           "the theme's icons": icon_packages})
        manifest = asset_manifest.write_manifest(
            assets, sources={"gradflow": gradflow_wheel.source_digest(root),
                             "live-widgets": npm_packages.live_widgets_source_digest(root)})

        previous = scratch / "previous"
        if target.exists():
            os.replace(target, previous)
        os.replace(assets, target)
        return manifest
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def rebundle_scripts(root: Path, target: Path) -> bool:
    """Bundle only the page and worker scripts again into assembled assets, and update the
    manifest; `make preview` runs this before each rebuild, so edits under
    widgets/live_widgets/js/ reach the browser. Returns whether anything changed."""
    manifest_path = target / asset_manifest.MANIFEST_NAME
    if not manifest_path.is_file():
        raise AssetError(f"{target} is not assembled: run `make assets` first")
    sources = json.loads(manifest_path.read_text())["sources"]
    digest = npm_packages.live_widgets_source_digest(root)
    if sources.get("live-widgets") == digest:
        return False
    with tempfile.TemporaryDirectory() as work_dir:
        npm_packages.bundle_live_widgets(root, target, Path(work_dir))
    asset_manifest.write_manifest(target, sources={**sources, "live-widgets": digest})
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ASSETS, help=f"default: {ASSETS}")
    parser.add_argument("--cache", type=Path, default=CACHE, help=f"default: {CACHE}")
    parser.add_argument("--scripts-only", action="store_true",
                        help="only bundle the live widgets' scripts again (make preview)")
    args = parser.parse_args(argv)
    started = time.monotonic()
    if args.scripts_only:
        try:
            changed = rebundle_scripts(ROOT, args.out.resolve())
        except AssetError as error:
            print(f"assemble_assets: FAILED: {error}", file=sys.stderr)
            return 1
        print("assemble_assets: live-widgets scripts "
              + ("bundled again" if changed else "unchanged"))
        return 0
    try:
        manifest = assemble(ROOT, args.out.resolve(), args.cache.resolve())
    except AssetError as error:
        print(f"assemble_assets: FAILED: {error}", file=sys.stderr)
        return 1
    total = sum(entry["bytes"] for entry in manifest["files"].values())
    print(f"assembled {len(manifest['files'])} files ({total / 1e6:.1f} MB, version "
          f"{manifest['version']}) in {args.out} in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
