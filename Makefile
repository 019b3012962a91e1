# storyline — two-command quick start: `make demo`, `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo test lint fuzz train clean

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

# The linter and the type checker (strict on the library; see pyproject.toml), then the tests.
test: lint
	$(BIN)/python -m pytest -q

lint: setup
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

# Hypothesis at scale: 5000 examples per fuzz test (CI runs a few dozen).
fuzz: setup
	STORYLINE_FUZZ_EXAMPLES=5000 $(BIN)/python -m pytest -q -p no:cacheprovider tests/test_fuzz.py

# Retrain every learned part (reads ../shared; about 8 minutes on 2 cores), then print the dev figures:
# the person-noun list from GUM train (seconds), the attribution model on PolNeAR train, the pronoun
# ranker on GUM train + GAP development. What they write ships in the package: commit it when the
# dev figures improve.
POLNEAR_TRAIN ?= ../shared/data/polnear/train
GUM_TRAIN ?= ../shared/data/gum/train
GAP_TRAIN ?= ../shared/data/gap/gap-development.tsv
train: setup
	$(BIN)/python -m storyline.train.person_nouns $(GUM_TRAIN)
	$(BIN)/python -m storyline.train $(POLNEAR_TRAIN)
	$(BIN)/python -m storyline.train.coref --gum $(GUM_TRAIN) --gap $(GAP_TRAIN)
	$(BIN)/storyline evaluate polnear $(dir $(POLNEAR_TRAIN))dev
	$(BIN)/storyline evaluate gum $(dir $(GUM_TRAIN))dev
	$(BIN)/storyline evaluate gap $(dir $(GAP_TRAIN))gap-validation.tsv

clean:
	rm -rf $(VENV) build src/*.egg-info .pytest_cache
