"""Importing applications from spreadsheets: template, preview with errors by row and column, all or none."""

import io
import zipfile
from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from forms_app.accounts.factories import credit_code
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
HEADER = [
    "Reference", "Organisation", "Unified social credit code", "Region",
    "项目名称", "负责人身份证号", "银行账号", "填报期间",
]  # fmt: skip
XIHU_CODE, SHANGCHENG_CODE, OTHER_CODE = credit_code(9001), credit_code(9002), credit_code(9003)


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


SHANGCHENG_ID = f"Resident identity card {KNOWN_ID}"
GOOD = [
    HEADER,
    ["", "西湖区卫生院", XIHU_CODE, "西湖区", "纸质申报项目一", KNOWN_ID, BANK, "上半年"],
    ["", "上城区卫生院", SHANGCHENG_CODE, "上城区", "纸质申报项目二", SHANGCHENG_ID, BANK, "下半年"],
]


def test_template_has_labels_and_an_example_row(client, world):
    client.force_login(world.importer)
    response = client.get(reverse("shenbao_review_import_template", args=[world.page.pk]))
    rows = [list(r) for r in load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True)]
    assert rows[0] == HEADER
    assert rows[1][4] == "项目名称" and rows[1][5] == "11010519491231002X" and rows[1][7] == "上半年"


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
    changed[1][4] = "纸质申报项目一（修改）"
    changed[1][0], changed[2][0] = first.reference, imported[1].reference
    client.post(upload(client, world, xlsx(changed)))
    first.refresh_from_db()
    assert first.answers["project_name"] == "纸质申报项目一（修改）" and first.revision == 3
    assert Submission.objects.filter(imported_by=world.importer).count() == 2


