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
	@echo "== Creating the virtual environment in $(VENV)"
	$(PYTHON) -m venv $(VENV)

# Reinstalled whenever a requirements file changes. pip names each package as it fetches it, so
# the first install (a few minutes) shows what it is doing.
$(STAMP): requirements.txt requirements-test.txt requirements-dev.txt | $(PY)
	@echo "== Installing the Python packages into $(VENV) (the first time takes a few minutes)"
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --progress-bar off -r requirements-dev.txt
	@echo "== Packages installed"
	touch $(STAMP)

setup: $(STAMP)

migrate: $(STAMP)
	@echo "== Creating or updating the database tables"
	$(PY) manage.py migrate --noinput

run: migrate
	@echo "== Base data: statuses, task types, departments, asset types"
	$(PY) manage.py init_data
	@echo "== The demo admin"
	$(PY) manage.py create_admin "$(DEMO_ADMIN_EMAIL)" --password "$(DEMO_ADMIN_PASSWORD)"
	@echo "== The demo production and its team"
	$(PY) manage.py seed_demo
	@echo ""
	@echo "  Start page:  http://$(HOST):$(PORT)/"
	@echo "  Kitsu API:   http://$(HOST):$(PORT)/api/ (documentation: /api/docs)"
	@echo "  Admin:       http://$(HOST):$(PORT)/admin/"
	@echo "  Login:       $(DEMO_ADMIN_EMAIL) / $(DEMO_ADMIN_PASSWORD)"
	@echo "  Demo team:   see README.md, \"The demo production\" (password $${DEMO_PASSWORD:-demo-password})"
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
