"""A reader finds the Zhejiang notice: home → notice index → search → notice."""

import pytest
from playwright.sync_api import expect

from home.demo import load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ZHEJIANG = "浙江省人力资源和社会保障厅办公室关于做好2024年专家人才服务基层有关工作的通知"
SHANGHAI = "上海市人力资源和社会保障局关于组织申报2022年国家和本市专家服务基层项目的通知"


@pytest.fixture
def demo_site(live_server):
    load_demo(with_accounts=False, log=lambda line: None)
    return live_server.url


def test_reader_searches_and_reads_the_zhejiang_notice(page, demo_site, screenshot):
    page.goto(demo_site + "/")
    # Chinese even though the browser asks for English.
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.get_by_role("heading", level=1)).to_have_text("专家人才服务基层申报平台")
    expect(page.get_by_text("目前没有正在申报的通知。")).to_be_visible()
    # Keyboard users land on the skip link first.
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_class("skip-link")
    screenshot("01-home")

    page.get_by_role("link", name="全部通知").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("通知公告")
    expect(page.locator(".notice-card")).to_have_count(2)

    page.get_by_label("搜索通知").fill("海外赤子")
    page.get_by_label("搜索通知").press("Enter")
    expect(page.locator("#results-heading")).to_have_text("共1条通知")
    cards = page.locator(".notice-card__title")
    expect(cards).to_have_count(1)
    expect(cards.first).to_have_text(ZHEJIANG)
    screenshot("02-search-results")

    page.get_by_label("年份").select_option("2022")
    page.get_by_label("搜索通知").fill("")
    page.get_by_role("button", name="搜索").click()
    expect(page.locator(".notice-card__title")).to_have_text([SHANGHAI])
    page.get_by_role("link", name="清除筛选").click()
    expect(page.locator(".notice-card")).to_have_count(2)

    page.get_by_role("link", name=ZHEJIANG).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(ZHEJIANG)
    deadline = page.locator(".deadline-panel")
    expect(deadline).to_contain_text("申报截止时间")
    expect(deadline).to_contain_text("2024年1月26日 17:00")
    expect(deadline).to_contain_text("已截止")
    expect(page.locator(".official-document__recipients")).to_have_text(
        "各市、县（市、区）人力资源和社会保障局："
    )
    body = page.locator(".official-document__body")
    expect(body.get_by_role("heading", name="（三）择优推荐人社部专家库成员")).to_be_visible()
    expect(body).to_contain_text("择优推荐不少于3名专家")
    expect(body).to_contain_text("所有申报材料纸质版本需加盖单位公章（3份）")
    expect(page.locator(".notice-contacts")).to_contain_text("郑坤")
    expect(page.locator(".notice-contacts")).to_contain_text("0571-88394838")
    expect(page.locator(".official-document__signature")).to_contain_text("2024年1月19日")
    screenshot("03-zhejiang-notice")

    # The English switch keeps the reader on the same page.
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text(ZHEJIANG)
    expect(page.locator(".deadline-panel")).to_contain_text("Application deadline")
    expect(page.locator(".deadline-panel")).to_contain_text("Closed")
    screenshot("04-zhejiang-notice-english")


def test_notice_page_on_a_phone_and_in_print(browser, demo_site):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.goto(demo_site + "/notices/zhejiang-2024-expert-services/")
    # Nothing wider than the screen: no sideways scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".official-document__title")).to_be_visible()
    context.close()