def test_errors_are_listed_by_row_and_column_and_nothing_is_saved(client, world):
    bad = [
        HEADER,
        GOOD[1],
        [
            "",
            "某单位",
            OTHER_CODE,
            "海曙区",
            "宁波的项目",
            KNOWN_ID,
            BANK,
            "上半年",
        ],  # not this desk's region
        ["", "某单位", credit_code(9004), "西湖区", "", "110105194912310021", BANK, "全年"],  # three errors
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
        client.get(upload(client, world, xlsx([HEADER[:4], ["", "单位", OTHER_CODE, "西湖区"]])))
        .content.decode()
        .split()
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
    rows = [HEADER, ["", "西湖区卫生院", XIHU_CODE, "西湖区", "", KNOWN_ID, BANK, "上半年"]]
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
    rows = [
        HEADER,
        [target.reference, target.organisation.name, "", "西湖区", "改过的项目", KNOWN_ID, BANK, "上半年"],
    ]
    preview = upload(client, world, xlsx(rows))
    assert ImportBatch.objects.get().can_save
    Submission.objects.filter(pk=target.pk).update(stage_region=world.regions["zj"])  # sent up meanwhile
    assert client.post(preview).status_code == 302
    batch = ImportBatch.objects.get()
    assert batch.status == "failed" and "no longer passes its checks" in batch.error
    target.refresh_from_db()
    assert target.answers["project_name"] != "改过的项目"


def errors_of(client, preview):
    """The preview's error table as (row, column, message) triples."""
    batch = ImportBatch.objects.get(pk=int(preview.rstrip("/").split("/")[-1]))
    return [(row, column, message) for _sheet, row, column, message in batch.report["errors"]]


def at_the_city_desk(world, key):
    submission = world.subs[key]
    Submission.objects.filter(pk=submission.pk).update(stage_region=world.regions["hz"])
    return submission


def test_a_reference_twice_in_one_file_is_an_error_and_nothing_is_saved(client, world):
    target = at_the_city_desk(world, "xihu")
    unit = target.organisation
    row = [target.reference, unit.name, unit.credit_code, "西湖区", "第一次修改", KNOWN_ID, BANK, "上半年"]
    again = [*row[:4], "第二次修改", *row[5:]]
    preview = upload(client, world, xlsx([HEADER, row, again]))
    assert errors_of(client, preview) == [
        (3, "Reference", f"“{target.reference}” is also on row 2: a file updates each submission once.")
    ]
    assert client.post(preview).status_code == 422
    target.refresh_from_db()
    assert target.revision == 1 and target.answers["project_name"] == "西湖区项目"


def test_an_update_never_moves_a_submission_to_another_unit_or_region(client, world):
    target = at_the_city_desk(world, "xihu")
    unit = target.organisation
    moved = [
        [target.reference, "上城区医院", "", "上城区", "改", KNOWN_ID, BANK, "上半年"],
        [target.reference, unit.name, credit_code(9500), "西湖区", "改", KNOWN_ID, BANK, "上半年"],
    ]
    for row in moved:
        preview = upload(client, world, xlsx([HEADER, row]))
        columns = {column for _row, column, _message in errors_of(client, preview)}
        assert columns == (
            {"Organisation", "Region"} if row[1] != unit.name else {"Unified social credit code"}
        )
    # The same unit and region as stored: the answers are corrected, the unit and region stay.
    same = [target.reference, unit.name, unit.credit_code, "西湖区", "改过", KNOWN_ID, BANK, "上半年"]
    client.post(upload(client, world, xlsx([HEADER, same])))
    target.refresh_from_db()
    assert target.answers["project_name"] == "改过" and target.organisation == unit
    assert target.region == world.regions["xihu"] and target.revision == 2
    # Every revision has the version row its printout is checked against.
    assert sorted(target.versions.values_list("revision", flat=True)) == [1, 2]


def test_new_rows_are_matched_to_units_by_credit_code(client, world):
    known = world.orgs["xihu"]  # 西湖区医院, with a code of its own
    rows = [
        HEADER,
        ["", "西湖区医院", known.credit_code, "西湖区", "老单位的新项目", KNOWN_ID, BANK, "上半年"],
        ["", "新单位", credit_code(9600), "上城区", "新单位的项目", KNOWN_ID, BANK, "上半年"],
    ]
    client.post(upload(client, world, xlsx(rows)))
    made = {s.answers["project_name"]: s for s in Submission.objects.filter(imported_by=world.importer)}
    assert made["老单位的新项目"].organisation == known  # the same unit, not a second 西湖区医院
    new_unit = made["新单位的项目"].organisation
    assert (new_unit.name, new_unit.credit_code, new_unit.region) == (
        "新单位",
        credit_code(9600),
        world.regions["shangcheng"],
    )


def test_units_without_a_valid_code_or_with_a_wrong_name_are_errors(client, world):
    known = world.orgs["xihu"]
    rows = [
        HEADER,
        ["", "无代码单位", "", "西湖区", "项目", KNOWN_ID, BANK, "上半年"],
        ["", "错代码单位", "91330100000000001X", "西湖区", "项目", KNOWN_ID, BANK, "上半年"],
        ["", "别的名字", known.credit_code, "西湖区", "项目", KNOWN_ID, BANK, "上半年"],
        ["", "+cmd|' /C calc'!A0", credit_code(9700), "西湖区", "项目", KNOWN_ID, BANK, "上半年"],
        ["", "甲单位", credit_code(9701), "西湖区", "项目", KNOWN_ID, BANK, "上半年"],
        ["", "乙单位", credit_code(9701), "西湖区", "项目", KNOWN_ID, BANK, "上半年"],
    ]
    preview = upload(client, world, xlsx(rows))
    found = {(row, column): message for row, column, message in errors_of(client, preview)}
    assert set(found) == {
        (2, "Unified social credit code"),
        (3, "Unified social credit code"),
        (4, "Organisation"),
        (5, "Organisation"),
        (7, "Unified social credit code"),
    }
    assert (
        found[(4, "Organisation")] == f"The unit with credit code {known.credit_code} is called “西湖区医院”."
    )
    assert "row 6" in found[(7, "Unified social credit code")].lower()
    assert client.post(preview).status_code == 422
    assert not Submission.objects.filter(imported_by=world.importer).exists()


def big_xlsx(rows, text_size):
    """An XLSX of ``rows`` rows whose cells repeat one letter: it compresses to almost nothing."""
    return xlsx([HEADER] + [["", "单位", XIHU_CODE, "西湖区", "x" * text_size] for _ in range(rows)])


def test_files_beyond_the_size_and_row_limits_are_refused_before_their_rows_are_read(client, world, settings):
    settings.SHENBAO_IMPORT_MAX_UNPACKED_MB = 1
    content = big_xlsx(300, 5000)  # 1.5 MB of sheet in a few kilobytes
    assert len(content) < 100_000
    with pytest.raises(importing.ImportFileError, match="unpacks to more than 1 MB"):
        importing.read_sheets(content, "大.xlsx")
    text = " ".join(client.get(upload(client, world, content, "大.xlsx")).content.decode().split())
    assert "This file unpacks to more than 1 MB; split it into smaller files." in text
    with pytest.raises(importing.ImportFileError, match="unpacks to more than 1 MB"):
        importing.read_sheets(b"a,b\n" + b"x" * 1_100_000, "大.csv")

    settings.SHENBAO_IMPORT_MAX_UNPACKED_MB = 100
    settings.SHENBAO_IMPORT_MAX_ROWS = 2
    with pytest.raises(importing.ImportFileError, match="has 3 rows; an import takes at most 2"):
        importing.read_sheets(big_xlsx(3, 1), "多.xlsx")
    assert len(importing.read_sheets(big_xlsx(2, 1), "二.xlsx")[0].rows) == 3


def test_a_workbook_that_understates_its_sizes_is_refused(settings):
    # A ZIP's directory is the sender's word: a sheet that unpacks to more than it says is not parsed.
    settings.SHENBAO_IMPORT_MAX_UNPACKED_MB = 1
    content = big_xlsx(300, 5000)
    with zipfile.ZipFile(BytesIO(content)) as archive:
        sheet = next(info for info in archive.infolist() if info.filename.startswith("xl/worksheets/"))
    stated = sheet.file_size.to_bytes(4, "little")
    assert sheet.file_size > 1024 * 1024 and content.count(stated) == 2  # local header, central directory
    understated = content.replace(stated, (1000).to_bytes(4, "little"))
    with pytest.raises(importing.ImportFileError, match="cannot be read"):
        importing.read_sheets(understated, "小.xlsx")
