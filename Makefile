# The two commands: `make run` and `make test`. Both build .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test test-fast lint bench clean

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

## Serve the API on http://$${HOST:-127.0.0.1}:$${PORT:-8000} (migrates and loads data/ first).
run: $(VENV)/.installed
	$(BIN)/safe-places serve

## Run the whole test suite (PostgreSQL tests skip without a server, unless CI=true).
## With node, installs the reference opening_hours.js (tests/reference) first.
test: $(VENV)/.installed-dev
	@if command -v node >/dev/null 2>&1 && { [ ! -f tests/reference/node_modules/.package-lock.json ] \
		|| [ tests/reference/package-lock.json -nt tests/reference/node_modules/.package-lock.json ]; }; \
	then echo "npm ci --prefix tests/reference"; npm ci --prefix tests/reference --no-audit --no-fund; fi
	$(BIN)/python -m pytest

## The inner loop, on every core: SQLite only; no browser, schemathesis or slow tests
## (markers set in tests/conftest.py). `make test` runs those too, and is what CI runs.
test-fast: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -n auto -m "not browser and not schemathesis and not postgres and not slow"

## Lint, format check and types.
lint: $(VENV)/.installed-dev
	$(BIN)/ruff check app tests bench scripts
	$(BIN)/ruff format --check app tests bench scripts
	$(BIN)/mypy

## Benchmarks: look-up speed, server throughput and memory (needs wrk), the web app's first-view weight,
## Lighthouse on every public page (needs node and npm; installs its pinned Lighthouse in bench/lighthouse).
bench: $(VENV)/.installed-dev
	$(BIN)/python bench/nearest_lookup.py
	$(BIN)/python bench/server_load.py
	$(BIN)/python bench/web_weight.py
	$(BIN)/python bench/photo_upload.py
	$(BIN)/python bench/opening_hours.py
	$(BIN)/python bench/mixed_load.py
	$(BIN)/python bench/catalogue_changes.py
	$(BIN)/python bench/postcodes.py
	$(BIN)/python bench/coverage.py
	$(BIN)/python bench/officer_list.py
	$(BIN)/python bench/lighthouse.py

clean:
	rm -rf $(VENV) var
