"""An applicant's whole journey in a real browser.

They register and confirm their e-mail address, fill in 附件1 step by step,
stop after the first step and pick the draft up again on another device,
check their answers, change one and submit (a double click, then a late repeat
of the post, make one submission), then fill in 附件5's repeating table and
find both submissions under "My applications".

The site is Chinese first and its catalogue is still being translated, so the
interface's words are looked up with gettext, as the live server (a thread of
this process) renders them.
"""

import re
from datetime import timedelta
from urllib.parse import urlparse

import pytest
from django.core import mail
from django.utils import timezone, translation
from playwright.sync_api import expect

from forms_app.applications.models import ApplicationFormPage, Submission, SubmissionStatus
from home.demo import load_demo
from notices.models import NoticePage
from tests.browser.conftest import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ZHEJIANG = "zhejiang-2024-expert-services"
EMAIL = "zhang.wei@example.cn"
PASSWORD = "Qiantang-river-2026"
BANK_CODE = "102331000011"
OTHER_SERVICE = "远程在线问诊"


def ui(text):
    """The interface's wording of ``text`` (an English msgid) on the Chinese site."""
    with translation.override("zh-hans"):
        return translation.gettext(text)


def exactly(text):
    """The accessible name of a button or link, exactly the interface's wording of ``text``."""
    return re.compile(rf"^\s*{re.escape(ui(text))}\s*$")


def label(text):
    """A field's label: its text, then "*" and "(required)" for required fields."""
    return re.compile(rf"^\s*{re.escape(text)}\s*\*?\s*(?:{re.escape(ui('(required)'))})?\s*$")


def ui_label(text):
    """The accessible name of a field the site labels in its own words (``text`` is the msgid)."""
    return label(ui(text))


def shoot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def zhejiang_form(slug):
    """The Zhejiang 2024 notice's form ``slug`` (form-1 is 附件1)."""
    notice = NoticePage.objects.get(slug=ZHEJIANG)
    return ApplicationFormPage.objects.child_of(notice).get(slug=slug)


def open_form(slug, days=10):
    """Open a demo form (their 2024 deadline is long past) for ``days`` more days."""
    form = zhejiang_form(slug)
    form.opens_at = None
    form.closes_at = timezone.now() + timedelta(days=days)
    form.save_revision().publish()
    form.refresh_from_db()
    assert form.is_open()
    # The quotas (附件1: one per region) leave room for this applicant.
    for quota in (form.max_per_region, form.max_per_organisation):
        assert quota is None or quota > form.submissions.count()
    return form


@pytest.fixture
def site(live_server, settings):
    # The links mailed to the applicant start with the site's public address: here, the live server.
    settings.SHENBAO_PUBLIC_URL = live_server.url
    load_demo(with_accounts=False, log=lambda line: None)
    open_form("form-1")
    open_form("form-5")
    return live_server.url


@pytest.fixture
def new_device(browser):
    """Open a fresh browser context (another device: no cookies) and return its page."""
    contexts = []

    def open_page():
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield open_page
    for context in contexts:
        context.close()


# --- accounts ---------------------------------------------------------------------------------------


def register(page, site, next_url):
    page.goto(f"{site}/accounts/register/?next={next_url}")
    page.get_by_label(ui_label("E-mail")).fill(EMAIL)
    page.get_by_label(ui_label("Full name")).fill("张伟")
    page.get_by_label(ui_label("Password")).fill(PASSWORD)
    page.get_by_label(ui_label("Password again")).fill(PASSWORD)
    page.get_by_label(ui_label("Organisation name")).fill("杭州市人力资源和社会保障局")
    page.get_by_label(ui_label("Region")).select_option(label="浙江省 · 杭州市")
    shoot(page, "30-register")
    page.get_by_role("button", name=exactly("Register")).click()
    expect(page).to_have_url(re.compile(r"/accounts/register/check-your-inbox/$"))


def follow_verification_link(page):
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [EMAIL]
    link = re.search(r"https?://\S+/accounts/verify/\S+", message.body).group(0)
    page.goto(link)


def sign_in(page, site):
    page.goto(f"{site}/accounts/login/")
    page.get_by_label(ui_label("E-mail")).fill(EMAIL)
    page.get_by_label(ui_label("Password")).fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name=exactly("Sign in")).click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


# --- the wizard -------------------------------------------------------------------------------------


def step_section(page):
    return page.locator("section.form-step--current")


def expect_step(page, title):
    expect(page.locator("#step-title")).to_contain_text(title)


