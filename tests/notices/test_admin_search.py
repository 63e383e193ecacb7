"""Wagtail's admin searches read Chinese as the public search does: a word of any length, anywhere."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.search.backends import get_search_backend

from forms_app.applications.models import Submission
from forms_app.applications.search import search_submissions
from forms_app.builder.models import Region
from notices.factories import publish_notice
from notices.search_backend import chinese_query_string
from tests.html import soup
from tests.review_helpers import answers, build_world, submit

TITLE = "关于开展专家服务基层活动的通知"
OTHER = "关于职称评审工作的通知"
WORDS = ["基", "服务基", "专家服务", "基层活动", "通知"]  # one, three, four characters; the middle too


@pytest.fixture
def admin_client(client, db):
    client.force_login(get_user_model().objects.create_superuser("boss", "boss@example.com", "pw"))
    return client


@pytest.fixture
def notices(notice_index):
    return (
        publish_notice(notice_index, TITLE, "expert-services"),
        publish_notice(notice_index, OTHER, "titles"),
    )


def edit_links(response):
    assert response.status_code == 200
    return {a["href"] for a in soup(response).select("a[href]")}


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


@pytest.mark.parametrize("word", WORDS)
def test_the_admin_page_search_finds_a_chinese_word_of_any_length(admin_client, notices, word):
    wanted, other = notices
    links = edit_links(admin_client.get(reverse("wagtailadmin_pages:search"), {"q": word}))
    assert edit_url(wanted) in links
    assert (edit_url(other) in links) == (word == "通知")


@pytest.mark.parametrize("word", ["基", "服务基", "专家服务"])
def test_the_explorer_search_under_a_page_too(admin_client, notices, notice_index, word):
    wanted, other = notices
    url = reverse("wagtailadmin_explore", args=[notice_index.pk])
    links = edit_links(admin_client.get(url, {"q": word}))
    assert edit_url(wanted) in links and edit_url(other) not in links


@pytest.mark.parametrize("word", ["湖", "西湖区", "州市西湖"])
def test_the_snippet_search_finds_a_chinese_word_of_any_length(admin_client, db, word):
    wanted = Region.objects.create(code="330106", name="杭州市西湖区", level="county")
    other = Region.objects.create(code="330200", name="宁波市", level="city")
    response = admin_client.get(reverse("wagtailsnippets_shenbao_builder_region:list"), {"q": word})
    links = edit_links(response)
    assert reverse("wagtailsnippets_shenbao_builder_region:edit", args=[wanted.pk]) in links
    assert reverse("wagtailsnippets_shenbao_builder_region:edit", args=[other.pk]) not in links


def test_latin_words_inside_chinese_text_are_found_too(admin_client, notice_index):
    wanted = publish_notice(notice_index, "2024年度Word模板下载", "word-template")
    links = edit_links(admin_client.get(reverse("wagtailadmin_pages:search"), {"q": "Word"}))
    assert edit_url(wanted) in links
    assert chinese_query_string("ZJ2026-F1-00001") == "ZJ2026-F1-00001"
    assert chinese_query_string("专家服务 ZJ2026") == "专家 家服 服务  ZJ2026"


def test_the_public_notice_search_and_the_backend_agree(client, notices):
    wanted, _other = notices
    backend = get_search_backend()
    assert type(backend).__name__.startswith("Chinese")
    for word in WORDS[:-1]:
        found = {page.pk for page in type(wanted).objects.live().search(word)}
        assert found == {wanted.pk}, word
        page = soup(client.get(wanted.get_parent().url, {"q": word}))
        assert TITLE in page.get_text() and OTHER not in page.get_text()


@pytest.mark.django_db
@pytest.mark.parametrize("word", ["村", "村技术", "乡村技术"])
def test_the_submission_search_finds_a_chinese_word_of_any_length(notice_index, word):
    world = build_world(notice_index)
    wanted = submit(world.page, world.orgs["xihu"], answers("乡村技术培训"))
    found = {s.reference for s in search_submissions(Submission.objects.all(), word)}
    assert wanted.reference in found
    # Only what holds the word: the other submissions of the world do not say 村.
    assert found == {wanted.reference}
