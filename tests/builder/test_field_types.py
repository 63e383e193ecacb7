"""Every field type of the form builder, through the real FormBuilder and StepForm.

Schemas are shaped exactly like the blocks' ``to_schema`` output. Valid input
must clean to the JSON-ready shape documented in ``forms_app/builder/schema.py``;
invalid input must give an error on that field whose message names the field.
"""

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict
from django.utils.translation import override

from forms_app.builder.fields import column_totals
from forms_app.builder.forms import FormBuilder
from forms_app.builder.models import Region
from forms_app.builder.schema import FormSchema
from tests.samples import (
    DOCX,
    JPEG,
    KNOWN_CREDIT_CODE,
    KNOWN_ID,
    MATRIX_COLUMNS,
    MATRIX_ROWS,
    PDF,
    TABLE_COLUMNS,
)


def field(type_, key="f", label="字段", required=True, options=None, condition=None, help_text=""):
    """A field dict shaped like ``BaseFieldBlock.to_schema``."""
    return {
        "type": type_,
        "key": key,
        "label": label,
        "help_text": help_text,
        "required": required,
        "condition": condition,
        "options": options if options is not None else {},
    }


def step(*fields, key="s1", condition=None):
    return {"key": key, "title": "步骤", "description": "", "condition": condition, "fields": list(fields)}


def schema(*fields):
    return FormSchema({"steps": [step(*fields)]})


def post(data):
    """A QueryDict as a browser would post it; list values become repeated keys."""
    query = QueryDict(mutable=True)
    for key, value in data.items():
        query.setlist(key, value if isinstance(value, list) else [value])
    return query


def bind(fields, data, files=None, answers=None):
    """Return the bound StepForm of a one-step form with ``fields`` (a field dict or a list)."""
    form_schema = schema(*(fields if isinstance(fields, list) else [fields]))
    return FormBuilder(form_schema).get_form(
        form_schema.steps[0], data=post(data), files=files, answers=answers
    )


def clean(spec, data, files=None):
    """Bind one field, assert the form is valid and return that field's cleaned value."""
    form = bind(spec, data, files)
    assert form.is_valid(), form.errors
    return form.cleaned_data[spec["key"]]


def errors_of(spec, data, files=None):
    """Bind one field, assert the form is invalid on it and that every message names it."""
    form = bind(spec, data, files)
    assert not form.is_valid()
    assert list(form.errors) == [spec["key"]]
    messages = form.errors[spec["key"]]
    assert messages
    for message in messages:
        assert spec["label"] in message, message
    return list(messages)


# --- text ----------------------------------------------------------------------------------------------


SHORT = field("short_text", label="服务团名称", options={"max_length": 10})


def test_short_text_valid_is_stripped_str():
    value = clean(SHORT, {"s1-f": "  杭州市专家服务团  "})
    assert value == "杭州市专家服务团"
    assert isinstance(value, str)


def test_short_text_max_length_counts_characters():
    assert clean(SHORT, {"s1-f": "一二三四五六七八九十"}) == "一二三四五六七八九十"
    errors_of(SHORT, {"s1-f": "一二三四五六七八九十一"})


def test_short_text_default_max_length_is_200():
    spec = field("short_text", label="名称", options={"max_length": None})
    assert clean(spec, {"s1-f": "a" * 200}) == "a" * 200
    errors_of(spec, {"s1-f": "a" * 201})


@pytest.mark.parametrize("data", [{}, {"s1-f": ""}, {"s1-f": "   "}])
def test_short_text_required(data):
    [message] = errors_of(SHORT, data)
    with override("en"):
        assert bind(SHORT, data).errors["f"] == ["服务团名称: this is required."]
    assert message.startswith("服务团名称")


def test_short_text_optional_blank_is_empty_string():
    assert clean({**SHORT, "required": False}, {}) == ""


LONG = field("long_text", label="服务内容", options={"min_length": 10, "max_length": 20, "rows": 6})


@pytest.mark.parametrize("text", ["一" * 10, "专家服务基层示范团活动方案" + "。" * 7, "a" * 20])
def test_long_text_valid(text):
    assert clean(LONG, {"s1-f": text}) == text


@pytest.mark.parametrize("text", ["一" * 9, "一" * 21, "a" * 9])
def test_long_text_counts_characters_not_bytes(text):
    errors_of(LONG, {"s1-f": text})


def test_long_text_without_limits():
    spec = field("long_text", label="备注", options={"min_length": None, "max_length": None, "rows": 6})
    assert clean(spec, {"s1-f": "长" * 5000}) == "长" * 5000


def test_long_text_widget_has_counter():
    form = bind(LONG, {})
    assert form.fields["f"].widget.attrs["data-counter"] == "true"
    assert form.fields["f"].widget.attrs["rows"] == 6


# --- numbers ------------------------------------------------------------------------------------


INTEGER = field("integer", label="服务人次", options={"min_value": 1, "max_value": 100, "unit": "人"})


@pytest.mark.parametrize(("raw", "expected"), [("42", 42), ("1", 1), ("100", 100), (" 7 ", 7)])
def test_integer_valid_is_int(raw, expected):
    value = clean(INTEGER, {"s1-f": raw})
    assert value == expected
    assert type(value) is int


@pytest.mark.parametrize("raw", ["0", "101", "-5", "abc", "1.5", "1e3", ""])
def test_integer_invalid(raw):
    errors_of(INTEGER, {"s1-f": raw})


def test_integer_unit_is_on_the_field():
    assert bind(INTEGER, {}).fields["f"].unit == "人"


def test_integer_optional_blank_is_none():
    assert clean({**INTEGER, "required": False}, {"s1-f": ""}) is None