def save_and_continue(page):
    """Press the step's first button, the one Enter presses: continue, check, or back to the check page."""
    step_section(page).locator(".form-actions button").first.click()


def fill_basic_step(page):
    step = step_section(page)
    step.get_by_label(label("服务团名称")).fill("钱塘江专家服务团")
    step.get_by_label(label("承办地区")).select_option(label="杭州市")
    step.get_by_label(label("服务次数")).fill("3")
    step.get_by_label("开始时间").fill("2026-12-01")
    step.get_by_label("结束时间").fill("2026-12-20")
    step.get_by_label(label("覆盖地市数")).fill("2")
    step.get_by_label(label("覆盖区县数")).fill("5")
    step.get_by_label(label("活动地点分别是")).fill("淳安县千岛湖镇\n建德市梅城镇")
    step.get_by_label(label("服务领域")).fill("农业技术")
    step.get_by_label(label("参与专家人数")).fill("12")


def expect_basic_step_filled(page):
    step = step_section(page)
    expect(step.get_by_label(label("服务团名称"))).to_have_value("钱塘江专家服务团")
    expect(step.get_by_label(label("承办地区"))).to_have_value("330100")
    expect(step.get_by_label(label("服务次数"))).to_have_value("3")
    expect(step.get_by_label("开始时间")).to_have_value("2026-12-01")
    expect(step.get_by_label("结束时间")).to_have_value("2026-12-20")
    expect(step.get_by_label(label("活动地点分别是"))).to_have_value("淳安县千岛湖镇\n建德市梅城镇")
    expect(step.get_by_label(label("参与专家人数"))).to_have_value("12")


def fill_contact_step(page, bank_code):
    step = step_section(page)
    step.get_by_label(label("负责部门")).fill("专家服务处")
    step.get_by_label(label("联系人")).fill("李娜")
    step.get_by_label(label("办公电话")).fill("0571-88394838")
    step.get_by_label(label("手机")).fill("13429129088")
    step.get_by_label(label("E-mail")).fill("lina@example.cn")
    step.get_by_label(label("开户行名称")).fill("工商银行杭州西湖支行")
    step.get_by_label(label("账户名")).fill("杭州市人力资源和社会保障局")
    step.get_by_label(label("账号")).fill("1202021109900012345")
    step.get_by_label(label("开户行联行号")).fill(bank_code)


def fill_service_step(page):
    step = step_section(page)
    cross = step.locator('[data-field-key="cross_province"]')
    cross.get_by_role("checkbox", name="国家乡村振兴重点帮扶县", exact=True).check()
    forms = step.locator('[data-field-key="service_forms"]')
    forms.get_by_role("checkbox", name="技术指导", exact=True).check()
    forms.get_by_role("checkbox", name="义诊", exact=True).check()
    forms.get_by_role("checkbox", name="其他", exact=True).check()
    other = forms.locator("[data-other-for]")
    expect(other).to_be_visible()
    other.get_by_role("textbox").fill(OTHER_SERVICE)
    step.get_by_label(label("3.拟开展的服务内容")).fill("组织农业、医疗专家赴山区县开展技术指导和义诊。")
    step.get_by_label(label("4.经费保障")).fill("市财政安排专项经费20万元。")


def fill_activity_plan(page):
    step = step_section(page)
    step.get_by_label(label("填报人")).fill("李娜")
    step.locator('[data-field-key="reporter_phone"]').get_by_label(label("联系电话")).fill("0571-88394838")
    table = step.locator("[data-table]")
    rows = table.locator("tbody tr[data-row]")
    add_row = table.get_by_role("button", name=exactly("Add a row"))
    experts = table.locator("output[data-total=experts]")
    budget = table.locator("output[data-total=budget]")
    expect(rows).to_have_count(1)
    for _ in range(3):
        add_row.click()
    expect(rows).to_have_count(4)
    expect(table.locator("[data-row-number]")).to_have_text(["1", "2", "3", "4"])

    activities = [
        ("乡村振兴专家行", "农技指导", "2026-12-05", "市农科院", "6", "3"),
        ("海岛医疗义诊", "巡回义诊", "2026-12-12", "市第一人民医院", "8", "4.5"),
        ("科技下乡讲座", "科普讲座", "2026-12-18", "市科协", "5", "1.2"),
        ("人才对接会", "项目对接", "2026-12-26", "市人才中心", "4", "2"),
    ]
    for index, (name, content, held_on, organiser, people, cost) in enumerate(activities):
        row = rows.nth(index)
        row.get_by_label("活动名称").fill(name)
        row.get_by_label("活动主要内容").fill(content)
        row.get_by_label("拟举办日期").fill(held_on)
        row.get_by_label("举办单位").fill(organiser)
        row.get_by_label("邀请专家数").fill(people)
        row.get_by_label("活动联系人").fill("王强")
        row.get_by_label("联系电话").fill("13429129088")
        row.get_by_label("活动预算").fill(cost)
    expect(experts).to_have_text("23")
    expect(budget).to_have_text("10.7")
    shoot(page, "35-form-5-table")

    # Removing the first row renumbers the rest and updates the totals.
    rows.nth(0).get_by_role("button", name=exactly("Remove row")).click()
    expect(rows).to_have_count(3)
    expect(table.locator("[data-row-number]")).to_have_text(["1", "2", "3"])
    expect(experts).to_have_text("17")
    expect(budget).to_have_text("7.7")


