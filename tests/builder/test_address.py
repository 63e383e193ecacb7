"""The address type, added as one module of the registry: in a step, in a table, on paper, in files."""

import pytest
from django.utils import translation

from forms_app.builder.display import answer_text, render_answers, search_words
from forms_app.builder.field_blocks import BaseFieldBlock
from forms_app.builder.models import Region
from forms_app.builder.registry import ImportContext, field_type
from forms_app.builder.types.tables import column_type_choices
from tests.builder.test_field_types import bind, clean, errors_of, field, schema

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def regions():
    zhejiang = Region.objects.create(name="浙江省", code="330000", level="province")
    hangzhou = Region.objects.create(name="杭州市", code="330100", level="city", parent=zhejiang)
    Region.objects.create(name="西湖区", code="330106", level="county", parent=hangzhou)
    Region.objects.create(name="上城区", code="330102", level="county", parent=hangzhou)
    Region.objects.create(name="温州市", code="330300", level="city", parent=zhejiang)  # no counties listed
    shanghai = Region.objects.create(name="上海市", code="310000", level="province")
    Region.objects.create(name="徐汇区", code="310104", level="county", parent=shanghai)


ADDRESS = field(
    "address", label="通讯地址", options={"parent": None, "level": "county", "with_postcode": True}
)
XIHU = {
    "region": {"code": "330106", "name": "西湖区"},
    "path": ["浙江省", "杭州市", "西湖区"],
    "street": "文三路90号",
    "postcode": "310012",
}


def test_region_street_and_postcode_are_stored_with_the_region_path():
    data = {"s1-f_0": "330106", "s1-f_1": "  文三路90号 ", "s1-f_2": "３１００１２"}
    assert clean(ADDRESS, data) == XIHU


def test_the_region_list_offers_counties_grouped_by_city_and_cities_without_counties():
    html = bind(ADDRESS, {}).as_p()
    assert '<optgroup label="浙江省 杭州市">' in html and '<optgroup label="上海市">' in html
    assert 'value="330106"' in html and 'value="310104"' in html
    assert 'value="330300"' in html  # 温州市 has no county in the list, so the city itself is offered
    assert 'value="330100"' not in html  # 杭州市 has counties: one of them must be chosen
    # Within a region, only its part of the list.
    within = field(
        "address", label="地址", options={"parent": "310000", "level": "county", "with_postcode": False}
    )
    html = bind(within, {}).as_p()
    assert 'value="310104"' in html and 'value="330106"' not in html
    assert 'autocomplete="postal-code"' not in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"s1-f_0": "", "s1-f_1": "文三路90号", "s1-f_2": ""}, "choose the region"),
        ({"s1-f_0": "330106", "s1-f_1": " ", "s1-f_2": ""}, "enter the street"),
        ({"s1-f_0": "330106", "s1-f_1": "文三路90号", "s1-f_2": "12345"}, "通讯地址"),
        ({"s1-f_0": "330100", "s1-f_1": "文三路90号", "s1-f_2": ""}, "通讯地址"),  # a city that has counties
        ({"s1-f_0": "", "s1-f_1": "", "s1-f_2": ""}, "this is required"),
    ],
)
def test_bad_addresses_get_a_message_that_names_the_field(data, message):
    with translation.override("en"):
        messages = errors_of(ADDRESS, data)
    assert any(message in text for text in messages), messages


def test_optional_address_left_empty_is_no_answer():
    optional = {**ADDRESS, "required": False}
    assert clean(optional, {"s1-f_0": "", "s1-f_1": "", "s1-f_2": ""}) is None


def test_reads_as_one_line_on_screen_on_paper_in_cells_and_in_search():
    with translation.override("zh-hans"):
        assert answer_text(ADDRESS, XIHU) == "浙江省杭州市西湖区文三路90号（邮编310012）"
    with translation.override("en"):
        assert answer_text(ADDRESS, XIHU) == "浙江省杭州市西湖区文三路90号 (postcode 310012)"
    form = schema(ADDRESS)
    [section] = render_answers(form, {"f": XIHU}, mode="print")
    assert section["items"][0]["text"].startswith("浙江省杭州市西湖区文三路90号")
    assert "西湖区文三路90号" in search_words(form, {"f": XIHU})


