# Two commands set everything up on a fresh machine with Python 3.11:
#   make run    venv, install, migrate, base data, demo admin + demo production, serve on 127.0.0.1:8000
#   make test   venv, install, run the test suite
# With DATABASE_URL / REDIS_URL set, the same commands use PostgreSQL / Redis.

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 4
DEMO_ADMIN_EMAIL ?= admin@example.com
DEMO_ADMIN_PASSWORD ?= mysecretpassword
export DEMO_ADMIN_EMAIL DEMO_ADMIN_PASSWORD

.PHONY: run test serve worker setup migrate lint format schema clean

$(PY):
	$(PYTHON) -m venv $(VENV)

# Reinstalled whenever a requirements file changes.
$(STAMP): requirements.txt requirements-test.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

setup: $(STAMP)

migrate: $(STAMP)
	$(PY) manage.py migrate --noinput

run: migrate
	$(PY) manage.py init_data
	$(PY) manage.py create_admin "$(DEMO_ADMIN_EMAIL)" --password "$(DEMO_ADMIN_PASSWORD)"
	$(PY) manage.py seed_demo
	@echo ""
	@echo "  Kitsu API:  http://$(HOST):$(PORT)/api/"
	@echo "  Admin:      http://$(HOST):$(PORT)/admin/"
	@echo "  Login:      $(DEMO_ADMIN_EMAIL) / $(DEMO_ADMIN_PASSWORD)"
	@echo ""
	DEBUG=$${DEBUG:-true} $(VENV)/bin/uvicorn kitsu_server.asgi:application --host $(HOST) --port $(PORT)

test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

# The production stack: set DATABASE_URL, REDIS_URL and SECRET_KEY, run `make worker` beside it.
serve: migrate
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(VENV)/bin/uvicorn kitsu_server.asgi:application --host $(HOST) --port $(PORT) --workers $(WORKERS) --proxy-headers

worker: $(STAMP)
	$(VENV)/bin/celery -A kitsu_server worker --loglevel=INFO

schema: $(STAMP)
	$(PY) manage.py spectacular --validate --fail-on-warn --file /dev/null

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports  # the dependency rule (README, "Architecture"; contracts in pyproject.toml)

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* staticfiles .pytest_cache
