# Portrait: `make demo` builds everything on generated data; `make test` lints and tests.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
# the workbench's JavaScript (htmx, ECharts), from the npm registry, served by the app itself
ASSETS := portrait/web/static
BIN := $(VENV)/bin

CUSTOMERS ?= 20000
SEED ?= 42
DEMO_DIR ?= data/demo
EXPORT_DIR ?= exports
# arguments `make build` passes to `dbt build`, e.g. DBT_ARGS="--select path:models/staging"
DBT_ARGS ?=
BENCH_ARGS ?=
SPARK ?=

export DBT_PROFILES_DIR := $(CURDIR)
export PORTRAIT_RAW_DIR ?= $(CURDIR)/$(DEMO_DIR)/raw

SERVE_ARGS ?=

.PHONY: install install-spark demo data build export summary serve test test-spark lint pytest bench clean

install: $(VENV)/.installed $(ASSETS)/node_modules/.installed

$(VENV)/.installed: requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pip install --quiet --editable .
	touch $@

$(ASSETS)/node_modules/.installed: $(ASSETS)/package.json $(ASSETS)/package-lock.json
	npm ci --prefix $(ASSETS) --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $@

# The Spark target's packages (dbt-spark, pyspark) beside the DuckDB ones.
install-spark: $(VENV)/.installed-spark

$(VENV)/.installed-spark: $(VENV)/.installed requirements-spark.txt
	$(BIN)/pip install --quiet -r requirements-spark.txt
	touch $@

demo: install data build export summary

data: install
	$(BIN)/portrait generate --customers $(CUSTOMERS) --seed $(SEED) --out $(DEMO_DIR)

build: install
	mkdir -p build
	$(BIN)/portrait build $(DBT_ARGS)

export: install
	$(BIN)/portrait export --out $(EXPORT_DIR) $(EXPORT_ARGS)

summary: install
	$(BIN)/portrait summary

# the workbench on http://127.0.0.1:8000/ (SERVE_ARGS, e.g. "--port 8080")
serve: install
	$(BIN)/portrait serve $(SERVE_ARGS)

test: install lint pytest

lint: install
	$(BIN)/ruff check portrait scripts tests models
	$(BIN)/ruff format --check portrait scripts tests models
	mkdir -p build
	$(BIN)/dbt seed --quiet  # models that read seeds at compile time need them loaded to be linted
	$(BIN)/sqlfluff lint models analyses tests

pytest: install
	$(BIN)/pytest

# The same project on Apache Spark (local, in-process): landing, build and equality with DuckDB
# on small data. Needs Java 17.
test-spark: install-spark
	$(BIN)/pytest -m spark --durations=10

# SPARK=1 builds the same data on Spark too (local) and reports both; BENCH_ARGS: more options of
# `portrait bench`, e.g. BENCH_ARGS="--graph-edges 0"
bench: install $(if $(SPARK),install-spark)
	$(BIN)/portrait bench --customers $(CUSTOMERS) --seed $(SEED) $(if $(SPARK),--spark) $(BENCH_ARGS)

clean:
	rm -rf build target logs $(DEMO_DIR) $(EXPORT_DIR)
