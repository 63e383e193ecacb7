"""The field-type registry: every type answers for its block, form field, readings and import parse.

The round trip is the import's promise: a cell the export writes, parsed by the type and cleaned by
its form field, gives back the stored answer.
"""

import pytest

from forms_app.builder.blocks import FIELD_BLOCKS, StepBlock
from forms_app.builder.display import answer_text, render_answers, search_words
from forms_app.builder.forms import FormBuilder
from forms_app.builder.models import Region
from forms_app.builder.registry import FieldType, ImportContext, field_type, field_types
from forms_app.builder.schema import FormSchema

pytestmark = pytest.mark.django_db


@pytest.fixture
def regions():
    zhejiang = Region.objects.create(name="浙江省", code="330000", level="province")
    hangzhou = Region.objects.create(name="杭州市", code="330100", level="city", parent=zhejiang)
    xihu = Region.objects.create(name="西湖区", code="330106", level="county", parent=hangzhou)
    wenzhou = Region.objects.create(name="温州市", code="330300", level="city", parent=zhejiang)
    return {"zj": zhejiang, "hz": hangzhou, "xihu": xihu, "wz": wenzhou}


def spec_of(kind, **options):
    return {"type": kind, "key": "f", "label": "字段", "help_text": "", "required": True, "condition": None,
            "options": options}  # fmt: skip


# One stored answer per type, with the settings that answer needs.
SAMPLES = {
    "short_text": ({"max_length": 200}, "浙江省心血管专家服务团"),
    "long_text": ({"rows": 6}, "第一行\n第二行"),
    "integer": ({"unit": "人"}, 120),
    "decimal": ({"decimal_places": 2, "unit": "万元"}, "12.5"),
    "date": ({}, "2024-03-01"),
    "date_range": ({"start_label": "开始", "end_label": "结束"},
                   {"start": "2024-03-01", "end": "2024-11-30"}),
    "email": ({}, "contact@example.cn"),
    "mobile": ({}, "13800138000"),
    "landline": ({}, "0571-88888888"),
    "phone": ({}, "13800138000"),
    "credit_code": ({}, "91350100M000100Y43"),
    "bank_code": ({}, "102331000011"),
    "bank_account": ({}, "6222021234567890128"),
    "postcode": ({}, "310000"),
    "id_number": ({"document_types": ["resident_id", "passport"]},
                  {"type": "resident_id", "number": "11010519491231002X"}),
    "single_choice": ({"choices": ["国家级", "省级"], "allow_other": True, "other_label": "其他",
                       "widget": "radio"},
                      {"selected": "其他", "other": "区级"}),
    "multiple_choice": ({"choices": ["义诊", "培训", "咨询"], "allow_other": False, "other_label": ""},
                        {"selected": ["义诊", "咨询"], "other": ""}),
    "yes_no": ({"yes_label": "是", "no_label": "否"}, False),
    "region": ({"parent": "330000", "level": "city"}, {"code": "330100", "name": "杭州市"}),
    "address": ({"parent": None, "level": "county", "with_postcode": True},
                {"region": {"code": "330106", "name": "西湖区"}, "path": ["浙江省", "杭州市", "西湖区"],
                 "street": "文三路90号", "postcode": "310012"}),
}  # fmt: skip
ROUND_TRIP = [kind.name for kind in field_types() if kind.importable and not kind.own_sheet]


def test_every_type_is_in_the_editors_menu_with_a_block_of_its_own_name():
    names = [name for name, _block in FIELD_BLOCKS]
    assert names[-2:] == ["heading", "static_text"]
    assert names[:-2] == [kind.name for kind in field_types()]
    for kind in field_types():
        assert kind.get_block().field_type == kind.name
        assert isinstance(kind, FieldType)


def test_every_importable_type_has_a_sample_here():
    """A new type must come with its round trip: this test names the one that lacks it."""
    assert sorted(ROUND_TRIP) == sorted(SAMPLES)


@pytest.mark.parametrize("kind", ROUND_TRIP)
def test_a_cell_parses_back_to_the_stored_answer(kind, regions):
    options, answer = SAMPLES[kind]
    spec = spec_of(kind, **options)
    field = FormBuilder(FormSchema({"steps": []})).create_field(spec)
    cell = field_type(kind).cell(spec, answer, masked=False)
    raw = field_type(kind).parse(
        spec, str(cell), ImportContext(Region.objects.select_related("parent__parent"))
    )
    assert field.clean(raw) == answer, (kind, cell, raw)


@pytest.mark.parametrize("kind", [k for k in ROUND_TRIP if k != "region"])
def test_the_import_templates_example_is_a_valid_answer(kind, regions):
    options, _answer = SAMPLES[kind]
    spec = spec_of(kind, **options)
    field = FormBuilder(FormSchema({"steps": []})).create_field(spec)
    example = field_type(kind).example(spec)
    raw = field_type(kind).parse(
        spec, str(example), ImportContext(Region.objects.select_related("parent__parent"))
    )
    assert not field_type(kind).is_empty(field.clean(raw))


def test_personal_numbers_are_masked_and_never_searched():
    for kind in ("id_number", "bank_account"):
        options, answer = SAMPLES[kind]
        spec = spec_of(kind, **options)
        assert field_type(kind).personal
        assert "*" in answer_text(spec, answer, masked=True)
        assert field_type(kind).search_words(spec, answer) == []
    assert not field_type("short_text").personal


def test_one_renderer_gives_the_same_words_to_screen_print_and_search():
    fields = [
        spec_of(kind, **options) | {"key": kind, "label": kind} for kind, (options, _a) in SAMPLES.items()
    ]
    schema = FormSchema({"steps": [{"key": "s", "title": "步骤", "description": "", "condition": None,
                                    "fields": fields}]})  # fmt: skip
    answers = {kind: answer for kind, (_options, answer) in SAMPLES.items()}
    [screen] = render_answers(schema, answers)
    [printed] = render_answers(schema, answers, mode="print")
    for on_screen, on_paper in zip(screen["items"], printed["items"], strict=True):
        assert on_screen["text"] == on_paper["text"]
    by_key = {item["key"]: item for item in printed["items"]}
    assert by_key["single_choice"]["marks"] == [("□", "国家级", ""), ("□", "省级", ""), ("☑", "其他", "区级")]
    assert by_key["yes_no"]["marks"] == [("□", "是", ""), ("☑", "否", "")]
    assert "marks" not in by_key["short_text"]
    words = search_words(schema, answers)
    assert "其他（区级）" in words and "浙江省杭州市西湖区文三路90号" in words
    assert "11010519491231002X" not in words and "6222021234567890128" not in words


def test_adding_a_field_type_needs_no_migration():
    """Migrations record the step block by path, so the tree of field blocks inside it can grow."""
    assert StepBlock().deconstruct() == ("forms_app.builder.blocks.StepBlock", (), {})
    assert "address" in StepBlock().child_blocks["fields"].child_blocks
