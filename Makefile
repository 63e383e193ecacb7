# The two commands a new machine needs:
#   make run    set everything up and serve the demo site at http://127.0.0.1:8000
#   make test   run the whole test suite (SQLite and PostgreSQL, browser tests included)

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
MANAGE := $(PY) manage.py
PG_URL ?= postgres://shenbao:shenbao@127.0.0.1:5432/shenbao

.PHONY: run setup venv migrate demo test test-sqlite test-postgres test-plugin wheel checks lint format system-deps run-deps messages clean

run: setup
	PY=$(PY) bash scripts/run-dev.sh

setup: run-deps venv migrate demo

# The fonts PDFs embed (Debian packages); a warning, not a failure, where they cannot be installed.
run-deps:
	bash scripts/system-deps.sh --fonts

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
	@for po in $$(find . -path ./$(VENV) -prune -o -name '*.po' -print); do msgfmt --check --statistics -o /dev/null $$po; done

test-sqlite: venv
	$(VENV)/bin/pytest

test-postgres: venv
	DATABASE_URL=$(PG_URL) $(VENV)/bin/pytest

# The wheel installed into a new `wagtail start` project, where a form is filled and exported.
test-plugin: venv
	PYTHON=$(CURDIR)/$(PY) bash scripts/test-plugin.sh

wheel: venv
	$(PIP) wheel --no-deps -q -w dist .
	rm -rf build *.egg-info

test: system-deps venv checks test-sqlite test-postgres test-plugin

lint: venv
	$(VENV)/bin/ruff check .

format: venv
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Each plugin app keeps its own catalogue (shipped in the wheel); the top-level
# locale/ holds only the demo site's strings.
# forms_app/wagtail_zh holds only translations of Wagtail's strings, written by hand: makemessages would empty it.
PLUGIN_APPS := notices $(filter-out forms_app/wagtail_zh/apps.py,$(wildcard forms_app/*/apps.py))

messages: venv
	$(MANAGE) makemessages -l zh_Hans --no-obsolete --ignore='$(VENV)/*' --ignore='notices/*' \
		--ignore='forms_app/*' --ignore='tests/*' --ignore='bench/*'
	@for app in $(patsubst %/apps.py,%,$(PLUGIN_APPS)); do \
		(cd $$app && env -u DJANGO_SETTINGS_MODULE $(CURDIR)/$(VENV)/bin/django-admin makemessages -l zh_Hans --no-obsolete); \
	done
	$(MANAGE) compilemessages --ignore='$(VENV)'


clean:
	rm -rf $(VENV) db.sqlite3 media private_media static_collected test-artifacts build dist *.egg-info
