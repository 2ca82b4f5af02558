"""The start-up snapshot (widgets/live_widgets/js/worker/snapshot.mjs, made by
build/make_snapshot.mjs into _build/site-assets/pyodide-snapshot/):

- the private Pyodide internals it needs are all in the shipped runtime, and the guard
  names the one that goes missing;
- a damaged, truncated or mismatched snapshot is refused with a one-line SnapshotError,
  and a normal start still works afterwards in the same process (the worker's fallback);
- a runtime started from it answers `dispatch` exactly as a normal start does.

The rest of this layer (conftest.py) runs every test on both start paths."""

import gzip
import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from pyodide_node import HERE, PYODIDE_DIR, REPO, SNAPSHOT_DIR, PyodideSession

CELL_RUNNER = (REPO / "widgets" / "live_widgets" / "cell_runner.py").read_text(encoding="utf-8")
CHECKS_TIMEOUT_SECONDS = 900


def _node_checks(*args) -> dict:
    node = shutil.which("node")
    assert node, "node not found on PATH: the Pyodide tests need Node.js 20"
    completed = subprocess.run([node, str(HERE / "snapshot_checks.mjs"), *map(str, args)],
                               capture_output=True, text=True, timeout=CHECKS_TIMEOUT_SECONDS)
    assert completed.returncode == 0, completed.stderr[-3000:]
    return json.loads(completed.stdout.splitlines()[-1])


@pytest.fixture(scope="module")
def snapshot_dir() -> Path:
    if not (SNAPSHOT_DIR / "meta.json").is_file():
        pytest.fail(f"{SNAPSHOT_DIR} holds no snapshot: run `make assets`")
    return SNAPSHOT_DIR


def test_the_private_pyodide_internals_are_all_there_and_the_guard_names_a_missing_one():
    found = _node_checks("api", PYODIDE_DIR)
    assert found["sources"] == [], "\n".join(found["sources"])
    assert found["live"] == [], "\n".join(found["live"])
    # the same sources with one internal renamed, as a Pyodide upgrade might
    assert len(found["renamed"]) == 1
    assert found["renamed"][0].startswith("Module.LDSO.loadedLibsByName / loadedLibsByHandle "
                                          "is no longer in pyodide.asm.js")


def test_the_snapshot_restores_when_pyodide_asm_js_runs_as_a_classic_script(snapshot_dir):
    # The worker loads pyodide.asm.js with importScripts, so its `var _createPyodideModule`
    # and its last line write the global that restorePyodide wraps (Chromium found the
    # wrapper calling itself: "Maximum call stack size exceeded"); Node's import does not.
    assert _node_checks("classic", PYODIDE_DIR, snapshot_dir) == {"ok": True, "sum": "45"}


# -- damaged snapshots: each is refused, and a normal start follows in the same process ----

