"""In Chromium, the admin an administrator, an editor and a reviewer see is Chinese and all of it local.

Each signs in and opens the pages their work takes them to (dashboard, page explorer, a page's editor,
the region snippets, the review list, a public notice). No page may ask another host for anything
(Gravatar, Wagtail's release server, a CDN), no avatar may be broken, and none of the English Wagtail's
own catalogues leave untranslated may show.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from playwright.sync_api import expect
from wagtail.models import GroupApprovalTask, Page, Workflow, WorkflowPage, WorkflowTask

from home.demo import EDITORS_GROUP, ensure_editors_group
from home.site_tree import ensure_site_tree
from tests.review_helpers import USER_PASSWORD, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Wagtail's English a Chinese editor met among Chinese text, and its default workflow's name.
ENGLISH = [
    "Moderators approval",
    "Privacy and access",
    "Toggle checks",
    "Autosave is paused",
    "Write something or type",
    "Search all pages",
    "editor guide",
    "created in",
    "Your pages and snippets in a workflow",
    "Show issue",
    "Content metrics",
    "Schedule to publish",
    "Keyboard shortcuts are currently",
    "Locked by",
    "Anyone can edit this",
    "Choose when this",
    "Go to the first error",
    "across entire site",
    "Dashboard",
    "Pages",
    "Snippets",
    "Settings",
]
DRAFTAIL_PLACEHOLDER = "Write something or type ‘/’ to insert a block"


@pytest.fixture
def world(live_server):
    _home, index, _created = ensure_site_tree()
    world = build_world(index)
    users = get_user_model().objects
    world.admin = users.create_superuser("root", "root@example.cn", USER_PASSWORD)
    world.editor = users.create_user("editor", "editor@example.cn", USER_PASSWORD)
    ensure_editors_group(index)
    world.editor.groups.add(Group.objects.get(name=EDITORS_GROUP))
    world.notice = world.page.get_parent().specific
    ensure_default_workflow()
    return world


def ensure_default_workflow():
    """Wagtail's default workflow on the root page, as its migrations leave it (under the Chinese name).

    Browser tests flush the database between them, which takes the migrations' data along; the editor's
    footer offers this workflow only while it exists.
    """
    if Workflow.objects.filter(name="审核员审批").exists():
        return
    workflow = Workflow.objects.create(name="审核员审批")
    task = GroupApprovalTask.objects.create(name="审核员审批")
    task.groups.set(Group.objects.filter(name__in=["内容审核员", "Moderators"]))
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.update_or_create(page=Page.objects.get(depth=1), defaults={"workflow": workflow})


@pytest.fixture
def outside(page, live_server):
    """Every request the page makes to a host other than the live server's."""
    ours = urlsplit(live_server.url).netloc
    requests = []

    def record(request):
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.netloc != ours:
            requests.append(request.url)

    page.on("request", record)
    return requests


def sign_in(page, base_url, user):
    page.context.clear_cookies()
    page.goto(base_url + reverse("wagtailadmin_login"))
    page.locator("input[name=username]").fill(user.username)
    page.locator("input[name=password]").fill(USER_PASSWORD)
    page.locator("form.login-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


def admin_pages(world):
    explorer = reverse("wagtailadmin_explore", args=[world.notice.get_parent().pk])
    editing = [
        explorer,
        explorer + "?q=专家服务",
        reverse("wagtailadmin_pages:search") + "?q=服务",
        reverse("wagtailadmin_pages:edit", args=[world.notice.pk]),
        reverse("wagtailadmin_pages:edit", args=[world.page.pk]),
    ]
    reviewing = [
        reverse("shenbao_applications_submission_modeladmin_index"),
        reverse("shenbao_applications_submission_modeladmin_inspect", args=[world.subs["xihu"].pk]),
    ]
    regions = reverse("wagtailsnippets_shenbao_builder_region:list")
    return {
        world.admin: ["/admin/", *editing, regions, *reviewing],
        world.editor: ["/admin/", *editing],
        world.reviewers["xihu"]: ["/admin/", *reviewing],
    }


def visit(page, base_url, path):
    response = page.goto(base_url + path)
    assert response.status == 200, path
    page.wait_for_load_state("networkidle")


def broken_images(page):
    return page.evaluate(
        "[...document.images].filter(i => i.complete && i.naturalWidth === 0).map(i => i.src)"
    )


def test_no_admin_or_public_page_asks_another_host(page, live_server, world, outside):
    for user, paths in admin_pages(world).items():
        sign_in(page, live_server.url, user)
        for path in [*paths, world.notice.url]:
            visit(page, live_server.url, path)
            assert broken_images(page) == [], (user.username, path)
            assert outside == [], (user.username, path)
    # Avatars are the site's own picture, and shown.
    sign_in(page, live_server.url, world.admin)
    page.wait_for_load_state("networkidle")
    avatars = page.evaluate(
        "[...document.images].filter(i => /avatar/.test(i.src)).map(i => [i.src, i.naturalWidth])"
    )
    assert avatars, "no avatar on the dashboard"
    for src, width in avatars:
        assert urlsplit(src).netloc == urlsplit(live_server.url).netloc and width > 0, src


def test_the_admin_shows_no_english_wagtail_left_untranslated(page, live_server, world):
    seen = []
    for user, paths in admin_pages(world).items():
        sign_in(page, live_server.url, user)
        for path in paths:
            visit(page, live_server.url, path)
            text = page.locator("body").inner_text()
            found = [words for words in ENGLISH if re.search(rf"\b{re.escape(words)}\b", text)]
            assert found == [], (user.username, path, found)
            seen.append(path)
    assert len(seen) == 18
    # Strings the admin's scripts write come from the catalogue the page loaded, in Chinese.
    sign_in(page, live_server.url, world.editor)
    visit(page, live_server.url, reverse("wagtailadmin_pages:edit", args=[world.notice.pk]))
    assert page.evaluate("text => window.gettext(text)", DRAFTAIL_PLACEHOLDER) == "输入内容，或输入“/”插入块"
    assert page.evaluate("() => window.gettext('Changes have been autosaved.')") == "更改已自动保存。"
    # The workflow an editor may submit to has its Chinese name.
    more = page.locator("footer").get_by_role("button", name=re.compile("更多|More"))
    if more.count():
        more.first.click()
    expect(page.locator("footer")).to_contain_text("审核员审批")
