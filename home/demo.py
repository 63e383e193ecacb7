"""Demo content: the two seed notices as real pages, and demo accounts.

The notices' text lives in ``home/demo_content/*.json``, structured by hand
from the published documents into the notice body blocks.
"""

import json
from datetime import date, datetime, timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone
from wagtail.models import GroupPagePermission

from forms_app.accounts.models import ApplicantProfile, Membership, Organisation
from forms_app.applications.models import ApplicationFormPage
from forms_app.builder.models import Region
from home.demo_forms import REGIONS, demo_forms
from home.demo_review import ensure_review_demo
from home.site_tree import ensure_site_tree, publish
from notices.models import NoticeContact, NoticePage

DEMO_CONTENT_DIR = Path(__file__).resolve().parent / "demo_content"
DEMO_PASSWORD = "demo-pass-2024"  # noqa: S105 - development accounts only, listed in README
REVIEWERS_GROUP = "申报审核员"
EDITORS_GROUP = "编辑"  # Wagtail's "Editors", renamed (its migrations give it adding and changing pages)
# Wagtail's migrations make these groups with English names; the demo site shows them in Chinese.
WAGTAIL_GROUP_NAMES = {"Editors": EDITORS_GROUP, "Moderators": "内容审核员"}

# username, e-mail, (first, last name), groups, is_superuser
DEMO_ACCOUNTS = [
    ("admin", "admin@example.com", ("系统", "管理员"), [], True),
    ("editor", "editor@example.com", ("编辑", "小王"), [EDITORS_GROUP], False),
    ("reviewer_district", "reviewer.district@example.com", ("西湖区", "审核员"), [REVIEWERS_GROUP], False),
    ("reviewer_city", "reviewer.city@example.com", ("杭州市局", "审核员"), [REVIEWERS_GROUP], False),
    ("reviewer_ningbo", "reviewer.ningbo@example.com", ("宁波市局", "审核员"), [REVIEWERS_GROUP], False),
    ("reviewer_province", "reviewer.province@example.com", ("省厅", "审核员"), [REVIEWERS_GROUP], False),
    ("applicant", "applicant@example.com", ("申报", "单位"), [], False),
]
# The demo applicant applies for this unit (name, region code).
DEMO_ORGANISATION = ("杭州市第一人民医院", "330100")
# Both seed notices closed long ago; this copy of the Zhejiang one stays open
# for a month after the demo is loaded, so the applicant's journey can be tried.
OPEN_ROUND_SLUG = "zhejiang-demo-open-round"
OPEN_ROUND_PREFIX = "【演示·开放申报】"


def load_notice_data():
    """Return the demo notices' data, in file-name order."""
    return [json.loads(path.read_text("utf-8")) for path in sorted(DEMO_CONTENT_DIR.glob("*.json"))]


def build_notice(data):
    """Return an unsaved ``NoticePage`` from one demo-content record."""
    return NoticePage(
        title=data["title"],
        slug=data["slug"],
        programme=data.get("programme", ""),
        issuing_authority=data["issuing_authority"],
        document_number=data.get("document_number", ""),
        issue_date=date.fromisoformat(data["issue_date"]),
        print_authority=data.get("print_authority", ""),
        print_date=date.fromisoformat(data["print_date"]) if data.get("print_date") else None,
        recipients=data["recipients"],
        deadline=datetime.fromisoformat(data["deadline"]),
        summary=data["summary"],
        body=data["body"],
        contacts=[NoticeContact(**contact) for contact in data.get("contacts", [])],
    )


def ensure_regions():
    """Create the demo region lists (Zhejiang's cities, Shanghai's districts); return code → Region."""
    regions = {}
    for order, (code, name, level, parent) in enumerate(REGIONS):
        region = Region.objects.filter(code=code).first()
        if region is None:
            region = Region.objects.create(
                code=code, name=name, level=level, parent=regions.get(parent), sort_order=order
            )
        regions[code] = region
    return regions


def name_wagtails_groups_in_chinese():
    """Rename Wagtail's default groups while they bear its English names (and no Chinese one exists)."""
    for english, chinese in WAGTAIL_GROUP_NAMES.items():
        if not Group.objects.filter(name=chinese).exists():
            Group.objects.filter(name=english).update(name=chinese)


