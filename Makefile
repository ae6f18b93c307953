PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SHARED ?= ../shared

.PHONY: run test lint eval bench fuzz gazetteer smoke clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

## Create the embedded database, load the starter register and any DOCS=..., then serve it at http://127.0.0.1:8000
run: $(STAMP)
	$(BIN)/twinlink db upgrade
	$(BIN)/twinlink import --starter
	$(if $(DOCS),$(BIN)/twinlink ingest $(DOCS))
	$(BIN)/twinlink stats
	$(BIN)/twinlink serve

## Run the test suite on SQLite and on a throwaway PostgreSQL server.
test: $(STAMP)
	bash tools/ensure-postgres.sh
	bash tools/ensure-chromium.sh
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

## Build the wheel, install it without extras in a clean environment and run a new user's first commands.
smoke:
	bash tools/smoke.sh

## Score extraction on the seed documents when ../shared is present.
eval: $(STAMP)
	bash tools/eval.sh $(SHARED)

bench: $(STAMP)
	$(BIN)/python bench/startup.py
	$(BIN)/python bench/run.py
	$(BIN)/python bench/ingest.py 10000 2
	$(BIN)/python bench/dask_extract.py
	$(BIN)/python bench/directory.py
	$(BIN)/python bench/large_document.py 50
	$(BIN)/pip install --quiet -e ".[bench]"
	$(BIN)/python bench/serve.py

## The robustness checks with many more cases than `make test` runs: hostile documents through ingest
## (with figures), ingests killed at random, orders of ingestion, generated API requests.
fuzz: $(STAMP)
	TWINLINK_FUZZ_EXAMPLES=$${TWINLINK_FUZZ_EXAMPLES:-10000} TWINLINK_CRASH_RUNS=$${TWINLINK_CRASH_RUNS:-100} \
	TWINLINK_ORDER_EXAMPLES=$${TWINLINK_ORDER_EXAMPLES:-50} TWINLINK_API_EXAMPLES=$${TWINLINK_API_EXAMPLES:-200} \
	$(BIN)/pytest tests/test_fuzz.py tests/test_crash.py tests/test_orders.py tests/test_api_schema.py -q -s -p no:cacheprovider

## Rebuild the packaged gazetteer from pycountry, GeoNames and the curated tables, and the
## ready-made extractor over it (kept in the user's cache folder; built on first use otherwise).
gazetteer: $(STAMP)
	$(BIN)/pip install --quiet --no-deps "cpca==0.5.5"
	$(BIN)/pip install --quiet -e ".[build-gazetteer]"
	$(BIN)/python -m twinlink.gazetteer.build
	$(BIN)/python -c "from twinlink.extract.prebuilt import build_cached_extractor; print('ready-made extractor:', build_cached_extractor())"

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
