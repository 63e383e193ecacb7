"""Page models in the Wagtail admin: where they may live and how editors create them."""

from datetime import date

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from forms_app.builder.validators import validate_mobile
from home.models import HomePage
from home.site_tree import ensure_site_tree
from notices.models import NoticeIndexPage, NoticePage
from tests.factories import NoticeAttachmentFactory, NoticeContactFactory, NoticePageFactory
from tests.html import soup, text_of


def notice_form_data(**overrides):
    data = {
        "title": "关于做好2025年专家人才服务基层有关工作的通知",
        "slug": "zj-2025",
        "issuing_authority": "浙江省人力资源和社会保障厅办公室",
        "document_number": "浙人社办〔2025〕3号",
        "issue_date": "2025-01-20",
        "print_authority": "",
        "print_date": "",
        "recipients": "各市、县（市、区）人力资源和社会保障局：",
        "deadline": "2025-01-27 17:00",
        "summary": "组织申报2025年专家服务项目。",
        "body": streamfield(
            [
                ("heading", {"text": "一、服务项目", "level": "section"}),
                ("paragraph", rich_text("<p>每个地市可推荐1项。</p>")),
                ("numbered_list", {"title": "附件：", "style": "decimal", "items": streamfield([])}),
            ]
        ),
        "contacts": inline_formset(
            [
                {
                    "name": "郑坤",
                    "organisation": "省专家与留学人员服务中心",
                    "office_phone": "0571-88394838",
                    "mobile": "13429129088",
                    "email": "zjszjzx@example.com",
                    "postal_address": "杭州市古翠路50号",
                }
            ]
        ),
        "attachments": inline_formset([]),
    }
    data.update(overrides)
    return nested_form_data(data)


class NoticePageAdminTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home, cls.index, _ = ensure_site_tree()

    def setUp(self):
        # Signed in as a session, not through authenticate(): sign-in throttling needs the request.
        self.client.force_login(self.create_superuser("admin", "admin@example.com", "password"))

    def test_page_tree_rules(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        # The plugin's index may sit under any page; the demo's home page is one of them.
        self.assertCanCreateAt(HomePage, NoticeIndexPage)
        self.assertCanCreateAt(Page, NoticeIndexPage)
        self.assertAllowedParentPageTypes(NoticePage, {NoticeIndexPage})
        self.assertAllowedSubpageTypes(HomePage, {NoticeIndexPage})
        self.assertAllowedSubpageTypes(NoticeIndexPage, {NoticePage})
        self.assertCanNotCreateAt(HomePage, NoticePage)
        self.assertCanNotCreateAt(HomePage, HomePage)

    def test_editor_creates_notice_in_admin(self):
        self.assertCanCreate(self.index, NoticePage, notice_form_data())
        notice = NoticePage.objects.get(slug="zj-2025")
        self.assertTrue(notice.live)
        self.assertEqual(notice.document_number, "浙人社办〔2025〕3号")
        self.assertEqual(notice.issue_date, date(2025, 1, 20))
        # Entered as Beijing time in the admin; stored as the same instant.
        self.assertEqual(notice.deadline.isoformat(), "2025-01-27T09:00:00+00:00")
        self.assertEqual([c.name for c in notice.contacts.all()], ["郑坤"])
        self.assertEqual([b.block_type for b in notice.body], ["heading", "paragraph", "numbered_list"])

    def test_bad_phone_is_reported_next_to_the_field_and_nothing_is_created(self):
        data = notice_form_data(slug="bad-phone")
        data["contacts-0-mobile"] = "12345"
        add_url = reverse("wagtailadmin_pages:add", args=["shenbao_notices", "noticepage", self.index.pk])
        response = self.client.post(add_url, data)
        self.assertEqual(response.status_code, 200)
        with translation.override("zh-hans"), self.assertRaises(ValidationError) as caught:
            validate_mobile("12345")
        self.assertContains(response, caught.exception.messages[0])
        self.assertFalse(NoticePage.objects.filter(slug="bad-phone").exists())

    def test_pages_render_and_edit(self):
        notice = NoticePageFactory(parent=self.index)
        self.assertPageIsRenderable(self.home)
        self.assertPageIsRenderable(self.index)
        self.assertPageIsRenderable(notice)
        self.assertPageIsEditable(notice, post_data=notice_form_data(slug=notice.slug))


class NoticePageRenderingTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home, cls.index, _ = ensure_site_tree()

    def test_notice_page_reads_like_an_official_document(self):
        notice = NoticePageFactory(
            parent=self.index,
            title="关于组织申报2025年专家服务基层项目的通知",
            document_number="沪人社专〔2025〕1号",
            print_authority="上海市人力资源和社会保障局办公室",
            print_date=date(2025, 1, 20),
        )
        NoticeContactFactory(page=notice)
        NoticeAttachmentFactory(page=notice, label="附件1", title="专家服务基地申报表")
        notice.save_revision().publish()

        page = soup(self.client.get(notice.url))
        self.assertEqual(len(page.find_all("h1")), 1)
        self.assertEqual(text_of(page.h1), "关于组织申报2025年专家服务基层项目的通知")
        self.assertEqual(text_of(page.select_one(".official-document__issuer")), "杭州市人力资源和社会保障局")
        self.assertEqual(text_of(page.select_one(".official-document__number")), "沪人社专〔2025〕1号")
        self.assertIn(
            "各区、县（市）人力资源和社会保障局：", text_of(page.select_one(".official-document__recipients"))
        )
        self.assertIn("一、申报范围", text_of(page.select_one(".official-document__body")))
        self.assertIn("2025年1月20日印发", text_of(page.select_one(".official-document__printline")))
        contacts = text_of(page.select_one(".notice-contacts"))
        for expected in ("郑坤", "0571-88394838", "13429129088", "zjszjzx@example.com"):
            self.assertIn(expected, contacts)
        link = page.select_one(".notice-attachments a")
        self.assertEqual(text_of(link), "专家服务基地申报表")
        self.assertTrue(link["href"].startswith("/documents/"))
        # Landmarks for assistive technology.
        self.assertIsNotNone(page.find("header", attrs={"role": "banner"}))
        self.assertIsNotNone(page.find("main", id="main"))
        self.assertIsNotNone(page.find("footer", attrs={"role": "contentinfo"}))

    def test_deadline_is_shown_in_beijing_time(self):
        from datetime import datetime
        from zoneinfo import ZoneInfo

        deadline = datetime(2024, 1, 26, 9, 0, tzinfo=ZoneInfo("UTC"))  # 17:00 in Beijing
        notice = NoticePageFactory(parent=self.index, deadline=deadline)
        page = soup(self.client.get(notice.url))
        panel = page.select_one(".deadline-panel")
        self.assertIn("2024年1月26日17:00", text_of(panel))
        self.assertEqual(panel.time["datetime"], "2024-01-26T17:00:00+08:00")
        self.assertIn("已截止", text_of(panel))
