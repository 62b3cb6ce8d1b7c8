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

# The file-ingest benchmark (10,000 works), then queries, stats and exports at 100k and 1M
# works on SQLite and on a throwaway PostgreSQL server; writes bench/results.json and
# bench/RESULTS.md; then `catalog serve` at 100k works (bench/serve.py; needs wrk), books
# out (bench/books.py), the hostile inputs' time and memory (bench/hostile.py) and a fresh
# catalogue's cost on both backends (bench/fresh.py), and the catalogue's size and steady-state
# ingest against the files (bench/size.py, calibre paired). SQLite catalogues are cached in
# /tmp/catalog-bench-cache.
bench: $(STAMP) $(VENV)/.postgresql
	$(BIN)/python bench/run.py
	CATALOG_PG_OPTIONS="-c shared_buffers=2GB -c work_mem=64MB -c maintenance_work_mem=1GB \
	  -c max_wal_size=8GB" bash .ci/with-postgres $(BIN)/python bench/scale.py
	$(BIN)/python bench/serve.py
	$(BIN)/python bench/books.py
	$(BIN)/python bench/hostile.py
	bash .ci/with-postgres $(BIN)/python bench/fresh.py
	bash .ci/with-postgres $(BIN)/python bench/size.py

lint: $(STAMP)
	$(BIN)/ruff check catalog tests bench migrations
	$(BIN)/mypy catalog

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