# Limits as DecimalFieldBlock.get_options writes them: strings, so JSON keeps them exact.
DECIMAL = field(
    "decimal",
    label="申请经费",
    options={"decimal_places": 2, "min_value": "0.5", "max_value": "1000", "unit": "万元"},
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12.5", "12.5"),
        ("12.50", "12.50"),
        ("100", "100"),
        ("100.00", "100"),
        ("0.5", "0.5"),
        ("1000", "1000"),
    ],
)
def test_decimal_valid_is_exact_str(raw, expected):
    value = clean(DECIMAL, {"s1-f": raw})
    assert value == expected
    assert isinstance(value, str)
    json.dumps(value)


@pytest.mark.parametrize("raw", ["12.555", "0.49", "1000.01", "-1", "abc", "NaN", "Infinity", "1e999"])
def test_decimal_invalid(raw):
    errors_of(DECIMAL, {"s1-f": raw})


def test_decimal_without_limits_and_zero_places():
    spec = field("decimal", label="金额", options={"decimal_places": 0, "min_value": None, "max_value": None})
    assert clean(spec, {"s1-f": "-3"}) == "-3"
    errors_of(spec, {"s1-f": "3.5"})


# --- dates ------------------------------------------------------------------------------------------------


DATE = field("date", label="拟举办日期")


def test_date_valid_is_iso_string():
    assert clean(DATE, {"s1-f": "2024-05-01"}) == "2024-05-01"


@pytest.mark.parametrize("raw", ["2024-02-30", "2024-13-01", "not a date", "", "20240501x"])
def test_date_invalid(raw):
    errors_of(DATE, {"s1-f": raw})


DATE_RANGE = field(
    "date_range", label="服务时间", options={"start_label": "开始时间", "end_label": "结束时间"}
)


@pytest.mark.parametrize(("start", "end"), [("2024-05-01", "2024-05-31"), ("2024-05-01", "2024-05-01")])
def test_date_range_valid(start, end):
    assert clean(DATE_RANGE, {"s1-f_0": start, "s1-f_1": end}) == {"start": start, "end": end}


def test_date_range_end_before_start_refused():
    with override("en"):
        [message] = errors_of(DATE_RANGE, {"s1-f_0": "2024-05-31", "s1-f_1": "2024-05-01"})
    assert message == "服务时间: the end date cannot be before the start date."


@pytest.mark.parametrize("data", [{"s1-f_0": "2024-05-01"}, {"s1-f_1": "2024-05-01"}])
def test_date_range_one_date_only_refused(data):
    with override("en"):
        [message] = errors_of(DATE_RANGE, data)
    assert message == "服务时间: enter both dates."


def test_date_range_invalid_date_refused():
    errors_of(DATE_RANGE, {"s1-f_0": "2024-02-30", "s1-f_1": "2024-03-01"})


def test_date_range_required_and_optional_blank():
    errors_of(DATE_RANGE, {})
    assert clean({**DATE_RANGE, "required": False}, {"s1-f_0": "", "s1-f_1": ""}) is None


# --- codes and contact details ---------------------------------------------------------------------

CODE_CASES = [
    # (type, label, valid raw, cleaned, invalid raw)
    ("email", "电子邮箱", "zjszjzx@example.com", "zjszjzx@example.com", "zjszjzx@"),
    ("mobile", "手机", "134 2912 9088", "13429129088", "12345678901"),
    # Full-width digits are folded to ASCII; other scripts' digits are not digits here.
    ("mobile", "手机", "1342912908８", "13429129088", "1342912908\u0668"),
    ("landline", "办公电话", "0571-88394838", "0571-88394838", "88394838"),
    ("landline", "办公电话", "010-12345678-123", "010-12345678-123", "0571-883948"),
    ("phone", "联系电话", "13429129088", "13429129088", "88394838"),
    ("phone", "联系电话", "057188394838", "057188394838", "12345678901"),
    ("credit_code", "统一社会信用代码", "9135 0100 m000 100y 43", KNOWN_CREDIT_CODE, "91350100M000100Y44"),
    ("credit_code", "统一社会信用代码", KNOWN_CREDIT_CODE, KNOWN_CREDIT_CODE, "91350100I000100Y43"),
    ("bank_code", "开户行行号", "1023 3100 0017", "102331000017", "10233100001"),
    ("bank_account", "银行账号", "6222 0212 3456 7890", "6222021234567890", "6222O21234567890"),
    ("bank_account", "银行账号", "123456", "123456", "12345"),
    ("postcode", "邮政编码", "310000", "310000", "912345"),
    ("postcode", "邮政编码", " 310000 ", "310000", "31000"),
]


@pytest.mark.parametrize(("type_", "label", "raw", "expected", "bad"), CODE_CASES)
def test_code_fields_valid(type_, label, raw, expected, bad):
    value = clean(field(type_, label=label), {"s1-f": raw})
    assert value == expected
    assert isinstance(value, str)


@pytest.mark.parametrize(("type_", "label", "raw", "expected", "bad"), CODE_CASES)
def test_code_fields_invalid(type_, label, raw, expected, bad):
    errors_of(field(type_, label=label), {"s1-f": bad})


@pytest.mark.parametrize("type_", ["email", "mobile", "landline", "phone", "credit_code", "bank_code"])
def test_code_fields_required(type_):
    errors_of(field(type_, label="必填项"), {"s1-f": ""})


def test_code_field_message_is_the_validator_message():
    with override("en"):
        [message] = errors_of(field("postcode", label="邮政编码"), {"s1-f": "912345"})
    assert message == "邮政编码: enter the six digits of the postcode."


# --- identity documents -----------------------------------------------------------------------------

ID_ONLY = field("id_number", label="证件号码", options={"document_types": ["resident_id"]})
ID_OR_PASSPORT = field("id_number", label="证件号码", options={"document_types": ["resident_id", "passport"]})


