"""Importing applications from spreadsheets: template, preview with errors by row and column, all or none."""

import io
from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from forms_app.applications.models import Submission
from forms_app.builder.factories import field, step
from forms_app.exchange import importing
from forms_app.exchange.exports.export import export_submissions
from forms_app.exchange.models import ImportBatch
from forms_app.exchange.tasks import save_import
from forms_app.review.access import ReviewerAccess
from forms_app.review.models import ReviewerScope
from tests.review_helpers import build_world, make_reviewer
from tests.samples import KNOWN_ID

IMPORTER_PERMS = ["access_admin", "view_submission", "change_submission", "add_submission"]
BANK = "6222021234567890128"
HEADER = ["Reference", "Organisation", "Region", "项目名称", "负责人身份证号", "银行账号", "填报期间"]


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def world(notice_index):
    world = build_world(notice_index)
    world.importer = make_reviewer("importer", world.regions["hz"], perms=IMPORTER_PERMS)
    return world


def xlsx(rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, world, content, name="申报.xlsx"):
    client.force_login(world.importer)
    response = client.post(
        reverse("shenbao_review_import", args=[world.page.pk]), {"file": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return response["Location"]


GOOD = [
    HEADER,
    ["", "西湖区卫生院", "西湖区", "纸质申报项目一", KNOWN_ID, BANK, "上半年"],
    ["", "上城区卫生院", "上城区", "纸质申报项目二", f"Resident identity card {KNOWN_ID}", BANK, "下半年"],
]


def test_template_has_labels_and_an_example_row(client, world):
    client.force_login(world.importer)
    response = client.get(reverse("shenbao_review_import_template", args=[world.page.pk]))
    rows = [list(r) for r in load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True)]
    assert rows[0] == HEADER
    assert rows[1][3] == "项目名称" and rows[1][4] == "11010519491231002X" and rows[1][6] == "上半年"


def test_import_previews_then_saves_every_row_and_reimport_updates(client, world):
    content = xlsx(GOOD)
    preview = upload(client, world, content)
    page = client.get(preview).content.decode()
    assert "2 rows are ready" in " ".join(page.split())
    assert Submission.objects.filter(imported_by__isnull=False).count() == 0  # nothing before confirming
    response = client.post(preview)
    assert response.status_code == 302
    imported = Submission.objects.filter(imported_by=world.importer).order_by("pk")
    assert [s.answers["project_name"] for s in imported] == ["纸质申报项目一", "纸质申报项目二"]
    first = imported[0]
    assert first.answers["leader_id"] == {"type": "resident_id", "number": KNOWN_ID}
    assert first.answers["half_year"] == {"selected": "上半年", "other": ""}
    assert first.region == world.regions["xihu"] and first.organisation.name == "西湖区卫生院"
    assert first.reference.startswith("ZJ") and first.imported_at is not None
    assert first.events.get().text == "Imported from a file (row 2)."
    assert ImportBatch.objects.get().created == 2

    # The same file again: updated in place, not duplicated.
    changed = [row[:] for row in GOOD]
    client.post(upload(client, world, content))
    assert Submission.objects.filter(imported_by=world.importer).count() == 2
    assert ImportBatch.objects.latest("pk").updated == 2
    # Corrections in another file carry the references (as an export of the list does).
    changed[1][3] = "纸质申报项目一（修改）"
    changed[1][0], changed[2][0] = first.reference, imported[1].reference
    client.post(upload(client, world, xlsx(changed)))
    first.refresh_from_db()
    assert first.answers["project_name"] == "纸质申报项目一（修改）" and first.revision == 3
    assert Submission.objects.filter(imported_by=world.importer).count() == 2


def test_errors_are_listed_by_row_and_column_and_nothing_is_saved(client, world):
    bad = [
        HEADER,
        GOOD[1],
        ["", "某单位", "海曙区", "宁波的项目", KNOWN_ID, BANK, "上半年"],  # not a region of this desk
        ["", "某单位", "西湖区", "", "110105194912310021", BANK, "全年"],  # three errors
    ]
    preview = upload(client, world, xlsx(bad))
    response = client.get(preview)
    text = " ".join(response.content.decode().split())
    assert "4 errors" in text
    rows = response.content.decode().split('data-testid="import-errors"')[1]
    assert "<td>3</td><td>Region</td>" in rows
    assert "<td>4</td><td>项目名称</td>" in rows and "<td>4</td><td>负责人身份证号</td>" in rows
    assert "<td>4</td><td>填报期间</td>" in rows
    assert "Save all rows" not in text
    assert client.post(preview).status_code == 422
    assert not Submission.objects.filter(imported_by__isnull=False).exists()


def test_missing_columns_and_unreadable_files(client, world):
    text = " ".join(
        client.get(upload(client, world, xlsx([HEADER[:3], ["", "单位", "西湖区"]]))).content.decode().split()
    )
    assert "Columns missing: 项目名称、负责人身份证号、银行账号、填报期间" in text
    client.force_login(world.importer)
    response = client.post(
        reverse("shenbao_review_import", args=[world.page.pk]),
        {"file": SimpleUploadedFile("x.exe", b"MZ\x90\x00")},
    )
    assert response.status_code == 422 and "XLSX, XLS or CSV" in response.content.decode()
    # CSV in GB18030, as Excel saves it on Chinese Windows.
    csv_text = "\n".join(",".join(row) for row in GOOD) + "\n"
    preview = upload(client, world, csv_text.encode("gb18030"), "申报.csv")
    assert "2 rows are ready" in " ".join(client.get(preview).content.decode().split())


def test_only_reviewers_allowed_to_add_may_import(client, world):
    reader = world.reviewers["hz"]  # view and change, no add
    client.force_login(reader)
    assert client.get(reverse("shenbao_review_import", args=[world.page.pk])).status_code in {302, 403}
    assert client.get(reverse("shenbao_review_import_template", args=[world.page.pk])).status_code in {
        302,
        403,
    }
    other = make_reviewer("other_importer", world.regions["nb"], perms=IMPORTER_PERMS)
    preview = upload(client, world, xlsx(GOOD))
    client.force_login(other)
    assert client.get(preview).status_code == 404  # another user's batch


def test_round_trip_export_then_import_gives_the_same_answers(client, world):
    # An administrator exports two submissions in full and imports the file back.
    world.importer.is_superuser = True
    world.importer.save()
    buffer = io.BytesIO()
    originals = Submission.objects.filter(region__in=[world.regions["xihu"], world.regions["shangcheng"]])
    export_submissions(originals.order_by("pk"), "xlsx", buffer, masked=False)
    sheets = importing.read_sheets(buffer.getvalue(), "export.xlsx")
    assert [sheet.name for sheet in sheets] == ["Submissions", "活动成果汇总"]
    results, header_errors = importing.check_file(world.page, sheets, ReviewerAccess(world.importer))
    assert header_errors == [] and [r.errors for r in results] == [[], []]
    importing.save_rows(world.page, results, world.importer, ReviewerAccess(world.importer), "roundtrip")
    for original in originals:
        original_after = Submission.objects.get(pk=original.pk)
        assert original_after.answers == original.answers  # the region matrix included
        assert original_after.revision == 2 and original_after.imported_by == world.importer


def test_columns_the_form_lacks_are_listed_and_left_out(client, world):
    rows = [[*HEADER, "Status"], [*GOOD[1], "Submitted"]]
    text = " ".join(client.get(upload(client, world, xlsx(rows))).content.decode().split())
    assert "Left out (not fields of this form): Status" in text and "1 row is ready" in text


def test_confirming_twice_or_running_the_save_twice_saves_once(
    client, world, django_capture_on_commit_callbacks
):
    preview = upload(client, world, xlsx(GOOD))
    batch = ImportBatch.objects.get()
    assert batch.stage == "checked" and batch.report["rows"] == 2 and batch.attempts == 1
    # The preview reads the check's findings; the file is not parsed again for each look.
    batch.file.delete(save=False)
    assert "2 rows are ready" in " ".join(client.get(preview).content.decode().split())
    batch.file.save("again.bin", ContentFile(xlsx(GOOD)), save=True)
    clicking = Client()  # its requests leave their on-commit work to the capture below
    clicking.force_login(world.importer)
    with django_capture_on_commit_callbacks() as queued:  # a double click before the worker starts
        assert clicking.post(preview).status_code == 302
        assert clicking.post(preview).status_code == 302
    assert len(queued) == 1  # the second click found the save already under way
    queued[0]()
    assert save_import.enqueue(batch.pk).return_value == "skipped"  # a second run of the same task
    batch.refresh_from_db()
    assert batch.stage == "saved" and batch.created == 2 and batch.status == "done"
    assert Submission.objects.filter(imported_by=world.importer).count() == 2
    page = client.get(preview).content.decode()
    assert "This file was saved: 2 created, 0 updated." in " ".join(page.split())
    assert client.post(reverse("shenbao_review_import_retry", args=[batch.pk])).status_code == 302
    assert (
        ImportBatch.objects.get().attempts == 2
        and Submission.objects.filter(imported_by=world.importer).count() == 2
    )


def imported_names(world):
    return sorted(s.answers["project_name"] for s in Submission.objects.filter(imported_by=world.importer))


def test_the_save_writes_the_rows_the_check_kept_without_reading_the_file_again(client, world):
    preview = upload(client, world, xlsx(GOOD))
    batch = ImportBatch.objects.get()
    assert batch.checked  # the cleaned rows wait for the reviewer's confirmation
    checked_name = batch.checked.name
    batch.file.delete(save=False)  # so a save that read the file again would fail
    assert client.post(preview).status_code == 302
    batch.refresh_from_db()
    assert batch.stage == "saved" and batch.status == "done" and batch.created == 2
    assert imported_names(world) == ["纸质申报项目一", "纸质申报项目二"]
    assert not batch.checked and not batch.checked.storage.exists(checked_name)  # not kept once saved


def test_a_file_with_errors_keeps_no_rows_to_save(client, world):
    rows = [HEADER, ["", "西湖区卫生院", "西湖区", "", KNOWN_ID, BANK, "上半年"]]
    upload(client, world, xlsx(rows))
    batch = ImportBatch.objects.get()
    assert batch.report["errors"] and not batch.checked and not batch.can_save


def test_a_form_changed_after_the_preview_is_checked_again_and_nothing_is_saved(client, world):
    preview = upload(client, world, xlsx(GOOD))
    page = world.page
    shorter = field("short_text", "项目名称", key="project_name", max_length=5)
    page.steps = [step("basic", "基本信息", shorter)]
    page.save_revision().publish()
    assert client.post(preview).status_code == 302
    batch = ImportBatch.objects.get()
    assert batch.status == "failed" and "no longer passes its checks" in batch.error
    assert batch.stage == "saving" and imported_names(world) == []


def test_a_desk_changed_after_the_preview_is_checked_again_and_nothing_is_saved(client, world):
    preview = upload(client, world, xlsx(GOOD))
    ReviewerScope.objects.filter(group__user=world.importer).update(region=world.regions["nb"])
    assert client.post(preview).status_code == 302
    batch = ImportBatch.objects.get()
    assert batch.status == "failed" and "no longer passes its checks" in batch.error
    assert imported_names(world) == []


def test_a_region_edit_elsewhere_checks_again_and_still_saves(client, world):
    preview = upload(client, world, xlsx(GOOD))
    world.regions["haishu"].name = "海曙区（新）"
    world.regions["haishu"].save()
    assert client.post(preview).status_code == 302
    assert ImportBatch.objects.get().stage == "saved"
    assert imported_names(world) == ["纸质申报项目一", "纸质申报项目二"]


def test_a_submission_that_left_the_desk_since_the_preview_is_not_updated(client, world):
    target = world.subs["xihu"]
    Submission.objects.filter(pk=target.pk).update(stage_region=world.regions["hz"])  # at the importer's desk
    rows = [HEADER, [target.reference, "西湖区卫生院", "西湖区", "改过的项目", KNOWN_ID, BANK, "上半年"]]
    preview = upload(client, world, xlsx(rows))
    assert ImportBatch.objects.get().can_save
    Submission.objects.filter(pk=target.pk).update(stage_region=world.regions["zj"])  # sent up meanwhile
    assert client.post(preview).status_code == 302
    batch = ImportBatch.objects.get()
    assert batch.status == "failed" and "no longer passes its checks" in batch.error
    target.refresh_from_db()
    assert target.answers["project_name"] != "改过的项目"
