"""The start-up memory snapshot in the assembled assets (`pyodide-snapshot/`: meta.json,
heap.bin.gz, files.bin.gz; widgets/ARCHITECTURE.md §2).

`build/make_snapshot.mjs` makes it in Node.js from the assembled `pyodide/` folder (about
20 s). The result is cached in `.cache/pyodide-snapshot/<key>/`, where the key is the
sha256 of everything that shapes it: the Pyodide core files, the numpy and gradflow
wheels, the lock file, the two scripts that make and restore it, and the Node.js version.
A rebuild with unchanged inputs copies the cached files; any change (a Pyodide upgrade, a
new gradflow) makes a new snapshot, because a snapshot only fits the exact runtime and
wheels it was made from.
"""

import hashlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from verified_files import AssetError

SNAPSHOT_DIR = "pyodide-snapshot"
SNAPSHOT_FILES = ("meta.json", "heap.bin.gz", "files.bin.gz")
MAKE_SCRIPT = Path("build") / "make_snapshot.mjs"
RESTORE_MODULE = Path("widgets") / "live_widgets" / "js" / "worker" / "snapshot.mjs"
PYODIDE_INPUTS = ("pyodide.js", "pyodide.mjs", "pyodide.asm.js", "pyodide.asm.wasm",
                  "python_stdlib.zip", "pyodide-lock.json")
# Cached snapshots kept besides the one in use (each is about 13 MB).
KEEP_OLD = 2
MAKE_TIMEOUT_SECONDS = 600


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        raise AssetError("node not found on PATH: the start-up snapshot is made with "
                         "Node.js 20")
    return node


def input_files(root: Path, pyodide_dir: Path) -> list[Path]:
    """The files whose bytes decide the snapshot (all of them, in a fixed order)."""
    wheels = sorted(pyodide_dir.glob("*.whl"))
    if not any(path.name.startswith("numpy-") for path in wheels) or not any(
            path.name.startswith("gradflow-") for path in wheels):
        raise AssetError(f"{pyodide_dir} lacks the numpy or gradflow wheel: the snapshot is "
                         "made after both are in place")
    return ([pyodide_dir / name for name in PYODIDE_INPUTS] + wheels
            + [root / MAKE_SCRIPT, root / RESTORE_MODULE])


def cache_key(root: Path, pyodide_dir: Path) -> str:
    digest = hashlib.sha256()
    for path in input_files(root, pyodide_dir):
        if not path.is_file():
            raise AssetError(f"{path} is missing: the snapshot cannot be made")
        digest.update(path.name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    node_version = subprocess.run([_node(), "--version"], capture_output=True, text=True,
                                  check=True).stdout.strip()
    digest.update(b"node " + node_version.encode())
    return digest.hexdigest()


def _make(root: Path, pyodide_dir: Path, out_dir: Path) -> None:
    command = [_node(), str(root / MAKE_SCRIPT), str(pyodide_dir), str(out_dir)]
    try:
        completed = subprocess.run(command, capture_output=True, text=True,
                                   timeout=MAKE_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        raise AssetError(f"making the start-up snapshot took over {MAKE_TIMEOUT_SECONDS} s "
                         f"({MAKE_SCRIPT})") from None
    if completed.returncode != 0:
        lines = [line for line in completed.stderr.splitlines()
                 if line.startswith("make_snapshot:")] or completed.stderr.strip().splitlines()
        reason = lines[0] if lines else f"exit code {completed.returncode}"
        raise AssetError(f"the start-up snapshot could not be made: {reason} (run node "
                         f"{MAKE_SCRIPT} {pyodide_dir} /tmp/snapshot to see all)")
    for line in completed.stdout.splitlines():
        print(line)
    missing = [name for name in SNAPSHOT_FILES if not (out_dir / name).is_file()]
    if missing:
        raise AssetError(f"{MAKE_SCRIPT} did not write {missing}")


def _prune(cache: Path, keep: str) -> None:
    old = sorted((path for path in cache.iterdir() if path.is_dir() and path.name != keep
                  and not path.name.startswith(".")),
                 key=lambda path: path.stat().st_mtime, reverse=True)
    for path in old[KEEP_OLD:]:
        shutil.rmtree(path, ignore_errors=True)


def add_snapshot(root: Path, pyodide_dir: Path, assets: Path, cache_dir: Path) -> bool:
    """Put the snapshot for `pyodide_dir` into `assets/pyodide-snapshot/`, from the cache
    or newly made. Returns True if it came from the cache."""
    key = cache_key(root, pyodide_dir)
    cache = cache_dir / SNAPSHOT_DIR
    cached = cache / key
    hit = all((cached / name).is_file() for name in SNAPSHOT_FILES)
    if hit:
        os.utime(cached)  # most recently used, for _prune
    else:
        cache.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(prefix=".making-", dir=cache))
        try:
            _make(root, pyodide_dir, scratch)
            shutil.rmtree(cached, ignore_errors=True)
            os.replace(scratch, cached)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        _prune(cache, key)
    target = assets / SNAPSHOT_DIR
    target.mkdir(parents=True, exist_ok=True)
    for name in SNAPSHOT_FILES:
        shutil.copyfile(cached / name, target / name)
    return hit
