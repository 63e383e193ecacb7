"""Hostile input never crashes a step form: it is either valid, or refused with messages.

Whatever a client posts (control characters, NUL, 20,000-character strings,
repeated keys, unknown keys, missing keys, files of any content), a bound
``StepForm`` must answer ``is_valid()`` with a bool and report errors as
strings naming the field, never raise. Fields cleaned directly with the
wrong Python types must raise ``ValidationError`` or return a JSON-ready value.
"""

import io
import json
import zipfile

import pytest
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forms_app.builder.forms import FormBuilder
from forms_app.builder.models import Region
from forms_app.builder.schema import FormSchema
from tests.samples import KNOWN_CREDIT_CODE, KNOWN_ID, MATRIX_COLUMNS, MATRIX_ROWS, TABLE_COLUMNS

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

CHOICES = ["高校", "企业", "医院"]

# One field of every type, shaped like the blocks' to_schema output; the key is the type.
OPTIONS = {
    "short_text": {"max_length": 20},
    "long_text": {"min_length": 5, "max_length": 500, "rows": 6},
    "integer": {"min_value": 0, "max_value": 1000, "unit": "人"},
    "decimal": {"decimal_places": 2, "min_value": "0", "max_value": "99999.99", "unit": "万元"},
    "date": {},
    "date_range": {"start_label": "开始时间", "end_label": "结束时间"},
    "email": {},
    "mobile": {},
    "landline": {},
    "phone": {},
    "id_number": {"document_types": ["resident_id", "passport", "hk_macao_permit", "other"]},
    "credit_code": {},
    "bank_code": {},
    "bank_account": {},
    "postcode": {},
    "single_choice": {"choices": CHOICES, "allow_other": True, "other_label": "其他", "widget": "radio"},
    "multiple_choice": {
        "choices": CHOICES,
        "allow_other": True,
        "other_label": "其他",
        "min_choices": 1,
        "max_choices": 2,
    },
    "yes_no": {"yes_label": "是", "no_label": "否"},
    "region": {"parent": "330000", "level": "city"},
    "file": {"allowed_types": ["pdf", "jpg", "docx"], "max_size_mb": 1, "max_files": 2},
    "table": {"columns": TABLE_COLUMNS, "min_rows": 1, "max_rows": 3, "numbered": True, "show_totals": True},
    "matrix": {
        "row_heading": "地区",
        "rows": MATRIX_ROWS,
        "columns": MATRIX_COLUMNS,
        "row_totals": False,
        "column_totals": True,
    },
}
FIELD_TYPES = list(OPTIONS)
MULTI_VALUE_TYPES = {"date_range", "id_number", "single_choice", "multiple_choice"}


def one_step(fields, key="s1", condition=None):
    return {"key": key, "title": "步骤", "description": "", "condition": condition, "fields": fields}


def field(type_, required=True, condition=None):
    return {
        "type": type_,
        "key": type_,
        "label": f"{type_}标签",
        "help_text": "",
        "required": required,
        "condition": condition,
        "options": OPTIONS[type_],
    }


def post_names(type_, prefix="s1"):
    """The POST names a browser would send for a field of ``type_``."""
    name = f"{prefix}-{type_}"
    if type_ in MULTI_VALUE_TYPES:
        return [f"{name}_0", f"{name}_1"]
    if type_ == "table":
        cells = [f"{name}-{row}-{c['key']}" for row in (0, 1, 2, 3, 499) for c in TABLE_COLUMNS]
        return [f"{name}-rows", *cells]
    if type_ == "matrix":
        rows = [r["key"] for r in MATRIX_ROWS] + ["999999"]
        return [f"{name}-{row}-{c['key']}" for row in rows for c in MATRIX_COLUMNS]
    if type_ == "file":
        return [name, f"{name}-clear"]
    return [name]


# Some values that mean something to one field type or another, so that the fuzzing
# reaches past the first check of each field.
MEANINGFUL = [
    "", " ", "\x00", "\n", "yes", "no", "是", "否", "true", "其他", "on",
    *CHOICES, "讲座", "义诊", "330100", "330200", "330000", "999999",
    "resident_id", "passport", "hk_macao_permit", "other", "taiwan_permit",
    KNOWN_ID, KNOWN_ID.lower(), KNOWN_CREDIT_CODE, "9135０100M000100Y43", "E12345678", "H12345678",
    "13429129088", "0571-88394838", "310000", "102331000017", "6222021234567890", "a@example.com",
    "0", "1", "2", "3", "-1", "500", "501", "99999", "1e999", "NaN", "sNaN", "Infinity", "12.5", "1.005",
    "9" * 5000, "2024-05-01", "2024-02-30", "9999-12-31", "0001-01-01",
]  # fmt: skip

control_text = st.text(st.characters(max_codepoint=0x9F), max_size=30)
huge_text = st.builds(lambda s, n: (s * n)[:20_000], st.text(min_size=1, max_size=4), st.integers(1, 20_000))
hostile_text = st.one_of(
    st.sampled_from(MEANINGFUL),
    st.text(max_size=40),
    control_text,
    huge_text,
    st.builds(
        "".join, st.lists(st.sampled_from(MEANINGFUL + ["\x00", "\u202e", "\ufeff", "%s", "%(field)s"]))
    ),
)


