# CPP Manager: `make run` serves the app with demo data; `make test` runs the whole suite.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := CPP_ENV=development $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000
# Rate-limit counters in memory are per worker: one worker unless they are in a shared store.
WORKERS ?= $(if $(filter-out memory://%,$(RATELIMIT_STORAGE_URI)),2,1)

.PHONY: run test lint migrate-check clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

run: $(VENV)/.installed
	$(FLASK) db upgrade
	$(FLASK) cpp seed-demo --if-empty
	@echo ""
	@echo "CPP Manager is starting on http://$(HOST):$(PORT)/ (Ctrl+C to stop)."
	@echo "Log in with one of the demo accounts listed above."
	@# The scheduler (reminders and the email outbox) runs beside the web server and stops with it.
	$(FLASK) cpp scheduler & scheduler=$$!; \
	trap 'kill $$scheduler 2>/dev/null' EXIT INT TERM; \
	CPP_ENV=development $(BIN)/gunicorn --bind $(HOST):$(PORT) --workers $(WORKERS) --threads 4 \
		--access-logfile - wsgi:app

test: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
