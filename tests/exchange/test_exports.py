"""Exports of submissions: columns from every form version, sheets for tables, escaping and masking."""

import csv
import io
import json
import zipfile
from datetime import datetime
from io import BytesIO

import pytest
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from forms_app.applications.models import FormVersion, Submission
from forms_app.exchange.exports.columns import plan_for
from forms_app.exchange.exports.export import export_submissions
from forms_app.exchange.exports.resources import resource_for
from forms_app.exchange.exports.writers import XlsxWriter, escape_formula
from forms_app.exchange.models import ExportJob
from forms_app.exchange.tasks import run_export
from forms_app.review.models import AuditLogEntry
from forms_app.review.workflow import transition
from tests.review_helpers import BANK_ACCOUNT, answers, build_world, make_reviewer, submit
from tests.samples import KNOWN_ID

HOSTILE = ['=HYPERLINK("http://evil")', "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"]


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def world(notice_index):
    return build_world(notice_index)


def sheets(content):
    workbook = load_workbook(BytesIO(content), read_only=True)
    return {ws.title: [list(row) for row in ws.iter_rows(values_only=True)] for ws in workbook.worksheets}


def export(queryset, fmt, masked=True):
    buffer = BytesIO()
    written = export_submissions(queryset, fmt, buffer, masked=masked)
    return written, buffer.getvalue()


def test_xlsx_has_fixed_columns_labels_choices_and_a_sheet_per_table(world):
    written, content = export(Submission.objects.filter(page=world.page), "xlsx")
    assert written == "xlsx"
    book = sheets(content)
    main = book["Submissions"]
    fixed = ["Reference", "Status", "Organisation", "Unified social credit code", "Region", "Submitted at"]
    assert main[0] == [*fixed, "项目名称", "负责人身份证号", "银行账号", "填报期间"]
    first = main[1]
    code = world.orgs["xihu"].credit_code
    assert first[:5] == [world.subs["xihu"].reference, "Submitted", "西湖区医院", code, "西湖区"]
    assert first[6] == "西湖区项目" and first[9] == "上半年"
    # Personal numbers masked by default.
    assert first[7] == "Resident identity card 110***********002X" and first[8] == "622************0128"
    assert len(main) == 4
    # Submitted at: a date cell in Beijing time, to the minute.
    submitted = timezone.localtime(world.subs["xihu"].submitted_at).replace(
        tzinfo=None, second=0, microsecond=0
    )
    assert isinstance(first[5], datetime) and first[5].replace(second=0) == submitted
    results = book["活动成果汇总"]
    # Units go to the header, so that the cells are numbers that add up.
    assert results[0] == ["Reference", "市", "活动次数（次）", "惠及人数（人）"]
    assert results[1] == [world.subs["xihu"].reference, "杭州市", 1, 10]
    assert results[2] == [world.subs["xihu"].reference, "宁波市", 0, 0]


def test_unmasked_export_shows_personal_numbers(world):
    _written, content = export(Submission.objects.filter(page=world.page), "xlsx", masked=False)
    row = sheets(content)["Submissions"][1]
    assert KNOWN_ID in row[7] and row[8] == BANK_ACCOUNT


def test_formulas_are_escaped_in_xlsx_csv_and_json(world):
    for n, text in enumerate(HOSTILE):
        submit(world.page, world.orgs["xihu"], answers(text + f"{n}"))
    queryset = Submission.objects.filter(
        page=world.page, answers__project_name__in=[t + f"{n}" for n, t in enumerate(HOSTILE)]
    )
    _written, content = export(queryset, "xlsx")
    names = [row[6] for row in sheets(content)["Submissions"][1:]]
    assert names == ["'" + text + f"{n}" for n, text in enumerate(HOSTILE)] or names == [
        "'" + text.replace("\r", "\n") + f"{n}" for n, text in enumerate(HOSTILE)
    ]
    written, content = export(queryset, "csv")
    assert written == "csv.zip"
    with zipfile.ZipFile(BytesIO(content)) as archive:
        main = next(n for n in archive.namelist() if n.startswith("Submissions"))
        rows = list(csv.reader(io.StringIO(archive.read(main).decode("utf-8-sig"), newline="")))
    assert [row[6] for row in rows[1:]] == ["'" + text + f"{n}" for n, text in enumerate(HOSTILE)]
    for text in HOSTILE:
        assert escape_formula(text) == "'" + text
    assert escape_formula("项目") == "项目"