def post_data(names):
    """A dict of POST name → list of values: known names, unknown names, repeated values, or nothing."""
    name = st.one_of(
        st.sampled_from(names), st.text(max_size=20), st.sampled_from(names).map(lambda n: n + "x")
    )
    return st.dictionaries(name, st.lists(hostile_text, max_size=3), max_size=len(names) + 4)


def _zip(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for member in members:
            archive.writestr(member, "<xml/>")
    return buffer.getvalue()


file_content = st.one_of(
    st.binary(max_size=300),
    st.builds(
        lambda magic, rest: magic + rest,
        st.sampled_from(
            [
                b"%PDF-",
                b"\xff\xd8\xff",
                b"\x89PNG\r\n\x1a\n",
                b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
                b"PK\x03\x04",
            ]
        ),
        st.binary(max_size=300),
    ),
    st.lists(
        st.sampled_from(["word/document.xml", "xl/workbook.xml", "a.txt", "../evil"]), max_size=3, unique=True
    ).map(_zip),
    st.builds(lambda data, cut: data[:cut], st.just(_zip(["word/document.xml"])), st.integers(0, 200)),
)
file_name = st.one_of(
    st.sampled_from(["申报书.pdf", "scan.jpg", "plan.docx", "book.xls", "a.exe", "", "x" * 300]),
    st.text(max_size=30),
)


def make_upload(name, content):
    """An uploaded file; names Django's upload handling would never pass on (".", "a/") become "unnamed"."""
    try:
        return SimpleUploadedFile(name, content)
    except SuspiciousFileOperation:
        return SimpleUploadedFile("unnamed", content)


uploads = st.lists(st.builds(make_upload, file_name, file_content), max_size=3)


def query_dict(data):
    query = QueryDict(mutable=True)
    for key, values in data.items():
        query.setlist(key, values)
    return query


@pytest.fixture
def regions(db):
    province = Region.objects.create(name="浙江省", code="330000", level="province")
    Region.objects.create(name="杭州市", code="330100", level="city", parent=province)
    Region.objects.create(name="宁波市", code="330200", level="city", parent=province)


def assert_answers_or_errors(form):
    """The property every bound step form must have, whatever it was sent."""
    valid = form.is_valid()
    assert isinstance(valid, bool)
    for key, messages in form.errors.items():
        assert messages
        for message in messages:
            assert isinstance(message, str)
            assert message.strip()
            if key in form.fields:
                assert message.startswith(str(form.fields[key].label)), message
    if valid:
        assert not form.errors
        answers = form.get_answers()
        assert json.loads(json.dumps(answers)) == answers
        assert set(answers) <= set(form.fields)
    else:
        assert form.errors
    return valid


@pytest.mark.parametrize("type_", FIELD_TYPES)
@pytest.mark.parametrize("required", [True, False], ids=["required", "optional"])
@FUZZ
@given(data=st.data())
def test_every_field_type_survives_hostile_posts(regions, type_, required, data):
    spec = field(type_, required=required)
    form_schema = FormSchema({"steps": [one_step([spec])]})
    posted = data.draw(post_data(post_names(type_)), label="post")
    files = MultiValueDict({f"s1-{type_}": data.draw(uploads, label="files")}) if type_ == "file" else None
    form = FormBuilder(form_schema).get_form(form_schema.steps[0], data=query_dict(posted), files=files)
    valid = assert_answers_or_errors(form)
    if valid and required:
        assert type_ in form.cleaned_data
        assert form.cleaned_data[type_] not in (None, "", [], {})


# Every type in one step, the fields that others depend on first.
CONTROLLERS = ["yes_no", "single_choice", "multiple_choice", "region"]
ALL_FIELDS = [field(type_) for type_ in CONTROLLERS + [t for t in FIELD_TYPES if t not in CONTROLLERS]]
# Conditions between them, so hidden-field handling is fuzzed too.
ALL_TYPES = [f["type"] for f in ALL_FIELDS]
ALL_FIELDS[ALL_TYPES.index("decimal")]["condition"] = {"field": "yes_no", "op": "equals", "value": "是"}
ALL_FIELDS[ALL_TYPES.index("date")]["condition"] = {
    "field": "single_choice",
    "op": "not_equals",
    "value": "企业",
}
ALL_FIELDS[ALL_TYPES.index("table")]["condition"] = {
    "field": "multiple_choice",
    "op": "contains",
    "value": "高校",
}
ALL_FIELDS[ALL_TYPES.index("matrix")]["condition"] = {"field": "region", "op": "filled", "value": ""}
# A condition on a field further down the step sees it as unanswered.
ALL_FIELDS[ALL_TYPES.index("email")]["condition"] = {"field": "table", "op": "filled", "value": ""}
ALL_SCHEMA = FormSchema(
    {
        "steps": [
            {"key": "s1", "title": "基本信息", "description": "", "condition": None, "fields": ALL_FIELDS},
            {
                "key": "s2",
                "title": "补充材料",
                "description": "",
                "condition": {"field": "yes_no", "op": "equals", "value": "是"},
                "fields": [
                    {**field("short_text"), "key": "extra", "condition": {"field": "yes_no", "op": "filled"}},
                ],
            },
        ]
    }
)
ALL_NAMES = [name for type_ in FIELD_TYPES for name in post_names(type_)]


@FUZZ
@given(posted=post_data(ALL_NAMES), files=uploads)
def test_a_step_with_every_field_type_survives_hostile_posts(regions, posted, files):
    form = FormBuilder(ALL_SCHEMA).get_form(
        ALL_SCHEMA.steps[0], data=query_dict(posted), files=MultiValueDict({"s1-file": files})
    )
    assert_answers_or_errors(form)
    assert set(form.cleaned_data) <= {f["key"] for f in ALL_FIELDS}
    # Its condition is on a field below it, which counts as unanswered: always hidden.
    assert "email" not in form.cleaned_data
    assert "email" not in form.errors


@FUZZ
@given(
    posted=post_data(["s2-extra", "s2-extrax"]),
    answers=st.dictionaries(
        st.sampled_from(FIELD_TYPES),
        st.one_of(
            st.none(), st.booleans(), st.integers(), st.text(max_size=10), st.lists(st.text(max_size=5))
        ),
    ),
)
def test_a_later_step_survives_hostile_earlier_answers(regions, posted, answers):
    form = FormBuilder(ALL_SCHEMA).get_form(ALL_SCHEMA.steps[1], data=query_dict(posted), answers=answers)
    valid = assert_answers_or_errors(form)
    if "yes_no" not in answers:
        assert not ALL_SCHEMA.step_visible(ALL_SCHEMA.steps[1], answers)
    if not ALL_SCHEMA.step_visible(ALL_SCHEMA.steps[1], answers):
        # The whole step is hidden: nothing in it is required or stored.
        assert valid
        assert form.cleaned_data == {}


# --- fields cleaned directly with the wrong Python types -----------------------------------------------

json_like = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(),
        st.sampled_from(MEANINGFUL[:40]),
        st.text(max_size=20),
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.tuples(children, children),
        st.dictionaries(st.text(max_size=8), children, max_size=4),
    ),
    max_leaves=12,
)
table_value = st.one_of(
    json_like,
    st.lists(st.dictionaries(st.sampled_from([c["key"] for c in TABLE_COLUMNS]), json_like), max_size=6),
)
matrix_value = st.one_of(
    json_like,
    st.dictionaries(
        st.sampled_from([r["key"] for r in MATRIX_ROWS]),
        st.one_of(json_like, st.dictionaries(st.sampled_from([c["key"] for c in MATRIX_COLUMNS]), json_like)),
    ),
)
multi_value = st.one_of(
    json_like,
    st.lists(
        st.one_of(json_like, st.lists(st.sampled_from([*CHOICES, "其他", "x"]))), min_size=2, max_size=2
    ),
)
DIRECT_VALUES = {
    "table": table_value,
    "matrix": matrix_value,
    "single_choice": multi_value,
    "multiple_choice": multi_value,
    "id_number": multi_value,
    "yes_no": json_like,
    "region": json_like,
    "file": json_like,
}


