# The two commands a new machine needs:
#   make run    set everything up and serve the demo site at http://127.0.0.1:8000
#   make test   run the whole test suite (SQLite and PostgreSQL, browser tests included)

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
MANAGE := $(PY) manage.py
PG_URL ?= postgres://shenbao:shenbao@127.0.0.1:5432/shenbao

.PHONY: run setup venv migrate demo test test-sqlite test-postgres checks lint format system-deps messages clean

run: setup
	$(MANAGE) runserver 127.0.0.1:8000

setup: venv migrate demo

$(VENV)/.installed: requirements.txt requirements/dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -r requirements/dev.txt
	touch $@

venv: $(VENV)/.installed

migrate: venv
	$(MANAGE) migrate --noinput

demo: venv
	$(MANAGE) load_demo

system-deps:
	bash scripts/system-deps.sh

checks: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DJANGO_SETTINGS_MODULE=site_config.settings.test $(MANAGE) check
	DJANGO_SETTINGS_MODULE=site_config.settings.test $(MANAGE) makemigrations --check --dry-run
	@for po in $$(find locale -name '*.po'); do msgfmt --check --statistics -o /dev/null $$po; done

test-sqlite: venv
	$(VENV)/bin/pytest

test-postgres: venv
	DATABASE_URL=$(PG_URL) $(VENV)/bin/pytest

test: system-deps venv checks test-sqlite test-postgres

lint: venv
	$(VENV)/bin/ruff check .

format: venv
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

messages: venv
	$(MANAGE) makemessages -l zh_Hans --ignore=$(VENV)
	$(MANAGE) compilemessages

clean:
	rm -rf $(VENV) db.sqlite3 media private_media static_collected test-artifacts
