# storyline — two-command quick start: `make demo`, `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo test clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

DEMO_DB := storyline.db

demo: setup
	$(BIN)/storyline extract examples/01_saltglass_delayed.txt --format table
	$(BIN)/storyline ingest examples/ --db $(DEMO_DB)
	$(BIN)/storyline entities --db $(DEMO_DB)
	$(BIN)/storyline timeline "Leah Varga" --db $(DEMO_DB)
	@echo "Browse the store: $(BIN)/storyline serve --db $(DEMO_DB)  (http://127.0.0.1:8001/-/storyline/)"

test: setup
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) build src/*.egg-info .pytest_cache
