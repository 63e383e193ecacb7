"""Who is signed in, and who counts as staff: each read in one query."""

import pytest
from django.contrib.auth.models import Group, Permission

from forms_app.accounts.backends import EmailBackend
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


def test_a_signed_in_applicant_is_read_with_their_profile_in_one_query(django_assert_num_queries):
    applicant = ApplicantFactory()
    with django_assert_num_queries(1):
        user = EmailBackend().get_user(applicant.pk)
        assert user.applicant_profile.organisation_id == applicant.applicant_profile.organisation_id


def test_an_account_without_a_profile_reads_as_such_without_a_query(django_assert_num_queries):
    reviewer = UserFactory()
    with django_assert_num_queries(1):
        user = EmailBackend().get_user(reviewer.pk)
        assert not hasattr(user, "applicant_profile")


def test_an_inactive_or_missing_account_is_not_signed_in():
    assert EmailBackend().get_user(UserFactory(is_active=False).pk) is None
    assert EmailBackend().get_user(987654) is None
