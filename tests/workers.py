"""Real task workers for tests: ``manage.py db_worker`` processes on the test's own database."""

import os
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def database_url():
    """The URL of the database this test runs on (the test database, not the configured one)."""
    db = connection.settings_dict
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{host}:{port}/{db['NAME']}"


class Workers:
    """Start ``db_worker`` processes; ``stop_all`` ends every one still running."""

    def __init__(self):
        self.processes = []

    def start(self, name, **environ):
        """Start worker ``name``; ``environ`` adds environment variables (settings) of its own."""
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "site_config.settings.test",
            "DATABASE_URL": database_url(),
            "TASKS_BACKEND": "database",
            "SHENBAO_PRIVATE_MEDIA_ROOT": str(settings.SHENBAO_PRIVATE_MEDIA_ROOT),
            **environ,
        }
        command = [sys.executable, "manage.py", "db_worker", "--interval", "0.1", "--no-startup-delay",
                   "--no-reload", "--worker-id", name, "--verbosity", "0"]  # fmt: skip
        process = subprocess.Popen(command, cwd=ROOT, env=env)
        self.processes.append(process)
        return process

    def stop_all(self):
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def wait_for(condition, timeout=60, what="the workers", interval=0.1):
    """Poll ``condition()`` every ``interval`` seconds until it is true; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"{what} did not get there within {timeout} s")


class RQWorkers(Workers):
    """``manage.py rqworker --burst`` processes on the test's database and a Redis database of its own."""

    def __init__(self, redis_url):
        super().__init__()
        self.redis_url = redis_url

    def start(self, name):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "site_config.settings.test",
            "DATABASE_URL": database_url(),
            "TASKS_BACKEND": "rq",
            "REDIS_URL": self.redis_url,
            "SHENBAO_PRIVATE_MEDIA_ROOT": str(settings.SHENBAO_PRIVATE_MEDIA_ROOT),
        }
        command = [sys.executable, "manage.py", "rqworker", "default", "--burst", "--name", name,
                   "--job-class", "django_tasks_rq.Job"]  # fmt: skip
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
        self.processes.append(process)
        return process
