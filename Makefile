# The two commands of the README are the whole set-up: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test check lint types imports pytest bench clean demo serve tui

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The demo data set is loaded once (idempotent), then the API serves it on 127.0.0.1:8000.
run: $(STAMP)
	$(BIN)/chorus demo
	$(BIN)/chorus serve --host 127.0.0.1 --port 8000

demo: $(STAMP)
	$(BIN)/chorus demo

serve: $(STAMP)
	$(BIN)/chorus serve

# The terminal UI on the same database, demo accounts included (password Demo-Chorus-2026).
tui: $(STAMP)
	$(BIN)/chorus demo > /dev/null
	$(BIN)/chorus tui

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

types: $(STAMP)
	$(BIN)/mypy --strict src tests bench

imports: $(STAMP)
	$(BIN)/lint-imports

check: lint types imports

pytest: $(STAMP)
	$(BIN)/pytest -n 2

test: check pytest

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis .import_linter_cache