def _copy(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target


def _meta(folder: Path) -> dict:
    return json.loads((folder / "meta.json").read_text())


def _write_meta(folder: Path, meta: dict) -> None:
    (folder / "meta.json").write_text(json.dumps(meta))


def _rewrite(folder: Path, part: str, change, keep_size: bool = True) -> None:
    """Replace the decompressed `part` ("heap" or "files") by change(bytes), with a
    matching sha256 in meta.json (so only the deeper checks can catch it)."""
    meta = _meta(folder)
    path = folder / meta[part]["file"]
    data = change(bytearray(gzip.decompress(path.read_bytes())))
    packed = gzip.compress(bytes(data), compresslevel=1)
    path.write_bytes(packed)
    meta[part]["sha256"] = hashlib.sha256(packed).hexdigest()
    if not keep_size:
        meta[part]["bytes"] = len(data)
    _write_meta(folder, meta)


def _zero_first_handle(heap: bytearray, meta: dict) -> bytearray:
    start = int.from_bytes(heap[4:8], "little")  # Pyodide's header: offset of the memory
    handle = start + meta["libraries"][0]["handle"]
    heap[handle:handle + 64] = bytes(64)
    return heap


def _damaged_snapshots(source: Path, tmp: Path) -> dict[str, tuple[Path, str]]:
    """name -> (folder, what the refusal must say)"""
    cases = {}

    def case(name: str, expected: str) -> Path:
        folder = _copy(source, tmp / name)
        cases[name] = (folder, expected)
        return folder

    folder = case("checksum", "heap.bin.gz: sha256 differs from meta.json")
    heap_gz = folder / "heap.bin.gz"
    data = bytearray(heap_gz.read_bytes())
    data[len(data) // 2] ^= 0xFF
    heap_gz.write_bytes(bytes(data))

    folder = case("format", "snapshot format 99 is not 1")
    _write_meta(folder, {**_meta(folder), "format": 99})

    folder = case("build-id", "made by another Pyodide build")
    _write_meta(folder, {**_meta(folder), "buildId": "0" * 64})

    folder = case("truncated-heap", "the snapshot's heap has")
    _rewrite(folder, "heap", lambda heap: heap[:-4096])

    folder = case("truncated-files", "files.bin is truncated or damaged")
    _rewrite(folder, "files", lambda files: files[:len(files) // 2], keep_size=False)

    folder = case("damaged-handle", "does not hold the dso handle")
    _rewrite(folder, "heap", lambda heap: _zero_first_handle(heap, _meta(source)))

    folder = case("function-table", "function table differs from the snapshot's")
    meta = _meta(folder)
    _write_meta(folder, {**meta, "table": {**meta["table"], "fingerprint": "00000000"}})

    folder = case("pyodide-version", "the snapshot is for Pyodide 0.27.6, this is 0.27.7")
    _write_meta(folder, {**_meta(folder), "pyodideVersion": "0.27.6"})

    folder = case("other-wheel", "another gradflow wheel than pyodide-lock.json lists")
    meta = _meta(folder)
    _write_meta(folder, {**meta, "packages": {**meta["packages"], "gradflow": "0" * 64}})
    return cases


def test_a_damaged_snapshot_is_refused_in_one_line_and_a_normal_start_follows(
        snapshot_dir, tmp_path):
    cases = _damaged_snapshots(snapshot_dir, tmp_path)
    outcome = _node_checks("fallback", PYODIDE_DIR, *(folder for folder, _ in cases.values()))
    for attempt, (name, (_, expected)) in zip(outcome["attempts"], cases.items()):
        assert attempt["dir"] == name
        assert not attempt["ok"], f"{name}: the damaged snapshot was used"
        assert expected in attempt["message"], f"{name}: {attempt['message']}"
        assert "\n" not in attempt["message"], f"{name}: not one line: {attempt['message']!r}"
        if name != "checksum":  # that one is the reader's check (the worker's, here Node's)
            assert attempt["name"] == "SnapshotError", f"{name}: {attempt}"
        # Pyodide's own factory is back (or still absent if nothing was loaded yet), so the
        # fallback's loadPyodide works as usual
        assert attempt["global"] in ("absent", "function"), f"{name}: {attempt}"
    assert len(outcome["attempts"]) == len(cases)
    assert outcome["normal"] == {"sum": "45",
                                 "loaded": {"numpy": "default channel",
                                            "gradflow": "default channel"}}


def test_the_session_falls_back_to_a_normal_start_when_the_snapshot_is_damaged(
        snapshot_dir, tmp_path):
    folder = _copy(snapshot_dir, tmp_path / "damaged")
    _write_meta(folder, {**_meta(folder), "buildId": "f" * 64})
    session = PyodideSession(snapshot=folder, fallback=True)
    try:
        assert session.ready["start"] == "normal"
        assert "another Pyodide build" in session.ready["snapshotError"]
        assert session.run("import numpy; str(numpy.ones(3).sum())") == "3.0"
    finally:
        session.close()


# -- the snapshot path answers exactly as the normal path ---------------------------------

REQUESTS = [
    {"type": "view", "view": "gradient", "settings": {}},
    {"type": "view", "view": "gradient", "settings": {"mode": "both", "depth": 40,
                                                      "activation": "relu", "init": "he",
                                                      "batch_norm": True, "seed": 3}},
    {"type": "view", "view": "gradient", "settings": {"mode": "residual", "depth": 50,
                                                      "branch_layers": 2,
                                                      "branch_scale": 0.5,
                                                      "zero_init_branch": True}},
    {"type": "view", "view": "paths", "settings": {}},
    {"type": "run", "cellId": "c1", "code": (
        "import numpy as np\n"
        "from gradflow import simulate\n"
        "r = simulate(depth=25, activation='tanh', seed=7)\n"
        "print(r.first_to_last_ratio)\n"
        "print(np.random.default_rng(11).standard_normal(5))\n"
        "r.loss")},
]

DISPATCH = """
import gc, hashlib, json, types
runner = types.ModuleType("cell_runner_under_test")
exec({source!r}, runner.__dict__)
kernel = runner.Kernel()
outputs = []
for request in json.loads({requests!r}):
    outputs.append(json.dumps(kernel.dispatch(request), sort_keys=True))
    gc.collect()
json.dumps(outputs)
"""


@pytest.fixture(scope="module")
def answers(snapshot_dir) -> dict[str, list[str]]:
    code = DISPATCH.format(source=CELL_RUNNER, requests=json.dumps(REQUESTS))
    found = {}
    for path, snapshot in (("normal", None), ("snapshot", snapshot_dir)):
        session = PyodideSession(snapshot=snapshot)
        try:
            assert session.ready["start"] == path
            found[path] = json.loads(session.run(code))
        finally:
            session.close()
    return found


@pytest.mark.parametrize("index", range(len(REQUESTS)),
                         ids=[f"{r['type']}-{r.get('view', r.get('cellId'))}-{i}"
                              for i, r in enumerate(REQUESTS)])
def test_dispatch_answers_are_identical_on_both_start_paths(answers, index):
    normal, snapshot = answers["normal"][index], answers["snapshot"][index]
    assert json.loads(normal), "empty answer"
    assert snapshot == normal, (
        f"{REQUESTS[index]}: the snapshot path answers differently "
        f"(sha256 {hashlib.sha256(snapshot.encode()).hexdigest()[:12]} vs "
        f"{hashlib.sha256(normal.encode()).hexdigest()[:12]})")
