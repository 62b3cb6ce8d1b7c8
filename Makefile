# Two commands from a fresh clone with only python3 and make:
#   make demo   virtual environment, install, ingest seeds/ into the default catalogue, list it
#   make test   the test suite (creates/reuses the environment)
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test test-postgres bench lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/catalog ingest seeds/
	$(BIN)/catalog list

test: $(STAMP)
	$(BIN)/python -m pytest -q

# The whole suite again on a throwaway local PostgreSQL server (installed if missing).
test-postgres: $(STAMP) $(VENV)/.postgresql
	bash .ci/with-postgres $(BIN)/python -m pytest -q

$(VENV)/.postgresql: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,postgresql]'
	touch $@

bench: $(STAMP)
	$(BIN)/python bench/run.py

lint: $(STAMP)
	$(BIN)/ruff check catalog tests bench migrations
	$(BIN)/mypy catalog

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
