# The two commands: `make run` builds everything into dist/ and serves it, `make test` runs the test suite.
# `make build` only builds. (Tests never call `make run`: it serves until stopped.)
# Both create the virtual environment in .venv on first use, from this repository alone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run build test clean

run: build
	$(BIN)/python -m kg serve

build: $(STAMP)
	$(BIN)/python build_graph.py

test: $(TEST_STAMP)
	$(BIN)/python -m pytest

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $(STAMP)

# The test tools (pytest, pySHACL, Playwright ...) only for `make test`.
$(TEST_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(TEST_STAMP)

clean:
	rm -rf dist dist.store $(VENV) .pytest_cache
