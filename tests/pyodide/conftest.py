"""Fixtures for the Pyodide-in-Node tests: one Pyodide session for the whole layer, loaded
from _build/site-assets/pyodide/ exactly as the site ships it. The layer runs twice, once
per way the worker can start (START_PATHS): the normal way, and from the start-up
snapshot (_build/site-assets/pyodide-snapshot/), so every test here holds on both."""

import pytest

from pyodide_node import (FIXTURES_MOUNT, PYTEST_IN_PYODIDE, REPO, SNAPSHOT_DIR, START_PATHS,
                          TEST_ENV_MOUNT, UNIT_TESTS_MOUNT, PyodideSession, stage_pure_python)


@pytest.fixture(scope="session", params=START_PATHS)
def pyodide(request, tmp_path_factory):
    test_env = tmp_path_factory.mktemp("pyodide-test-env")
    stage_pure_python(PYTEST_IN_PYODIDE, test_env)
    session = PyodideSession(mounts={test_env: TEST_ENV_MOUNT,
                                     REPO / "tests" / "unit": UNIT_TESTS_MOUNT,
                                     REPO / "tests" / "fixtures": FIXTURES_MOUNT},
                             snapshot=SNAPSHOT_DIR if request.param == "snapshot" else None)
    yield session
    session.close()
