"""Conditions on the server: every operator the editor offers, rules joined by all or any, the older
one-rule shape, and the blocks that pick a field before it has a key."""

import importlib
import json
from datetime import timedelta

import pytest
from django.apps import apps as django_apps
from django.template import Context, Template
from django.utils import timezone
from wagtail.blocks.stream_block import StreamBlockValidationError
from wagtail.models import Revision

from forms_app.applications.models import ApplicationFormPage
from forms_app.builder.conditions import OPERATORS, normalise
from forms_app.builder.field_blocks import ConditionBlock
from forms_app.builder.forms import FormBuilder
from forms_app.builder.schema import FormSchema
from tests.applications.test_form_pages import make_form
from tests.builder.test_field_types import bind, field
from tests.factories import NoticePageFactory

UNIT = field(
    "single_choice",
    key="unit",
    label="单位性质",
    options={"choices": ["高校", "企业", "医院"], "allow_other": False, "other_label": "", "widget": "radio"},
)
BASE = field(
    "yes_no", key="base", label="是否基地", required=False, options={"yes_label": "有", "no_label": "无"}
)


def dependent(condition):
    """A required text field shown only by ``condition``."""
    return field("short_text", key="dep", label="情况说明", options={"max_length": 20}, condition=condition)


def shown(condition, data, controllers=(UNIT,)):
    """Whether the server shows ``dep``: shown, it is required (blank is refused); hidden, it is dropped."""
    fields = [*controllers, dependent(condition)]
    blank = bind(fields, {**data, "s1-dep": ""})
    filled = bind(fields, {**data, "s1-dep": "有内容"})
    assert filled.is_valid(), filled.errors
    if blank.is_valid():
        assert "dep" not in filled.cleaned_data, "a hidden field is not stored"
        return False
    assert list(blank.errors) == ["dep"]
    assert filled.cleaned_data["dep"] == "有内容"
    return True


def one(op, value=""):
    return {"join": "all", "rules": [{"field": "unit", "op": op, "value": value}]}


def test_the_editor_offers_exactly_the_operators_the_server_decides():
    assert [name for name, _label in OPERATORS] == [
        "equals",
        "not_equals",
        "contains",
        "filled",
        "not_filled",
    ]


@pytest.mark.parametrize(
    ("op", "value", "answer", "expected"),
    [
        ("equals", "企业", "企业", True),
        ("equals", "企业", "高校", False),
        ("equals", "企业", None, False),
        ("not_equals", "企业", "企业", False),
        ("not_equals", "企业", "医院", True),
        ("contains", "高", "高校", True),
        ("contains", "高", "医院", False),
        ("filled", "", "医院", True),
        ("filled", "", None, False),
        ("not_filled", "", None, True),
        ("not_filled", "", "高校", False),
    ],
)
def test_each_operator_on_the_server(op, value, answer, expected):
    unit = {**UNIT, "required": False}
    data = {"s1-unit_0": answer} if answer else {}
    assert shown(one(op, value), data, controllers=(unit,)) is expected


@pytest.mark.parametrize(
    ("value", "answer", "expected"), [("yes", "yes", True), ("yes", "no", False), ("no", "no", True)]
)
def test_yes_no_rules_compare_the_answer_whatever_its_labels(value, answer, expected):
    condition = {"join": "all", "rules": [{"field": "base", "op": "equals", "value": value}]}
    assert shown(condition, {"s1-base": answer}, controllers=(BASE,)) is expected


@pytest.mark.parametrize(
    ("join", "unit", "base", "expected"),
    [
        ("all", "企业", "yes", True),
        ("all", "企业", "no", False),
        ("all", "高校", "yes", False),
        ("any", "企业", "no", True),
        ("any", "高校", "yes", True),
        ("any", "高校", "no", False),
    ],
)
def test_rules_joined_by_all_or_any(join, unit, base, expected):
    condition = {
        "join": join,
        "rules": [
            {"field": "unit", "op": "equals", "value": "企业"},
            {"field": "base", "op": "equals", "value": "yes"},
        ],
    }
    data = {"s1-unit_0": unit, "s1-base": base}
    assert shown(condition, data, controllers=(UNIT, BASE)) is expected


def test_a_condition_of_the_older_one_rule_shape_still_holds():
    legacy = {"field": "unit", "op": "equals", "value": "企业"}
    assert normalise(legacy) == one("equals", "企业")
    assert shown(legacy, {"s1-unit_0": "企业"}) is True
    assert shown(legacy, {"s1-unit_0": "医院"}) is False
    assert normalise({"field": "", "op": "equals", "value": ""}) is None
    assert normalise({"join": "any", "rules": [{"field": "", "op": "equals"}]}) is None


