"""Deadlines in practice: per-organisation extensions (to the second) and reminders sent once a day."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from forms_app.applications.models import Draft
from forms_app.applications.submitting import SubmissionRefused, submit_draft
from forms_app.review.access import ReviewerAccess
from forms_app.rounds.deadlines import ExtensionRefused, grant_extension, send_reminders
from forms_app.rounds.models import DeadlineExtension, ReminderLog
from tests.factories import ApplicantFactory, OrganisationFactory
from tests.review_helpers import answers, build_world, review_form

EXTENSIONS = "shenbao_rounds_deadlineextension_modeladmin_index"
REMINDERS = "shenbao_rounds_reminderlog_modeladmin_index"


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def world(notice_index):
    world = build_world(notice_index)
    # A second form of the round, with nothing submitted yet, closing in two days.
    world.form = review_form(notice_index, world.regions["zj"], slug="second", attachment_label="附件2")
    notice = world.form.get_parent().specific
    notice.deadline = timezone.now().replace(microsecond=0) + timedelta(days=2)
    notice.save_revision().publish()
    world.form.refresh_from_db()
    world.late = OrganisationFactory(name="西湖区迟到单位", region=world.regions["xihu"])
    world.on_time = OrganisationFactory(name="上城区准时单位", region=world.regions["shangcheng"])
    world.late_user = ApplicantFactory(username="late@example.cn", organisation=world.late)
    world.on_time_user = ApplicantFactory(username="ontime@example.cn", organisation=world.on_time)
    return world


def draft_for(world, user, organisation):
    return Draft.objects.create(page=world.form, user=user, organisation=organisation, answers={})


def test_an_extension_lets_only_that_organisation_submit_and_only_to_the_second(world):
    deadline = world.form.get_closes_at()
    extended_to = deadline + timedelta(hours=1)
    reviewer = world.reviewers["hz"]
    grant_extension(world.form, world.late, extended_to, "系统故障", reviewer, ReviewerAccess(reviewer))
    late = draft_for(world, world.late_user, world.late)
    on_time = draft_for(world, world.on_time_user, world.on_time)
    # One second after the deadline, the other organisation is refused in plain words.
    with pytest.raises(SubmissionRefused, match="Drafts stay readable but can no longer be submitted"):
        submit_draft(on_time, answers("准时单位项目"), now=deadline + timedelta(seconds=1))
    # At the extended time exactly, the late organisation is refused too; one second before, accepted.
    with pytest.raises(SubmissionRefused):
        submit_draft(late, answers("迟到单位项目"), now=extended_to)
    submission, created = submit_draft(late, answers("迟到单位项目"), now=extended_to - timedelta(seconds=1))
    assert created and submission.organisation == world.late


def test_extensions_are_checked_when_granted(world):
    reviewer = world.reviewers["hz"]
    access = ReviewerAccess(reviewer)
    deadline = world.form.get_closes_at()
    haishu = OrganisationFactory(name="海曙区单位", region=world.regions["haishu"])
    with pytest.raises(ExtensionRefused, match="not in a region you review"):
        grant_extension(world.form, haishu, deadline + timedelta(days=1), "x", reviewer, access)
    with pytest.raises(ExtensionRefused, match="after the form's own deadline"):
        grant_extension(world.form, world.late, deadline - timedelta(minutes=1), "x", reviewer, access)
    with pytest.raises(ExtensionRefused, match="future"):
        grant_extension(world.form, world.late, timezone.now() - timedelta(minutes=1), "x", reviewer, access)
    assert not DeadlineExtension.objects.exists()


def test_reviewer_grants_an_extension_in_the_admin_and_the_applicant_is_told(client, world):
    reviewer = world.reviewers["hz"]
    client.force_login(reviewer)
    url = reverse(EXTENSIONS)
    deadline = timezone.localtime(world.form.get_closes_at())
    # An organisation outside the desk's regions is not even offered.
    page = client.get(url).content.decode()
    assert "西湖区迟到单位" in page and "海曙区医院" not in page
    bad = client.post(
        url,
        {
            "page": world.form.pk,
            "organisation": world.late.pk,
            "closes_at": (deadline - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "reason": "系统故障",
        },
    )
    assert bad.status_code == 422 and 'id="id_closes_at_error"' in bad.content.decode()
    new_time = (deadline + timedelta(days=1)).replace(second=0)
    response = client.post(
        url,
        {
            "page": world.form.pk,
            "organisation": world.late.pk,
            "closes_at": new_time.strftime("%Y-%m-%dT%H:%M"),
            "reason": "系统故障",
        },
    )
    assert response.status_code == 302
    extension = DeadlineExtension.objects.get()
    assert (
        extension.closes_at == new_time
        and extension.granted_by == reviewer
        and extension.reason == "系统故障"
    )
    client.force_login(world.late_user)
    landing = " ".join(client.get(world.form.url).content.decode().split())
    assert "Your organisation has been given until" in landing
    # A reviewer of another city can neither see nor withdraw it.
    client.force_login(world.reviewers["nb"])
    assert "西湖区迟到单位" not in client.get(url).content.decode()
    assert client.post(url, {"revoke": extension.pk}).status_code == 404
    client.force_login(reviewer)
    client.post(url, {"revoke": extension.pk})
    assert not DeadlineExtension.objects.exists()


def test_reminders_go_once_a_day_to_the_right_organisations(
    world, settings, django_capture_on_commit_callbacks
):
    expected = world.on_time
    world.form.expected_organisations.add(expected)
    world.form.save_revision().publish()
    draft_for(world, world.late_user, world.late)  # a draft, not submitted
    OrganisationFactory(name="西湖区无关单位", region=world.regions["xihu"])  # neither draft nor expected
    submitted = OrganisationFactory(name="西湖区已交单位", region=world.regions["xihu"])
    submitted_user = ApplicantFactory(username="done@example.cn", organisation=submitted)
    submit_draft(draft_for(world, submitted_user, submitted), answers("已交"))
    from forms_app.accounts.models import Organisation

    mail.outbox.clear()
    # The deadline is two days away: nothing is due with one day's notice, two organisations with three.
    assert send_reminders(world.form, Organisation.objects.all(), 1) == []
    with django_capture_on_commit_callbacks(execute=True):  # the e-mails go once the logs are saved
        sent = send_reminders(world.form, Organisation.objects.all(), 3)
    assert {(log.organisation.name, log.kind) for log in sent} == {
        ("西湖区迟到单位", ReminderLog.Kind.DRAFT),
        ("上城区准时单位", ReminderLog.Kind.NOTHING),
    }
    assert sorted(m.to[0] for m in mail.outbox) == ["late@example.cn", "ontime@example.cn"]
    assert all(world.form.title in m.subject for m in mail.outbox)
    # The same day again: nothing more, whoever asks.
    assert send_reminders(world.form, Organisation.objects.all(), 3) == []
    out = io.StringIO()
    call_command("send_reminders", "--days", "3", stdout=out)
    assert "0 reminders sent" in out.getvalue() and len(mail.outbox) == 2
    # The next day they are due again.
    tomorrow = timezone.now() + timedelta(days=1)
    again = send_reminders(world.form, Organisation.objects.all(), 3, now=tomorrow)
    assert len(again) == 2 and ReminderLog.objects.count() == 4


def test_the_command_and_the_admin_button_remind_only_their_region(client, world):
    draft_for(world, world.late_user, world.late)
    draft_for(world, world.on_time_user, world.on_time)
    out = io.StringIO()
    call_command("send_reminders", "--days", "3", "--region", "330106", stdout=out)  # 西湖区 only
    assert "1 reminders sent" in out.getvalue()
    assert list(ReminderLog.objects.values_list("organisation__name", flat=True)) == ["西湖区迟到单位"]
    reviewer = world.reviewers["shangcheng"]
    client.force_login(reviewer)
    response = client.post(reverse(REMINDERS), {"page": world.form.pk, "days": "3"})
    assert response.status_code == 302
    log = ReminderLog.objects.get(organisation=world.on_time)
    assert log.sent_by == reviewer and log.recipients == "ontime@example.cn"
    page = client.get(reverse(REMINDERS)).content.decode()
    assert "上城区准时单位" in page and "西湖区迟到单位" not in page  # only the desk's own regions
    bad = client.post(reverse(REMINDERS), {"page": world.form.pk, "days": "-1"})
    assert bad.status_code == 422 and 'id="id_days_error"' in bad.content.decode()


def test_after_the_deadline_the_notice_says_drafts_stay_readable_but_cannot_be_submitted(client, world):
    notice = world.form.get_parent().specific
    notice.deadline = timezone.now() - timedelta(minutes=1)
    notice.save_revision().publish()
    text = " ".join(client.get(notice.url).content.decode().split())
    assert "Applications for this notice have closed." in text
    assert "Drafts stay readable by the applicants who started them, but can no longer be submitted" in text
    # The owner still reads the draft's steps; submitting is refused.
    draft = draft_for(world, world.late_user, world.late)
    client.force_login(world.late_user)
    step = world.form.get_draft_url(draft, "step", step=world.form.schema.steps[0]["key"])
    assert client.get(step).status_code == 200
    with pytest.raises(SubmissionRefused):
        submit_draft(draft, answers("迟到"))
