"""scripts/backup.sh and scripts/restore.sh: a dump and the private files, restored elsewhere, complete.

Submissions with files are made through the wizard, backed up, restored into a new database and a new
private folder (the original folder removed), and Django connected to the restored database, in its own
process, finds every submission and opens every file.
"""

import hashlib
import json
import os
import shutil
import subprocess
import sys

import pytest
from django.db import connection
from django.test import Client

from forms_app.applications.models import Submission
from tests.factories import ApplicantFactory
from tests.samples import PDF
from tests.wizard_helpers import Applicant, pdf, three_step_form
from tests.workers import ROOT, database_url

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump and pg_restore need PostgreSQL"),
]

# Run by Django connected to the restored database: every submission's reference and, for each of
# its files, the name and the checksum of the content read back from the restored folder.
LIST_ARCHIVE = """
import hashlib, json
from forms_app.applications.models import Submission
found = {}
for submission in Submission.objects.prefetch_related("files"):
    files = []
    for upload in submission.files.all():
        with upload.file.open("rb") as handle:
            files.append([upload.name, hashlib.sha256(handle.read()).hexdigest()])
    found[submission.reference] = {"answers": submission.answers["team_name"], "files": sorted(files)}
print(json.dumps(found, ensure_ascii=False))
"""


@pytest.fixture
def private_folder(settings, tmp_path):
    folder = tmp_path / "private"
    settings.SHENBAO_PRIVATE_MEDIA_ROOT = folder
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "forms_app.applications.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": str(folder)},
        },
    }
    return folder


@pytest.fixture
def restored_database():
    """A new database beside the test database, dropped at the end; return its URL."""
    name = f"{connection.settings_dict['NAME']}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    url = database_url().rsplit("/", 1)[0] + f"/{name}"
    yield url
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(script, *args, **environ):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "site_config.settings.test",
        "PY": sys.executable,
        **environ,
    }
    result = subprocess.run(
        [str(ROOT / "scripts" / script), *map(str, args)], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def make_submissions(notice_index):
    form = three_step_form(notice_index)
    made = {}
    for number in range(3):
        client = Client()
        client.force_login(ApplicantFactory())
        applicant = Applicant(client, form)
        draft_id = applicant.start()
        content = PDF + f"\n% 第{number}份\n".encode()
        basic = {
            "basic-team_name": f"服务团{number}",
            "basic-is_base": "no",
            "basic-bank_code": "102331000011",
        }
        applicant.fill_all(draft_id, basic=basic, plan_file=pdf(f"申报书{number}.pdf", content))
        assert applicant.submit(draft_id).status_code == 302
        submission = Submission.objects.get(draft_id=draft_id)
        made[submission.reference] = {
            "answers": f"服务团{number}",
            "files": [[f"申报书{number}.pdf", hashlib.sha256(content).hexdigest()]],
        }
    return made


def test_a_backup_restores_every_submission_and_file(
    notice_index, private_folder, restored_database, tmp_path
):
    made = make_submissions(notice_index)
    assert len(made) == 3
    backup = tmp_path / "backup"
    run("backup.sh", backup, DATABASE_URL=database_url(), SHENBAO_PRIVATE_MEDIA_ROOT=private_folder)
    assert {p.name for p in backup.iterdir()} == {"database.dump", "private.tar", "SHA256SUMS"}

    restored_files = tmp_path / "restored-private"
    shutil.rmtree(private_folder)  # what the restored site reads can only come from the backup
    restored = run(
        "restore.sh", backup, DATABASE_URL=restored_database, SHENBAO_PRIVATE_MEDIA_ROOT=restored_files
    )
    assert "3 private files checked, 0 problems." in restored.stdout

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "site_config.settings.test",
        "DATABASE_URL": restored_database,
        "SHENBAO_PRIVATE_MEDIA_ROOT": str(restored_files),
    }
    listed = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", LIST_ARCHIVE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout.strip().splitlines()[-1]) == made


def test_a_restore_refuses_a_folder_that_is_not_empty(private_folder, tmp_path):
    backup = tmp_path / "backup"
    private_folder.mkdir()
    run("backup.sh", backup, DATABASE_URL=database_url(), SHENBAO_PRIVATE_MEDIA_ROOT=private_folder)
    occupied = tmp_path / "occupied"
    occupied.mkdir()
    (occupied / "keep.txt").write_text("x")
    env = {**os.environ, "DATABASE_URL": database_url(), "SHENBAO_PRIVATE_MEDIA_ROOT": str(occupied)}
    result = subprocess.run(
        [str(ROOT / "scripts" / "restore.sh"), str(backup)], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 2 and "not empty" in result.stderr
    assert (occupied / "keep.txt").read_text() == "x"
