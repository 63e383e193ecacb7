"""A reviewer who may not unmask exports masked ID and bank numbers; importing that file back keeps them."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from forms_app.applications.models import Submission
from forms_app.builder.display import mask
from tests.exchange.test_exports import ask_export, download
from tests.exchange.test_imports import HEADER, IMPORTER_PERMS, XIHU_CODE, upload, xlsx
from tests.review_helpers import BANK_ACCOUNT, build_world, make_reviewer
from tests.samples import KNOWN_ID


@pytest.fixture
def world(notice_index):
    world = build_world(notice_index)
    world.importer = make_reviewer("xihu_importer", world.regions["xihu"], perms=IMPORTER_PERMS)
    return world


def words(response):
    return " ".join(response.content.decode().split())


def rows_of(content):
    sheet = load_workbook(BytesIO(content))["Submissions"]
    return [["" if cell is None else cell for cell in row] for row in sheet.iter_rows(values_only=True)]


def test_a_masked_export_comes_back_unchanged(client, world, settings, django_capture_on_commit_callbacks):
    settings.LANGUAGE_CODE = "en"
    submission = world.subs["xihu"]
    before = Submission.objects.get(pk=submission.pk).answers
    _job, content = download(client, ask_export(client, world.importer, world))
    assert KNOWN_ID not in str(rows_of(content)) and mask(KNOWN_ID) in str(rows_of(content))
    preview = upload(client, world, content, "导出.xlsx")
    page = words(client.get(preview))
    assert "2 cells hold masked numbers: the stored values are kept." in page
    assert "import-errors" not in page and "1 row is ready (1 with a reference, to update)." in page
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(preview).status_code == 302
    after = Submission.objects.get(pk=submission.pk)
    assert after.answers == before  # the whole numbers, not the masks
    assert after.answers["leader_id"]["number"] == KNOWN_ID and after.answers["bank_account"] == BANK_ACCOUNT


def test_a_masked_number_is_a_row_error_for_a_new_row_or_another_number(client, world, settings):
    settings.LANGUAGE_CODE = "en"
    reference = world.subs["xihu"].reference
    rows = [
        HEADER,
        ["", "西湖区卫生院", XIHU_CODE, "西湖区", "新项目", mask(KNOWN_ID), "6222021234567890128", "上半年"],
        [reference, "西湖区医院", "", "西湖区", "西湖区项目", KNOWN_ID, "622***********0000", "上半年"],
    ]
    page = words(client.get(upload(client, world, xlsx(rows))))
    assert "A masked number (with “*”) cannot start a new application: give the whole number." in page
    assert f"This masked number (with “*”) is not the one stored for {reference}" in page
    assert "2 errors" in page and "masked number: the stored value is kept" not in page
