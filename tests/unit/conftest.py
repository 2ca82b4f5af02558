"""gradflow unit tests.

Tests marked `pyodide` also run inside Pyodide (the browser's Python; see
tests/pyodide/test_gradflow_in_pyodide.py). Pyodide has numpy but not plotly or
hypothesis, so the modules that need those are not collected there.
"""

import importlib.util
import os

# One BLAS thread. The simulator's matrices are small (at most 128 x 128), and on a shared
# or small CI machine OpenBLAS's worker threads spin against each other: measured here, a
# 200-layer width-128 stack took 15 s with the default threads and 0.7 s with one. Only
# takes effect if numpy is not loaded yet, which holds when pytest starts with tests/unit.
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

NEEDS = {"test_figures.py": "plotly", "test_views.py": "plotly", "test_figure_layout.py": "plotly",
         "test_properties.py": "hypothesis", "test_lesson_claims.py": "hypothesis"}
collect_ignore = [module for module, package in NEEDS.items()
                  if importlib.util.find_spec(package) is None]


def pytest_configure(config):
    config.addinivalue_line("markers", "pyodide: also runs inside Pyodide")
