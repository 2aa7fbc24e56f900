# Two commands on a fresh machine: `make run` serves the demo forum, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test install install-dev demo-accounts bench-load bench-search clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt requirements-search.txt | $(BIN)/python
	$(BIN)/pip install --disable-pip-version-check -q -r requirements.txt
	$(BIN)/pip install --disable-pip-version-check -q --no-deps --require-hashes -r requirements-search.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --disable-pip-version-check -q -r requirements-dev.txt
	touch $@

# The fallback Whoosh fork, kept apart: both forks install into the same `whoosh` package.
$(VENV)/whoosh-fallback/.installed: requirements-whoosh-fallback.txt | $(BIN)/python
	$(BIN)/pip install --disable-pip-version-check -q --no-deps --require-hashes --upgrade \
		--target $(VENV)/whoosh-fallback -r requirements-whoosh-fallback.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: install
	$(FLASK) db upgrade
	$(FLASK) demo load --if-empty
	$(FLASK) search rebuild --if-empty
	@$(FLASK) demo accounts
	@echo "Peerdesk is at http://$(HOST):$(PORT)/"
	$(FLASK) run --host $(HOST) --port $(PORT)

# SQLite always; PostgreSQL as well when TEST_DATABASE_URL is set (.ci/run sets it).
test: install-dev $(VENV)/whoosh-fallback/.installed
	$(BIN)/python -m pytest
	@echo "== the search tests again with the fallback Whoosh fork (whoosh-reloaded) =="
	PYTHONPATH=$(VENV)/whoosh-fallback $(BIN)/python -m pytest -q -m "not e2e" tests/search tests/web/test_search.py
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== the suite again on PostgreSQL ($$TEST_DATABASE_URL), browser tests left to the SQLite run =="; \
		PEERDESK_TEST_DB=postgresql $(BIN)/python -m pytest -m "not e2e"; \
	fi

# Benchmarks (bench/README.md): not part of `make test`; they take minutes and want a quiet machine.
bench-search: install-dev
	$(BIN)/python -m bench.search --posts 100000 --backend both

bench-load: install-dev
	@command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }
	$(BIN)/python -m bench.load --sizes 1000,10000,100000

demo-accounts: install
	@$(FLASK) demo accounts

clean:
	rm -rf $(VENV) instance .pytest_cache
