"""The home page lists what is open now, then the latest notices."""

from datetime import timedelta

from django.utils import timezone

from tests.factories import NoticePageFactory
from tests.html import soup, text_of


def test_open_and_closing_soon_notices_come_first(client, notice_index):
    now = timezone.now()
    NoticePageFactory(parent=notice_index, title="下月截止的通知", deadline=now + timedelta(days=30))
    NoticePageFactory(parent=notice_index, title="后天截止的通知", deadline=now + timedelta(days=2))
    NoticePageFactory(parent=notice_index, title="去年截止的通知", deadline=now - timedelta(days=300))
    page = soup(client.get("/"))
    accepting = page.select_one("section[aria-labelledby=accepting-heading]")
    assert [text_of(a) for a in accepting.select(".notice-card__title a")] == [
        "后天截止的通知",
        "下月截止的通知",
    ]
    statuses = [text_of(s) for s in accepting.select(".status")]
    assert statuses == ["即将截止", "正在申报"]
    latest = page.select_one("section[aria-labelledby=latest-heading]")
    assert "去年截止的通知" in text_of(latest)
    assert len(page.find_all("h1")) == 1


def test_empty_home_page_says_so(client, site_tree):
    page = soup(client.get("/"))
    assert page.select(".notice-card") == []
    assert len(page.select(".empty")) == 2


def test_skip_link_and_navigation(client, site_tree):
    page = soup(client.get("/"))
    first_link = page.body.find("a")
    assert first_link["href"] == "#main" and "skip-link" in first_link["class"]
    nav_links = [text_of(a) for a in page.select(".site-nav a")]
    assert nav_links == ["首页", "通知公告"]


def test_missing_page_gets_a_translated_404(client, site_tree):
    response = client.get("/notices/no-such-notice/")
    assert response.status_code == 404
    page = soup(response)
    assert text_of(page.h1) == "页面不存在"
    assert page.select_one("a.button")["href"] == "/"
