# Two commands do all set-up: `make lab` opens the course, `make test` runs every test.
# Each creates .venv and installs the package with its dependencies first if needed.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: lab test lint exercises benchmark clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

# --allow-root only where the course runs as root (containers, training VMs).
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

lab: $(STAMP)
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/jupyter lab --config=$(CURDIR)/jupyter_lab_config.py $(ROOT_FLAG)

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks

# Regenerate the trainee versions (exercises/) from the instructor masters (solutions/).
exercises: $(STAMP)
	$(BIN)/python -m budapest_coop.course regenerate

benchmark: $(STAMP)
	$(BIN)/python benchmarks/bench_checker.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