def test_fields_of_an_older_version_are_still_exported(world):
    old = world.subs["xihu"]
    # Publish a new version without the bank account field and with a new one.
    page = world.page
    steps = page.steps.raw_data
    basic = steps[0]["value"]["fields"]
    contact = {"label": "联系人", "key": "contact", "help_text": "", "required": False, "condition": {}}
    steps[0]["value"]["fields"] = [f for f in basic if f["value"]["key"] != "bank_account"] + [
        {"type": "short_text", "value": {**contact, "max_length": 20}}
    ]
    page.steps = steps
    page.save_revision().publish()
    assert FormVersion.objects.filter(page=page).count() == 2
    new = submit(page, world.orgs["haishu"], {**answers("新版项目"), "contact": "王五"})
    _written, content = export(Submission.objects.filter(pk__in=[old.pk, new.pk]), "xlsx")
    main = sheets(content)["Submissions"]
    assert "联系人" in main[0] and "银行账号" in main[0]
    bank, contact = main[0].index("银行账号"), main[0].index("联系人")
    by_ref = {row[0]: row for row in main[1:]}
    assert by_ref[old.reference][bank] == "622************0128" and by_ref[old.reference][contact] in (
        "",
        None,
    )
    assert by_ref[new.reference][contact] == "王五"


def test_generated_import_export_resource_gives_the_same_cells_as_the_streaming_path(world):
    # Choices, masked ID and bank numbers, an empty optional answer and an older version's field.
    submit(
        world.page,
        world.orgs["haishu"],
        {**answers("海曙区二"), "half_year": {"selected": "下半年", "other": ""}},
    )
    queryset = Submission.objects.filter(page=world.page).order_by("submitted_at", "pk")
    resource = resource_for(plan_for(queryset, masked=True))()
    dataset = resource.export(queryset.select_related("organisation", "region"))  # import-export's own path
    streamed = [cells for cells, _answers in resource.iter_rows(queryset)]
    assert list(dataset.headers) == [
        "Reference", "Status", "Organisation", "Unified social credit code", "Region", "Submitted at",
        "项目名称", "负责人身份证号", "银行账号", "填报期间",
    ]  # fmt: skip
    assert [list(row) for row in dataset] == streamed
    assert streamed[-1][6:] == [
        "海曙区二",
        "Resident identity card 110***********002X",
        "622************0128",
        "下半年",
    ]
    assert len(streamed) == 4


def test_json_export(world):
    written, content = export(Submission.objects.filter(page=world.page), "json")
    data = json.loads(content)
    assert written == "json" and len(data) == 3
    assert data[0]["reference"] == world.subs["xihu"].reference
    assert data[0]["answers"]["half_year"] == "上半年"
    assert data[0]["answers"]["results"]["330100"] == {"activities": 1, "people": 10}
    assert KNOWN_ID not in content.decode()


def test_xlsx_writer_handles_unusual_cells():
    buffer = BytesIO()
    writer = XlsxWriter(buffer)
    sheet = writer.add_sheet("a/b:c*?[x]", ["文本", "数"], ["text", "number"])
    sheet.add(["<tag> & \x07bell", -5])
    sheet.add(["含\ue000分隔符", ""])
    sheet.add([None, 3])
    writer.close()
    book = sheets(buffer.getvalue())
    rows = book["a b c x"]
    assert rows[1] == ["<tag> & bell", -5]
    assert rows[2] == ["含\ue000分隔符", None]
    assert rows[3] == ["None", 3]  # the writer writes what it is given; the row builder blanks nulls


# --- export jobs from the review list ---------------------------------------------------------------

INDEX = "shenbao_applications_submission_modeladmin_index"


def ask_export(client, user, world, fmt="xlsx", **extra):
    """Ask for an export; its task runs when the request's transaction commits."""
    client.force_login(user)
    url = reverse(INDEX) + f"?form={world.page.pk}"
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(url, {"export": "1", "export_format": fmt, **extra})


def download(client, response):
    assert response.status_code == 302
    job = ExportJob.objects.latest("pk")
    status = client.get(reverse("shenbao_review_export", args=[job.pk]))
    assert status.status_code == 200 and "Download" in status.content.decode()
    file = client.get(reverse("shenbao_review_export_download", args=[job.pk]))
    assert file.status_code == 200 and file["Content-Disposition"].startswith("attachment")
    return job, b"".join(file.streaming_content)


