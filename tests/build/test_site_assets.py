"""_build/site-assets/ as `make assets` leaves it, checked against the contract
(widgets/ARCHITECTURE.md, section 2), and its copy in the built site."""

import hashlib
import json
import zipfile
import zlib

import pytest

import asset_manifest
import gradflow_wheel
import npm_packages
import runtime_pins as pins
from build_test_paths import REPO, SITE, SITE_ASSETS

CONTRACT_FILES = [
    "pyodide/pyodide.js", "pyodide/pyodide.mjs", "pyodide/pyodide.asm.js",
    "pyodide/pyodide.asm.wasm", "pyodide/python_stdlib.zip", "pyodide/pyodide-lock.json",
    f"pyodide/{pins.NUMPY_WHEEL}", "plotly/plotly.min.js", "codemirror/editor.js",
    "katex/katex.min.css", "scripts/fontawesome.js", "third-party/NOTICES.txt",
    "live-widgets.js", "live-widgets-worker.js", asset_manifest.MANIFEST_NAME,
]


@pytest.fixture(scope="module")
def assets():
    if not (SITE_ASSETS / asset_manifest.MANIFEST_NAME).is_file():
        pytest.fail(f"{SITE_ASSETS} is not assembled: run `make assets`")
    return SITE_ASSETS


@pytest.fixture(scope="module")
def lock(assets):
    return json.loads((assets / "pyodide" / "pyodide-lock.json").read_text())


def test_every_file_of_the_contract_is_there(assets):
    missing = [name for name in CONTRACT_FILES if not (assets / name).is_file()]
    assert not missing
    assert list((assets / "katex" / "fonts").glob("KaTeX_Main-Regular.woff2"))


def test_only_runtime_files_are_shipped(assets):
    # console.html loads jQuery from a CDN; source maps and type stubs are not needed.
    shipped = {path.name for path in (assets / "pyodide").iterdir()}
    assert "console.html" not in shipped
    assert not [name for name in shipped if name.endswith((".map", ".d.ts"))]
    assert shipped == set(pins.PYODIDE_CORE_FILES) | {pins.NUMPY_WHEEL} | {
        entry["file_name"] for entry in json.loads(
            (assets / "pyodide" / "pyodide-lock.json").read_text())["packages"].values()}


def test_the_pyodide_core_files_are_the_verified_ones(assets):
    for name, sha256 in pins.PYODIDE_CORE_FILES.items():
        if name != "pyodide-lock.json":  # rewritten by the build, checked below
            assert hashlib.sha256((assets / "pyodide" / name).read_bytes()).hexdigest() == sha256


def test_the_lock_file_lists_exactly_the_shipped_packages_with_their_hashes(assets, lock):
    # Pyodide refuses a lock file whose version is not its own.
    assert lock["info"]["version"] == pins.PYODIDE_VERSION
    assert set(lock["packages"]) == {"numpy", "gradflow"}
    assert lock["packages"]["numpy"]["sha256"] == pins.NUMPY_WHEEL_SHA256
    assert lock["packages"]["gradflow"]["depends"] == ["numpy"]
    for entry in lock["packages"].values():
        path = assets / "pyodide" / entry["file_name"]
        assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["sha256"], path.name


def test_the_gradflow_wheel_is_precompiled_and_current(assets, lock):
    entry = lock["packages"]["gradflow"]
    assert entry["file_name"] == f"gradflow-{entry['version']}-cp312-none-any.whl"
    with zipfile.ZipFile(assets / "pyodide" / entry["file_name"]) as archive:
        names = archive.namelist()
        compiled = {name[:-1] for name in names if name.endswith(".pyc")}
    assert not [name for name in names if name.endswith(".py")]
    manifest = json.loads((assets / asset_manifest.MANIFEST_NAME).read_text())
    assert manifest["sources"]["gradflow"] == gradflow_wheel.source_digest(REPO), (
        "the gradflow wheel was built from older sources: run `make assets`")
    # One .pyc per module of widgets/gradflow.
    sources = {f"gradflow/{path.relative_to(REPO / 'widgets/gradflow').as_posix()}"
               for path in (REPO / "widgets/gradflow").rglob("*.py")}
    assert compiled == sources


def test_the_page_and_worker_scripts_are_bundled_from_the_current_sources(assets):
    manifest = json.loads((assets / asset_manifest.MANIFEST_NAME).read_text())
    assert set(npm_packages.LIVE_WIDGETS_BUNDLES) <= set(manifest["files"])
    assert manifest["sources"]["live-widgets"] == npm_packages.live_widgets_source_digest(REPO), (
        "live-widgets.js was bundled from older sources in widgets/live_widgets/js: "
        "run `make assets`")
    for name in npm_packages.LIVE_WIDGETS_BUNDLES:
        # esbuild's IIFE: a classic script, as the page's <script> and importScripts need
        script = (assets / name).read_text()
        assert script.startswith(("(()=>{", '"use strict";(()=>{')), script[:40]


def test_widget_pages_load_the_bundled_script_with_its_checksum(assets):
    # Sphinx appends ?v=<crc32 of the file>, so browsers never run an older bundle.
    if not (SITE / "index.html").is_file():
        pytest.fail(f"{SITE} is not built: run `make book`")
    crc = zlib.crc32((SITE / "_static" / "live-widgets.js").read_bytes())
    page = (SITE / "lessons" / "02-vanishing-gradients.html").read_text()
    assert f'src="../_static/live-widgets.js?v={crc:08x}"' in page


def test_the_manifest_hashes_every_file_and_versions_the_set(assets):
    manifest = json.loads((assets / asset_manifest.MANIFEST_NAME).read_text())
    on_disk = {path.relative_to(assets).as_posix() for path in assets.rglob("*")
               if path.is_file() and path.name != asset_manifest.MANIFEST_NAME}
    assert set(manifest["files"]) == on_disk
    for name, entry in manifest["files"].items():
        data = (assets / name).read_bytes()
        assert entry == {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
    combined = hashlib.sha256(json.dumps(manifest["files"], sort_keys=True).encode())
    assert manifest["version"] == combined.hexdigest()[:16]


def test_the_third_party_notices_cover_everything_shipped(assets):
    notices = (assets / "third-party" / "NOTICES.txt").read_text()
    for component in ("Pyodide 0.27.7", "CPython", "numpy 2.0.2", "plotly.js", "KaTeX",
                      "@codemirror/view", "@lezer/python",
                      "@fortawesome/free-solid-svg-icons (in the theme's icons)"):
        assert component in notices
    listed = [line.rsplit(" -- ", 1)[1] for line in notices.splitlines() if " -- " in line]
    for name in listed:
        text = (assets / "third-party" / name).read_text()
        assert "licen" in text.lower() or "permission" in text.lower(), name
    assert "Mozilla Public License Version 2.0" in (assets / "third-party" /
                                                    "pyodide-LICENSE.txt").read_text()
    assert "PYTHON SOFTWARE FOUNDATION LICENSE" in (assets / "third-party" /
                                                    "cpython-LICENSE.txt").read_text()


def test_the_built_site_ships_the_assets_unchanged(assets):
    if not (SITE / "index.html").is_file():
        pytest.fail(f"{SITE} is not built: run `make book`")
    static = SITE / "_static"
    manifest = json.loads((assets / asset_manifest.MANIFEST_NAME).read_text())
    differing = [name for name, entry in manifest["files"].items()
                 if not (static / name).is_file()
                 or hashlib.sha256((static / name).read_bytes()).hexdigest() != entry["sha256"]]
    assert not differing, (f"not in _build/html/_static as assembled: {differing[:5]} "
                           "(run `make book` after `make assets`)")
