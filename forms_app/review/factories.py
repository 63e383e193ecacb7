"""Desks made in code, as an administrator sets them up: a group with the review permissions and a region.

For the demo content, the tests and the benchmarks.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from forms_app.review.models import ReviewerScope

REVIEWER_PERMS = ["access_admin", "view_submission", "change_submission"]


def make_reviewer(username, region, personal=False, perms=REVIEWER_PERMS, password=None):
    """Return a new user working at ``region``'s desk, through a group of their own."""
    group = Group.objects.create(name=f"desk-{username}")
    codenames = list(perms) + (["view_personal_data"] if personal else [])
    group.permissions.set(Permission.objects.filter(codename__in=codenames))
    ReviewerScope.objects.create(group=group, region=region)
    user = get_user_model().objects.create_user(username, f"{username}@example.cn", password)
    user.groups.add(group)
    return user
