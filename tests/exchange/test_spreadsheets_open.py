"""Every spreadsheet the site writes opens in LibreOffice (headless) and openpyxl with typed cells.

Exports, import templates and summary lists are opened with openpyxl and converted by LibreOffice
(``soffice --headless --convert-to``), whose result is read back, so a file LibreOffice refuses fails
here. Cells are compared by type: dates are date cells in Beijing time with a date format, numbers
numbers (their unit in the heading), codes exact text; sheet names with quotes open.
"""

import csv
import io
import zipfile
from datetime import UTC, datetime
from decimal import Decimal
from io import BytesIO
from urllib.parse import unquote

import pytest
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from forms_app.applications.factories import publish_form_page
from forms_app.applications.models import Submission
from forms_app.builder.factories import field, step
from forms_app.exchange import importing
from forms_app.exchange.exports.export import export_submissions
from forms_app.exchange.exports.names import export_file_name
from forms_app.exchange.exports.writers import XlsxWriter, sheet_title
from forms_app.exchange.models import ExportJob
from forms_app.review.access import ReviewerAccess
from forms_app.review.summary import summary_kinds, summary_rows, summary_xlsx
from tests.office import libreoffice
from tests.review_helpers import build_world, make_reviewer, submit

# A quote, a slash, brackets and a colon, 40 characters in all.
TITLE = '"示范"项目/2026年度[第一批]:社会工作服务站建设申报表（区县填报汇总用）'
MATRIX = '"活动"/成果[汇总]:'
ACCOUNT, POSTCODE, BANK_CODE, MOBILE = "6222021234567890128", "010010", "102331000011", "13800138000"
IMPORTER_PERMS = ["access_admin", "view_submission", "change_submission", "add_submission"]


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


def coded_form(notice, province):
    """A form with a date, numbers with units, every long code, a choice and a region matrix."""
    steps = [
        step(
            "basic",
            "基本信息",
            field("short_text", '项目"名称"', key="project", max_length=50),
            field("date", "开始日期", key="start_date"),
            field("integer", "活动次数", key="times", unit="次", min_value=None, max_value=None),
            field(
                "decimal", "经费", key="funds", unit="万元", decimal_places=2, min_value=None, max_value=None
            ),
            field("bank_account", "银行账号", key="account"),
            field("postcode", "邮政编码", key="postcode"),
            field("bank_code", "联行号", key="bank_code"),
            field("mobile", "手机", key="mobile"),
            field(
                "single_choice",
                "类别",
                key="category",
                choices="甲类\n乙类",
                allow_other=False,
                other_label="",
                widget="radio",
            ),
        ),
        step(
            "results",
            "成果",
            field(
                "matrix",
                MATRIX,
                key="results",
                required=False,
                row_heading="市",
                row_source="regions",
                region_parent=province.pk,
                region_level="city",
                rows="",
                columns=[{"label": "活动次数", "key": "activities", "type": "integer", "unit": "次"}],
                row_totals=False,
                column_totals=True,
            ),
        ),
    ]
    return publish_form_page(
        notice, steps, title=TITLE, slug="coded", attachment_label="附件3", reference_prefix="CD"
    )


ANSWERS = {
    "project": '含"引号"的项目',
    "start_date": "2026-03-01",
    "times": 11,
    "funds": "12.50",
    "account": ACCOUNT,
    "postcode": POSTCODE,
    "bank_code": BANK_CODE,
    "mobile": MOBILE,
    "category": {"selected": "甲类", "other": ""},
    "results": {"330100": {"activities": 3}, "330200": {"activities": 0}},
}


@pytest.fixture
def world(notice_index):
    world = build_world(notice_index)
    world.coded = coded_form(world.page.get_parent().specific, world.regions["zj"])
    world.coded_sub = submit(world.coded, world.orgs["xihu"], dict(ANSWERS))
    return world


def both_readings(content, tmp_path):
    """The workbook as openpyxl reads our file, and as openpyxl reads LibreOffice's copy of it."""
    return [
        ("openpyxl", load_workbook(BytesIO(content))),
        ("libreoffice", load_workbook(BytesIO(libreoffice(content, "xlsx", "xlsx", tmp_path)))),
    ]


def by_heading(sheet, row=2):
    headings = [c.value for c in sheet[1]]
    return {heading: sheet.cell(row=row, column=n) for n, heading in enumerate(headings, start=1)}


def is_date_format(cell):
    return "yy" in cell.number_format and "mm" in cell.number_format and "dd" in cell.number_format


def export(queryset, fmt, masked=False):
    buffer = BytesIO()
    written = export_submissions(queryset, fmt, buffer, masked=masked)
    return written, buffer.getvalue()


