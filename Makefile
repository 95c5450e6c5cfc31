# Portrait: `make demo` builds everything on generated data; `make test` lints and tests.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
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

.PHONY: install install-spark demo data build export summary test test-spark lint pytest bench clean

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pip install --quiet --editable .
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
	$(BIN)/pytest -m spark

# SPARK=1 builds the same data on Spark too (local) and reports both; BENCH_ARGS: more options of
# `portrait bench`, e.g. BENCH_ARGS="--graph-edges 0"
bench: install $(if $(SPARK),install-spark)
	$(BIN)/portrait bench --customers $(CUSTOMERS) --seed $(SEED) $(if $(SPARK),--spark) $(BENCH_ARGS)

clean:
	rm -rf build target logs $(DEMO_DIR) $(EXPORT_DIR)
