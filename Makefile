# Deep Revolution: set up, build, serve and test the book.
#   make serve   set everything up, build, serve at http://127.0.0.1:8000
#   make test    set everything up, build once, run every test layer
#   make test-fast  the quick test layers only: no book build, no browser
# Other targets: setup assets book preview typecheck test-js bench bench-gradflow sweep-degradation clean

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
SETUP_STAMP := $(VENV)/.setup-complete
NPM_STAMP := node_modules/.package-lock.json
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help setup assets book serve preview test test-fast typecheck test-js chromium bench bench-gradflow sweep-degradation clean

help:
	@sed -n '1,5p' Makefile | sed 's/^# \{0,1\}//'

# Python 3.12 matches Pyodide 0.27.7's CPython, so .pyc files compiled here load in the
# browser. The stamp makes a repeat `make` skip the install unless the pins changed.
$(SETUP_STAMP): requirements.txt widgets/pyproject.toml
	@test -x $(PY) || { PYTHON312=$$(build/find_python312.sh) && \
	    echo "creating $(VENV) with $$PYTHON312" && "$$PYTHON312" -m venv $(VENV); }
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -e widgets/
	@touch $@

# npm ci checks every tarball against package-lock.json's integrity hashes.
$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund

setup: $(SETUP_STAMP) $(NPM_STAMP)

assets: setup
	$(PY) build/assemble_assets.py

book: assets
	$(PY) build/build_book.py

serve: book
	$(PY) build/serve_site.py --host $(HOST) --port $(PORT)

# Live reload while editing lessons: rebuilds changed pages and refreshes the browser.
preview: assets
	$(PY) build/preview.py --host $(HOST) --port $(PORT)

# Debian's chromium, for the browser tests (Playwright cannot download browsers here).
chromium:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
	    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; \
	else \
	    echo "make: /usr/bin/chromium is missing; as root run: apt-get install chromium" >&2; \
	    exit 1; \
	fi

# One BLAS thread for the tests: their matrices are small, and on a shared 2-core machine
# OpenBLAS's threads spin against each other (measured: a 200-layer, width-128 stack took
# 15 s with the default threads, 0.7 s with one). Results never hang on it: no test
# compares last bits.
test test-fast: export OPENBLAS_NUM_THREADS = 1

# The JS checks come first: they take seconds and fail before the book build would.
# pytest runs last, so its summary stays the last line printed.
test: setup chromium typecheck test-js book
	$(PY) -m pytest tests/

# The inner loop: simulator, Sphinx extension, lesson checker and JS, with no book build,
# in under 2 minutes. Tests marked slow (the race claims over ten seeds, the whole book
# through the checker) run only in `make test`; two pytest workers (pytest-xdist) share
# the rest, and the five slowest are printed: a test that takes more than a few seconds
# belongs under @pytest.mark.slow. The checker runs in its own pytest: tests/sphinx
# imports helpers from `conftest`, which would name tests/authoring's conftest.py if both
# folders were collected from here.
FAST := -m "not slow" -n 2 --durations=5
test-fast: setup typecheck test-js
	$(PY) -m pytest tests/unit tests/sphinx $(FAST)
	$(PY) -m pytest tests/authoring/test_check_lessons.py $(FAST)

# tsc checks the browser scripts' JSDoc types (nothing is emitted): the page code against
# the DOM (tsconfig.json), the two workers against the worker globals (tsconfig.worker.json).
typecheck: $(NPM_STAMP)
	node_modules/.bin/tsc -p tsconfig.json
	node_modules/.bin/tsc -p tsconfig.worker.json

# Unit tests of the browser scripts' pure modules, in Node.js (no browser, no Python).
test-js:
	node --test --test-reporter=spec tests/js/

bench: chromium book
	$(PY) build/bench_site.py

# The simulator alone, in CPython (issue: each lesson default under 20 ms).
bench-gradflow: setup
	$(PY) tests/benchmarks/bench_gradflow.py

# The degradation race's recipe over seeds 0-9 and every step budget (several minutes);
# the table is in widgets/gradflow/DEGRADATION.md.
sweep-degradation: setup
	$(PY) tests/benchmarks/sweep_degradation.py

clean:
	rm -rf _build
