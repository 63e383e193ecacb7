"""The demo command: both seed notices in full, demo accounts, and idempotency."""

import re
from datetime import date, datetime, timedelta
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Page, Revision, Site

from home.demo import REVIEWERS_GROUP
from home.models import HomePage
from notices.models import NoticeIndexPage, NoticePage
from tests.html import soup

SEEDS = Path(__file__).resolve().parent.parent / "data" / "seeds"
BEIJING = ZoneInfo("Asia/Shanghai")


def squash(text):
    """Text without whitespace, page numbers or the PDF's stray spaces."""
    return re.sub(r"\s+", "", text.replace("— 4 —", ""))


def snapshot():
    return {
        "pages": list(Page.objects.order_by("path").values_list("path", "title", "latest_revision_id")),
        "revisions": Revision.objects.count(),
        "users": list(get_user_model().objects.order_by("username").values_list("username", "password")),
        "sites": list(Site.objects.values_list("hostname", "root_page_id", "is_default_site")),
    }


@pytest.mark.django_db
def test_running_twice_changes_nothing(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    first = snapshot()
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert snapshot() == first
    # The two seeds, and in development a copy of Zhejiang's open for a month to try applying.
    assert NoticePage.objects.live().count() == 3
    open_round = NoticePage.objects.get(slug="zhejiang-demo-open-round")
    forms = [form.specific for form in open_round.get_children().live()]
    assert len(forms) == 6 and all(form.is_open() for form in forms)
    assert open_round.deadline - timezone.now() > timedelta(days=29)
    applicant = get_user_model().objects.get(username="applicant")
    assert applicant.applicant_profile.organisation.region.name == "杭州市"
    assert HomePage.objects.count() == 1 and NoticeIndexPage.objects.count() == 1
    assert Site.objects.get(is_default_site=True).root_page.specific_class is HomePage
    usernames = {u for u, _p in first["users"]}
    assert usernames == {
        "admin",
        "editor",
        "reviewer_district",
        "reviewer_city",
        "reviewer_ningbo",
        "reviewer_province",
        "applicant",
    }


@pytest.mark.django_db
def test_accounts_only_in_development(settings):
    settings.DEBUG = False
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert get_user_model().objects.count() == 0
    assert NoticePage.objects.count() == 2
    call_command("load_demo", "--accounts", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert get_user_model().objects.filter(username="reviewer_city", groups__name=REVIEWERS_GROUP).exists()
    editor = get_user_model().objects.get(username="editor")
    assert editor.has_perm("wagtailadmin.access_admin")
    assert not get_user_model().objects.get(username="applicant").has_perm("wagtailadmin.access_admin")
    # Wagtail's default groups read in Chinese on the demo site, the editor's among them.
    names = set(Group.objects.values_list("name", flat=True))
    assert {"编辑", "内容审核员", REVIEWERS_GROUP} <= names and not names & {"Editors", "Moderators"}
    assert editor.groups.filter(name="编辑").exists()


@pytest.fixture
def demo_notices(db, settings):
    settings.DEBUG = False
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return {n.slug: n for n in NoticePage.objects.live()}


def test_metadata_of_the_seed_notices(demo_notices):
    sh = demo_notices["shanghai-2022-experts-serve-grassroots"]
    assert sh.issuing_authority == "上海市人力资源和社会保障局"
    assert sh.issue_date == date(2022, 1, 18)
    assert (sh.print_authority, sh.print_date) == ("上海市人力资源和社会保障局办公室", date(2022, 1, 20))
    assert sh.recipients == "市政府各委办局，各区人力资源和社会保障局，各有关单位："
    assert sh.deadline == datetime(2022, 1, 30, 17, 0, tzinfo=BEIJING)

    zj = demo_notices["zhejiang-2024-expert-services"]
    assert zj.issuing_authority == "浙江省人力资源和社会保障厅办公室"
    assert zj.issue_date == date(2024, 1, 19)
    assert zj.print_date == date(2024, 1, 22)
    assert zj.recipients == "各市、县（市、区）人力资源和社会保障局："
    assert zj.deadline == datetime(2024, 1, 26, 17, 0, tzinfo=BEIJING)
    contacts = [(c.name, c.organisation, c.office_phone, c.mobile) for c in zj.contacts.all()]
    assert contacts == [
        ("郑坤", "省专家与留学人员服务中心", "0571-88394838", "13429129088"),
        ("余晓东", "省人力社保厅专业技术人员管理处", "0571-87056712", "15757063037"),
    ]
    assert zj.contacts.first().email == "zjszjzx@zjhrss.gov.cn"


@pytest.mark.parametrize(
    ("slug", "seed", "starts", "ends"),
    [
        (
            "shanghai-2022-experts-serve-grassroots",
            "shanghai_2022.txt",
            "为深入贯彻落实中央",
            "函报我局专业技术人员管理处。",
        ),
        (
            "zhejiang-2024-expert-services",
            "zhejiang_2024.txt",
            "为深入贯彻落实习近平",
            "共同打造工作品牌。",
        ),
    ],
)
def test_full_text_of_each_seed_is_on_the_page(client, demo_notices, slug, seed, starts, ends):
    """The body as rendered is the published text, word for word, in its structure."""
    seed_text = squash((SEEDS / seed).read_text("utf-8"))
    expected = seed_text[seed_text.index(starts) : seed_text.index(ends) + len(ends)]
    page = soup(client.get(demo_notices[slug].url))
    body = page.select_one(".official-document__body")
    paragraphs_and_headings = body.select(".doc-paragraph, .doc-heading")
    rendered = "".join(squash(node.get_text()) for node in paragraphs_and_headings)
    assert rendered == expected
    # Sections are headings, not run-on text.
    headings = [squash(h.get_text()) for h in body.select("h2.doc-heading")]
    assert headings[:2] in (["一、专家遴选范围和条件", "二、服务形式"], ["一、服务项目", "二、材料报送"])


def test_zhejiang_attachment_list(client, demo_notices):
    page = soup(client.get(demo_notices["zhejiang-2024-expert-services"].url))
    items = [squash(li.get_text()) for li in page.select(".doc-list li")]
    assert items[0] == "2024年专家服务基层示范团申报表"
    assert items[5] == "2024年“智聚山海·助力共富”专家服务活动成果汇总表"
    assert len(items) == 6


@pytest.mark.django_db
def test_setup_site_rebuilds_the_tree_after_a_flush():
    from wagtail.models import Locale

    Page.get_first_root_node().delete()
    Locale.objects.all().delete()
    out = StringIO()
    call_command("setup_site", stdout=out)
    assert "Site tree created" in out.getvalue() or "已创建" in out.getvalue()
    site = Site.objects.get(is_default_site=True)
    assert site.root_page.specific_class is HomePage
    assert NoticeIndexPage.objects.child_of(site.root_page).exists()
    out = StringIO()
    call_command("setup_site", stdout=out)
    assert Page.objects.count() == 3  # root, home, notice index: nothing added the second time
