"""Demo content: the two seed notices as real pages, and demo accounts.

The notices' text lives in ``home/demo_content/*.json``, structured by hand
from the published documents into the notice body blocks.
"""

import json
from datetime import date, datetime
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from forms_app.models import ApplicationFormPage, Region
from notices.models import NoticeContact, NoticePage

from .demo_forms import REGIONS, demo_forms
from .site_tree import ensure_site_tree, publish

DEMO_CONTENT_DIR = Path(__file__).resolve().parent / "demo_content"
DEMO_PASSWORD = "demo-pass-2024"  # noqa: S105 - development accounts only, listed in README
REVIEWERS_GROUP = "Reviewers"

# username, e-mail, (first, last name), groups, is_superuser
DEMO_ACCOUNTS = [
    ("admin", "admin@example.com", ("系统", "管理员"), [], True),
    ("editor", "editor@example.com", ("编辑", "小王"), ["Editors"], False),
    ("reviewer_city", "reviewer.city@example.com", ("市局", "审核员"), [REVIEWERS_GROUP], False),
    ("reviewer_province", "reviewer.province@example.com", ("省厅", "审核员"), [REVIEWERS_GROUP], False),
    ("applicant", "applicant@example.com", ("申报", "单位"), [], False),
]


def load_notice_data():
    """Return the demo notices' data, in file-name order."""
    return [json.loads(path.read_text("utf-8")) for path in sorted(DEMO_CONTENT_DIR.glob("*.json"))]


def build_notice(data):
    """Return an unsaved ``NoticePage`` from one demo-content record."""
    return NoticePage(
        title=data["title"],
        slug=data["slug"],
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


def ensure_reviewers_group():
    """Return the reviewers' group, able to reach the Wagtail admin."""
    group, _created = Group.objects.get_or_create(name=REVIEWERS_GROUP)
    access_admin = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    group.permissions.add(access_admin)
    return group


@transaction.atomic
def load_demo(with_accounts=True, log=print):
    """Build the site tree, the seed notices and (optionally) the demo accounts; idempotent."""
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
    ensure_reviewers_group()
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