def _single_select():
    spec = field("single_choice")
    return {**spec, "options": {**spec["options"], "widget": "select", "allow_other": False}}


@pytest.mark.parametrize("type_", [*DIRECT_VALUES, "single_select"])
@pytest.mark.parametrize("required", [True, False], ids=["required", "optional"])
@FUZZ
@given(data=st.data())
def test_fields_refuse_wrong_python_types_cleanly(regions, type_, required, data):
    spec = {**(_single_select() if type_ == "single_select" else field(type_)), "required": required}
    django_field = FormBuilder(FormSchema({"steps": []})).create_field(spec)
    value = data.draw(DIRECT_VALUES.get(type_, multi_value), label="value")
    try:
        result = django_field.clean(value)
    except ValidationError as error:
        assert error.messages
        assert all(isinstance(message, str) for message in error.messages)
    else:
        if spec["type"] != "file":
            assert json.loads(json.dumps(result)) == result
        if required:
            assert result not in (None, "", [], {})


@pytest.mark.parametrize("type_", [*DIRECT_VALUES, "single_select"])
@pytest.mark.parametrize("value", [None, 0, 7, -1, 3.5, True, [], {}, (), "", "abc", [None, None], {"a": 1}])
def test_fields_with_simple_wrong_types(regions, type_, value):
    spec = _single_select() if type_ == "single_select" else field(type_)
    django_field = FormBuilder(FormSchema({"steps": []})).create_field(spec)
    with pytest.raises(ValidationError) as caught:
        django_field.clean(value)
    assert all(isinstance(message, str) for message in caught.value.messages)
