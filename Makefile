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

export DBT_PROFILES_DIR := $(CURDIR)
export PORTRAIT_RAW_DIR ?= $(CURDIR)/$(DEMO_DIR)/raw

.PHONY: install demo data build export summary test lint pytest bench clean

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pip install --quiet --editable .
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

bench: install
	$(BIN)/portrait bench --customers $(CUSTOMERS) --seed $(SEED)

clean:
	rm -rf build target logs $(DEMO_DIR) $(EXPORT_DIR)
