# storyline — two-command quick start: `make demo`, `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo test fuzz clean

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

# Hypothesis at scale: 5000 examples per fuzz test (CI runs a few dozen).
fuzz: setup
	STORYLINE_FUZZ_EXAMPLES=5000 $(BIN)/python -m pytest -q -p no:cacheprovider tests/test_fuzz.py

clean:
	rm -rf $(VENV) build src/*.egg-info .pytest_cache