@pytest.mark.parametrize(
    "cell",
    ["浙江省杭州市西湖区文三路90号（邮编310012）", "浙江省杭州市西湖区文三路90号 (postcode 310012)"],
)
def test_a_cell_in_either_language_parses_back(cell):
    context = ImportContext(Region.objects.select_related("parent__parent"))
    raw = field_type("address").parse(ADDRESS, cell, context)
    assert raw == ["330106", "文三路90号", "310012"]


def test_a_cell_naming_no_region_of_the_list_is_refused_by_the_field():
    context = ImportContext(Region.objects.select_related("parent__parent"))
    raw = field_type("address").parse(ADDRESS, "北京市朝阳区建国路1号", context)
    assert raw[0] == ""
    with translation.override("en"):
        messages = errors_of(ADDRESS, {"s1-f_0": raw[0], "s1-f_1": raw[1], "s1-f_2": raw[2]})
    assert any("choose the region" in text for text in messages)


TABLE = field(
    "table",
    label="专家名单",
    options={
        "columns": [
            {"key": "name", "label": "姓名", "type": "text", "required": True, "unit": ""},
            {"key": "addr", "label": "通讯地址", "type": "address", "required": True, "unit": ""},
        ],
        "min_rows": 1,
        "max_rows": 5,
        "numbered": True,
        "show_totals": False,
    },
)


def test_an_address_column_in_a_repeating_table():
    assert "address" in [code for code, _label in column_type_choices()]
    data = {
        "s1-f-rows": "2",
        "s1-f-0-name": "郑坤",
        "s1-f-0-addr_0": "330106",
        "s1-f-0-addr_1": "文三路90号",
        "s1-f-0-addr_2": "310012",
        "s1-f-1-name": "王敏",
        "s1-f-1-addr_0": "310104",
        "s1-f-1-addr_1": "漕溪北路1号",
        "s1-f-1-addr_2": "",
    }
    rows = clean(TABLE, data)
    assert rows[0] == {"name": "郑坤", "addr": XIHU}
    assert rows[1]["addr"]["path"] == ["上海市", "徐汇区"] and rows[1]["addr"]["postcode"] == ""
    # The table shows each address as its line.
    [section] = render_answers(schema(TABLE), {"f": rows})
    table = section["items"][0]["table"]
    assert table["rows"][0] == [1, "郑坤", answer_text(ADDRESS, XIHU)]
    assert table["rows"][1][2] == "上海市徐汇区漕溪北路1号"


def test_an_address_cell_with_a_problem_names_its_row_and_column():
    data = {"s1-f-rows": "1", "s1-f-0-name": "郑坤", "s1-f-0-addr_0": "330106", "s1-f-0-addr_1": ""}
    with translation.override("en"):
        form = bind(TABLE, data)
        assert not form.is_valid()
        [message] = form.errors["f"]
    assert "Row 1" in message and message.count("通讯地址") == 1 and "street" in message


def test_the_table_renders_the_address_inputs_of_each_row():
    html = bind(TABLE, {}).as_p()
    assert 'name="s1-f-0-addr_0"' in html and 'name="s1-f-0-addr_1"' in html
    assert 'id="id_s1-f-0-addr_0"' in html


def test_the_block_describes_itself_as_plain_data():
    block = field_type("address").get_block()
    assert isinstance(block, BaseFieldBlock)
    value = block.to_python(
        {"label": "地址", "key": "addr", "required": True, "level": "city", "with_postcode": False}
    )
    spec = block.to_schema(value)
    assert spec["type"] == "address"
    assert spec["options"] == {"parent": None, "level": "city", "with_postcode": False}
