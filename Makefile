# Two commands: `make run` and `make test`. Everything else here serves them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP_COMPILE := $(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links --no-emit-trusted-host
export FLASK_APP := wsgi.py

# Test processes (pytest-xdist): one per core, at most 8 (each has its own database and two
# Redis databases of the 16).
TEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 2); [ $$n -gt 8 ] && n=8; echo $$n)
PYTEST := $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist worksteal

.PHONY: run test test-fast test-postgres lint translations extract-messages system-packages fonts pins FORCE

run: $(VENV)/.runtime instance/config.py translations fonts
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo --if-empty
	@echo "Serving the portal on http://127.0.0.1:5000, its background worker beside it (Ctrl-C stops both)"
	nice -n 10 $(BIN)/flask queue worker & worker=$$!; trap 'kill $$worker' EXIT; \
	PORTAL_WEB_WORKERS=2 $(BIN)/gunicorn -c deploy/gunicorn.conf.py --bind 127.0.0.1:5000 wsgi:app

# The whole suite. On SQLite (the default) the tests that reason about today also run at every
# boundary moment of tests/clock.py; with PORTAL_TEST_DATABASE_URL set, on PostgreSQL, where
# the tests marked one_database (and the browser's) are left out.
test: $(VENV)/.dev translations system-packages fonts
	$(PYTEST) $(if $(PORTAL_TEST_DATABASE_URL),,--boundary-moments)

# The edit-test loop: the in-process tests on SQLite, at the real time only.
test-fast: $(VENV)/.dev translations fonts
	$(PYTEST) -m "not browser and not processes"

# The same suite against PostgreSQL (the county-wide database).
test-postgres:
	PORTAL_TEST_DATABASE_URL=$${PORTAL_TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test} $(MAKE) test

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache

$(VENV)/.runtime: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

# Random keys on first run, and AUDIT_KEY added to an instance made before it existed;
# instance/ is never committed.
instance/config.py: FORCE
	@mkdir -p instance && touch $@
	@grep -q '^SECRET_KEY' $@ || $(BIN)/python -c "import secrets; print('SECRET_KEY = ' + repr(secrets.token_hex(32)))" >> $@
	@grep -q '^AUDIT_KEY' $@ || $(BIN)/python -c "import secrets; print('AUDIT_KEY = ' + repr(secrets.token_hex(32)))" >> $@

FORCE:

translations: $(VENV)/.runtime
	$(BIN)/pybabel compile -d portal/translations >/dev/null
	$(BIN)/pybabel compile -d portal/translations -D admin >/dev/null

# After adding or changing user-facing strings: extract, merge, then translate the .po.
extract-messages: $(VENV)/.runtime
	$(BIN)/pybabel extract -F babel.cfg -k _l -k _lp:1c,2 -o portal/translations/messages.pot .
	$(BIN)/pybabel update -i portal/translations/messages.pot -d portal/translations --no-fuzzy-matching --ignore-obsolete

# The Chinese font embedded in evidence PDFs (Debian's fonts-lxgw-wenkai, OFL-1.1).
fonts:
	scripts/fonts

# Debian's Chromium drives the browser tests; poppler-utils checks the PDFs.
system-packages:
	scripts/system-packages

# Re-pin after changing requirements.in or requirements-dev.in.
pins: $(VENV)/.dev
	$(PIP_COMPILE) --output-file requirements.txt requirements.in
	$(PIP_COMPILE) --output-file requirements-dev.txt requirements-dev.in
	sed -i '1i -r requirements.txt' requirements-dev.txt
