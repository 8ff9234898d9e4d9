# armstrace: two commands for a new user.
#   make demo   set up .venv and run the pipeline on the bundled sample corpus
#   make test   set up .venv with test tools and run ruff, mypy and pytest
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip
INSTALL_DEPS := pyproject.toml constraints.txt

.PHONY: demo test lint typecheck unit bench browser postgres train clean help

help:
	@echo "make demo   - install into $(VENV) and run 'armstrace demo' on the sample corpus"
	@echo "make test   - install with test extras and run ruff, mypy and pytest"
	@echo "make bench  - run the extraction benchmark (writes docs/performance.md figures)"
	@echo "make bench-scale - the scale-out benchmarks of docs/scale.md (long: see there)"
	@echo "make train  - refit the learned claim score on the gold corpora (data/claim_score.json)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade "pip==25.3"

$(VENV)/.installed-run: $(BIN)/python $(INSTALL_DEPS)
	$(PIP) install --quiet -c constraints.txt -e .
	@touch $@

$(VENV)/.installed-test: $(BIN)/python $(INSTALL_DEPS)
	$(PIP) install --quiet -c constraints.txt -e ".[test]"
	@touch $@ $(VENV)/.installed-run

demo: $(VENV)/.installed-run
	$(BIN)/armstrace demo

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy

# The dashboard's browser tests drive Debian's chromium (Playwright never downloads a browser).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Debian's chromium for the browser tests"; \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "note: chromium is not installed; the browser tests will be skipped"; \
	  fi; }

# The store, kb, serve and CLI tests also run on PostgreSQL: tools/test-postgres starts Debian's
# cluster (installing it when root and missing) and makes the tests' role and database.
postgres:
	@tools/test-postgres

unit: $(VENV)/.installed-test browser postgres
	$(BIN)/pytest

test: lint typecheck unit

bench: $(VENV)/.installed-test
	$(BIN)/python -m benchmarks.extraction

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache .mypy_cache .ruff_cache

# The learned claim score, refitted on every gold corpus present (../shared is on developer
# machines only); the same corpora give the same model file.
TRAIN_CORPORA := $(wildcard ../shared/dev-corpus ../shared/dev-corpus-news) eval/tune-news \
                 src/armstrace/data/demo
train: $(VENV)/.installed-test
	$(BIN)/armstrace train $(TRAIN_CORPORA)
