"""Drive pyodide_session.mjs from pytest: one Node.js process, many Python snippets."""

import importlib.metadata
import json
import shutil
import subprocess
import sys
import threading
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
PYODIDE_DIR = REPO / "_build" / "site-assets" / "pyodide"
# the start-up snapshot the site ships (build/pyodide_snapshot.py)
SNAPSHOT_DIR = REPO / "_build" / "site-assets" / "pyodide-snapshot"
# how the session starts: as the worker does without a snapshot, and from the snapshot
START_PATHS = ("normal", "snapshot")
START_TIMEOUT_SECONDS = 120
RUN_TIMEOUT_SECONDS = 600

# Pure-Python distributions that let pytest run inside Pyodide (test tools only: the site
# never ships them). Not hypothesis: it now carries a compiled extension, so tests marked
# for Pyodide must not use it.
PYTEST_IN_PYODIDE = ("pytest", "pluggy", "iniconfig", "packaging", "pygments")
TEST_ENV_MOUNT = "/test-env"
UNIT_TESTS_MOUNT = "/repo/tests/unit"
# the examples shared by the Python and JS tests, where tests/unit/*.py look for them
FIXTURES_MOUNT = "/repo/tests/fixtures"


def stage_pure_python(distributions, target: Path) -> None:
    """Copy the installed files of `distributions` (with their dist-info, which pytest's
    plugin discovery reads) into `target`; refuse anything compiled."""
    for name in distributions:
        for file in importlib.metadata.distribution(name).files or []:
            if file.parts[0] == ".." or "__pycache__" in file.parts:
                continue  # console scripts and bytecode of this machine's CPython
            if file.suffix in (".so", ".pyd"):
                raise RuntimeError(f"{name} is not pure Python ({file}): it cannot run in "
                                   "Pyodide")
            destination = target / file
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(file.locate(), destination)


class PyodideError(AssertionError):
    """Python code failed inside Pyodide; the message carries its traceback."""


def _require_current_assets() -> None:
    missing = [name for name in ("pyodide.mjs", "pyodide-lock.json")
               if not (PYODIDE_DIR / name).is_file()]
    if missing:
        raise RuntimeError(f"{PYODIDE_DIR} lacks {missing}: run `make assets` first")
    # The wheel must hold today's gradflow, or the tests would judge yesterday's.
    sys.path.insert(0, str(REPO / "build"))
    try:
        from asset_manifest import MANIFEST_NAME
        from gradflow_wheel import source_digest
    finally:
        sys.path.remove(str(REPO / "build"))
    manifest = json.loads((PYODIDE_DIR.parent / MANIFEST_NAME).read_text())
    if manifest.get("sources", {}).get("gradflow") != source_digest(REPO):
        raise RuntimeError("the shipped gradflow wheel was built from older sources than "
                           "widgets/gradflow/: run `make assets`")


class PyodideSession:
    """`snapshot`: a folder like SNAPSHOT_DIR to start from (pyodide_session.mjs
    --snapshot); `fallback`: start normally if the snapshot fails, instead of failing."""

    def __init__(self, mounts: dict[Path, str] | None = None, snapshot: Path | None = None,
                 fallback: bool = False):
        _require_current_assets()
        node = shutil.which("node")
        if node is None:
            raise RuntimeError("node not found on PATH: the Pyodide tests need Node.js 20")
        command = [node, str(HERE / "pyodide_session.mjs")]
        if snapshot is not None:
            if not (snapshot / "meta.json").is_file():
                raise RuntimeError(f"{snapshot} holds no snapshot: run `make assets`")
            command += ["--snapshot", str(snapshot)] + (["--fallback"] if fallback else [])
        command.append(str(PYODIDE_DIR))
        for host_dir, mount_point in (mounts or {}).items():
            command += [str(host_dir), mount_point]
        # stderr is inherited: Pyodide's own messages show up in pytest's captured output.
        self._process = subprocess.Popen(command, stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, text=True)
        self._next_id = 0
        self.ready = self._read_message(START_TIMEOUT_SECONDS)
        if self.ready.get("type") != "ready":
            raise RuntimeError(f"Pyodide did not start: {self.ready}")
        if snapshot is not None and not fallback and self.ready.get("start") != "snapshot":
            raise RuntimeError(f"Pyodide did not start from the snapshot: {self.ready}")

    def _read_message(self, timeout: float) -> dict:
        # readline blocks; a watchdog ends a hung Node process so the test fails instead.
        timer = threading.Timer(timeout, self._process.kill)
        timer.start()
        try:
            line = self._process.stdout.readline()
        finally:
            timer.cancel()
        if not line:
            raise RuntimeError(f"the Pyodide process ended (exit code {self._process.poll()}) "
                               f"or gave no answer within {timeout} s")
        return json.loads(line)

    def run(self, code: str) -> str:
        """Run `code` in the session's Python namespace; return its last expression (a str)."""
        self._next_id += 1
        self._process.stdin.write(json.dumps({"id": self._next_id, "code": code}) + "\n")
        self._process.stdin.flush()
        reply = self._read_message(RUN_TIMEOUT_SECONDS)
        assert reply.get("id") == self._next_id, f"out-of-order reply {reply}"
        if not reply["ok"]:
            raise PyodideError(f"Python failed inside Pyodide:\n{reply['error']}\n"
                               f"stdout:\n{reply['stdout']}")
        return reply["value"]

    def run_json(self, code: str):
        return json.loads(self.run(code))

    def close(self) -> None:
        if self._process.poll() is None:
            self._process.stdin.close()
            try:
                self._process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
