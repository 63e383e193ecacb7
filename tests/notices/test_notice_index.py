"""The public notice index: Chinese full-text search, filters and pagination."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from home.demo import load_demo
from tests.factories import NoticePageFactory
from tests.html import soup, text_of

SHANGHAI = "上海市人力资源和社会保障局关于组织申报2022年国家和本市专家服务基层项目的通知"
ZHEJIANG = "浙江省人力资源和社会保障厅办公室关于做好2024年专家人才服务基层有关工作的通知"


def titles(response):
    assert response.status_code == 200
    return [text_of(a) for a in soup(response).select(".notice-card__title a")]


@pytest.fixture
def demo(db):
    load_demo(with_accounts=False, log=lambda line: None)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("专家服务", {SHANGHAI, ZHEJIANG}),
        ("浙江", {ZHEJIANG}),
        ("浙", {ZHEJIANG}),
        ("海外赤子", {ZHEJIANG}),  # only in Zhejiang's body text
        ("五个新城", {SHANGHAI}),  # only in Shanghai's body text
        ("省专家与留学人员服务中心", {ZHEJIANG}),  # a contact's organisation
        ("专家 五个新城", {SHANGHAI}),  # every word must match
        ("不存在的关键词", set()),
    ],
)
def test_chinese_search(client, demo, query, expected):
    assert set(titles(client.get("/notices/", {"q": query}))) == expected


def test_unpublished_notices_are_not_found(client, demo, notice_index):
    draft = NoticePageFactory(parent=notice_index, title="草稿通知海外赤子")
    draft.unpublish()
    assert titles(client.get("/notices/", {"q": "海外赤子"})) == [ZHEJIANG]


def test_filters_by_year_and_issuer(client, demo):
    assert titles(client.get("/notices/", {"year": "2022"})) == [SHANGHAI]
    assert titles(client.get("/notices/", {"issuer": "浙江省人力资源和社会保障厅办公室"})) == [ZHEJIANG]
    assert titles(client.get("/notices/", {"year": "2022", "q": "浙江"})) == []
    # Newest first without a query.
    assert titles(client.get("/notices/")) == [ZHEJIANG, SHANGHAI]


def test_filter_by_status(client, notice_index):
    now = timezone.now()
    NoticePageFactory(parent=notice_index, title="开放中的通知", deadline=now + timedelta(days=20))
    NoticePageFactory(parent=notice_index, title="即将截止的通知", deadline=now + timedelta(days=2))
    NoticePageFactory(parent=notice_index, title="已截止的通知", deadline=now - timedelta(days=2))
    assert titles(client.get("/notices/", {"status": "open"})) == ["开放中的通知"]
    assert titles(client.get("/notices/", {"status": "closing_soon"})) == ["即将截止的通知"]
    assert titles(client.get("/notices/", {"status": "closed"})) == ["已截止的通知"]
    assert titles(client.get("/notices/", {"status": "closing_soon", "q": "通知"})) == ["即将截止的通知"]


def test_filter_controls_offer_what_exists(client, demo):
    page = soup(client.get("/notices/"))
    years = [o["value"] for o in page.select("select[name=year] option") if o["value"]]
    assert years == ["2024", "2022"]
    issuers = [o["value"] for o in page.select("select[name=issuer] option") if o["value"]]
    assert set(issuers) == {"上海市人力资源和社会保障局", "浙江省人力资源和社会保障厅办公室"}
    # Every control has a label that points at it.
    for control in page.select(".notice-filter input, .notice-filter select"):
        assert page.find("label", attrs={"for": control["id"]}), control


def test_pagination(client, notice_index):
    for n in range(23):
        NoticePageFactory(parent=notice_index, issue_date=date(2025, 1, 1) + timedelta(days=n))
    first = titles(client.get("/notices/"))
    third = titles(client.get("/notices/", {"page": "3"}))
    assert len(first) == 10
    assert len(third) == 3
    assert titles(client.get("/notices/", {"page": "999"})) == third
    assert titles(client.get("/notices/", {"page": "abc"})) == first
    # Filters survive in the page links.
    page = soup(client.get("/notices/", {"year": "2025", "page": "2"}))
    assert page.select_one(".pagination a[rel=next]")["href"] == "?year=2025&page=3"
    assert page.select_one(".pagination [aria-current=page]").get_text() == "2"


@pytest.mark.parametrize(
    "params",
    [
        {"q": "专家" * 200},
        {"q": "\x00\x01\x1f专家"},
        {"year": "abc"},
        {"year": "1900"},
        {"status": "nonsense"},
        {"issuer": "不存在的机关"},
        {"q": "'; DROP TABLE wagtailcore_page; --"},
        {"q": '"unbalanced (quote OR'},
    ],
)
def test_hostile_input_gets_a_message_not_an_error(client, demo, params):
    response = client.get("/notices/", params)
    assert response.status_code == 200
    page = soup(response)
    assert len(page.find_all("h1")) == 1


def test_invalid_filter_is_explained_next_to_its_field(client, demo):
    page = soup(client.get("/notices/", {"status": "nonsense"}))
    error = page.select_one(".form-field--status .field-error")
    assert error is not None and error.get_text(strip=True)
    select = page.select_one("select[name=status]")
    assert select["aria-describedby"] == error["id"]
