# The whole set-up is two commands: `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
# Tests run against PostgreSQL (DATABASE_URL); pytest-django creates its own test_* database.
# `make run` ignores this default: with no DATABASE_URL in the environment it uses SQLite.
DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/portal
# Debian packages the test suite needs (fonts and Pango/HarfBuzz for PDFs, pdftotext, Chromium).
TEST_DEBS := fonts-dejavu-core fonts-liberation libharfbuzz-subset0 poppler-utils chromium
# axe-core, for the browser tests' accessibility checks (tests/e2e/test_accessibility.py): from
# the npm registry into a git-ignored folder, fetched once per version.
AXE_VERSION := 4.11.4
AXE_DIR := var/axe-core-$(AXE_VERSION)

.PHONY: run test install install-test debs check-postgres lint format migrate demo worker beat clean bench mutate

$(VENV)/.installed-run: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e ".[test]"
	touch $@ $(VENV)/.installed-run

install: $(VENV)/.installed-run
install-test: $(VENV)/.installed-test

migrate: install
	mkdir -p var
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py seed_demo

## make run: set up everything (venv, install, migrate, demo data) and serve the portal.
# DEBUG is off unless asked for (DEBUG=1 make run): users see the portal's own error pages,
# never a stack trace or Django's list of addresses.
run: demo
	@echo "Serving the portal at http://$(HOST):$(PORT)/  (Ctrl-C to stop; emails print here)"
	DEBUG=$${DEBUG:-false} $(PY) manage.py runserver $(HOST):$(PORT)

## make test: install what the tests need and run the whole suite against PostgreSQL.
test: install-test debs check-postgres axe
	DATABASE_URL=$(DATABASE_URL) $(PY) -m ruff check .
	DATABASE_URL=$(DATABASE_URL) $(PY) manage.py makemigrations --check --dry-run
	DATABASE_URL=$(DATABASE_URL) AXE_CORE=$(AXE_DIR)/node_modules/axe-core/axe.min.js \
		$(PY) -m pytest $(PYTEST_ARGS)

# npm comes with Node.js from nodejs.org; Debian packages it apart (installed only if missing).
axe: $(AXE_DIR)/node_modules/axe-core/axe.min.js
$(AXE_DIR)/node_modules/axe-core/axe.min.js:
	@command -v npm >/dev/null || $(MAKE) debs TEST_DEBS="nodejs npm"
	npm install --prefix $(AXE_DIR) axe-core@$(AXE_VERSION) --no-save --no-audit --no-fund --loglevel=error

debs:
	@missing=""; for p in $(TEST_DEBS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO="sudo"; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

check-postgres: install-test
	@DATABASE_URL=$(DATABASE_URL) $(PY) scripts/check_database.py

lint: install-test
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: install-test
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

## With a broker (CELERY_BROKER_URL=redis://127.0.0.1:6379/0): workers and the periodic scheduler.
worker: install
	$(VENV)/bin/celery -A portal worker --loglevel=info

beat: install
	$(VENV)/bin/celery -A portal beat --loglevel=info

clean:
	rm -rf $(VENV) var/staticfiles .pytest_cache test-artifacts

## make bench: the benchmarks under benchmarks/ (PostgreSQL; figures go in docs/performance.md).
bench: install-test check-postgres
	cd benchmarks && ../$(PY) typeahead.py && ../$(PY) eligibility.py && ../$(PY) pathways.py \
		&& ../$(PY) wizard.py && ../$(PY) review_queue.py

## make mutate: mutation testing of the pure rule modules (slow, so not part of `make test`).
# MUTATE=clinical.engine.criteria for one module; it runs in a copy under var/mutate, and the
# scores per module, with what survived, go in docs/mutation.md.
mutate: install-test
	$(PY) scripts/mutate.py $(MUTATE)
