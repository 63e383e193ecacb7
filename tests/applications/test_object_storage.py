"""Private files in an S3-compatible object store: a real S3 server (moto in server mode) on a local port.

An applicant's upload, the reviewer's download of it, and an export and its download all go through
the store, and no response ever carries an address of the store: files are streamed by the site.
"""

import socket
from io import BytesIO

import boto3
import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.test import TestCase
from django.urls import reverse
from moto.server import ThreadedMotoServer
from openpyxl import load_workbook

from forms_app.applications.models import Submission, UploadedFile
from forms_app.applications.storage import PrivateFileSystemStorage, private_storage
from forms_app.exchange.models import ExportJob
from tests.factories import ApplicantFactory
from tests.wizard_helpers import PDF, Applicant, three_step_form

pytestmark = pytest.mark.django_db

BUCKET = "shenbao-private"
INDEX = "shenbao_applications_submission_modeladmin_index"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def object_store(settings, tmp_path):
    """A running S3 server with one bucket, set as the ``"private"`` storage; the private folder unused."""
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    credentials = {"aws_access_key_id": "shenbao", "aws_secret_access_key": "shenbao-secret"}
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **credentials)
    client.create_bucket(Bucket=BUCKET)
    settings.SHENBAO_PRIVATE_MEDIA_ROOT = tmp_path / "must-stay-empty"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": endpoint,
                "region_name": "us-east-1",
                "access_key": credentials["aws_access_key_id"],
                "secret_key": credentials["aws_secret_access_key"],
                "addressing_style": "path",
                "location": "private",
                "default_acl": None,
                "file_overwrite": False,
            },
        },
    }
    yield client, f"127.0.0.1:{port}"
    server.stop()


def keys(s3):
    return sorted(item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def test_upload_review_download_and_export_through_an_s3_server(client, notice_index, object_store, tmp_path):
    s3, host = object_store
    responses = []
    form = three_step_form(notice_index)
    client.force_login(ApplicantFactory())
    applicant = Applicant(client, form)
    draft_id = applicant.start()
    responses.append(applicant.fill_all(draft_id))
    responses.append(applicant.submit(draft_id))
    submission = Submission.objects.get()
    upload = UploadedFile.objects.get(submission=submission)
    # The upload is an object in the bucket, under the private prefix, and nowhere on disk.
    assert keys(s3) == [f"private/{upload.file.name}"]
    assert not (tmp_path / "must-stay-empty").exists()
    stored = s3.get_object(Bucket=BUCKET, Key=f"private/{upload.file.name}")["Body"].read()
    assert stored == PDF
    assert private_storage.exists(upload.file.name)

    admin = get_user_model().objects.create_superuser("admin", "admin@example.cn", "pass-2025-admin")
    client.force_login(admin)
    download = client.get(reverse("shenbao:file", args=[upload.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert download["Cache-Control"] == "private, no-store" and "Location" not in download
    responses.append(download)

    with TestCase.captureOnCommitCallbacks(execute=True):
        asked = client.post(reverse(INDEX) + f"?form={form.pk}", {"export": "1", "export_format": "xlsx"})
    job = ExportJob.objects.get()
    assert job.status == "done", job.error
    assert f"private/{job.file.name}" in keys(s3)
    page = client.get(reverse("shenbao_review_export", args=[job.pk]))
    exported = client.get(reverse("shenbao_review_export_download", args=[job.pk]))
    workbook = load_workbook(BytesIO(b"".join(exported.streaming_content)), read_only=True)
    assert list(workbook.worksheets[0].iter_rows(values_only=True))[1][0] == submission.reference
    responses += [asked, page, exported, client.get(reverse(INDEX) + f"?form={form.pk}")]
    # No page, redirect or header handed out an address of the store.
    for response in responses:
        body = b"" if response.streaming else response.content
        assert host.encode() not in body and host not in str(response.headers)


def test_the_private_folder_has_no_urls_to_hand_out(tmp_path):
    storage = PrivateFileSystemStorage(location=tmp_path)
    name = storage.save("scan.pdf", ContentFile(PDF))
    assert storage.open(name).read() == PDF
    with pytest.raises(ValueError, match="no URL"):
        storage.url(name)