@pytest.mark.parametrize("raw", [KNOWN_ID, KNOWN_ID.lower(), "110105 19491231 002x"])
def test_id_number_resident_id(raw):
    # With one document type the type is a hidden input; a browser may send it empty or not at all.
    expected = {"type": "resident_id", "number": KNOWN_ID}
    assert clean(ID_ONLY, {"s1-f_1": raw}) == expected
    assert clean(ID_ONLY, {"s1-f_0": "", "s1-f_1": raw}) == expected
    assert clean(ID_ONLY, {"s1-f_0": "resident_id", "s1-f_1": raw}) == expected


@pytest.mark.parametrize("raw", ["110105194912310021", "123", "11010519491331002X"])
def test_id_number_resident_id_invalid(raw):
    errors_of(ID_ONLY, {"s1-f_1": raw})


def test_id_number_check_digit_message():
    with override("en"):
        [message] = errors_of(ID_ONLY, {"s1-f_1": "110105194912310021"})
    assert message == "证件号码: the check digit is wrong; please check the number."


def test_id_number_passport():
    data = {"s1-f_0": "passport", "s1-f_1": "e1234 5678"}
    assert clean(ID_OR_PASSPORT, data) == {"type": "passport", "number": "E12345678"}


def test_id_number_passport_is_checked_as_a_passport():
    errors_of(ID_OR_PASSPORT, {"s1-f_0": "passport", "s1-f_1": "E1"})
    # A resident ID number is a valid passport-shaped string, but not the other way round.
    errors_of(ID_OR_PASSPORT, {"s1-f_0": "resident_id", "s1-f_1": "E12345678"})


@pytest.mark.parametrize("doc_type", ["taiwan_permit", "other", "driving_licence"])
def test_id_number_document_type_not_in_list_refused(doc_type):
    errors_of(ID_OR_PASSPORT, {"s1-f_0": doc_type, "s1-f_1": "12345678"})


@pytest.mark.parametrize("data", [{}, {"s1-f_1": ""}, {"s1-f_0": "passport", "s1-f_1": ""}])
def test_id_number_required(data):
    # A select always posts a document type; a type without a number is still no answer.
    errors_of(ID_OR_PASSPORT, data)


def test_id_number_optional_blank_is_none():
    assert clean({**ID_OR_PASSPORT, "required": False}, {"s1-f_0": "passport", "s1-f_1": ""}) is None


def test_id_number_other_documents():
    spec = field(
        "id_number",
        label="证件号码",
        options={"document_types": ["hk_macao_permit", "taiwan_permit", "other"]},
    )
    assert clean(spec, {"s1-f_0": "hk_macao_permit", "s1-f_1": "h12345678"}) == {
        "type": "hk_macao_permit",
        "number": "H12345678",
    }
    assert clean(spec, {"s1-f_0": "taiwan_permit", "s1-f_1": "12345678"}) == {
        "type": "taiwan_permit",
        "number": "12345678",
    }
    assert clean(spec, {"s1-f_0": "other", "s1-f_1": " ab(12)-3 "}) == {"type": "other", "number": "AB(12)-3"}
    errors_of(spec, {"s1-f_0": "taiwan_permit", "s1-f_1": "H12345678"})


# --- choices --------------------------------------------------------------------------------------------

SINGLE = field(
    "single_choice",
    label="单位性质",
    options={
        "choices": ["高校", "企业", "医院"],
        "allow_other": True,
        "other_label": "其他",
        "widget": "radio",
    },
)


@pytest.mark.parametrize("choice", ["高校", "企业", "医院"])
def test_single_choice_valid(choice):
    assert clean(SINGLE, {"s1-f_0": choice, "s1-f_1": ""}) == {"selected": choice, "other": ""}


def test_single_choice_other_without_text_refused():
    with override("en"):
        [message] = errors_of(SINGLE, {"s1-f_0": "其他", "s1-f_1": "  "})
    assert message == "单位性质: please say what “其他” is."


def test_single_choice_typing_other_text_selects_other():
    assert clean(SINGLE, {"s1-f_1": "行业协会"}) == {"selected": "其他", "other": "行业协会"}
    assert clean(SINGLE, {"s1-f_0": "其他", "s1-f_1": " 行业协会 "}) == {
        "selected": "其他",
        "other": "行业协会",
    }


@pytest.mark.parametrize("choice", ["不存在", "高校 ", "其它"])
def test_single_choice_unknown_choice_refused(choice):
    errors_of(SINGLE, {"s1-f_0": choice})


@pytest.mark.parametrize("data", [{}, {"s1-f_0": "", "s1-f_1": ""}, {"s1-f_0": "", "s1-f_1": "   "}])
def test_single_choice_required(data):
    errors_of(SINGLE, data)


def test_single_choice_without_other_ignores_other_text():
    spec = field(
        "single_choice",
        label="是否首次申报",
        options={"choices": ["首次", "续报"], "allow_other": False, "other_label": "", "widget": "select"},
    )
    assert clean(spec, {"s1-f_0": "续报", "s1-f_1": "junk"}) == {"selected": "续报", "other": ""}
    errors_of(spec, {"s1-f_0": "", "s1-f_1": "junk"})
    errors_of(spec, {"s1-f_0": "其他"})
    assert clean({**spec, "required": False}, {"s1-f_0": ""}) is None


MULTIPLE = field(
    "multiple_choice",
    label="服务领域",
    options={
        "choices": ["医疗卫生", "农业技术", "教育培训", "文化旅游"],
        "allow_other": True,
        "other_label": "其他",
        "min_choices": 2,
        "max_choices": 3,
    },
)