def test_a_rule_on_a_hidden_field_is_not_met_whatever_its_operator():
    hidden_base = {**BASE, "condition": one("equals", "企业")}
    for op in ("not_equals", "not_filled"):
        condition = {"join": "any", "rules": [{"field": "base", "op": op, "value": "yes"}]}
        assert shown(condition, {"s1-unit_0": "高校"}, controllers=(UNIT, hidden_base)) is False


def test_the_schema_knows_every_key_its_rules_read():
    schema = FormSchema(
        {
            "steps": [
                {
                    "key": "s1",
                    "title": "一",
                    "condition": {"field": "old", "op": "filled", "value": ""},
                    "fields": [
                        dependent(
                            {"join": "any", "rules": [{"field": "unit", "op": "filled"}, {"field": "base"}]}
                        )
                    ],
                }
            ]
        }
    )
    assert schema.condition_keys == {"old", "unit", "base"}


def test_the_block_reads_the_older_shape_and_writes_joined_rules():
    block = ConditionBlock()
    value = block.to_python({"field": "unit", "operator": "not_equals", "value": "企业"})
    assert value["join"] == "all"
    assert [dict(rule) for rule in value["rules"]] == [
        {"field": "unit", "operator": "not_equals", "value": "企业"}
    ]
    assert ConditionBlock.to_schema(value) == {
        "join": "all",
        "rules": [{"field": "unit", "op": "not_equals", "value": "企业"}],
    }
    [bulk] = block.bulk_to_python([{"field": "unit", "operator": "filled", "value": ""}])
    assert ConditionBlock.to_schema(bulk)["rules"][0]["op"] == "filled"
    assert ConditionBlock.to_schema(block.to_python({"field": "", "operator": "equals", "value": ""})) is None


def steps_block():
    return ApplicationFormPage._meta.get_field("steps").stream_block


def raw_form(condition):
    """A step whose second field, new and still without a key, is shown by ``condition``."""
    return [
        {
            "type": "step",
            "id": "step-1",
            "value": {
                "title": "基本信息",
                "key": "",
                "description": "",
                "condition": {"join": "all", "rules": []},
                "fields": [
                    {
                        "type": "single_choice",
                        "id": "11111111-1111-4111-8111-111111111111",
                        "value": {"label": "单位性质", "key": "", "required": True, "choices": "高校\n企业"},
                    },
                    {
                        "type": "short_text",
                        "id": "22222222-2222-4222-8222-222222222222",
                        "value": {"label": "企业规模", "key": "", "required": True, "condition": condition},
                    },
                ],
            },
        }
    ]


def test_a_rule_picked_before_the_first_save_names_the_new_field_by_its_block_and_saves_its_key():
    condition = {
        "join": "any",
        "rules": [{"field": "#11111111-1111-4111-8111-111111111111", "operator": "equals", "value": "企业"}],
    }
    block = steps_block()
    value = block.clean(block.to_python(raw_form(condition)))
    fields = value[0].value["fields"]
    assert fields[0].value["key"] == "dan_wei_xing_zhi"
    saved = ConditionBlock.to_schema(fields[1].value["condition"])
    assert saved == {"join": "any", "rules": [{"field": "dan_wei_xing_zhi", "op": "equals", "value": "企业"}]}


def test_a_rule_on_a_field_below_is_refused_next_to_the_condition():
    condition = {
        "join": "all",
        "rules": [{"field": "#22222222-2222-4222-8222-222222222222", "operator": "filled", "value": ""}],
    }
    raw = raw_form({"join": "all", "rules": []})
    raw[0]["value"]["fields"][0]["value"]["condition"] = condition
    block = steps_block()
    with pytest.raises(StreamBlockValidationError) as error:
        block.clean(block.to_python(raw))
    field_errors = error.value.block_errors[0].block_errors["fields"].block_errors[0].block_errors
    assert "condition" in field_errors


