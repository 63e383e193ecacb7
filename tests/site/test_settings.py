"""Production settings: refuse to start without a secret, pass Django's deploy checks."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
SECRET = secrets.token_urlsafe(50)


def manage(*args, env):
    private = {"SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL"}
    base = {k: v for k, v in os.environ.items() if k not in private}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "site_config.settings.production", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_secret_key():
    result = manage("check", env={})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_a_short_secret_key():
    result = manage("check", env={"SECRET_KEY": "short"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_passes_deploy_checks():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={
            "SECRET_KEY": SECRET,
            "ALLOWED_HOSTS": "rsj.example.gov.cn",
            "SHENBAO_PUBLIC_URL": "https://rsj.example.gov.cn",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_its_public_address():
    result = manage("check", env={"SECRET_KEY": SECRET, "ALLOWED_HOSTS": "rsj.example.gov.cn"})
    assert result.returncode != 0
    assert "shenbao.E001" in result.stdout + result.stderr


def production_setting(expression, **env):
    """Print ``expression`` (of ``settings``) as the production settings compute it with ``env``."""
    code = f"import django; django.setup(); from django.conf import settings; print({expression})"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            **os.environ,
            "SECRET_KEY": SECRET,
            **env,
            "DJANGO_SETTINGS_MODULE": "site_config.settings.production",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_database_url_selects_the_database():
    result = production_setting(
        "settings.DATABASES['default']['ENGINE']", DATABASE_URL="postgres://u:p@db.example:5432/shenbao"
    )
    assert result.stdout.strip() == "django.db.backends.postgresql", result.stderr


def test_redis_cache_when_redis_url_is_set():
    """REDIS_URL switches the cache to the real Redis server, which must answer."""
    code = (
        "from django.core.cache import caches; import uuid; key = uuid.uuid4().hex; "
        "cache = caches['default']; "
        "cache.set(key, '专家', 30); print(type(cache).__name__, cache.get(key)); cache.delete(key)"
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "site_config.settings.test",
            "REDIS_URL": os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15"),
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "RedisCache 专家", result.stderr


def test_behind_pgbouncer_server_side_cursors_are_off():
    code = (
        "from django.conf import settings; "
        "print(settings.DATABASES['default'].get('DISABLE_SERVER_SIDE_CURSORS', False))"
    )
    env = {
        "SECRET_KEY": SECRET,
        "DATABASE_URL": "postgres://u:p@pgbouncer.example:6432/shenbao",
        "DJANGO_SETTINGS_MODULE": "site_config.settings.production",
    }
    for flag, expected in (("1", "True"), ("", "False")):
        result = subprocess.run(
            [sys.executable, "-c", f"import django; django.setup(); {code}"],
            cwd=ROOT,
            env={**os.environ, **env, "DATABASE_BEHIND_PGBOUNCER": flag},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.stdout.strip() == expected, result.stderr


def test_kept_database_connections_are_checked_before_use():
    result = production_setting(
        "settings.DATABASES['default']['CONN_HEALTH_CHECKS']",
        DATABASE_URL="postgres://u:p@db.example:5432/shenbao",
        CONN_MAX_AGE="60",
    )
    assert result.stdout.strip() == "True", result.stderr