def test_an_export_opens_in_libreoffice_and_openpyxl_with_dates_numbers_and_exact_codes(world, tmp_path):
    _written, content = export(Submission.objects.filter(page=world.coded), "xlsx")
    submitted = timezone.localtime(world.coded_sub.submitted_at).replace(tzinfo=None, second=0, microsecond=0)
    for reader, book in both_readings(content, tmp_path):
        assert book.sheetnames == ["Submissions", sheet_title(MATRIX, set())], reader
        cells = by_heading(book["Submissions"])
        assert cells["Submitted at"].value.replace(second=0) == submitted, reader  # Beijing time
        assert is_date_format(cells["Submitted at"]) and "hh" in cells["Submitted at"].number_format
        assert cells["开始日期"].value == datetime(2026, 3, 1) and is_date_format(cells["开始日期"]), reader
        # Units in the heading, numbers in the cells.
        assert "活动次数" not in cells and cells["活动次数（次）"].value == 11, reader
        assert cells["经费（万元）"].value == 12.5 and cells["经费（万元）"].data_type == "n", reader
        for heading, code in [
            ("银行账号", ACCOUNT),
            ("邮政编码", POSTCODE),
            ("联行号", BANK_CODE),
            ("手机", MOBILE),
        ]:
            assert cells[heading].value == code and cells[heading].data_type == "s", (reader, heading)
            assert cells[heading].number_format == "@", (reader, heading)
        assert cells['项目"名称"'].value == '含"引号"的项目' and cells["类别"].value == "甲类"
        matrix = book[sheet_title(MATRIX, set())]
        assert [c.value for c in matrix[1]] == ["Reference", "市", "活动次数（次）"], reader
        assert [c.value for c in matrix[2]] == [world.coded_sub.reference, "杭州市", 3], reader


def test_libreoffice_shows_dates_as_dates_and_codes_digit_for_digit(world, tmp_path):
    _written, content = export(Submission.objects.filter(page=world.coded), "xlsx")
    # 44 comma, 34 quote, 76 UTF-8, 1 first line: the first sheet as LibreOffice displays it.
    shown = libreoffice(content, "xlsx", "csv:Text - txt - csv (StarCalc):44,34,76,1", tmp_path)
    rows = list(csv.reader(io.StringIO(shown.decode("utf-8-sig"))))
    cells = dict(zip(rows[0], rows[1], strict=True))
    assert cells["开始日期"] == "2026-03-01"
    assert cells["Submitted at"] == timezone.localtime(world.coded_sub.submitted_at).strftime(
        "%Y-%m-%d %H:%M"
    )
    assert (cells["银行账号"], cells["邮政编码"], cells["联行号"]) == (ACCOUNT, POSTCODE, BANK_CODE)
    assert cells["活动次数（次）"] == "11"


@pytest.mark.parametrize("through", ["xlsx", "libreoffice", "csv"])
def test_what_the_export_writes_imports_back_unchanged(world, tmp_path, through):
    importer = make_reviewer("importer", world.regions["hz"], perms=IMPORTER_PERMS)
    importer.is_superuser = True
    importer.save()
    fmt = "csv" if through == "csv" else "xlsx"
    written, content = export(Submission.objects.filter(page=world.coded), fmt)
    if through == "libreoffice":  # saved again by LibreOffice, as a reviewer who opened it would
        content = libreoffice(content, "xlsx", "xlsx", tmp_path)
    name = "export.zip" if written == "csv.zip" else f"export.{fmt}"
    sheets = importing.read_sheets(content, name)
    results, errors = importing.check_file(world.coded, sheets, ReviewerAccess(importer))
    assert errors == [] and [r.errors for r in results] == [[]], (errors, [r.errors for r in results])
    importing.save_rows(world.coded, results, importer, ReviewerAccess(importer), "xlsx")
    world.coded_sub.refresh_from_db()
    after = world.coded_sub.answers
    # A number cell has no trailing zeros: 12.50 comes back as the same number, written 12.5.
    assert Decimal(after.pop("funds")) == Decimal(ANSWERS["funds"])
    assert after == {k: v for k, v in ANSWERS.items() if k != "funds"} and world.coded_sub.revision == 2


def test_the_csv_holds_every_code_exactly(world):
    written, content = export(Submission.objects.filter(page=world.coded), "csv")
    assert written == "csv.zip"
    with zipfile.ZipFile(BytesIO(content)) as archive:
        main = next(n for n in archive.namelist() if n.startswith("Submissions"))
        rows = list(csv.reader(io.StringIO(archive.read(main).decode("utf-8-sig"), newline="")))
        # The table's file unzips on Windows too, which refuses " : / in names.
        assert archive.namelist() == ["Submissions.csv", "活动_ 成果 汇总.csv"]
    cells = dict(zip(rows[0], rows[1], strict=True))
    assert (cells["银行账号"], cells["邮政编码"], cells["联行号"]) == (ACCOUNT, POSTCODE, BANK_CODE)
    assert cells["开始日期"] == "2026-03-01" and cells["活动次数（次）"] == "11"