def test_reviewer_exports_the_filtered_list_or_the_selected_rows(client, world):
    hz = world.reviewers["hz"]
    for key in ("xihu", "shangcheng"):
        transition([world.subs[key].pk], "recommended", world.reviewers[key])
    job, content = download(client, ask_export(client, hz, world))
    refs = [row[0] for row in sheets(content)["Submissions"][1:]]
    assert refs == [world.subs["xihu"].reference, world.subs["shangcheng"].reference]
    assert job.status == "done" and job.total == 2 and not job.unmasked
    _job, content = download(client, ask_export(client, hz, world, "csv", ids=[world.subs["shangcheng"].pk]))
    with zipfile.ZipFile(BytesIO(content)) as archive:
        assert sorted(archive.namelist()) == ["Submissions.csv", "活动成果汇总.csv"]
        rows = list(csv.reader(io.StringIO(archive.read("Submissions.csv").decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == [world.subs["shangcheng"].reference]
    # Without a form filter there is nothing to export.
    client.force_login(hz)
    response = client.post(reverse(INDEX), {"export": "1", "export_format": "xlsx"}, follow=True)
    assert "Filter the list by a form" in response.content.decode()


def test_exports_belong_to_their_reviewer_and_follow_access_when_run(client, world, settings):
    job_response = ask_export(client, world.reviewers["xihu"], world)
    job = ExportJob.objects.get()
    other = world.reviewers["haishu"]
    client.force_login(other)
    assert client.get(reverse("shenbao_review_export", args=[job.pk])).status_code == 404
    assert client.get(reverse("shenbao_review_export_download", args=[job.pk])).status_code == 404
    assert job_response.status_code == 302
    # A queued job that names submissions of another region writes only what its owner may see.
    sneaky = ExportJob.objects.create(user=other, page=world.page, format="xlsx")
    assert sneaky.fix_set(Submission.objects.filter(page=world.page)) == len(world.subs)
    assert ExportJob.objects.get(pk=sneaky.pk).status == "queued"
    run_export.enqueue(sneaky.pk)
    sneaky.refresh_from_db()
    assert sneaky.status == "done" and sneaky.done == 1
    with sneaky.file.open("rb") as handle:
        refs = [row[0] for row in sheets(handle.read())["Submissions"][1:]]
    assert refs == [world.subs["haishu"].reference]


def test_unmasked_exports_need_the_permission_and_are_recorded(client, world):
    plain = world.reviewers["xihu"]
    _job, content = download(client, ask_export(client, plain, world, unmasked="1"))
    assert KNOWN_ID not in str(sheets(content)["Submissions"])
    assert not AuditLogEntry.objects.filter(unmasked=True).exists()
    trusted = make_reviewer("trusted", world.regions["xihu"], personal=True)
    job, content = download(client, ask_export(client, trusted, world, unmasked="1"))
    assert job.unmasked and KNOWN_ID in str(sheets(content)["Submissions"])
    entry = AuditLogEntry.objects.filter(unmasked=True).first()
    assert entry.user == trusted and entry.action == "export"


def test_bulk_pdfs_of_the_filtered_set_as_one_zip(client, world):
    job, content = download(client, ask_export(client, world.reviewers["xihu"], world, "pdf"))
    assert job.file_format == "pdf"
    with zipfile.ZipFile(BytesIO(content)) as archive:
        assert archive.namelist() == [f"{world.subs['xihu'].reference}.pdf"]
        assert archive.read(archive.namelist()[0]).startswith(b"%PDF")


def test_an_export_set_is_fixed_when_asked_without_a_list_of_ids(client, world):
    hz = world.reviewers["hz"]
    for key in ("xihu", "shangcheng"):
        transition([world.subs[key].pk], "recommended", world.reviewers[key])
    # A whole form: its newest submission's id fixes the set (no rows written).
    whole, _content = download(client, ask_export(client, hz, world))
    assert whole.upto == max(world.subs[k].pk for k in ("xihu", "shangcheng")) and not whole.items.exists()
    late = submit(world.page, world.orgs["xihu"], answers("晚到项目"))
    assert late.pk not in set(whole.submissions().values_list("pk", flat=True))
    # A filtered list or a selection: its rows, written by one INSERT … SELECT, read by a semi-join.
    picked, _content = download(client, ask_export(client, hz, world, ids=[world.subs["xihu"].pk]))
    assert picked.upto is None and list(picked.items.values_list("submission_id", flat=True)) == [
        world.subs["xihu"].pk
    ]
    sql = str(picked.submissions().query)
    assert "IN (SELECT" in sql and str(world.subs["shangcheng"].pk) not in sql.split("IN (SELECT")[0]
