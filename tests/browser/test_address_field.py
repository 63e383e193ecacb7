"""An applicant fills in addresses: a field of its own and a column of a repeating table.

The region is picked from one list grouped by province and city; the street and the postcode are
typed. forms.js copies the table's last row, address cell included, and renumbers its inputs; the
server refuses an address with a region but no street, and keeps the region chosen.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from forms_app.applications.models import Submission
from forms_app.builder.factories import field, step
from forms_app.builder.models import Region
from home.site_tree import ensure_site_tree
from tests.applications.test_form_pages import make_form
from tests.factories import NoticePageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

STREET = "文三路90号"
POSTCODE = "310012"
EXPERT_STREETS = ["天目山路148号", "解放路18号"]


def ui(text):
    """The interface's wording of ``text`` (an English msgid) on the Chinese site."""
    with translation.override("zh-hans"):
        return translation.gettext(text)


def either(text):
    """A name in the interface's Chinese or its English wording, exactly."""
    return re.compile(rf"^\s*({re.escape(ui(text))}|{re.escape(text)})\s*$")


def label(text):
    """A field's label: its text, then "*" and "(required)" for required fields."""
    return re.compile(rf"^\s*{re.escape(text)}\s*\*?\s*(?:{re.escape(ui('(required)'))})?\s*$")


@pytest.fixture
def regions():
    zhejiang = Region.objects.create(name="浙江省", code="330000", level="province")
    hangzhou = Region.objects.create(name="杭州市", code="330100", level="city", parent=zhejiang)
    xihu = Region.objects.create(name="西湖区", code="330106", level="county", parent=hangzhou)
    shangcheng = Region.objects.create(name="上城区", code="330102", level="county", parent=hangzhou)
    return {"zhejiang": zhejiang, "hangzhou": hangzhou, "xihu": xihu, "shangcheng": shangcheng}


@pytest.fixture
def form_url(live_server, regions):
    _home, index, _created = ensure_site_tree()
    notice = NoticePageFactory(parent=index, deadline=timezone.now() + timedelta(days=10))
    form = make_form(
        notice,
        [
            step(
                "contact",
                "联系方式",
                field("address", "通讯地址", "addr", parent=None, level="county", with_postcode=True),
                field(
                    "table",
                    "专家名单",
                    "experts",
                    columns=[
                        {"label": "姓名", "key": "name", "type": "text", "required": True, "choices": ""},
                        {
                            "label": "单位地址",
                            "key": "addr",
                            "type": "address",
                            "required": False,
                            "choices": "",
                        },
                    ],
                    min_rows=1,
                    max_rows=5,
                    numbered=True,
                    show_totals=False,
                ),
            )
        ],
        login_required=False,
    )
    assert form.is_open()
    return live_server.url + form.url


def start(page, form_url):
    page.goto(form_url)
    page.get_by_role("button", name=either("Start now")).click()
    step = page.locator("section.form-step--current")
    expect(step.locator("#step-title")).to_contain_text("联系方式")
    return step


def check_answers(step):
    step.get_by_role("button", name=either("Save and check your answers")).click()


PARTS = ["Region", "Street and number", "Postcode"]


def cell_inputs(row):
    """The region select, street and postcode inputs of a table row's address cell, by their labels."""
    return [row.get_by_label(either(part)) for part in PARTS]