def test_the_import_template_has_typed_cells_drop_down_lists_and_rules_for_codes(world, tmp_path):
    content = importing.template_xlsx(world.coded)
    for reader, book in both_readings(content, tmp_path):
        sheet = book.worksheets[0]
        assert sheet.title == sheet_title(TITLE, set()) and '"' in sheet.title, reader
        cells = by_heading(sheet)
        assert cells["活动次数（次）"].value == 10 and cells["经费（万元）"].value == 12.5, reader
        assert cells["开始日期"].value == datetime(2024, 3, 1) and is_date_format(cells["开始日期"]), reader
        assert cells["银行账号"].value == "6222021234567890128" and cells["银行账号"].number_format == "@"
        letters = {heading: cell.column_letter for heading, cell in cells.items()}
        rules = {str(v.sqref).split(":")[0][:-1]: v for v in sheet.data_validations.dataValidation}
        category = rules[letters["类别"]]
        assert category.type == "list" and category.formula1 == '"甲类,乙类"', reader
        for heading, lengths in [
            ("银行账号", ("6", "32")),
            ("邮政编码", ("6", "6")),
            ("联行号", ("12", "12")),
        ]:
            rule = rules[letters[heading]]
            assert rule.type == "textLength" and (rule.formula1, rule.formula2) == lengths, (reader, heading)
        assert rules[letters["Unified social credit code"]].formula1 == "18"
        # A code typed into an empty row later is text too: the column is formatted as text.
        assert sheet.column_dimensions[letters["邮政编码"]].number_format == "@" or reader == "libreoffice"
    # The template, filled in as it comes, imports: its typed cells are read as the form expects.
    sheets = importing.read_sheets(content, "template.xlsx")
    results, errors = importing.check_file(world.coded, sheets, ReviewerAccess(world.reviewers["xihu"]))
    assert errors == [] and len(results) == 1
    # Only the placeholders of the unit's columns are refused; every answer's example passes as typed.
    assert {column for _sheet, _row, column, _message in results[0].errors} <= {
        "Organisation",
        "Unified social credit code",
        "Region",
    }, results[0].errors


def test_the_downloaded_template_lists_the_importers_regions(client, world):
    importer = make_reviewer("importer", world.regions["hz"], perms=IMPORTER_PERMS)
    client.force_login(importer)
    response = client.get(reverse("shenbao_review_import_template", args=[world.coded.pk]))
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).worksheets[0]
    rules = {str(v.sqref).split(":")[0]: v for v in sheet.data_validations.dataValidation}
    assert rules["D2"].type == "list" and set(rules["D2"].formula1.strip('"').split(",")) == {
        "杭州市",
        "西湖区",
        "上城区",
    }


def test_summary_list_numbers_add_up_and_dates_are_dates(world, tmp_path):
    page = world.coded
    page.summary_columns = ["times", "funds", "start_date", "account"]
    page.save_revision().publish()
    page.refresh_from_db()
    submit(page, world.orgs["shangcheng"], {**ANSWERS, "times": 4, "funds": "0.25"})
    submissions = Submission.objects.filter(page=page).order_by("submitted_at", "pk")
    headers, rows = summary_rows(submissions, page, masked=False, typed=True)
    assert headers[5:] == ["活动次数（次）", "经费（万元）", "开始日期", "银行账号"]
    content = summary_xlsx(TITLE, "header", headers, rows, summary_kinds(page))
    for reader, book in both_readings(content, tmp_path):
        sheet = book.worksheets[0]
        assert sheet["A1"].value == TITLE, reader
        assert [c.value for c in sheet[3]][5:] == headers[5:], reader
        times = [sheet.cell(row=r, column=6).value for r in (4, 5)]
        funds = [sheet.cell(row=r, column=7).value for r in (4, 5)]
        assert times == [11, 4] and sum(times) == 15, reader
        assert [Decimal(str(f)) for f in funds] == [Decimal("12.5"), Decimal("0.25")], reader
        start = sheet.cell(row=4, column=8)
        assert start.value == datetime(2026, 3, 1) and is_date_format(start), reader
        account = sheet.cell(row=4, column=9)
        assert account.value == ACCOUNT and account.number_format == "@", reader
    # On screen (and in the PDF) the number still reads with its unit.
    _headers, shown = summary_rows(submissions, page, masked=False)
    assert shown[0][5] == "11 次"


