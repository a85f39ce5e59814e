# The targets people expect. `make site` and `make test` set up everything they need first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
AS_OF ?=

.PHONY: setup site test lint typecheck unit golden bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	bash scripts/bootstrap-system.sh
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

## Build the demo site from the bundled example repository into site/.
site: setup
	$(BIN)/panel demo site $(if $(AS_OF),--as-of $(AS_OF))

## Run every check: lint, formatting, types and the whole test suite.
test: setup lint typecheck unit

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

typecheck: setup
	$(BIN)/mypy

unit: setup
	$(BIN)/pytest -q

## Re-approve the golden pages (tests/golden/) after an intended change; review the diff after.
golden: setup
	PANEL_GOLDEN_UPDATE=1 $(BIN)/pytest -q tests/test_golden.py

bench: setup
	$(BIN)/python bench/bench.py

clean:
	rm -rf $(VENV) site build .mypy_cache .ruff_cache .pytest_cache .hypothesis
