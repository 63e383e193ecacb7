"""What every benchmark shares: the throwaway PostgreSQL database and Django configured for it.

A benchmark configures Django at the top of its module, before it imports the project's models, so that
its imports stay at the top of the file: ``configure_django()`` sets the environment that
``bench/settings.py`` reads (a random secret key, the bench database, temporary media folders) and
calls ``django.setup()``. The database is created and dropped by the run: its name comes from
``BENCH_DB_NAME`` (it must start with ``shenbao_bench``), by default one of this run's own
(``shenbao_bench_<pid>``), so a run never drops a database another run or a person uses; the server, its
host and port, come from ``--pg-url`` (default ``BENCH_PG_URL``).
"""

import os
import secrets
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import django
import psycopg

# Set in the environment, so that the run's child processes (gunicorn, the load generator, the
# export measurements) use the database the parent created.
DB_NAME = os.environ.setdefault("BENCH_DB_NAME", f"shenbao_bench_{os.getpid()}")
if not DB_NAME.startswith("shenbao_bench"):
    raise SystemExit(f"BENCH_DB_NAME must start with shenbao_bench, not {DB_NAME!r}: the run drops it")
DEFAULT_PG_URL = os.environ.get("BENCH_PG_URL", "postgres://shenbao:shenbao@127.0.0.1:5432/postgres")


def bench_url(pg_url):
    """Return ``pg_url`` pointing at the bench database instead of the maintenance one."""
    return urlsplit(pg_url)._replace(path=f"/{DB_NAME}").geturl()


def recreate_database(pg_url, drop_only=False):
    """Drop the bench database and, unless ``drop_only``, create it empty."""
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{DB_NAME}"')


def server_facts(pg_url):
    """Return the PostgreSQL server's version and ``max_connections``."""
    with psycopg.connect(pg_url, autocommit=True) as conn:
        version = conn.execute("SHOW server_version").fetchone()[0]
        max_connections = int(conn.execute("SHOW max_connections").fetchone()[0])
    return version, max_connections


def bench_environment(pg_url, prefix, **extra):
    """The environment of a run on the bench database and its own temporary folder: ``(env, tmp)``."""
    tmp = Path(tempfile.mkdtemp(prefix=prefix))
    secret = os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(60)
    env = {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "SECRET_KEY": secret,
        "BENCH_SECRET_KEY": secret,  # child processes sign with the same key
        "DATABASE_URL": bench_url(pg_url),
        "MEDIA_ROOT": str(tmp / "media"),
        "SHENBAO_PRIVATE_MEDIA_ROOT": str(tmp / "private"),
        "SECURE_SSL_REDIRECT": "0",
        **extra,
    }
    return env, tmp


def configure_django(env):
    """Put ``env`` into this process's environment and set Django up (no database is touched)."""
    os.environ.update(env)
    django.setup()