def test_summary_list_download_is_named_in_beijing_time(client, world, tmp_path):
    client.force_login(world.reviewers["zj"])
    url = reverse("shenbao_review_summary", args=[world.coded.pk]) + "?scope=all&format=xlsx"
    before = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = client.get(url)
    after = timezone.localtime().strftime("%Y%m%d-%H%M")
    assert response.status_code == 200
    name = unquote(response["Content-Disposition"].split("''", 1)[1])
    assert name.endswith((f"-{before}.xlsx", f"-{after}.xlsx")) and not set('/:"') & set(name), name
    load_workbook(BytesIO(response.content))
    libreoffice(response.content, "xlsx", "xlsx", tmp_path)


def test_a_form_titled_with_quotes_slashes_brackets_and_colons_exports_and_opens(client, world, tmp_path):
    reviewer = world.reviewers["xihu"]
    client.force_login(reviewer)
    index = reverse("shenbao_applications_submission_modeladmin_index") + f"?form={world.coded.pk}"
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(index, {"export": "1", "export_format": "xlsx"})
    assert response.status_code == 302
    job = ExportJob.objects.latest("pk")
    download = client.get(reverse("shenbao_review_export_download", args=[job.pk]))
    assert download.status_code == 200
    content = b"".join(download.streaming_content)
    name = unquote(download["Content-Disposition"].split("''", 1)[1])
    stamp = timezone.localtime(job.created_at).strftime("%Y%m%d-%H%M")
    assert name == f"示范_项目_2026年度[第一批]_社会工作服务站建设申报表（区县填报汇总用）-{stamp}.xlsx"
    for reader, book in both_readings(content, tmp_path):
        assert book.sheetnames == ["Submissions", sheet_title(MATRIX, set())], reader
        assert by_heading(book["Submissions"])["Reference"].value == world.coded_sub.reference


def test_export_file_names_use_beijing_time():
    late_utc = datetime(2026, 1, 1, 17, 30, tzinfo=UTC)  # already 2 January in Beijing
    assert export_file_name("一览表", "xlsx", late_utc) == "一览表-20260102-0130.xlsx"
    assert export_file_name('a/b:"c"', "csv", late_utc) == "a_b_c-20260102-0130.csv"


@pytest.mark.parametrize(
    ("name", "taken", "expected"),
    [
        ('"示范"项目', set(), '"示范"项目'),
        ("a/b:c*?[x]\\y", set(), "a b c x y"),
        ("'引号'", set(), "引号"),
        ("字" * 40, set(), "字" * 31),
        ("Submissions", {"SUBMISSIONS"}, "Submissions (2)"),
        ("字" * 40, {"字" * 31}, "字" * 27 + " (2)"),
        ("History", set(), "History Sheet"),
        ("[]", set(), "Sheet"),
    ],
)
def test_sheet_names_are_valid_and_unique(name, taken, expected):
    assert sheet_title(name, set(taken)) == expected


def test_sheets_named_with_every_awkward_character_open(tmp_path):
    names = ['"引号"', "'撇号'", "a/b\\c", "[x]:y*?", "字" * 40, "字" * 40, "History", "<&>", "Tab\tbed"]
    buffer = BytesIO()
    writer = XlsxWriter(buffer)
    for n, name in enumerate(names):
        writer.add_sheet(name, ['标题"有引号"', "<&>"]).add([n, '值"有引号"'])
    writer.close()
    content = buffer.getvalue()
    for reader, book in both_readings(content, tmp_path):
        assert len(book.sheetnames) == len(names) and len({n.casefold() for n in book.sheetnames}) == len(
            names
        )
        assert all(len(n) <= 31 for n in book.sheetnames), reader
        assert book.worksheets[0].title == '"引号"' and book.worksheets[0]["B2"].value == '值"有引号"'
        assert book.worksheets[7].title == "<&>", reader
        assert [c.value for c in book.worksheets[0][1]] == ['标题"有引号"', "<&>"], reader


def test_the_export_form_offers_xlsx_first_and_says_csv_is_for_programs(client, world):
    client.force_login(world.reviewers["xihu"])
    page = client.get(reverse("shenbao_applications_submission_modeladmin_index") + f"?form={world.coded.pk}")
    html = page.content.decode()
    start = html.index('name="export_format"')
    options = html[start : html.index("</select>", start)]
    assert options.index('value="xlsx"') < options.index('value="csv"')
    assert "XLSX (for Excel, WPS, LibreOffice)" in options
    assert "CSV (for other programs; spreadsheets round long numbers)" in options
