"""Exports of submissions: columns from every form version, sheets for tables, escaping and masking."""

import csv
import io
import json
import zipfile
from io import BytesIO

import pytest
from openpyxl import load_workbook

from forms_app.exports.export import export_submissions
from forms_app.exports.writers import XlsxWriter, escape_formula
from forms_app.models import FormVersion, Submission
from tests.review_helpers import BANK_ACCOUNT, answers, build_world, submit
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
    fixed = ["Reference", "Status", "Organisation", "Region", "Submitted at"]
    assert main[0] == [*fixed, "项目名称", "负责人身份证号", "银行账号", "填报期间"]
    first = main[1]
    assert first[:4] == [world.subs["xihu"].reference, "Submitted", "西湖区医院", "西湖区"]
    assert first[5] == "西湖区项目" and first[8] == "上半年"
    # Personal numbers masked by default.
    assert first[6] == "Resident identity card 110***********002X" and first[7] == "622************0128"
    assert len(main) == 4
    results = book["活动成果汇总"]
    assert results[0] == ["Reference", "市", "活动次数", "惠及人数"]
    assert results[1] == [world.subs["xihu"].reference, "杭州市", 1, 10]
    assert results[2] == [world.subs["xihu"].reference, "宁波市", 0, 0]


def test_unmasked_export_shows_personal_numbers(world):
    _written, content = export(Submission.objects.filter(page=world.page), "xlsx", masked=False)
    row = sheets(content)["Submissions"][1]
    assert KNOWN_ID in row[6] and row[7] == BANK_ACCOUNT


def test_formulas_are_escaped_in_xlsx_csv_and_json(world):
    for n, text in enumerate(HOSTILE):
        submit(world.page, world.orgs["xihu"], answers(text + f"{n}"))
    queryset = Submission.objects.filter(
        page=world.page, answers__project_name__in=[t + f"{n}" for n, t in enumerate(HOSTILE)]
    )
    _written, content = export(queryset, "xlsx")
    names = [row[5] for row in sheets(content)["Submissions"][1:]]
    assert names == ["'" + text + f"{n}" for n, text in enumerate(HOSTILE)] or names == [
        "'" + text.replace("\r", "\n") + f"{n}" for n, text in enumerate(HOSTILE)
    ]
    written, content = export(queryset, "csv")
    assert written == "csv.zip"
    with zipfile.ZipFile(BytesIO(content)) as archive:
        main = next(n for n in archive.namelist() if n.startswith("Submissions"))
        rows = list(csv.reader(io.StringIO(archive.read(main).decode("utf-8-sig"), newline="")))
    assert [row[5] for row in rows[1:]] == ["'" + text + f"{n}" for n, text in enumerate(HOSTILE)]
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
    sheet = writer.add_sheet("a/b:c*?[x]", ["文本", "数"], [False, True])
    sheet.add(["<tag> & \x07bell", -5])
    sheet.add(["含\ue000分隔符", ""])
    sheet.add([None, 3])
    writer.close()
    book = sheets(buffer.getvalue())
    rows = book["a b c   x"]
    assert rows[1] == ["<tag> & bell", -5]
    assert rows[2] == ["含\ue000分隔符", None]
    assert rows[3] == ["None", 3]  # the writer writes what it is given; the row builder blanks nulls