# --- the check page and submission ------------------------------------------------------------------


def answer(page, key):
    return page.locator(f'[data-answer-key="{key}"] dd')


def submit_twice(page):
    """Double-click "Submit", then post the check page's form once more, as a late retry would.

    Chromium folds a fast double click into one request, so the repeated post
    is sent by hand (with the browser's cookies) once the first has gone
    through: the server must answer it with the submission already made.
    """
    check_url = page.url
    token = page.locator(".submit-panel input[name=csrfmiddlewaretoken]").input_value()
    page.locator(".submit-panel").get_by_role("button", name=exactly("Submit")).dblclick()
    expect(page).to_have_url(re.compile(r"/apply/\d+/submitted/$"))
    again = page.request.post(
        check_url, form={"csrfmiddlewaretoken": token}, headers={"Referer": check_url}, max_redirects=0
    )
    assert again.status == 302 and again.headers["location"] == urlparse(page.url).path


def reference_pattern(form_code):
    year = timezone.localtime().year
    return re.compile(rf"^ZJ{year}-{form_code}-\d{{5}}$")


def confirmed_reference(page, form_code):
    reference = page.locator("[data-reference]")
    expect(reference).to_have_text(reference_pattern(form_code))
    return reference.inner_text().strip()


# --- the tests --------------------------------------------------------------------------------------


