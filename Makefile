# make run  : install, migrate, load reference and demo data, serve on http://127.0.0.1:8000
# make test : install what the tests need and run the whole suite
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1:8000

.PHONY: install run test lint format bench bench-seed clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet ".[dev]"
	@touch $@

install: $(STAMP)

run: install
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(BIN)/python manage.py load_demo
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(BIN)/python manage.py runserver $(HOST)

# Tests run on every core (pytest-xdist); PYTEST_ARGS="-m e2e" and the like narrow them.
PYTEST_ARGS ?=
test: install
	$(BIN)/python -m pytest -n auto $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# make bench-seed: (re)create the two benchmark databases and fill them (about 4 min)
# make bench     : every page at both sizes, 50 clients for 60 s (bench/README.md),
#                  then the participant import benchmark
BENCH_PG ?= postgres://postgres@127.0.0.1:5432
bench-seed: install
	for size in hanoi national; do \
	  psql "$(BENCH_PG)/postgres" -qc "DROP DATABASE IF EXISTS kc_bench_$$size" -c "CREATE DATABASE kc_bench_$$size" && \
	  DATABASE_URL=$(BENCH_PG)/kc_bench_$$size DJANGO_DEBUG=1 $(BIN)/python manage.py migrate -v0 && \
	  DATABASE_URL=$(BENCH_PG)/kc_bench_$$size DJANGO_DEBUG=1 $(BIN)/python manage.py seed_scale --size $$size || exit 1; \
	done

bench: install
	BENCH_DATABASE_URLS=$(BENCH_PG)/kc_bench_hanoi,$(BENCH_PG)/kc_bench_national $(BIN)/python bench/pages.py
	DATABASE_URL=$(BENCH_PG)/kc_bench_national REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/15} $(BIN)/python bench/load.py
	$(BIN)/python bench/import_participants.py

clean:
	rm -rf $(VENV) .pytest_cache