def test_the_data_migration_gives_stored_conditions_the_joined_shape():
    migration = importlib.import_module("forms_app.applications.migrations.0009_conditions_hold_joined_rules")
    raw = raw_form({"field": "dan_wei_xing_zhi", "operator": "equals", "value": "企业"})
    raw[0]["value"]["condition"] = {"field": "", "operator": "equals", "value": ""}
    steps, changed = migration.upgrade_steps(raw)
    assert changed
    assert steps[0]["value"]["condition"] == {"join": "all", "rules": []}
    condition = steps[0]["value"]["fields"][1]["value"]["condition"]
    assert condition["join"] == "all"
    [item] = condition["rules"]
    assert item["type"] == "item" and item["id"]
    assert item["value"] == {"field": "dan_wei_xing_zhi", "operator": "equals", "value": "企业"}
    # What it wrote is what the blocks read; a second run changes nothing.
    assert (
        ConditionBlock.to_schema(ConditionBlock().to_python(condition))["rules"][0]["field"]
        == "dan_wei_xing_zhi"
    )
    assert migration.upgrade_steps(steps)[1] is False


def test_the_public_form_gets_the_condition_as_json_for_its_script():
    template = Template("{% load shenbao_conditions %}{{ c|condition_json }}")
    rendered = template.render(Context({"c": {"field": "unit", "op": "equals", "value": "企业"}}))
    assert rendered == (
        "{&quot;join&quot;: &quot;all&quot;, &quot;rules&quot;: [{&quot;field&quot;: &quot;unit&quot;, "
        "&quot;op&quot;: &quot;equals&quot;, &quot;value&quot;: &quot;企业&quot;}]}"
    )
    assert template.render(Context({"c": None})) == ""


def test_a_rule_on_another_step_reaches_the_browser_decided():
    """The step's script cannot see earlier steps' inputs: the server tells it what their rules gave."""
    condition = {
        "join": "any",
        "rules": [
            {"field": "earlier", "op": "equals", "value": "企业"},
            {"field": "unit", "op": "equals", "value": "医院"},
        ],
    }
    earlier = field("short_text", key="earlier", label="上一步", options={"max_length": 20})
    form_schema = FormSchema(
        {
            "steps": [
                {"key": "s0", "title": "零", "condition": None, "fields": [earlier]},
                {"key": "s1", "title": "一", "condition": None, "fields": [UNIT, dependent(condition)]},
            ]
        }
    )
    builder = FormBuilder(form_schema)
    for answer, known in (("企业", True), ("高校", False)):
        form = builder.get_form(form_schema.steps[1], answers={"earlier": answer})
        rules = form.fields["dep"].condition["rules"]
        assert rules[0]["known"] is known
        assert "known" not in rules[1]  # on this step: the browser decides as the answer changes
        rendered = Template("{% load shenbao_conditions %}{{ c|condition_json }}").render(
            Context({"c": form.fields["dep"].condition})
        )
        assert f"&quot;known&quot;: {'true' if known else 'false'}" in rendered


@pytest.mark.django_db
def test_the_data_migration_rewrites_pages_and_their_revisions(notice_index):
    migration = importlib.import_module("forms_app.applications.migrations.0009_conditions_hold_joined_rules")
    notice = NoticePageFactory(parent=notice_index, deadline=timezone.now() + timedelta(days=10))
    page = make_form(notice, raw_form({"join": "all", "rules": []}))
    legacy = raw_form({"field": "dan_wei_xing_zhi", "operator": "equals", "value": "企业"})
    legacy[0]["value"]["fields"][0]["value"]["key"] = "dan_wei_xing_zhi"
    # Stored as forms were saved before rules could be joined, in the page and in a draft revision.
    ApplicationFormPage.objects.filter(pk=page.pk).update(steps=json.dumps(legacy, ensure_ascii=False))
    revision = page.save_revision()
    revision.content["steps"] = json.dumps(legacy, ensure_ascii=False)
    Revision.objects.filter(pk=revision.pk).update(content=revision.content)

    migration.forwards(django_apps, None)

    def stored_condition(steps):
        return steps[0]["value"]["fields"][1]["value"]["condition"]

    page.refresh_from_db()
    assert stored_condition(list(page.steps.raw_data))["join"] == "all"
    assert [r["value"] for r in stored_condition(list(page.steps.raw_data))["rules"]] == [
        {"field": "dan_wei_xing_zhi", "operator": "equals", "value": "企业"}
    ]
    content = Revision.objects.get(pk=revision.pk).content["steps"]
    steps = json.loads(content) if isinstance(content, str) else content
    assert stored_condition(steps)["rules"][0]["value"]["field"] == "dan_wei_xing_zhi"
    # The blocks read what it wrote (the published version is frozen and left alone).
    rules = FormSchema(page.get_schema_data()).steps[0]["fields"][1]["condition"]["rules"]
    assert rules[0]["field"] == "dan_wei_xing_zhi"
