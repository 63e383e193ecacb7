"""Importing repeating tables and matrices from their own sheets (XLSX) or files (a ZIP of CSVs)."""

import io
import zipfile
from datetime import datetime
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from forms_app.accounts.factories import credit_code
from forms_app.applications.models import Submission
from forms_app.builder.factories import field, step
from forms_app.exchange import importing
from forms_app.exchange.exports.export import export_submissions
from forms_app.review.access import ReviewerAccess
from tests.applications.test_form_pages import make_form
from tests.review_helpers import build_world, make_reviewer, submit

IMPORTER_PERMS = ["access_admin", "view_submission", "change_submission", "add_submission"]
MAIN = ["Reference", "Organisation", "Unified social credit code", "Region", "项目名称", "是否省级基地"]
XIHU_CODE, SHANGCHENG_CODE = credit_code(9101), credit_code(9102)
TEAM = ["Reference", "No.", "姓名", "职称", "出生日期", "经费（万元）"]
RESULTS = ["Reference", "市", "活动次数", "惠及人数"]


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


def team_form(notice, province):
    """A form with a repeating team table (text, choice, date, decimal) and a region matrix."""
    steps = [
        step(
            "basic",
            "基本信息",
            field("short_text", "项目名称", key="project_name", max_length=50),
            field("yes_no", "是否省级基地", key="is_base", yes_label="是", no_label="否"),
            field(
                "file",
                "申报书",
                key="plan_file",
                required=False,
                allowed_types=["pdf"],
                max_size_mb=1,
                max_files=1,
            ),
        ),
        step(
            "team",
            "团队成员",
            field(
                "table",
                "团队成员",
                key="team",
                columns=[
                    {"label": "姓名", "key": "name", "type": "text", "required": True, "choices": ""},
                    {
                        "label": "职称",
                        "key": "title",
                        "type": "choice",
                        "required": False,
                        "choices": "正高级\n副高级\n中级",
                    },
                    {"label": "出生日期", "key": "born", "type": "date", "required": False, "choices": ""},
                    {
                        "label": "经费（万元）",
                        "key": "funds",
                        "type": "decimal",
                        "required": False,
                        "choices": "",
                    },
                ],
                min_rows=1,
                max_rows=10,
                numbered=True,
                show_totals=True,
            ),
            field(
                "matrix",
                "活动成果汇总",
                key="results",
                required=False,
                row_heading="市",
                row_source="regions",
                region_parent=province.pk,
                region_level="city",
                rows="",
                columns=[
                    {"label": "活动次数", "key": "activities", "type": "integer", "unit": "次"},
                    {"label": "惠及人数", "key": "people", "type": "integer", "unit": "人"},
                ],
                row_totals=False,
                column_totals=True,
            ),
        ),
    ]
    return make_form(notice, steps, slug="team-form", attachment_label="附件2", reference_prefix="TM")


def team_answers(name, members, results=None):
    return {
        "project_name": name,
        "is_base": True,
        "team": members,
        "results": results
        or {"330100": {"activities": 3, "people": 40}, "330200": {"activities": 1, "people": 5}},
    }


@pytest.fixture
def world(notice_index):
    world = build_world(notice_index)
    world.team_page = team_form(world.page.get_parent().specific, world.regions["zj"])
    world.importer = make_reviewer("importer", world.regions["hz"], perms=IMPORTER_PERMS)
    world.team_subs = [
        submit(
            world.team_page,
            world.orgs["xihu"],
            team_answers(
                "西湖区团队",
                [
                    {"name": "张三", "title": "正高级", "born": "1970-05-01", "funds": "2.5"},
                    {"name": "李四", "title": "中级", "born": None, "funds": "1"},
                ],
            ),
        ),
        submit(
            world.team_page,
            world.orgs["shangcheng"],
            team_answers("上城区团队", [{"name": "王五", "title": "", "born": "1980-01-31", "funds": None}]),
        ),
    ]
    return world


def workbook(sheets):
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def check(world, content, name="申报.xlsx"):
    sheets = importing.read_sheets(content, name)
    return importing.check_file(world.team_page, sheets, ReviewerAccess(world.importer))


