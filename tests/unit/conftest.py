"""gradflow unit tests.

Tests marked `pyodide` also run inside Pyodide (the browser's Python; see
tests/pyodide/test_gradflow_in_pyodide.py). Pyodide has numpy but not plotly or
hypothesis, so the modules that need those are not collected there.
"""

import importlib.util

NEEDS = {"test_figures.py": "plotly", "test_views.py": "plotly", "test_properties.py": "hypothesis"}
collect_ignore = [module for module, package in NEEDS.items()
                  if importlib.util.find_spec(package) is None]


def pytest_configure(config):
    config.addinivalue_line("markers", "pyodide: also runs inside Pyodide")
