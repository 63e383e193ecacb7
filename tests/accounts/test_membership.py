"""Unit membership: who may act for an organisation (申报单位).

Credit codes are public, so registering with a known one is only a request to join: the unit's
administrator (its first account) or a reviewer whose desk covers the unit's region approves or refuses
it, and until then the account applies for nothing in the unit's name.
"""

import importlib
import re
from datetime import timedelta

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from forms_app.accounts.factories import credit_code
from forms_app.accounts.models import ApplicantProfile, Membership
from forms_app.applications.models import Draft, Submission
from forms_app.applications.submitting import SubmissionRefused, submit_draft
from forms_app.applications.views import user_organisation
from forms_app.rounds.models import DeadlineExtension
from tests.clients import CommittingClient
from tests.factories import ApplicantFactory, OrganisationFactory, UserFactory
from tests.review_helpers import answers, build_world, make_reviewer

PASSWORD = "Qiantang-2024-river"
LINK_RE = re.compile(r"http://testserver(/accounts/verify/\S+)")
DESK = "shenbao_accounts_applicantprofile_modeladmin_index"


@pytest.fixture
def client():
    english = CommittingClient()
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return english


def english_client():
    other = CommittingClient()
    other.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return other


@pytest.fixture
def world(notice_index):
    world = build_world(notice_index)
    world.org = world.orgs["xihu"]
    # build_world's submission came from the unit's first account: its administrator.
    world.admin = world.subs["xihu"].user
    return world