def test_address_field_and_address_column(page, form_url, screenshot):
    step = start(page, form_url)
    address = step.locator('[data-field-key="addr"]')
    region = address.get_by_label(either("Region"))
    expect(region).to_have_attribute("name", "contact-addr_0")
    # The regions are grouped by province and city; provinces with counties below are not offered.
    expect(region.locator("optgroup")).to_have_attribute("label", "浙江省 杭州市")
    expect(region.locator("option:not([value=''])")).to_have_text(["上城区", "西湖区"])
    region.select_option(label="西湖区")
    expect(region).to_have_value("330106")
    address.get_by_label(either("Street and number")).fill(STREET)
    address.get_by_label(either("Postcode")).fill(POSTCODE)

    table = step.locator('[data-table="contact-experts"]')
    rows = table.locator("tbody tr[data-row]")
    expect(rows).to_have_count(1)
    first = rows.nth(0)
    first.locator('input[name="contact-experts-0-name"]').fill("王建国")
    region_0, street_0, postcode_0 = cell_inputs(first)
    expect(region_0).to_have_attribute("name", "contact-experts-0-addr_0")
    region_0.select_option(label="西湖区")
    street_0.fill(EXPERT_STREETS[0])
    postcode_0.fill("310013")

    table.get_by_role("button", name=either("Add a row")).click()
    expect(rows).to_have_count(2)
    expect(table.locator("[data-row-number]")).to_have_text(["1", "2"])
    expect(table.locator("input[data-row-count]")).to_have_value("2")
    second = rows.nth(1)
    new_inputs = cell_inputs(second)
    for part, element in enumerate(new_inputs):
        name = f"contact-experts-1-addr_{part}"
        expect(element).to_have_attribute("name", name)
        expect(element).to_have_attribute("id", f"id_{name}")
        # The new row starts empty although it copies the first.
        expect(element).to_have_value("")
        # Each part is named by its own label, not by the first row's.
        expect(element).to_have_accessible_name(re.compile(rf"{ui(PARTS[part])}|{PARTS[part]}"))
    # Each label of the new cell points at its own input, not at the first row's.
    labels = second.locator("label[for]")
    expect(labels).to_have_count(3)
    assert labels.evaluate_all("ls => ls.map(l => l.htmlFor)") == [
        f"id_contact-experts-1-addr_{part}" for part in range(3)
    ]
    for element in labels.evaluate_all("ls => ls.map(l => l.control && l.control.name)"):
        assert element is not None and element.startswith("contact-experts-1-addr_")
    ids = page.locator("[id]").evaluate_all("els => els.map(e => e.id)")
    assert len(ids) == len(set(ids)), "ids on the page are not unique"

    second.locator('input[name="contact-experts-1-name"]').fill("李秀英")
    region_1, street_1, postcode_1 = new_inputs
    region_1.select_option(label="上城区")
    street_1.fill(EXPERT_STREETS[1])
    # Clicking a label of the copied cell focuses that row's input.
    second.locator('label[for="id_contact-experts-1-addr_2"]').click()
    expect(postcode_1).to_be_focused()
    # The first row is unchanged by the copy.
    expect(region_0).to_have_value("330106")
    expect(street_0).to_have_value(EXPERT_STREETS[0])
    screenshot("40-address-field-and-column")

    check_answers(step)
    expect(page).to_have_url(re.compile(r"/apply/\d+/check/$"))
    answer = page.locator('[data-answer-key="addr"] dd')
    expect(answer).to_contain_text("浙江省杭州市西湖区" + STREET)
    expect(answer).to_contain_text(POSTCODE)
    experts = page.locator('[data-answer-key="experts"] dd')
    expect(experts.locator("tbody tr")).to_have_count(2)
    expect(experts.locator("tbody tr").nth(0)).to_contain_text("王建国")
    expect(experts.locator("tbody tr").nth(0)).to_contain_text("浙江省杭州市西湖区" + EXPERT_STREETS[0])
    expect(experts.locator("tbody tr").nth(1)).to_contain_text("李秀英")
    expect(experts.locator("tbody tr").nth(1)).to_contain_text("浙江省杭州市上城区" + EXPERT_STREETS[1])

    page.locator(".submit-panel").get_by_role("button", name=either("Submit")).click()
    expect(page).to_have_url(re.compile(r"/apply/\d+/submitted/$"))
    answers = Submission.objects.get().answers
    assert answers["addr"] == {
        "region": {"code": "330106", "name": "西湖区"},
        "path": ["浙江省", "杭州市", "西湖区"],
        "street": STREET,
        "postcode": POSTCODE,
    }
    assert [row["name"] for row in answers["experts"]] == ["王建国", "李秀英"]
    assert answers["experts"][0]["addr"] == {
        "region": {"code": "330106", "name": "西湖区"},
        "path": ["浙江省", "杭州市", "西湖区"],
        "street": EXPERT_STREETS[0],
        "postcode": "310013",
    }
    assert answers["experts"][1]["addr"] == {
        "region": {"code": "330102", "name": "上城区"},
        "path": ["浙江省", "杭州市", "上城区"],
        "street": EXPERT_STREETS[1],
        "postcode": "",
    }


def test_an_address_without_street_is_refused_next_to_it(page, form_url, screenshot):
    step = start(page, form_url)
    address = step.locator('[data-field-key="addr"]')
    address.get_by_label(either("Region")).select_option(label="西湖区")
    step.locator('input[name="contact-experts-0-name"]').fill("王建国")
    check_answers(step)

    step = page.locator("section.form-step--current")
    address = step.locator('[data-field-key="addr"]')
    expect(address).to_have_class(re.compile(r"\bhas-error\b"))
    message = ui("%(field)s: enter the street and number.") % {"field": "通讯地址"}
    expect(address.locator(".form-field__errors")).to_have_text(message)
    expect(page.locator(".has-error")).to_have_count(1)
    expect(page.locator(".form-errors[role=alert]")).to_be_visible()
    # The message is read out with the address's fieldset, and the region chosen is kept.
    expect(address.locator("fieldset")).to_have_accessible_description(re.compile(re.escape(message)))
    region = address.get_by_label(either("Region"))
    expect(region).to_have_value("330106")
    expect(region.locator("option:checked")).to_have_text("西湖区")
    street = address.get_by_label(either("Street and number"))
    expect(street).to_have_value("")
    expect(street).to_have_attribute("aria-invalid", "true")
    expect(step.locator('input[name="contact-experts-0-name"]')).to_have_value("王建国")
    screenshot("41-address-without-street")

    street.fill(STREET)
    check_answers(step)
    expect(page).to_have_url(re.compile(r"/apply/\d+/check/$"))
    expect(page.locator('[data-answer-key="addr"] dd')).to_have_text("浙江省杭州市西湖区" + STREET)
