"""Fixtures for the Pyodide-in-Node tests: one Pyodide session for the whole layer, loaded
from _build/site-assets/pyodide/ exactly as the site ships it."""

import pytest

from pyodide_node import (FIXTURES_MOUNT, PYTEST_IN_PYODIDE, REPO, TEST_ENV_MOUNT, UNIT_TESTS_MOUNT,
                          PyodideSession, stage_pure_python)


@pytest.fixture(scope="session")
def pyodide(tmp_path_factory):
    test_env = tmp_path_factory.mktemp("pyodide-test-env")
    stage_pure_python(PYTEST_IN_PYODIDE, test_env)
    session = PyodideSession(mounts={test_env: TEST_ENV_MOUNT,
                                     REPO / "tests" / "unit": UNIT_TESTS_MOUNT,
                                     REPO / "tests" / "fixtures": FIXTURES_MOUNT})
    yield session
    session.close()
