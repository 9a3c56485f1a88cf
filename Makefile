# The two commands of the README are the whole set-up: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# Debian packages: HarfBuzz's subsetter, without which WeasyPrint falls back to fontTools
# (about five times slower for every PDF), and poppler's tools for reading PDFs.
PAQUETS_SYSTEME := libharfbuzz-subset0 poppler-utils

.PHONY: run test check lint types imports pytest bench clean demo serve tui paquets-systeme

$(STAMP): pyproject.toml
	@$(MAKE) --no-print-directory paquets-systeme
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Installed with apt-get when running as root and one is missing (the package lists are only
# refreshed if that install fails); otherwise says which are missing and how to install them,
# and goes on: nothing here stops `make run` or `make test`.
paquets-systeme:
	@if ! command -v dpkg >/dev/null 2>&1; then \
		echo "Système sans dpkg : vérifiez que HarfBuzz-subset (4.1 ou plus) et poppler sont installés."; \
		exit 0; \
	fi; \
	manquants=""; \
	for paquet in $(PAQUETS_SYSTEME); do \
		dpkg -s $$paquet >/dev/null 2>&1 || manquants="$$manquants $$paquet"; \
	done; \
	[ -z "$$manquants" ] && exit 0; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installation des paquets système :$$manquants"; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get install -y -q --no-install-recommends $$manquants \
		|| { apt-get update -q && apt-get install -y -q --no-install-recommends $$manquants; } \
		|| echo "Installation impossible de$$manquants : les PDF seront rendus plus lentement."; \
	else \
		echo "Paquets système manquants :$$manquants"; \
		echo "  libharfbuzz-subset0 : sans lui, WeasyPrint rend chaque PDF environ cinq fois plus lentement ;"; \
		echo "  poppler-utils : outils de lecture des PDF (pdftotext, pdfinfo)."; \
		echo "  Pour les installer : sudo apt-get install$$manquants"; \
	fi

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