def round_trip(world, fmt):
    """Export the team submissions in full as ``fmt``, import the file back; return originals, reloaded."""
    world.importer.is_superuser = True
    world.importer.save()
    originals = {s.pk: dict(s.answers) for s in world.team_subs}
    buffer = io.BytesIO()
    written = export_submissions(Submission.objects.filter(page=world.team_page), fmt, buffer, masked=False)
    results, errors = check(world, buffer.getvalue(), f"export.{'zip' if written == 'csv.zip' else fmt}")
    assert errors == [] and [r.errors for r in results] == [[], []], (errors, [r.errors for r in results])
    importing.save_rows(world.team_page, results, world.importer, ReviewerAccess(world.importer), fmt)
    return written, originals, {s.pk: s for s in Submission.objects.filter(pk__in=originals)}


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_round_trip_keeps_tables_and_matrices(world, fmt):
    written, originals, after = round_trip(world, fmt)
    assert written == {"xlsx": "xlsx", "csv": "csv.zip"}[fmt]
    for pk, answers in originals.items():
        assert after[pk].answers == answers  # every answer, the tables included
        assert after[pk].revision == 2


def test_template_has_a_sheet_per_table_and_new_rows_tie_by_row_number(client, world):
    client.force_login(world.importer)
    response = client.get(reverse("shenbao_review_import_template", args=[world.team_page.pk]))
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == [world.team_page.title, "团队成员", "活动成果汇总"]
    assert [c.value for c in book["团队成员"][1]] == TEAM
    # Typed as the export types them: the date a date cell with a date format, the number a number.
    assert [c.value for c in book["团队成员"][2]] == ["2", 1, "姓名", "正高级", datetime(2024, 3, 1), 1]
    assert book["团队成员"]["E2"].number_format == "yyyy-mm-dd"
    assert [[c.value for c in row][:2] for row in book["活动成果汇总"].iter_rows(min_row=2)] == [
        ["2", "杭州市"],
        ["2", "宁波市"],
    ]
    content = workbook(
        {
            "申报": [
                MAIN,
                ["", "西湖区卫生院", XIHU_CODE, "西湖区", "纸质团队一", "是"],
                ["", "上城区卫生院", SHANGCHENG_CODE, "上城区", "纸质团队二", "否"],
            ],
            "团队成员": [
                TEAM,
                ["3", 1, "赵六", "副高级", "1975-06-30", 3],
                ["2", 1, "钱七", "", "", 0.5],
                ["2", 2, "孙八", "中级", "", ""],
            ],
            "活动成果汇总": [RESULTS, ["2", "杭州市", 4, 60], ["2", "宁波市", 0, 0]],
        }
    )
    response = client.post(
        reverse("shenbao_review_import", args=[world.team_page.pk]),
        {"file": SimpleUploadedFile("纸质.xlsx", content)},
    )
    preview = response["Location"]
    assert "2 rows are ready" in " ".join(client.get(preview).content.decode().split())
    client.post(preview)
    first, second = Submission.objects.filter(imported_by=world.importer).order_by("import_source")
    assert first.answers["team"] == [
        {"name": "钱七", "title": "", "born": None, "funds": "0.5"},
        {"name": "孙八", "title": "中级", "born": None, "funds": None},
    ]
    assert first.answers["results"] == {
        "330100": {"activities": 4, "people": 60},
        "330200": {"activities": 0, "people": 0},
    }
    assert second.answers["team"] == [{"name": "赵六", "title": "副高级", "born": "1975-06-30", "funds": "3"}]
    assert "results" not in second.answers  # optional matrix, no rows given


def test_table_errors_point_to_their_sheet_row_and_column_and_nothing_is_saved(client, world):
    content = workbook(
        {
            "申报": [
                MAIN,
                ["", "西湖区卫生院", XIHU_CODE, "西湖区", "纸质团队一", "是"],
                [
                    world.team_subs[1].reference,
                    "上城区医院",
                    "",
                    "上城区",
                    "改名",
                    "是",
                ],  # still at the district
            ],
            "团队成员": [
                TEAM,
                ["2", 1, "钱七", "教授", "", ""],  # not one of the choices
                ["2", 2, "", "中级", "31/02/1980", "x"],  # name missing, bad date, bad number
                ["9", 1, "无主", "", "", ""],  # no row 9 on the main sheet
            ],
            "活动成果汇总": [RESULTS, ["2", "温州市", 1, 1], ["2", "杭州市", "many", 1]],
        }
    )
    client.force_login(world.importer)
    response = client.post(
        reverse("shenbao_review_import", args=[world.team_page.pk]),
        {"file": SimpleUploadedFile("坏.xlsx", content)},
    )
    page = client.get(response["Location"]).content.decode()
    table = page.split('data-testid="import-errors"')[1].split("</table>")[0]
    cells = [" ".join(row.split()) for row in table.split("<tr>")[2:]]
    expected = [
        ("团队成员", 2, "职称"),
        ("团队成员", 3, "姓名"),
        ("团队成员", 3, "出生日期"),
        ("团队成员", 3, "经费（万元）"),
        ("活动成果汇总", 2, "市"),
        ("活动成果汇总", 3, "活动次数"),
        ("申报", 3, "Reference"),
        ("申报", 3, "团队成员"),  # no team rows for it
    ]
    for sheet, row, column in expected:
        wanted = f"<td>{sheet}</td><td>{row}</td><td>{column}</td>"
        assert any(c.startswith(wanted) for c in cells), "\n".join([wanted, *cells])
    assert len(cells) == len(expected)
    text = " ".join(page.split())
    assert "Sheet “团队成员”, row 4: no row of the main sheet has the reference or row number “9”." in text
    assert "Save all rows" not in text
    assert client.post(response["Location"]).status_code == 422
    assert not Submission.objects.filter(imported_by__isnull=False).exists()