def test_multiple_choice_valid():
    value = clean(MULTIPLE, {"s1-f_0": ["医疗卫生", "教育培训"]})
    assert value == {"selected": ["医疗卫生", "教育培训"], "other": ""}


def test_multiple_choice_min_choices():
    with override("en"):
        [message] = errors_of(MULTIPLE, {"s1-f_0": ["医疗卫生"]})
    assert message == "服务领域: choose at least 2."


def test_multiple_choice_max_choices():
    with override("en"):
        [message] = errors_of(MULTIPLE, {"s1-f_0": ["医疗卫生", "农业技术", "教育培训", "文化旅游"]})
    assert message == "服务领域: choose at most 3."


def test_multiple_choice_other_counts_as_a_choice():
    value = clean(MULTIPLE, {"s1-f_0": ["医疗卫生"], "s1-f_1": "乡村振兴"})
    assert value == {"selected": ["医疗卫生", "其他"], "other": "乡村振兴"}
    errors_of(MULTIPLE, {"s1-f_0": ["医疗卫生", "其他"], "s1-f_1": ""})
    errors_of(MULTIPLE, {"s1-f_0": ["医疗卫生", "农业技术", "教育培训"], "s1-f_1": "乡村振兴"})


def test_multiple_choice_unknown_choice_and_required():
    errors_of(MULTIPLE, {"s1-f_0": ["医疗卫生", "不存在"]})
    errors_of(MULTIPLE, {})
    errors_of(MULTIPLE, {"s1-f_1": "  "})


# --- yes / no --------------------------------------------------------------------------------------------

YES_NO = field("yes_no", label="是否省级基地", options={"yes_label": "是", "no_label": "否"})


@pytest.mark.parametrize(("raw", "expected"), [("yes", True), ("no", False)])
def test_yes_no_is_bool(raw, expected):
    assert clean(YES_NO, {"s1-f": raw}) is expected


@pytest.mark.parametrize("data", [{}, {"s1-f": ""}, {"s1-f": "maybe"}, {"s1-f": "是"}])
def test_yes_no_required_and_invalid(data):
    errors_of(YES_NO, data)


def test_yes_no_optional_missing_is_none():
    assert clean({**YES_NO, "required": False}, {}) is None


# --- regions -------------------------------------------------------------------------------------------


@pytest.fixture
def zhejiang(db):
    province = Region.objects.create(name="浙江省", code="330000", level="province")
    hangzhou = Region.objects.create(
        name="杭州市", code="330100", level="city", parent=province, sort_order=1
    )
    Region.objects.create(name="宁波市", code="330200", level="city", parent=province, sort_order=2)
    Region.objects.create(name="上城区", code="330102", level="county", parent=hangzhou)
    jiangsu = Region.objects.create(name="江苏省", code="320000", level="province")
    Region.objects.create(name="南京市", code="320100", level="city", parent=jiangsu)
    return province


REGION = field("region", label="所在地市", options={"parent": "330000", "level": "city"})


def test_region_offers_the_cities_below_the_parent(zhejiang):
    choices = [code for code, _name in bind(REGION, {}).fields["f"].choices if code]
    assert choices == ["330100", "330200"]


@pytest.mark.parametrize(("code", "name"), [("330100", "杭州市"), ("330200", "宁波市")])
def test_region_valid_is_code_and_name(zhejiang, code, name):
    assert clean(REGION, {"s1-f": code}) == {"code": code, "name": name}


@pytest.mark.parametrize("code", ["320100", "330000", "330102", "999999", "杭州市"])
def test_region_outside_the_list_refused(zhejiang, code):
    errors_of(REGION, {"s1-f": code})


def test_region_required(zhejiang):
    errors_of(REGION, {"s1-f": ""})


def test_region_without_parent_lists_the_level(zhejiang):
    spec = field("region", label="省份", options={"parent": None, "level": "province"})
    assert clean(spec, {"s1-f": "320000"}) == {"code": "320000", "name": "江苏省"}


# --- files -----------------------------------------------------------------------------------------------