def test_an_applicant_applies_across_two_devices_and_submits_two_forms(site, new_device):
    form_1, form_5 = zhejiang_form("form-1"), zhejiang_form("form-5")

    # --- Registering; the link in the e-mail confirms the address and signs in.
    laptop = new_device()
    register(laptop, site, form_1.url)
    follow_verification_link(laptop)
    expect(laptop).to_have_url(site + form_1.url)
    laptop.locator(".apply-panel").get_by_role("button", name=exactly("Start now")).click()

    # --- Step 1 on the laptop, then the applicant leaves.
    expect_step(laptop, "基本信息")
    fill_basic_step(laptop)
    save_and_continue(laptop)
    expect_step(laptop, "联系人与账户")
    laptop.context.close()

    # --- Another device: sign in, "My applications", continue the draft.
    phone = new_device()
    sign_in(phone, site)
    phone.goto(f"{site}/applications/")
    drafts = phone.locator("table.my-drafts tbody tr")
    expect(drafts).to_have_count(1)
    expect(drafts).to_contain_text("附件1")
    drafts.get_by_role("link", name=exactly("Continue")).click()
    # It lands where the applicant stopped; step 1 is done and kept.
    expect_step(phone, "联系人与账户")
    phone.locator(".wizard-progress").get_by_role("link", name="基本信息").click()
    expect_step(phone, "基本信息")
    expect_basic_step_filled(phone)
    shoot(phone, "31-resumed-on-another-device")
    save_and_continue(phone)

    # --- Step 2: a wrong bank code is refused on the server, next to its field.
    expect_step(phone, "联系人与账户")
    fill_contact_step(phone, bank_code="10233100001")
    save_and_continue(phone)
    bank = phone.locator('[data-field-key="bank_code"]')
    expect(bank).to_have_class(re.compile(r"\bhas-error\b"))
    expect(bank.locator(".form-field__errors")).to_contain_text("开户行联行号")
    expect(phone.locator(".has-error")).to_have_count(1)
    expect(phone.locator(".form-errors[role=alert]")).to_be_visible()
    bank_input = bank.get_by_label(label("开户行联行号"))
    expect(bank_input).to_have_attribute("aria-invalid", "true")
    # What was typed is kept, the wrong code included.
    expect(bank_input).to_have_value("10233100001")
    expect(step_section(phone).get_by_label(label("账户名"))).to_have_value("杭州市人力资源和社会保障局")
    shoot(phone, "32-step-with-error")
    bank_input.fill(BANK_CODE)
    save_and_continue(phone)

    # --- Step 3: checkboxes with "其他", long texts; then the check page.
    expect_step(phone, "服务内容")
    fill_service_step(phone)
    save_and_continue(phone)
    expect(phone).to_have_url(re.compile(r"/apply/\d+/check/$"))
    expect(answer(phone, "service_forms")).to_have_text(f"技术指导、义诊、其他（{OTHER_SERVICE}）")
    expect(answer(phone, "bank_code")).to_have_text(BANK_CODE)
    expect(answer(phone, "host_region")).to_have_text("杭州市")
    expect(answer(phone, "team_name")).to_have_text("钱塘江专家服务团")
    expect(answer(phone, "in_province").locator(".answers__empty")).to_be_visible()

    # --- "Change" goes back to the step and returns to the check page.
    basic = phone.get_by_role("region", name="基本信息")
    basic.get_by_role("link", name=re.compile(rf"^{re.escape(ui('Change'))}")).click()
    expect_step(phone, "基本信息")
    expect_basic_step_filled(phone)
    step_section(phone).get_by_label(label("服务团名称")).fill("钱塘江乡村振兴专家服务团")
    save_and_continue(phone)
    expect(phone).to_have_url(re.compile(r"/apply/\d+/check/$"))
    expect(answer(phone, "team_name")).to_have_text("钱塘江乡村振兴专家服务团")
    shoot(phone, "33-check-answers")

    # --- A double click, and a repeated post, make one submission.
    submit_twice(phone)
    reference_1 = confirmed_reference(phone, "F1")
    assert reference_1.endswith("-00001")
    shoot(phone, "34-confirmation")
    submission = Submission.objects.get()
    assert submission.reference == reference_1 and submission.page_id == form_1.pk
    assert submission.user.email == EMAIL
    assert submission.organisation.name == "杭州市人力资源和社会保障局"
    answers = submission.answers
    assert set(answers) == {spec["key"] for spec in form_1.schema.input_fields()}
    assert answers["team_name"] == "钱塘江乡村振兴专家服务团"
    assert answers["bank_code"] == BANK_CODE
    assert answers["host_region"] == {"code": "330100", "name": "杭州市"}
    assert answers["service_forms"] == {"selected": ["技术指导", "义诊", "其他"], "other": OTHER_SERVICE}
    assert answers["cross_province"]["selected"] == ["国家乡村振兴重点帮扶县"]
    assert answers["expert_count"] == 12
    # The confirmation lists the answers too; reloading it submits nothing more.
    expect(answer(phone, "bank_code")).to_have_text(BANK_CODE)
    phone.reload()
    expect(phone.locator("[data-reference]")).to_have_text(reference_1)
    assert Submission.objects.count() == 1

    # --- 附件5: a repeating table with totals.
    phone.goto(site + form_5.url)
    phone.locator(".apply-panel").get_by_role("button", name=exactly("Start now")).click()
    expect_step(phone, "活动计划")
    fill_activity_plan(phone)
    save_and_continue(phone)
    expect(phone).to_have_url(re.compile(r"/apply/\d+/check/$"))
    activities = answer(phone, "activities")
    expect(activities.locator("tbody tr")).to_have_count(3)
    expect(activities).to_contain_text("海岛医疗义诊")
    expect(activities).not_to_contain_text("乡村振兴专家行")
    submit_twice(phone)
    reference_5 = confirmed_reference(phone, "F5")
    shoot(phone, "36-form-5-confirmation")
    assert Submission.objects.count() == 2
    rows = Submission.objects.get(page=form_5).answers["activities"]
    assert [row["name"] for row in rows] == ["海岛医疗义诊", "科技下乡讲座", "人才对接会"]
    assert [row["experts"] for row in rows] == [8, 5, 4]

    # --- "My applications" lists both, with their references and status.
    phone.goto(f"{site}/applications/")
    submitted = phone.locator("table.my-applications tbody tr")
    expect(submitted).to_have_count(2)
    status = ui(str(SubmissionStatus.SUBMITTED.label))
    for reference, attachment in [(reference_1, "附件1"), (reference_5, "附件5")]:
        row = phone.locator(f'tr[data-reference="{reference}"]')
        expect(row.get_by_role("link", name=reference)).to_be_visible()
        expect(row).to_contain_text(attachment)
        expect(row).to_contain_text(status)
    expect(phone.locator("table.my-drafts")).to_have_count(0)
    shoot(phone, "37-my-applications")