def ensure_reviewers_group():
    """Return the reviewers' group, able to reach the Wagtail admin."""
    group, _created = Group.objects.get_or_create(name=REVIEWERS_GROUP)
    access_admin = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    group.permissions.add(access_admin)
    return group


def ensure_editors_group(index):
    """Return the editors' group, able to build and publish pages under the notice index ``index``.

    Wagtail's own Editors may only submit pages to moderation; README promises the demo's editor
    builds notices and forms and publishes them, so the group may publish the notices' tree (not the
    home page). The group is made again when a ``flush`` removed it.
    """
    name_wagtails_groups_in_chinese()
    group, _created = Group.objects.get_or_create(name=EDITORS_GROUP)
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    for codename in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.get_or_create(
            group=group,
            page=index,
            permission=Permission.objects.get(content_type__app_label="wagtailcore", codename=codename),
        )
    return group


@transaction.atomic
def load_demo(with_accounts=True, log=print):
    """Build the site tree, the seed notices and (optionally) an open round and accounts; idempotent."""
    _home, index, _created = ensure_site_tree()
    regions = ensure_regions()
    forms = demo_forms(regions)
    for data in load_notice_data():
        notice = NoticePage.objects.filter(slug=data["slug"]).first()
        if notice is None:
            notice = index.add_child(instance=build_notice(data))
            publish(notice)
            log(f"+ {data['title']}")
        else:
            log(f"= {data['title']}")
        for form in forms.get(data["slug"], []):
            if ApplicationFormPage.objects.child_of(notice).filter(slug=form["slug"]).exists():
                log(f"  = {form['title']}")
                continue
            publish(notice.add_child(instance=ApplicationFormPage(**form)))
            log(f"  + {form['title']}")

    if not with_accounts:
        return
    # What is needed to try the journey: an open round and accounts (development only).
    ensure_open_round(NoticePage.objects.get(slug="zhejiang-2024-expert-services"), log)
    ensure_reviewers_group()
    ensure_editors_group(index)
    User = get_user_model()
    for username, email, (first, last), groups, superuser in DEMO_ACCOUNTS:
        if User.objects.filter(username=username).exists():
            log(f"= {username}")
            continue
        user = User(
            username=username,
            email=email,
            first_name=first,
            last_name=last,
            is_staff=superuser,
            is_superuser=superuser,
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.groups.set(Group.objects.filter(name__in=groups))
        log(f"+ {username}")
    ensure_demo_applicant(regions)
    open_round = NoticePage.objects.get(slug=OPEN_ROUND_SLUG)
    ensure_review_demo(open_round, regions, ensure_reviewers_group(), log)


def ensure_open_round(notice, log=print):
    """Copy ``notice`` with its forms to a round open for 30 days (once; later runs leave it)."""
    if NoticePage.objects.filter(slug=OPEN_ROUND_SLUG).exists():
        log(f"= {OPEN_ROUND_PREFIX}")
        return
    title = OPEN_ROUND_PREFIX + notice.title
    deadline = timezone.localtime().replace(hour=17, minute=0, second=0, microsecond=0) + timedelta(days=30)
    copy = notice.copy(
        recursive=True,
        keep_live=False,
        copy_revisions=False,
        update_attrs={"slug": OPEN_ROUND_SLUG, "title": title, "draft_title": title, "deadline": deadline},
    ).specific
    publish(copy)
    for form in copy.get_children().specific():
        form.opens_at = form.closes_at = None
        publish(form)
    log(f"+ {title}")


def ensure_demo_applicant(regions):
    """Link the demo applicant to its organisation, so it can apply at once."""
    user = get_user_model().objects.get(username="applicant")
    if ApplicantProfile.objects.filter(user=user).exists():
        return
    name, region_code = DEMO_ORGANISATION
    organisation, _created = Organisation.objects.get_or_create(name=name, region=regions[region_code])
    # An approved member, and the administrator of its unit (it decides who else may join).
    ApplicantProfile.objects.create(
        user=user, organisation=organisation, status=Membership.APPROVED, is_administrator=True
    )
