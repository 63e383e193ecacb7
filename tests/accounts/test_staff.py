"""Who counts as staff: the admin permission, held directly or through a group, in one query."""

import pytest
from django.contrib.auth.models import Group, Permission

from forms_app.accounts.staff import is_staff_member
from tests.factories import ApplicantFactory, UserFactory

pytestmark = pytest.mark.django_db


def admin_permission():
    return Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")


def test_an_applicant_is_not_staff_and_costs_one_query(django_assert_num_queries):
    applicant = ApplicantFactory()
    with django_assert_num_queries(1):
        assert is_staff_member(applicant) is False
        assert is_staff_member(applicant) is False  # asked again in the same request: no query


def test_a_reviewer_given_the_admin_by_a_group_is_staff():
    reviewer = UserFactory()
    desk = Group.objects.create(name="杭州市审核")
    desk.permissions.add(admin_permission())
    reviewer.groups.add(desk)
    assert is_staff_member(reviewer) is True


def test_the_permission_given_to_the_account_itself_counts():
    editor = UserFactory()
    editor.user_permissions.add(admin_permission())
    assert is_staff_member(editor) is True


def test_an_inactive_account_is_never_staff():
    reviewer = UserFactory(is_active=False)
    reviewer.user_permissions.add(admin_permission())
    assert is_staff_member(reviewer) is False


def test_another_sign_in_backend_is_asked_through_has_perm(settings):
    settings.AUTHENTICATION_BACKENDS = ["tests.accounts.backends.GrantsAdmin"]
    assert is_staff_member(UserFactory()) is True
