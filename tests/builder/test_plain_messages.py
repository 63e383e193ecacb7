"""The applicant's error messages are plain words set by the builder, not Django's defaults."""

import pytest
from django.utils.translation import override

from tests.builder.test_field_types import bind, field
from tests.factories import ApplicantFactory
from tests.samples import TABLE_COLUMNS
from tests.wizard_helpers import BASIC, Applicant, three_step_form


def errors(spec, data):
    with override("en"):
        form = bind(spec, data)
        assert not form.is_valid()
        return [str(message) for message in form.errors[spec["key"]]]


@pytest.mark.parametrize(
    ("spec", "data", "expected"),
    [
        (
            field("long_text", label="简介", options={"max_length": 500, "rows": 6}),
            {"s1-f": "字" * 600},
            "简介: At most 500 characters; this has 600.",
        ),
        (
            field("long_text", label="简介", options={"min_length": 10, "rows": 6}),
            {"s1-f": "太短"},
            "简介: At least 10 characters; this has 2.",
        ),
        (field("short_text", label="名称", options={"max_length": 5}), {}, "名称: this is required."),
        (field("integer", label="人数"), {"s1-f": "十个"}, "人数: Enter a whole number, such as 12."),
        (
            field("integer", label="人数", options={"max_value": 100}),
            {"s1-f": "101"},
            "人数: At most 100.",
        ),
        (field("integer", label="人数", options={"min_value": 1}), {"s1-f": "0"}, "人数: At least 1."),
        (
            field("decimal", label="金额", options={"decimal_places": 2}),
            {"s1-f": "一万"},
            "金额: Enter a number, such as 12.5.",
        ),
        (
            field("decimal", label="金额", options={"decimal_places": 2}),
            {"s1-f": "1.234"},
            "金额: At most 2 decimal places.",
        ),
        (field("date", label="日期"), {"s1-f": "2024-13-45"}, "日期: Enter a date, such as 2024-03-01."),
        (
            field(
                "single_choice", label="期间", options={"choices": ["上半年", "下半年"], "widget": "select"}
            ),
            {"s1-f_0": "全年"},
            "期间: Choose one of the options offered.",
        ),
    ],
)
def test_each_kind_of_problem_reads_in_plain_words(spec, data, expected):
    assert errors(spec, data) == [expected]


def test_a_table_cell_says_it_plainly_too():
    spec = field("table", label="活动", options={"columns": TABLE_COLUMNS, "min_rows": 1, "max_rows": 5})
    integer_column = next(column for column in TABLE_COLUMNS if column["type"] == "integer")
    data = {"s1-f-rows": "1"}
    data.update({f"s1-f-0-{column['key']}": "x" for column in TABLE_COLUMNS})
    found = " ".join(errors(spec, data))
    assert "Enter a whole number, such as 12." in found and integer_column["label"] in found
    assert "Enter a whole number." not in found


def test_the_applicant_page_shows_the_plain_length_message(client, notice_index, settings):
    settings.LANGUAGE_CODE = "en"
    form = three_step_form(notice_index)
    client.force_login(ApplicantFactory())
    applicant = Applicant(client, form)
    draft_id = applicant.start()
    response = applicant.post_step(draft_id, "basic", {**BASIC, "basic-team_name": "团" * 31})
    text = " ".join(response.content.decode().split())
    assert "服务团名称: At most 30 characters; this has 31." in text
    assert "Ensure this value" not in text
