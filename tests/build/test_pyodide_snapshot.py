"""The start-up snapshot in the build (build/pyodide_snapshot.py, build/make_snapshot.mjs):
`make assets` puts it in site-assets/pyodide-snapshot/ and lists it in the manifest, it is
reused from .cache/ while its inputs are unchanged and made again when one changes, and a
snapshot that cannot be made fails the build in one line. Restoring it is tested in
tests/pyodide/test_snapshot.py."""

import gzip
import hashlib
import json

import pytest

import asset_manifest
import pyodide_snapshot
import runtime_pins as pins
from build_test_paths import REPO, SITE_ASSETS
from verified_files import AssetError


def test_the_assets_ship_the_snapshot_listed_in_the_manifest():
    folder = SITE_ASSETS / pyodide_snapshot.SNAPSHOT_DIR
    if not (SITE_ASSETS / asset_manifest.MANIFEST_NAME).is_file():
        pytest.fail(f"{SITE_ASSETS} is not assembled: run `make assets`")
    manifest = json.loads((SITE_ASSETS / asset_manifest.MANIFEST_NAME).read_text())
    for name in pyodide_snapshot.SNAPSHOT_FILES:
        entry = manifest["files"].get(f"{pyodide_snapshot.SNAPSHOT_DIR}/{name}")
        assert entry, f"asset-manifest.json does not list {pyodide_snapshot.SNAPSHOT_DIR}/{name}"
        assert entry["sha256"] == hashlib.sha256((folder / name).read_bytes()).hexdigest()
    meta = json.loads((folder / "meta.json").read_text())
    assert meta["format"] == 1
    assert meta["pyodideVersion"] == pins.PYODIDE_VERSION
    lock = json.loads((SITE_ASSETS / "pyodide" / "pyodide-lock.json").read_text())
    assert meta["packages"] == {name: lock["packages"][name]["sha256"]
                                for name in ("numpy", "gradflow")}
    # numpy's 19 shared libraries, each with its recorded memory and table base
    assert len(meta["libraries"]) == 19
    assert all(lib["memoryBase"] > 0 and lib["tableBase"] > 0 for lib in meta["libraries"])
    for part in ("heap", "files"):
        packed = (folder / meta[part]["file"]).read_bytes()
        assert hashlib.sha256(packed).hexdigest() == meta[part]["sha256"]
        assert len(gzip.decompress(packed)) == meta[part]["bytes"]


# -- the cache, with a stand-in for the 20-second Node run -----------------------------------

@pytest.fixture
def inputs(tmp_path):
    """A root with the two snapshot scripts and an assembled-looking pyodide folder."""
    root = tmp_path / "root"
    for relative in (pyodide_snapshot.MAKE_SCRIPT, pyodide_snapshot.RESTORE_MODULE):
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_bytes((REPO / relative).read_bytes())
    pyodide_dir = tmp_path / "assets" / "pyodide"
    pyodide_dir.mkdir(parents=True)
    for name in pyodide_snapshot.PYODIDE_INPUTS:
        (pyodide_dir / name).write_text(f"stand-in {name}")
    (pyodide_dir / "numpy-2.0.2-cp312-cp312-pyodide_2024_0_wasm32.whl").write_text("numpy")
    (pyodide_dir / "gradflow-0.1.0-cp312-none-any.whl").write_text("gradflow 1")
    return root, pyodide_dir, tmp_path / "cache"


@pytest.fixture
def makes(monkeypatch):
    made = []

    def fake_make(root, pyodide_dir, out_dir):
        made.append(pyodide_dir)
        for name in pyodide_snapshot.SNAPSHOT_FILES:
            (out_dir / name).write_text(f"{name} #{len(made)}")

    monkeypatch.setattr(pyodide_snapshot, "_make", fake_make)
    return made


def test_unchanged_inputs_reuse_the_cached_snapshot_and_a_changed_one_remakes_it(inputs, makes):
    root, pyodide_dir, cache = inputs
    assets = pyodide_dir.parent
    assert pyodide_snapshot.add_snapshot(root, pyodide_dir, assets, cache) is False
    assert pyodide_snapshot.add_snapshot(root, pyodide_dir, assets, cache) is True
    assert len(makes) == 1
    shipped = assets / pyodide_snapshot.SNAPSHOT_DIR
    assert (shipped / "meta.json").read_text() == "meta.json #1"

    (pyodide_dir / "gradflow-0.1.0-cp312-none-any.whl").write_text("gradflow 2")
    assert pyodide_snapshot.add_snapshot(root, pyodide_dir, assets, cache) is False
    assert (shipped / "meta.json").read_text() == "meta.json #2"
    # the restore code is an input too: a snapshot is only valid for the code that reads it
    (root / pyodide_snapshot.RESTORE_MODULE).write_text("// changed")
    assert pyodide_snapshot.add_snapshot(root, pyodide_dir, assets, cache) is False
    assert len(makes) == 3
    assert not [path for path in (cache / pyodide_snapshot.SNAPSHOT_DIR).iterdir()
                if path.name.startswith(".")], "a scratch folder was left in the cache"


def test_every_input_is_in_the_cache_key(inputs):
    root, pyodide_dir, _ = inputs
    key = pyodide_snapshot.cache_key(root, pyodide_dir)
    for path in pyodide_snapshot.input_files(root, pyodide_dir):
        original = path.read_bytes()
        path.write_bytes(original + b" ")
        assert pyodide_snapshot.cache_key(root, pyodide_dir) != key, path.name
        path.write_bytes(original)
    assert pyodide_snapshot.cache_key(root, pyodide_dir) == key


def test_a_snapshot_that_cannot_be_made_fails_the_build_in_one_line(inputs):
    root, pyodide_dir, cache = inputs
    (root / pyodide_snapshot.MAKE_SCRIPT).write_text(
        'console.error("make_snapshot: numpy did not load (a stand-in failure)");\n'
        "process.exit(1);\n")
    with pytest.raises(AssetError) as caught:
        pyodide_snapshot.add_snapshot(root, pyodide_dir, pyodide_dir.parent, cache)
    message = str(caught.value)
    assert message.startswith("the start-up snapshot could not be made: make_snapshot: numpy "
                              "did not load (a stand-in failure)")
    assert "\n" not in message
    assert list((cache / pyodide_snapshot.SNAPSHOT_DIR).iterdir()) == []


def test_the_snapshot_needs_both_wheels(inputs):
    root, pyodide_dir, cache = inputs
    (pyodide_dir / "gradflow-0.1.0-cp312-none-any.whl").unlink()
    with pytest.raises(AssetError, match="lacks the numpy or gradflow wheel"):
        pyodide_snapshot.add_snapshot(root, pyodide_dir, pyodide_dir.parent, cache)
