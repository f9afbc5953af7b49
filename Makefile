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

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/00_start_here.ipynb

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