def upload(name="申报书.pdf", content=PDF, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def files(*uploads, key="s1-f"):
    return MultiValueDict({key: list(uploads)})


FILE = field("file", label="申报书", options={"allowed_types": ["pdf"], "max_size_mb": 1, "max_files": 1})


def test_file_pdf_accepted_and_left_out_of_answers():
    form = bind(FILE, {}, files(upload()))
    assert form.is_valid(), form.errors
    [cleaned] = form.cleaned_data["f"]
    assert cleaned.name == "申报书.pdf"
    assert form.get_answers() == {}


def test_file_named_pdf_but_an_executable_refused():
    with override("en"):
        [message] = errors_of(
            FILE, {}, files(upload("申报书.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64))
        )
    assert message == "申报书: “申报书.pdf” is not an allowed file (allowed: PDF)."


def test_file_oversize_refused():
    big = PDF + b"0" * int(1.1 * 1024 * 1024)
    with override("en"):
        [message] = errors_of(FILE, {}, files(upload(content=big)))
    assert message == "申报书: “申报书.pdf” is larger than 1 MB."


def test_file_exactly_at_the_limit_accepted():
    content = PDF + b"0" * (1024 * 1024 - len(PDF))
    form = bind(FILE, {}, files(upload(content=content)))
    assert form.is_valid(), form.errors


def test_file_too_many_refused():
    spec = field(
        "file", label="证明材料", options={"allowed_types": ["pdf"], "max_size_mb": 1, "max_files": 2}
    )
    with override("en"):
        [message] = errors_of(spec, {}, files(upload("1.pdf"), upload("2.pdf"), upload("3.pdf")))
    assert message == "证明材料: upload at most 2 files."
    form = bind(spec, {}, files(upload("1.pdf"), upload("2.pdf")))
    assert form.is_valid(), form.errors
    assert [f.name for f in form.cleaned_data["f"]] == ["1.pdf", "2.pdf"]


def test_file_required_and_empty():
    errors_of(FILE, {})
    errors_of(FILE, {}, files(upload(content=b"")))
    assert clean({**FILE, "required": False}, {}) == []


def _zip(member):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(member, "<xml/>")
    return buffer.getvalue()


def test_file_types_decided_by_content():
    spec = field(
        "file", label="附件", options={"allowed_types": ["jpg", "docx"], "max_size_mb": 1, "max_files": 1}
    )
    assert bind(spec, {}, files(upload("photo.jpg", JPEG))).is_valid()
    assert bind(spec, {}, files(upload("plan.docx", DOCX))).is_valid()
    errors_of(spec, {}, files(upload("plan.docx", _zip("word/document.xml"))))
    errors_of(spec, {}, files(upload("plan.docx", _zip("other.xml"))))
    errors_of(spec, {}, files(upload("plan.docx", b"PK\x03\x04 not really a zip")))
    errors_of(spec, {}, files(upload("scan.jpg", PDF)))


# --- tables -------------------------------------------------------------------------------------------

TABLE = field(
    "table",
    label="活动计划",
    options={"columns": TABLE_COLUMNS, "min_rows": 1, "max_rows": 3, "numbered": True, "show_totals": True},
)


def table_row(index, **cells):
    return {f"s1-f-{index}-{key}": value for key, value in cells.items()}


ROW_1 = {
    "name": "送医下乡",
    "held_on": "2024-06-01",
    "people": "30",
    "budget": "1.50",
    "contact": "13429129088",
    "kind": "义诊",
}
ROW_2 = {
    "name": "专家讲座",
    "held_on": "2024-07-15",
    "people": "20",
    "budget": "2",
    "contact": "",
    "kind": "",
}


def test_table_valid_rows_are_list_of_json_ready_dicts():
    data = {"s1-f-rows": "2", **table_row(0, **ROW_1), **table_row(1, **ROW_2)}
    rows = clean(TABLE, data)
    assert rows == [
        {
            "name": "送医下乡",
            "held_on": "2024-06-01",
            "people": 30,
            "budget": "1.50",
            "contact": "13429129088",
            "kind": "义诊",
        },
        {"name": "专家讲座", "held_on": "2024-07-15", "people": 20, "budget": "2", "contact": "", "kind": ""},
    ]
    assert type(rows[0]["people"]) is int
    json.dumps(rows)


def test_table_fully_empty_rows_are_ignored():
    blank = dict.fromkeys(ROW_1, "  ")
    data = {"s1-f-rows": "4", **table_row(0, **blank), **table_row(1, **ROW_1), **table_row(3, **ROW_2)}
    rows = clean(TABLE, data)
    assert [row["name"] for row in rows] == ["送医下乡", "专家讲座"]


def test_table_required_column_empty_names_row_and_column():
    data = {"s1-f-rows": "2", **table_row(0, **ROW_1), **table_row(1, **{**ROW_2, "held_on": ""})}
    with override("en"):
        [message] = errors_of(TABLE, data)
    assert "拟举办日期" in message
    assert "Row 2" in message
    assert message.startswith("活动计划")


def test_table_integer_column_refuses_text():
    data = {"s1-f-rows": "1", **table_row(0, **{**ROW_1, "people": "abc"})}
    with override("en"):
        [message] = errors_of(TABLE, data)
    assert "参与人数" in message
    assert "Row 1" in message


@pytest.mark.parametrize(
    ("column", "bad"),
    [
        ("people", "-1"),
        ("budget", "abc"),
        ("budget", "1.23456"),
        ("held_on", "2024-02-30"),
        ("contact", "123"),
    ],
)
def test_table_cell_types_are_checked(column, bad):
    data = {"s1-f-rows": "1", **table_row(0, **{**ROW_1, column: bad})}
    [message] = errors_of(TABLE, data)
    label = next(c["label"] for c in TABLE_COLUMNS if c["key"] == column)
    assert label in message


def test_table_choice_column_refuses_unknown_choice():
    data = {"s1-f-rows": "1", **table_row(0, **{**ROW_1, "kind": "宴请"})}
    [message] = errors_of(TABLE, data)
    assert "类型" in message


def test_table_several_errors_are_all_reported():
    data = {"s1-f-rows": "2", **table_row(0, **{**ROW_1, "people": "x"}), **table_row(1, name="只有名称")}
    messages = errors_of(TABLE, data)
    assert len(messages) == 2
    assert any("参与人数" in m for m in messages)
    assert any("拟举办日期" in m for m in messages)


def test_table_min_rows():
    with override("en"):
        [message] = errors_of(TABLE, {"s1-f-rows": "1"})
    assert message == "活动计划: fill in at least 1 rows."
    spec = {**TABLE, "required": False, "options": {**TABLE["options"], "min_rows": 2}}
    data = {"s1-f-rows": "1", **table_row(0, **ROW_1)}
    with override("en"):
        [message] = errors_of(spec, data)
    assert message == "活动计划: fill in at least 2 rows."


def test_table_max_rows():
    data = {"s1-f-rows": "4", **{k: v for i in range(4) for k, v in table_row(i, **ROW_1).items()}}
    with override("en"):
        [message] = errors_of(TABLE, data)
    assert message == "活动计划: at most 3 rows."


def test_table_optional_and_empty_is_empty_list():
    spec = {**TABLE, "required": False, "options": {**TABLE["options"], "min_rows": 0}}
    assert clean(spec, {"s1-f-rows": "0"}) == []
    assert clean(spec, {}) == []


@pytest.mark.parametrize("rows", ["abc", "99999", "-3", "", "1e3", "9" * 5000])
def test_table_row_count_is_not_trusted(rows):
    data = {"s1-f-rows": rows, **table_row(0, **ROW_1)}
    form = bind(TABLE, data)
    if rows == "99999":
        # Capped, not refused: the rows actually sent are read.
        assert form.is_valid(), form.errors
        assert [row["name"] for row in form.cleaned_data["f"]] == ["送医下乡"]
    else:
        assert not form.is_valid()
        assert "活动计划" in form.errors["f"][0]


def test_table_column_totals():
    data = {"s1-f-rows": "2", **table_row(0, **ROW_1), **table_row(1, **ROW_2)}
    rows = clean(TABLE, data)
    assert column_totals(TABLE_COLUMNS, rows) == {"people": "50", "budget": "3.50"}


def test_column_totals_skips_blanks_and_junk():
    columns = [{"key": "n", "label": "数", "type": "integer"}, {"key": "t", "label": "文", "type": "text"}]
    rows = [{"n": 3, "t": "a"}, {"n": None, "t": "b"}, {"n": "junk"}, {}]
    assert column_totals(columns, rows) == {"n": "3"}


# --- matrices --------------------------------------------------------------------------------------

MATRIX = field(
    "matrix",
    label="成果汇总",
    options={
        "row_heading": "地区",
        "rows": MATRIX_ROWS,
        "columns": MATRIX_COLUMNS,
        "row_totals": False,
        "column_totals": True,
    },
)


def matrix_data(**cells):
    """``matrix_data(hz_teams="3")`` → ``{"s1-f-330100-teams": "3"}``."""
    keys = {"hz": "330100", "nb": "330200"}
    return {
        f"s1-f-{keys[name.split('_')[0]]}-{name.split('_', 1)[1]}": value for name, value in cells.items()
    }


FULL_MATRIX = matrix_data(
    hz_teams="3", hz_funds="1.5", hz_note="", nb_teams="2", nb_funds="4", nb_note="新增"
)


def test_matrix_valid_is_nested_dict():
    value = clean(MATRIX, FULL_MATRIX)
    assert value == {
        "330100": {"teams": 3, "funds": "1.5", "note": ""},
        "330200": {"teams": 2, "funds": "4", "note": "新增"},
    }
    json.dumps(value)


def test_matrix_column_totals():
    value = clean(MATRIX, FULL_MATRIX)
    assert column_totals(MATRIX_COLUMNS, list(value.values())) == {"teams": "5", "funds": "5.5"}


def test_matrix_non_numeric_names_row_and_column():
    data = {**FULL_MATRIX, **matrix_data(nb_teams="三")}
    [message] = errors_of(MATRIX, data)
    assert "宁波市" in message
    assert "服务团数" in message


def test_matrix_negative_refused():
    data = {**FULL_MATRIX, **matrix_data(hz_funds="-1")}
    [message] = errors_of(MATRIX, data)
    assert "杭州市" in message
    assert "经费" in message


def test_matrix_required_numbers_must_all_be_filled():
    data = {**FULL_MATRIX, **matrix_data(hz_teams="")}
    [message] = errors_of(MATRIX, data)
    assert "杭州市" in message
    assert "服务团数" in message
    messages = errors_of(MATRIX, {})
    assert len(messages) == 4  # two number columns × two rows; the text column is never required


def test_matrix_optional_all_blank_is_empty_dict():
    spec = {**MATRIX, "required": False}
    assert clean(spec, {}) == {}
    assert clean(spec, matrix_data(hz_teams=" ", nb_note="")) == {}


def test_matrix_optional_partly_filled_keeps_blanks_as_none():
    spec = {**MATRIX, "required": False}
    assert clean(spec, matrix_data(hz_teams="1")) == {
        "330100": {"teams": 1, "funds": None, "note": ""},
        "330200": {"teams": None, "funds": None, "note": ""},
    }


def test_matrix_ignores_cells_of_unknown_rows():
    spec = {**MATRIX, "required": False}
    assert clean(spec, {"s1-f-999999-teams": "5"}) == {}


# --- static blocks ----------------------------------------------------------------------------------


def test_heading_and_static_text_are_not_form_fields():
    fields = [
        {"type": "heading", "text": "一、基本信息"},
        field("short_text", key="name", label="姓名", options={"max_length": 50}),
        {"type": "static_text", "text": "备注：请另附具体活动方案"},
    ]
    form_schema = FormSchema({"steps": [step(*fields)]})
    form = FormBuilder(form_schema).get_form(form_schema.steps[0], data=post({"s1-name": "郑坤"}))
    assert list(form.fields) == ["name"]
    assert [f["key"] for f in form_schema.input_fields()] == ["name"]
    assert form.is_valid()
    assert form.get_answers() == {"name": "郑坤"}


def test_unknown_field_type_is_refused_by_the_builder():
    with pytest.raises(ValueError, match="telepathy"):
        schema_ = schema(field("telepathy"))
        FormBuilder(schema_).get_form(schema_.steps[0])


# --- the whole step: prefix, answers ------------------------------------------------------------------


def test_form_prefix_is_the_step_key():
    form = bind(SHORT, {"f": "no prefix"})
    assert not form.is_valid()
    assert bind(SHORT, {"s1-f": "有前缀"}).is_valid()


def test_get_answers_are_json_ready():
    fields = [
        {**SHORT, "key": "name"},
        {**INTEGER, "key": "count"},
        {**DECIMAL, "key": "money"},
        {**DATE, "key": "day"},
        {**YES_NO, "key": "ok"},
        {**SINGLE, "key": "kind"},
    ]
    data = {
        "s1-name": "服务团",
        "s1-count": "5",
        "s1-money": "12.50",
        "s1-day": "2024-05-01",
        "s1-ok": "yes",
        "s1-kind_0": "高校",
    }
    form = bind(fields, data)
    assert form.is_valid(), form.errors
    answers = form.get_answers()
    assert answers == {
        "name": "服务团",
        "count": 5,
        "money": "12.50",
        "day": "2024-05-01",
        "ok": True,
        "kind": {"selected": "高校", "other": ""},
    }
    assert json.loads(json.dumps(answers)) == answers


# --- conditions, enforced on the server ---------------------------------------------------------------

A_YES_NO = field("yes_no", key="a", label="是否省级基地", options={"yes_label": "是", "no_label": "否"})
B_IF_YES = field(
    "short_text",
    key="b",
    label="基地名称",
    options={"max_length": 5},
    condition={"field": "a", "op": "equals", "value": "是"},
)


def test_condition_hidden_field_is_neither_required_nor_stored():
    form = bind([A_YES_NO, B_IF_YES], {"s1-a": "no", "s1-b": "junk that is far too long"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"a": False}
    assert "b" not in form.errors
    assert form.get_answers() == {"a": False}


def test_condition_hidden_when_controlling_field_unanswered():
    spec = {**A_YES_NO, "required": False}
    form = bind([spec, B_IF_YES], {"s1-b": "junk that is far too long"})
    assert form.is_valid(), form.errors
    assert "b" not in form.cleaned_data


def test_condition_shown_field_is_required_and_checked():
    form = bind([A_YES_NO, B_IF_YES], {"s1-a": "yes"})
    assert not form.is_valid()
    assert list(form.errors) == ["b"]
    assert "基地名称" in form.errors["b"][0]
    form = bind([A_YES_NO, B_IF_YES], {"s1-a": "yes", "s1-b": "too long text"})
    assert not form.is_valid()
    form = bind([A_YES_NO, B_IF_YES], {"s1-a": "yes", "s1-b": "西湖基地"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"a": True, "b": "西湖基地"}


@pytest.mark.parametrize("value", ["是", "yes", "YES", "true", "1"])
def test_condition_on_yes_no_accepts_yes_words(value):
    b = {**B_IF_YES, "condition": {"field": "a", "op": "equals", "value": value}}
    assert not bind([A_YES_NO, b], {"s1-a": "yes"}).is_valid()
    assert bind([A_YES_NO, b], {"s1-a": "no"}).is_valid()


def test_condition_contains_on_multiple_choice():
    a = field(
        "multiple_choice",
        key="a",
        label="服务内容",
        options={"choices": ["讲座", "义诊", "培训"], "allow_other": False, "other_label": ""},
    )
    b = field(
        "integer",
        key="b",
        label="义诊人次",
        options={"min_value": 1, "max_value": None},
        condition={"field": "a", "op": "contains", "value": "义诊"},
    )
    hidden = bind([a, b], {"s1-a_0": ["讲座", "培训"], "s1-b": "abc"})
    assert hidden.is_valid(), hidden.errors
    assert "b" not in hidden.cleaned_data
    shown = bind([a, b], {"s1-a_0": ["讲座", "义诊"]})
    assert not shown.is_valid()
    assert list(shown.errors) == ["b"]
    shown = bind([a, b], {"s1-a_0": ["义诊"], "s1-b": "12"})
    assert shown.is_valid(), shown.errors
    assert shown.cleaned_data["b"] == 12


def test_condition_not_equals_on_single_choice():
    a = field(
        "single_choice",
        key="a",
        label="单位性质",
        options={"choices": ["高校", "企业"], "allow_other": False, "other_label": "", "widget": "radio"},
    )
    b = field(
        "credit_code",
        key="b",
        label="统一社会信用代码",
        condition={"field": "a", "op": "not_equals", "value": "企业"},
    )
    hidden = bind([a, b], {"s1-a_0": "企业", "s1-b": "junk"})
    assert hidden.is_valid(), hidden.errors
    assert hidden.cleaned_data == {"a": {"selected": "企业", "other": ""}}
    shown = bind([a, b], {"s1-a_0": "高校", "s1-b": "junk"})
    assert not shown.is_valid()
    assert "统一社会信用代码" in shown.errors["b"][0]
    shown = bind([a, b], {"s1-a_0": "高校", "s1-b": KNOWN_CREDIT_CODE})
    assert shown.is_valid(), shown.errors


def test_condition_filled():
    a = field("short_text", key="a", label="曾获荣誉", required=False, options={"max_length": 50})
    b = field("date", key="b", label="获奖日期", condition={"field": "a", "op": "filled", "value": ""})
    hidden = bind([a, b], {"s1-a": "  ", "s1-b": "not a date"})
    assert hidden.is_valid(), hidden.errors
    assert hidden.cleaned_data == {"a": ""}
    shown = bind([a, b], {"s1-a": "省级优秀团队"})
    assert not shown.is_valid()
    assert list(shown.errors) == ["b"]


def test_condition_on_a_hidden_field_is_not_met():
    b = {**B_IF_YES, "required": False, "options": {"max_length": 50}}
    c = field("short_text", key="c", label="基地地址", condition={"field": "b", "op": "filled", "value": ""})
    # b is filled but hidden (a = no), so c is hidden too and not required.
    form = bind([A_YES_NO, b, c], {"s1-a": "no", "s1-b": "西湖基地"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"a": False}
    form = bind([A_YES_NO, b, c], {"s1-a": "yes", "s1-b": "西湖基地"})
    assert not form.is_valid()
    assert list(form.errors) == ["c"]


TWO_STEPS = FormSchema(
    {
        "steps": [
            step(A_YES_NO, key="s1"),
            step(
                field(
                    "short_text",
                    key="b",
                    label="基地名称",
                    options={"max_length": 50},
                    condition={"field": "a", "op": "equals", "value": "是"},
                ),
                field("short_text", key="c", label="联系人", options={"max_length": 50}),
                key="s2",
            ),
            step(
                field("integer", key="d", label="基地面积", options={"min_value": 0, "max_value": None}),
                key="s3",
                condition={"field": "a", "op": "equals", "value": "是"},
            ),
        ]
    }
)


def step_form(key, data, answers):
    return FormBuilder(TWO_STEPS).get_form(TWO_STEPS.get_step(key), data=post(data), answers=answers)


def test_condition_on_a_field_of_an_earlier_step():
    form = step_form("s2", {"s2-c": "郑坤"}, answers={"a": True})
    assert not form.is_valid()
    assert list(form.errors) == ["b"]
    form = step_form("s2", {"s2-c": "郑坤", "s2-b": "anything"}, answers={"a": False})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"c": "郑坤"}
    form = step_form("s2", {"s2-c": "郑坤"}, answers={})
    assert form.is_valid(), form.errors


def test_visible_steps_follow_the_step_condition():
    assert [s["key"] for s in TWO_STEPS.visible_steps({"a": True})] == ["s1", "s2", "s3"]
    assert [s["key"] for s in TWO_STEPS.visible_steps({"a": False})] == ["s1", "s2"]
    assert [s["key"] for s in TWO_STEPS.visible_steps({})] == ["s1", "s2"]


def test_fields_of_a_hidden_step_are_not_required():
    form = step_form("s3", {"s3-d": "abc"}, answers={"a": False})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {}
    form = step_form("s3", {"s3-d": "abc"}, answers={"a": True})
    assert not form.is_valid()
    assert "基地面积" in form.errors["d"][0]


@pytest.mark.parametrize(
    ("type_", "typed", "stored"),
    [
        ("mobile", "１３４２９１２９０８８", "13429129088"),
        ("landline", "０５７１－８８３９４８３８", "0571-88394838"),
        ("bank_code", "１０２３３１０００００１", "102331000001"),
        ("postcode", "３１００００", "310000"),
        ("credit_code", "９１３５０１００Ｍ０００１００Ｙ４３", KNOWN_CREDIT_CODE),
    ],
)
def test_full_width_input_from_chinese_input_methods_is_folded_to_ascii(type_, typed, stored):
    assert clean(field(type_), {"s1-f": typed}) == stored


def test_full_width_id_number_is_folded_to_ascii():
    spec = field("id_number", options={"document_types": ["resident_id"]})
    typed = "".join(chr(0xFF10 + int(d)) for d in KNOWN_ID[:17]) + "Ｘ"
    assert clean(spec, {"s1-f_0": "resident_id", "s1-f_1": typed}) == {
        "type": "resident_id",
        "number": KNOWN_ID,
    }


def test_table_errors_name_the_row_as_numbered_on_screen():
    spec = field(
        "table",
        key="plan",
        label="活动计划表",
        options={
            "columns": [{"key": "name", "label": "活动名称", "type": "text", "required": True, "unit": ""},
                        {"key": "date", "label": "拟举办日期", "type": "date", "required": True, "unit": ""}],
            "min_rows": 1, "max_rows": 10, "numbered": True, "show_totals": False,
        },
    )  # fmt: skip
    data = {
        "s1-plan-rows": "4",
        "s1-plan-0-name": "讲座", "s1-plan-0-date": "2024-03-01",
        "s1-plan-1-name": "", "s1-plan-1-date": "",  # left blank on screen
        "s1-plan-2-name": "义诊", "s1-plan-2-date": "not a date",
        "s1-plan-3-name": "", "s1-plan-3-date": "",
    }  # fmt: skip
    form = bind(spec, data)
    assert not form.is_valid()
    messages = " ".join(form.errors["plan"])
    assert "3" in messages and "拟举办日期" in messages
    with override("en"):
        form = bind(spec, data)
        form.is_valid()
        assert any(message.startswith("活动计划表: Row 3,") for message in form.errors["plan"]), form.errors
    data["s1-plan-2-date"] = "2024-04-01"
    assert clean(spec, data) == [
        {"name": "讲座", "date": "2024-03-01"},
        {"name": "义诊", "date": "2024-04-01"},
    ]


def test_forms_for_checking_rows_share_widgets_but_nothing_a_row_changes():
    # The importer validates thousands of rows with one class; a field hidden by one row's answer must
    # still be required in the next row, and the wizard's own class must keep copying its widgets.
    form_schema = schema(
        field("yes_no", key="is_base", label="是否基地", options={"yes_label": "是", "no_label": "否"}),
        field("short_text", key="base_name", label="基地名称", condition={"field": "is_base", "value": "是"}),
    )
    wizard_class = FormBuilder(form_schema).get_form_class(form_schema.steps[0])
    rows_class = wizard_class.for_checking_rows()

    def check(data):
        return rows_class(post(data), prefix="s1")

    hidden = check({"s1-is_base": "no"})
    assert hidden.is_valid() and "base_name" not in hidden.cleaned_data
    shown = check({"s1-is_base": "yes"})
    assert not shown.is_valid() and list(shown.errors) == ["base_name"]
    filled = check({"s1-is_base": "yes", "s1-base_name": "西湖基地"})
    assert filled.is_valid() and filled.cleaned_data["base_name"] == "西湖基地"

    one, two = check({}), check({})
    assert one.fields["base_name"] is not two.fields["base_name"]
    assert one.fields["base_name"].widget is two.fields["base_name"].widget
    first, second = wizard_class(), wizard_class()
    assert first.fields["base_name"].widget is not second.fields["base_name"].widget
