#!/usr/bin/env bash
# The demo site as `make run` serves it: the task worker (`db_worker`, which runs exports, imports,
# batch lists and e-mails) in the background, the web server in the foreground; Ctrl+C stops both.
set -euo pipefail
PY=${PY:-.venv/bin/python}
"$PY" manage.py db_worker --queue-name '*' &
worker=$!
trap 'kill "$worker" 2>/dev/null || true' EXIT INT TERM
"$PY" manage.py runserver 127.0.0.1:8000
