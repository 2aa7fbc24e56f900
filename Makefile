# Two commands on a fresh machine: `make run` serves the demo forum, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test install install-dev translations demo-accounts bench-load bench-search bench-dashboard clean

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

# The interface translations are compiled here (the .mo files are not in git): run and test get them.
install: $(VENV)/.installed
	$(BIN)/pybabel compile -d translations
install-dev: $(VENV)/.installed-dev install

# For developers: collect the strings to translate and add the new ones to every language's catalog.
translations: install
	@# PYTHONPATH: babel.cfg names the extraction method in app/services/errors.py (service messages).
	PYTHONPATH=. $(BIN)/pybabel extract -F babel.cfg -k lazy_gettext -k _l -k N_ -k lazy_ngettext:1,2 -o translations/messages.pot --no-location \
		--sort-output --project Peerdesk .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel compile -d translations

run: install
	$(FLASK) db upgrade
	$(FLASK) demo load --if-empty
	$(FLASK) search rebuild --if-empty
	@$(FLASK) demo accounts
	@echo "Peerdesk is at http://$(HOST):$(PORT)/ (mail is written to instance/outbox)"
	@# The mail worker and the support tick (cron's job in production) run beside the server and stop
	@# with it (Ctrl-C).
	export SITE_URL=$${SITE_URL:-http://$(HOST):$(PORT)}; \
	$(FLASK) notifications send --loop --poll 5 & worker=$$!; \
	$(FLASK) support tick --loop 60 & ticker=$$!; \
	trap 'kill $$worker $$ticker 2>/dev/null' EXIT INT TERM; \
	$(FLASK) run --host $(HOST) --port $(PORT)

# SQLite always; PostgreSQL as well when TEST_DATABASE_URL is set (.ci/run sets it).
# Tests run in one process per core (pytest-xdist), a test file's tests together in one process;
# each process has its own database. TEST_WORKERS=0 runs them in this one process.
TEST_WORKERS ?= auto
PYTEST := $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile
test: install-dev $(VENV)/whoosh-fallback/.installed
	$(PYTEST)
	@echo "== the search tests again with the fallback Whoosh fork (whoosh-reloaded) =="
	PYTHONPATH=$(VENV)/whoosh-fallback $(PYTEST) -q -m "not e2e" tests/search tests/web/test_search.py
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== the suite again on PostgreSQL ($$TEST_DATABASE_URL), browser tests left to the SQLite run =="; \
		PEERDESK_TEST_DB=postgresql $(PYTEST) -m "not e2e"; \
	fi

# Benchmarks (bench/README.md): not part of `make test`; they take minutes and want a quiet machine.
bench-search: install-dev
	$(BIN)/python -m bench.search --posts 100000 --backend both

bench-load: install-dev
	@command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }
	$(BIN)/python -m bench.load --sizes 1000,10000,100000

bench-dashboard: install-dev
	$(BIN)/python -m bench.dashboard --posts 100000 --postgres

demo-accounts: install
	@$(FLASK) demo accounts

clean:
	rm -rf $(VENV) instance .pytest_cache
