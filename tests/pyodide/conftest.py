"""Fixtures for the Pyodide-in-Node tests: one Pyodide session for the whole layer, loaded
from _build/site-assets/pyodide/ exactly as the site ships it."""

import importlib.metadata
import shutil
from pathlib import Path

import pytest

from pyodide_node import REPO, PyodideSession

# Pure-Python distributions that let pytest run inside Pyodide (test tools only: the site
# never ships them). Not hypothesis: it now carries a compiled extension, so tests marked
# for Pyodide must not use it.
PYTEST_IN_PYODIDE = ("pytest", "pluggy", "iniconfig", "packaging", "pygments")
TEST_ENV_MOUNT = "/test-env"
UNIT_TESTS_MOUNT = "/repo/tests/unit"


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


@pytest.fixture(scope="session")
def pyodide(tmp_path_factory):
    test_env = tmp_path_factory.mktemp("pyodide-test-env")
    stage_pure_python(PYTEST_IN_PYODIDE, test_env)
    session = PyodideSession(mounts={test_env: TEST_ENV_MOUNT,
                                     REPO / "tests" / "unit": UNIT_TESTS_MOUNT})
    yield session
    session.close()
