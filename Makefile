# The two commands of the README are the whole set-up: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test check lint types imports pytest bench clean demo

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/chorus demo

demo: run

lint: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

types: $(STAMP)
	$(BIN)/mypy --strict src tests

imports: $(STAMP)
	$(BIN)/lint-imports

check: lint types imports

pytest: $(STAMP)
	$(BIN)/pytest -n 2

test: check pytest

bench: $(STAMP)
	@echo "Pas encore de banc d'essai : il arrive avec les adaptateurs SQLite et fichiers."

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis .import_linter_cache
