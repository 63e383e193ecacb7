"""Builds the page tree the product needs: root → home page → notice index.

Used by ``setup_site`` (production-safe) and ``load_demo``. Uses Wagtail's
page API rather than a data migration, so the tree is built exactly as an
editor would build it, with revisions and search indexing.
"""

from django.conf import settings
from django.db import transaction
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from home.models import HomePage
from notices.models import NoticeIndexPage

HOME_DEFAULTS = {
    "title": "专家人才服务基层申报平台",
    "slug": "home",
    "intro": "人力资源和社会保障部门发布的申报通知、在线填报、审核与打印盖章，一站办理。",
}
INDEX_DEFAULTS = {
    "title": "通知公告",
    "slug": "notices",
    "intro": "各级人力资源和社会保障部门发布的专家服务基层等项目申报通知。",
    "show_in_menus": True,
}


def publish(page):
    """Save a revision of ``page`` and publish it, as an editor would."""
    page.save_revision().publish()
    return page


def ensure_root_page():
    """Return the tree's root, recreating it (and the default locale) after a ``flush``.

    Wagtail's migrations create both; ``manage.py flush`` removes them and
    nothing else brings them back.
    """
    root = Page.get_first_root_node()
    if root is not None:
        return root
    language = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    locale, _created = Locale.objects.get_or_create(language_code=language)
    # The title forms_app.wagtail_zh's migration gives the root Wagtail's migrations made.
    return Page.add_root(instance=Page(title="根页面", slug="root", locale=locale))


def remove_welcome_page():
    """Delete Wagtail's placeholder "Welcome to your new Wagtail site!" page, if untouched.

    Its slug "home" would clash with our home page; its site goes with it and
    is recreated below.
    """
    for page in Page.objects.filter(depth=2, slug="home"):
        if type(page.specific) is Page and not page.get_children().exists():
            page.delete()


@transaction.atomic
def ensure_site_tree(hostname="localhost", port=80):
    """Create the home page, the notice index and the default site if missing.

    Returns ``(home, index, created)``; running it again changes nothing.
    """
    created = False
    home = HomePage.objects.first()
    if home is None:
        remove_welcome_page()
        root = ensure_root_page()
        home = root.add_child(instance=HomePage(**HOME_DEFAULTS))
        publish(home)
        created = True

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname=hostname, port=port, root_page=home, is_default_site=True, site_name="")
        created = True
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.save()
        created = True

    index = NoticeIndexPage.objects.child_of(home).first()
    if index is None:
        index = home.add_child(instance=NoticeIndexPage(**INDEX_DEFAULTS))
        publish(index)
        created = True
    return home, index, created