def register(client, organisation, email="impostor@example.com", name="冒名者"):
    """Register with ``organisation``'s credit code and follow the mailed link; return the account."""
    response = client.post(
        reverse("shenbao_accounts:register"),
        {
            "email": email,
            "full_name": name,
            "mobile": "",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "organisation_name": "随便写的名字",
            "credit_code": organisation.credit_code,
            "region": organisation.region_id,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    link = LINK_RE.search(mail.outbox[-1].body).group(1)
    assert client.get(link).status_code == 302
    return get_user_model().objects.get(username=email)


def start(client, page):
    return client.post(page.url + page.reverse_subpage("start"), follow=True)


def act(client, profile, action):
    return client.post(reverse("shenbao_accounts:unit_member", args=[profile.pk, action]), follow=True)


def mails_to(address):
    return [message for message in mail.outbox if address in message.to]


# Registering


def test_the_first_account_of_a_new_unit_is_its_administrator(client, world):
    unit = OrganisationFactory.build(credit_code=credit_code(900), region=world.regions["xihu"])
    user = register(client, unit, email="first@example.com")
    profile = user.applicant_profile
    assert profile.status == Membership.APPROVED and profile.is_administrator
    assert profile.organisation.credit_code == credit_code(900)


def test_an_impostor_with_a_known_credit_code_cannot_apply(client, world):
    user = register(client, world.org)
    profile = user.applicant_profile
    assert profile.organisation == world.org
    assert profile.status == Membership.PENDING and not profile.is_administrator
    assert user_organisation(user) is None

    # Starting a draft is refused with a reason.
    landing = client.get(world.page.url).content.decode()
    assert "awaits approval" in landing
    response = start(client, world.page)
    assert "awaits approval" in response.content.decode()
    assert not Draft.objects.filter(user=user).exists()

    # A draft in the unit's name (made before, or forged) cannot be continued, checked or submitted.
    draft = Draft.objects.create(page=world.page, user=user, organisation=world.org, answers={})
    step = client.get(world.page.get_draft_url(draft, "step", step="basic"))
    assert step.status_code == 403 and "awaits approval" in step.content.decode()
    check = client.post(world.page.get_draft_url(draft, "check"))
    assert check.status_code == 403
    with pytest.raises(SubmissionRefused, match="awaits approval"):
        submit_draft(draft, answers("冒名项目"))
    assert not Submission.objects.filter(user=user).exists()

    # The unit's own submission stays out of reach.
    unit_draft = world.subs["xihu"].draft
    assert client.get(world.page.get_draft_url(unit_draft, "submitted")).status_code == 404
    assert "冒名项目" not in client.get(reverse("shenbao:my_applications")).content.decode()


def test_a_pending_account_gets_neither_the_quota_nor_the_extension_of_the_unit(client, world):
    page = world.page
    page.max_per_organisation = 2
    page.save()
    DeadlineExtension.objects.create(
        page=page,
        organisation=world.org,
        closes_at=timezone.now() + timedelta(days=30),
        reason="因故延期",
        granted_by=world.reviewers["xihu"],
    )
    user = register(client, world.org)
    # The extension is the unit's: the pending account is not shown it, and cannot start.
    assert page.get_extension(user_organisation(user)) is None
    assert "awaits approval" in start(client, page).content.decode()
    assert Submission.objects.filter(page=page, organisation=world.org).count() == 1


def test_a_request_is_mailed_to_the_administrator_and_the_region_desk(client, world):
    register(client, world.org)
    to_admin = mails_to(world.admin.email)
    assert len(to_admin) == 1
    assert "impostor@example.com" in to_admin[0].body
    assert "http://testserver" + reverse("shenbao_accounts:unit") in to_admin[0].body
    to_desk = mails_to(world.reviewers["xihu"].email)
    assert len(to_desk) == 1 and "http://testserver" + reverse(DESK) in to_desk[0].body
    # Only the nearest desk is told; reviewers of other regions never are.
    assert not mails_to(world.reviewers["haishu"].email) and not mails_to(world.reviewers["zj"].email)


def test_nothing_is_announced_before_the_address_is_confirmed(client, world):
    client.post(
        reverse("shenbao_accounts:register"),
        {
            "email": "unconfirmed@example.com",
            "full_name": "未确认",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "organisation_name": "x",
            "credit_code": world.org.credit_code,
            "region": world.org.region_id,
        },
    )
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["unconfirmed@example.com"]


# Deciding at the unit


def test_the_administrator_approves_and_the_member_can_apply(client, world):
    user = register(client, world.org)
    admin = english_client()
    admin.force_login(world.admin)
    page = admin.get(reverse("shenbao_accounts:unit")).content.decode()
    assert "impostor@example.com" in page
    mail.outbox.clear()

    response = act(admin, user.applicant_profile, "approve")
    assert response.status_code == 200
    profile = ApplicantProfile.objects.get(user=user)
    assert profile.status == Membership.APPROVED and profile.decided_by == world.admin
    assert not profile.is_administrator
    (approved,) = mails_to(user.email)
    assert "approved" in approved.subject.lower()

    start(client, world.page)
    assert Draft.objects.get(user=user).organisation == world.org


def test_the_administrator_refuses_and_the_account_still_cannot_apply(client, world):
    user = register(client, world.org)
    admin = english_client()
    admin.force_login(world.admin)
    mail.outbox.clear()
    act(admin, user.applicant_profile, "refuse")
    assert ApplicantProfile.objects.get(user=user).status == Membership.REFUSED
    (refused,) = mails_to(user.email)
    assert "refused" in refused.subject.lower()
    assert "was refused" in start(client, world.page).content.decode()
    assert not Draft.objects.filter(user=user).exists()
    # A decided request cannot be decided again.
    act(admin, user.applicant_profile, "approve")
    assert ApplicantProfile.objects.get(user=user).status == Membership.REFUSED


def test_only_the_administrator_of_the_unit_decides(client, world):
    user = register(client, world.org)
    member = ApplicantFactory(organisation=world.org)
    outsider_admin = world.subs["haishu"].user  # administrator of another unit
    for who, status in ((member, 403), (outsider_admin, 404)):
        other = english_client()
        other.force_login(who)
        response = other.post(
            reverse("shenbao_accounts:unit_member", args=[user.applicant_profile.pk, "approve"])
        )
        assert response.status_code == status
    anonymous = english_client().post(
        reverse("shenbao_accounts:unit_member", args=[user.applicant_profile.pk, "approve"])
    )
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert ApplicantProfile.objects.get(user=user).status == Membership.PENDING
    # The pending account itself cannot approve itself either.
    assert client.post(
        reverse("shenbao_accounts:unit_member", args=[user.applicant_profile.pk, "approve"])
    ).status_code in (403, 404)


def test_unit_actions_need_post_and_a_csrf_token(world):
    member = ApplicantFactory(organisation=world.org)
    strict = CommittingClient(enforce_csrf_checks=True)
    strict.force_login(world.admin)
    url = reverse("shenbao_accounts:unit_member", args=[member.applicant_profile.pk, "remove"])
    assert strict.get(url).status_code == 405
    assert strict.post(url).status_code == 403
    assert ApplicantProfile.objects.get(user=member).status == Membership.APPROVED
    assert english_client().get(url).status_code in (302, 405)


# Deciding at the desk


def desk_decision(reviewer, profile, decision):
    desk = english_client()
    desk.force_login(reviewer)
    return desk.post(reverse(DESK), {"profile": profile.pk, "decision": decision})


def test_a_reviewer_of_another_region_cannot_approve(client, world):
    user = register(client, world.org)
    profile = user.applicant_profile
    for key in ("haishu", "nb", "shangcheng"):
        assert desk_decision(world.reviewers[key], profile, "approve").status_code == 404, key
    reader = make_reviewer("reader_xihu", world.regions["xihu"], perms=["access_admin", "view_submission"])
    # Wagtail's admin answers a refusal by sending the user back to the dashboard.
    denied = desk_decision(reader, profile, "approve")
    assert denied.status_code == 302 and denied["Location"] == reverse("wagtailadmin_home")
    assert ApplicantProfile.objects.get(user=user).status == Membership.PENDING

    # The other region's desk does not even list the request.
    desk = english_client()
    desk.force_login(world.reviewers["haishu"])
    assert "impostor@example.com" not in desk.get(reverse(DESK)).content.decode()


def test_a_reviewer_of_the_region_approves_and_the_member_is_told(client, world):
    user = register(client, world.org)
    desk = english_client()
    desk.force_login(world.reviewers["hz"])  # the city's desk covers its districts
    assert "impostor@example.com" in desk.get(reverse(DESK)).content.decode()
    mail.outbox.clear()
    response = desk.post(reverse(DESK), {"profile": user.applicant_profile.pk, "decision": "approve"})
    assert response.status_code == 302
    profile = ApplicantProfile.objects.get(user=user)
    assert profile.status == Membership.APPROVED and profile.decided_by == world.reviewers["hz"]
    assert len(mails_to(user.email)) == 1
    start(client, world.page)
    assert Draft.objects.filter(user=user, organisation=world.org).exists()


def test_a_reviewer_refuses_and_bad_input_is_not_a_server_error(client, world):
    user = register(client, world.org)
    reviewer = world.reviewers["xihu"]
    for data in ({"profile": "abc", "decision": "approve"}, {"profile": "9" * 30, "decision": "approve"}):
        desk = english_client()
        desk.force_login(reviewer)
        assert desk.post(reverse(DESK), data).status_code == 404
    desk = english_client()
    desk.force_login(reviewer)
    assert (
        desk.post(reverse(DESK), {"profile": user.applicant_profile.pk, "decision": "x"}).status_code == 400
    )
    assert desk_decision(reviewer, user.applicant_profile, "refuse").status_code == 302
    assert ApplicantProfile.objects.get(user=user).status == Membership.REFUSED


# Members


def test_the_administrator_removes_a_member_who_loses_access(world):
    member = ApplicantFactory(organisation=world.org)
    member_client = english_client()
    member_client.force_login(member)
    start(member_client, world.page)
    draft = Draft.objects.get(user=member)
    assert member_client.get(world.page.get_draft_url(draft, "step", step="basic")).status_code == 200

    admin = english_client()
    admin.force_login(world.admin)
    listing = admin.get(reverse("shenbao_accounts:unit")).content.decode()
    assert member.email in listing
    mail.outbox.clear()
    act(admin, member.applicant_profile, "remove")
    assert ApplicantProfile.objects.get(user=member).status == Membership.REMOVED
    assert len(mails_to(member.email)) == 1

    step = member_client.get(world.page.get_draft_url(draft, "step", step="basic"))
    assert step.status_code == 403 and "was removed" in step.content.decode()
    assert "was removed" in start(member_client, world.page).content.decode()
    with pytest.raises(SubmissionRefused, match="was removed"):
        submit_draft(draft, answers("离职后提交"))
    assert Draft.objects.filter(user=member).count() == 1
    assert member.email not in admin.get(reverse("shenbao_accounts:unit")).content.decode()


def test_the_administrator_cannot_remove_themselves(world):
    admin = english_client()
    admin.force_login(world.admin)
    response = act(admin, world.admin.applicant_profile, "remove")
    assert "Hand over" in response.content.decode()
    profile = ApplicantProfile.objects.get(user=world.admin)
    assert profile.status == Membership.APPROVED and profile.is_administrator


def test_the_administrator_hands_over_the_role(client, world):
    member = ApplicantFactory(organisation=world.org)
    pending = register(client, world.org)
    admin = english_client()
    admin.force_login(world.admin)

    # Only to an approved member of the unit.
    act(admin, pending.applicant_profile, "hand-over")
    assert ApplicantProfile.objects.get(user=world.admin).is_administrator
    outsider = world.subs["haishu"].user
    assert (
        admin.post(
            reverse("shenbao_accounts:unit_member", args=[outsider.applicant_profile.pk, "hand-over"])
        ).status_code
        == 404
    )

    mail.outbox.clear()
    act(admin, member.applicant_profile, "hand-over")
    assert ApplicantProfile.objects.get(user=member).is_administrator
    old = ApplicantProfile.objects.get(user=world.admin)
    assert not old.is_administrator and old.status == Membership.APPROVED
    assert len(mails_to(member.email)) == 1
    assert ApplicantProfile.objects.filter(organisation=world.org, is_administrator=True).count() == 1

    # The former administrator decides nothing any more; the new one does.
    assert (
        admin.post(
            reverse("shenbao_accounts:unit_member", args=[pending.applicant_profile.pk, "approve"])
        ).status_code
        == 403
    )
    new = english_client()
    new.force_login(member)
    act(new, pending.applicant_profile, "approve")
    assert ApplicantProfile.objects.get(user=pending).status == Membership.APPROVED


def test_a_pending_account_sees_its_request_on_the_unit_page(client, world):
    register(client, world.org)
    page = client.get(reverse("shenbao_accounts:unit")).content.decode()
    assert world.org.name in page and "awaits approval" in page
    # Members are not listed to someone who is not one.
    assert world.admin.email not in page


def test_factories_make_approved_members_and_one_administrator(world):
    first = ApplicantFactory(organisation=OrganisationFactory())
    second = ApplicantFactory(organisation=first.applicant_profile.organisation)
    assert first.applicant_profile.is_administrator and not second.applicant_profile.is_administrator
    assert second.applicant_profile.status == Membership.APPROVED


# Existing data


def test_the_migration_makes_existing_profiles_members_and_the_earliest_one_administrator(db):
    migration = importlib.import_module("forms_app.accounts.migrations.0003_members_of_existing_units")
    unit, other = OrganisationFactory(), OrganisationFactory()
    now = timezone.now()
    users = [UserFactory(date_joined=now - timedelta(days=days)) for days in (1, 5, 3)]
    for user in users:
        ApplicantProfile.objects.create(user=user, organisation=unit, status=Membership.PENDING)
    lone = UserFactory()
    ApplicantProfile.objects.create(user=lone, organisation=other, status=Membership.PENDING)

    migration.members_of_existing_units(django_apps, None)
    profiles = {p.user_id: p for p in ApplicantProfile.objects.all()}
    assert {p.status for p in profiles.values()} == {Membership.APPROVED}
    assert [u.pk for u in users if profiles[u.pk].is_administrator] == [users[1].pk]
    assert profiles[lone.pk].is_administrator
    # Running it again changes nothing.
    migration.members_of_existing_units(django_apps, None)
    assert ApplicantProfile.objects.filter(is_administrator=True).count() == 2


def test_a_unit_without_administrator_gets_one_when_its_desk_approves(client, world):
    imported = OrganisationFactory(name="导入的单位", region=world.regions["shangcheng"])
    user = register(client, imported, email="first.real@example.com")
    assert user.applicant_profile.status == Membership.PENDING  # known before, so only asked
    # Nobody runs the unit: only its desk hears of the request.
    assert mails_to(world.reviewers["shangcheng"].email) and len(mail.outbox) == 2
    assert desk_decision(world.reviewers["shangcheng"], user.applicant_profile, "approve").status_code == 302
    profile = ApplicantProfile.objects.get(user=user)
    assert profile.status == Membership.APPROVED and profile.is_administrator


def test_the_unit_link_shows_for_applicants_only(client, world):
    client.force_login(world.admin)
    assert reverse("shenbao_accounts:unit") in client.get(reverse("shenbao:my_applications")).content.decode()
    desk = english_client()
    desk.force_login(world.reviewers["xihu"])
    assert (
        reverse("shenbao_accounts:unit") not in desk.get(reverse("shenbao:my_applications")).content.decode()
    )


# Asking again


def refused(client, world):
    """An impostor's request, refused by the unit's administrator."""
    user = register(client, world.org)
    admin = english_client()
    admin.force_login(world.admin)
    act(admin, user.applicant_profile, "refuse")
    return user


def ask(client, code):
    return client.post(reverse("shenbao_accounts:unit_ask"), {"credit_code": code})


def test_a_refused_account_asks_again_and_the_administrator_is_told_once(client, world):
    user = refused(client, world)
    page = client.get(reverse("shenbao_accounts:unit")).content.decode()
    assert "Ask to join a unit" in page and world.org.credit_code in page
    mail.outbox.clear()
    assert ask(client, world.org.credit_code).status_code == 302
    profile = ApplicantProfile.objects.get(user=user)
    assert profile.status == Membership.PENDING and profile.decided_by is None
    assert len(mails_to(world.admin.email)) == 1
    # Waiting again: it cannot ask a second time until this request is decided.
    assert ask(client, world.org.credit_code).status_code == 403
    assert len(mails_to(world.admin.email)) == 1
    assert "awaits approval" in start(client, world.page).content.decode()


def test_a_removed_member_asks_to_join_another_unit_which_decides(client, world):
    member = ApplicantFactory(organisation=world.org)
    admin = english_client()
    admin.force_login(world.admin)
    act(admin, member.applicant_profile, "remove")
    client.force_login(member)
    other = world.orgs["haishu"]
    assert ask(client, other.credit_code).status_code == 302
    profile = ApplicantProfile.objects.get(user=member)
    assert profile.organisation == other and profile.status == Membership.PENDING
    assert not profile.is_administrator
    other_admin = english_client()
    other_admin.force_login(world.subs["haishu"].user)
    act(other_admin, profile, "approve")
    assert ApplicantProfile.objects.get(user=member).status == Membership.APPROVED
    start(client, world.page)
    assert Draft.objects.filter(user=member, organisation=other).exists()


def test_asking_with_a_bad_or_unknown_code_says_so_by_the_field(client, world):
    refused(client, world)
    bad = ask(client, "123")
    assert bad.status_code == 400 and 'id="id_credit_code_error"' in bad.content.decode()
    unknown = ask(client, credit_code(901))
    assert unknown.status_code == 400 and "No unit with this credit code" in unknown.content.decode()
    assert ApplicantProfile.objects.get(user__email="impostor@example.com").status == Membership.REFUSED


def test_members_and_pending_accounts_cannot_ask_and_the_form_needs_post_and_csrf(client, world):
    member = ApplicantFactory(organisation=world.org)
    client.force_login(member)
    assert ask(client, world.orgs["haishu"].credit_code).status_code == 403
    assert "Ask to join a unit" not in client.get(reverse("shenbao_accounts:unit")).content.decode()
    assert ApplicantProfile.objects.get(user=member).organisation == world.org
    strict = CommittingClient(enforce_csrf_checks=True)
    strict.force_login(member)
    assert strict.get(reverse("shenbao_accounts:unit_ask")).status_code == 405
    anonymous = english_client().post(reverse("shenbao_accounts:unit_ask"), {"credit_code": "x"})
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
