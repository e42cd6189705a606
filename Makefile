# Hetero Incubator: `make run` serves the demo, `make test` runs every test.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 5000
FLASK  := $(BIN)/flask --app wsgi
PYTEST_ARGS ?=
# Test processes: one per core by default (pytest-xdist); each has its own database.
# `make test TEST_WORKERS=0` runs in one process.
TEST_WORKERS ?= auto
PYTEST := $(BIN)/pytest -n $(TEST_WORKERS) --dist load

.PHONY: run test fuzz lint format catalogs messages worker clean

# The venv's own pip installs everything (upgrading it first cost `make run` about 8 s).
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime-deps: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev-deps: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $(VENV)/.runtime-deps $@

# Compiled catalogues are not kept in git: every set-up compiles them.
catalogs: $(VENV)/.runtime-deps
	$(BIN)/pybabel compile -d incubator/translations

# After changing user-visible text: extract it and update both catalogues. Babel's default
# --ignore-dirs also skips directories starting with `_` (templates/_macros/): only `.*` is skipped here.
EXTRACT := extract -F babel.cfg -k _l -k lazy_gettext --ignore-dirs='.*'
messages: $(VENV)/.runtime-deps
	$(BIN)/pybabel $(EXTRACT) -o incubator/translations/messages.pot --no-location --omit-header --sort-output .
	$(BIN)/pybabel update -i incubator/translations/messages.pot -d incubator/translations --no-fuzzy-matching
	$(BIN)/python -m incubator.core.catalogs fill-en

run: $(VENV)/.runtime-deps catalogs
	$(FLASK) db upgrade
	$(FLASK) refresh-results
	$(FLASK) seed-demo
	@echo "Serving on http://127.0.0.1:$(PORT)"
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

# The whole suite on SQLite, then again on TEST_DATABASE_URL when it is set
# (CI sets it to PostgreSQL with REQUIRE_POSTGRES=1 and REQUIRE_BROWSER=1).
test: $(VENV)/.dev-deps catalogs
	@if [ "$$REQUIRE_POSTGRES" = "1" ] && [ -z "$$TEST_DATABASE_URL" ]; then \
		echo "REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set" >&2; exit 1; fi
	INCUBATOR_TEST_DB=sqlite $(PYTEST) $(PYTEST_ARGS)
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "--- again on $$TEST_DATABASE_URL"; \
		INCUBATOR_TEST_DB="$$TEST_DATABASE_URL" $(PYTEST) $(PYTEST_ARGS); fi

# The fuzz suite alone, with many more examples per route than `make test` runs (tests/fuzz_inputs.py).
fuzz: $(VENV)/.dev-deps catalogs
	HYPOTHESIS_PROFILE=fuzz INCUBATOR_TEST_DB=$${INCUBATOR_TEST_DB:-sqlite} $(PYTEST) $(PYTEST_ARGS) tests/test_fuzz.py

# An RQ worker for background exports (needs REDIS_URL, in the environment or .env).
# Without Redis, exports run in a small thread pool of the web process: no worker needed.
worker: $(VENV)/.runtime-deps catalogs
	$(FLASK) jobs-worker

lint: $(VENV)/.dev-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev-deps
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
	find incubator/translations -name '*.mo' -delete