def test_update_without_a_table_sheet_keeps_the_table_and_files(world):
    first = world.team_subs[0]
    first.stage_region = world.regions["hz"]  # recommended by the district: now at the importer's desk
    first.answers["plan_file"] = [{"id": 1, "name": "申报书.pdf", "size": 10}]
    first.save(update_fields=["answers", "stage_region"])
    content = workbook({"申报": [MAIN, [first.reference, "西湖区医院", "", "西湖区", "改名的团队", "否"]]})
    results, errors = check(world, content)
    assert errors == [] and results[0].errors == []
    importing.save_rows(world.team_page, results, world.importer, ReviewerAccess(world.importer), "main-only")
    first.refresh_from_db()
    assert first.answers["project_name"] == "改名的团队" and first.answers["is_base"] is False
    assert first.answers["team"][0]["name"] == "张三" and len(first.answers["team"]) == 2
    assert first.answers["plan_file"] == [{"id": 1, "name": "申报书.pdf", "size": 10}]
    assert first.answers["results"]["330100"] == {"activities": 3, "people": 40}


def test_zip_of_csvs_is_read_in_order_and_other_zips_are_refused(world):
    archive = BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("申报.csv", "\ufeff" + ",".join(MAIN) + f"\n,西湖区卫生院,{XIHU_CODE},西湖区,团队,是\n")
        zf.writestr("团队成员.csv", ",".join(TEAM) + "\n2,1,钱七,,,\n")
    results, errors = check(world, archive.getvalue(), "纸质.zip")
    assert errors == [] and results[0].answers["team"] == [
        {"name": "钱七", "title": "", "born": None, "funds": None}
    ]
    empty = BytesIO()
    with zipfile.ZipFile(empty, "w") as zf:
        zf.writestr("readme.txt", "nothing")
    with pytest.raises(importing.ImportFileError):
        importing.read_sheets(empty.getvalue(), "x.zip")


def test_addresses_in_a_field_and_in_a_table_column_come_back_unchanged(world):
    """The address type's cell is read back by the importer, in the main sheet and in a table's sheet."""
    notice = world.page.get_parent().specific
    steps = [
        step(
            "basic",
            "基本信息",
            field("address", "通讯地址", key="address", parent=None, level="county", with_postcode=True),
            field(
                "table",
                "专家名单",
                key="experts",
                columns=[
                    {"label": "姓名", "key": "name", "type": "text", "required": True, "choices": ""},
                    {"label": "单位地址", "key": "addr", "type": "address", "required": False, "choices": ""},
                ],
                min_rows=1,
                max_rows=5,
                numbered=True,
                show_totals=False,
            ),
        )
    ]
    page = make_form(notice, steps, slug="address-form", attachment_label="附件3", reference_prefix="AD")
    xihu = {"code": "330106", "name": "西湖区"}
    address = {
        "region": xihu,
        "path": ["浙江省", "杭州市", "西湖区"],
        "street": "文三路90号",
        "postcode": "310012",
    }
    answers = {
        "address": address,
        "experts": [{"name": "郑坤", "addr": {**address, "postcode": ""}}, {"name": "王敏", "addr": None}],
    }
    original = submit(page, world.orgs["xihu"], answers)
    world.importer.is_superuser = True
    world.importer.save()
    buffer = io.BytesIO()
    export_submissions(Submission.objects.filter(page=page), "xlsx", buffer, masked=False)
    book = load_workbook(BytesIO(buffer.getvalue()), read_only=True)
    cells = [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
    assert "浙江省杭州市西湖区文三路90号 (postcode 310012)" in cells[1]
    results, errors = importing.check_file(
        page, importing.read_sheets(buffer.getvalue(), "export.xlsx"), ReviewerAccess(world.importer)
    )
    assert errors == [] and [r.errors for r in results] == [[]]
    importing.save_rows(page, results, world.importer, ReviewerAccess(world.importer), "xlsx")
    original.refresh_from_db()
    assert original.answers == answers and original.revision == 2
