"""The applicant's wizard: order, back, resume, conditions, files, check page, submission, deadlines."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from forms_app.accounts.models import ApplicantProfile
from forms_app.applications.models import Draft, Submission, SubmissionStatus, UploadedFile
from tests.clients import CommittingClient
from tests.factories import ApplicantFactory, OrganisationFactory
from tests.html import soup, text_of
from tests.review_helpers import make_reviewer
from tests.wizard_helpers import BASIC, PLAN_ROWS, Applicant, pdf, three_step_form


@pytest.fixture
def form(notice_index):
    return three_step_form(notice_index)


@pytest.fixture
def user(db):
    return ApplicantFactory()


@pytest.fixture
def applicant(client, form, user):
    client.force_login(user)
    return Applicant(client, form)


@pytest.fixture(autouse=True)
def english(settings):
    # Messages are asserted in their English source; the Chinese ones are checked by test_i18n.
    settings.LANGUAGE_CODE = "en"


def words(node):
    """Visible text with whitespace collapsed, for English messages."""
    return " ".join(node.get_text(" ").split())


def errors_by_field(response):
    return {
        box["data-field-key"]: text_of(box.select_one(".form-field__errors"))
        for box in soup(response).select(".has-error")
    }


# --- starting ---------------------------------------------------------------------------------------


def test_the_landing_page_asks_anonymous_visitors_to_sign_in(client, form):
    html = soup(client.get(form.url))
    assert html.select_one(".apply-panel a[href^='/accounts/login/']") is not None
    assert html.select_one(".apply-panel form") is None
    # Starting without signing in leads to the sign-in page, and no draft is made.
    response = client.post(form.url + "start/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not Draft.objects.exists()


def test_starting_makes_a_draft_for_the_applicants_organisation(applicant, user, form):
    draft_id = applicant.start()
    draft = Draft.objects.get(pk=draft_id)
    assert draft.user == user and draft.organisation == user.applicant_profile.organisation
    assert draft.page_id == form.pk


def test_start_needs_post(applicant, form):
    assert applicant.client.get(form.url + "start/").status_code == 302
    assert not Draft.objects.exists()


def test_a_user_without_an_organisation_cannot_start(client, form, django_user_model):
    client.force_login(django_user_model.objects.create_user("staff@example.cn", password="x" * 12))
    response = client.post(form.url + "start/", follow=True)
    assert "not linked to an organisation" in words(soup(response))
    assert not Draft.objects.exists()


# --- stepping ---------------------------------------------------------------------------------------


def test_steps_are_shown_one_at_a_time_with_progress(applicant):
    draft_id = applicant.start()
    html = soup(applicant.client.get(applicant.step_url(draft_id, "basic")))
    assert html.select_one("#step-title").get_text(" ", strip=True).endswith("基本信息")
    assert [f["data-field-key"] for f in html.select(".form-field")] == ["team_name", "is_base", "bank_code"]
    current = html.select_one(".wizard-progress [aria-current=step]")
    assert "基本信息" in text_of(current)
    # The management form carries this wizard's own prefix.
    assert html.select_one(f"input[name='{applicant.management}']")["value"] == "basic"


def test_a_bad_step_shows_errors_next_to_fields_and_keeps_the_input(applicant):
    draft_id = applicant.start()
    response = applicant.post_step(
        draft_id, "basic", {"basic-team_name": "", "basic-is_base": "yes", "basic-bank_code": "123"}
    )
    assert response.status_code == 422
    errors = errors_by_field(response)
    assert set(errors) == {"team_name", "bank_code"}
    assert "开户行联行号" in errors["bank_code"]
    html = soup(response)
    assert html.select_one("input[name=basic-bank_code]")["value"] == "123"
    # The error is tied to its input for screen readers.
    described = html.select_one("[data-field-key=bank_code] input")["aria-describedby"]
    assert html.select_one(f"#{described.split()[-1]}") is not None
    assert Draft.objects.get(pk=draft_id).answers == {}


def test_a_valid_step_is_saved_on_the_server_and_leads_to_the_next(applicant):
    draft_id = applicant.start()
    response = applicant.post_step(draft_id, "basic", BASIC)
    # "No" hides the base step, so the next step is the plan.
    assert response["Location"] == applicant.step_url(draft_id, "plan")
    draft = Draft.objects.get(pk=draft_id)
    assert draft.answers == {"team_name": "浙江省测试服务团", "is_base": False, "bank_code": "102331000011"}
    assert draft.current_step == "basic"


def test_a_conditional_step_appears_when_its_condition_holds(applicant):
    draft_id = applicant.start()
    response = applicant.post_step(draft_id, "basic", {**BASIC, "basic-is_base": "yes"})
    assert response["Location"] == applicant.step_url(draft_id, "base")
    bad = applicant.post_step(draft_id, "base", {"base-established": "not a date"})
    assert bad.status_code == 422 and set(errors_by_field(bad)) == {"established"}
    good = applicant.post_step(draft_id, "base", {"base-established": "2020-05-01"})
    assert good["Location"] == applicant.step_url(draft_id, "plan")


def test_a_hidden_step_cannot_be_opened_and_its_answers_are_not_submitted(applicant):
    draft_id = applicant.start()
    applicant.post_step(draft_id, "basic", {**BASIC, "basic-is_base": "yes"})
    applicant.post_step(draft_id, "base", {"base-established": "2020-05-01"})
    # Changing the answer to "no" hides the step again.
    applicant.post_step(draft_id, "basic", BASIC)
    response = applicant.client.get(applicant.step_url(draft_id, "base"))
    assert response.status_code == 302 and "/base/" not in response["Location"]
    applicant.post_step(draft_id, "plan", {**PLAN_ROWS, "plan-plan_file": pdf()})
    applicant.submit(draft_id)
    submission = Submission.objects.get()
    assert "established" not in submission.answers


def test_no_skipping_ahead(applicant):
    draft_id = applicant.start()
    response = applicant.client.get(applicant.step_url(draft_id, "plan"))
    assert response["Location"] == applicant.step_url(draft_id, "basic")
    posted = applicant.post_step(draft_id, "plan", {**PLAN_ROWS, "plan-plan_file": pdf()})
    assert posted["Location"] == applicant.step_url(draft_id, "basic")
    assert applicant.client.get(applicant.check_url(draft_id))["Location"] == applicant.step_url(
        draft_id, "basic"
    )
    assert not UploadedFile.objects.exists()


def test_a_tampered_management_step_is_refused(applicant):
    draft_id = applicant.start()
    response = applicant.client.post(
        applicant.step_url(draft_id, "basic"), {applicant.management: "plan", **BASIC}
    )
    assert response.status_code == 302 and response["Location"] == applicant.step_url(draft_id, "basic")
    assert Draft.objects.get(pk=draft_id).answers == {}


def test_an_unknown_step_sends_the_applicant_back_on_track(applicant):
    draft_id = applicant.start()
    response = applicant.client.get(applicant.step_url(draft_id, "nope"))
    assert response["Location"] == applicant.step_url(draft_id, "basic")


def test_back_keeps_valid_and_invalid_input(applicant):
    draft_id = applicant.start()
    applicant.post_step(draft_id, "basic", BASIC)
    # Half-typed table, no file: invalid, but "Back" keeps it.
    response = applicant.post_step(
        draft_id,
        "plan",
        {"plan-activities-rows": "1", "plan-activities-0-name": "半填的活动"},
        wizard_goto_step="basic",
    )
    assert response["Location"] == applicant.step_url(draft_id, "basic")
    html = soup(applicant.client.get(applicant.step_url(draft_id, "basic")))
    assert html.select_one("input[name=basic-team_name]")["value"] == "浙江省测试服务团"
    again = soup(applicant.client.get(applicant.step_url(draft_id, "plan")))
    assert again.select_one("input[name=plan-activities-0-name]")["value"] == "半填的活动"
    # What was kept is shown with its problems, so nothing is silently lost.
    assert again.select_one("[data-field-key=plan_file].has-error") is not None


def test_save_and_come_back_later(applicant, form):
    draft_id = applicant.start()
    response = applicant.post_step(draft_id, "basic", {**BASIC, "basic-bank_code": "12"}, wizard_save="1")
    assert response["Location"] == f"{form.url}apply/{draft_id}/saved/"
    saved = soup(applicant.client.get(response["Location"]))
    panel = saved.select_one(".draft-saved")
    # Where the draft is and the ways back to it; no empty form and no "start another" beside it.
    assert "Your application is saved" in words(panel) and "It is not submitted yet" in words(panel)
    assert words(saved.select_one("[data-testid=saved-step]")) == "You will go on at “基本信息”."
    assert panel.select_one(f"a.button[href='{applicant.step_url(draft_id, 'basic')}']").get_text() == (
        "Continue now"
    )
    assert panel.select_one("a[href='/applications/#drafts-title']") is not None
    assert saved.select("input[type=text], textarea, form[action$='start/']") == []
    landing = soup(applicant.client.get(form.url))
    assert landing.select_one(f".draft-list a[href$='/apply/{draft_id}/']") is not None
    kept = soup(applicant.client.get(applicant.step_url(draft_id, "basic")))
    assert kept.select_one("input[name=basic-bank_code]")["value"] == "12"


def test_resume_on_another_device(applicant, user, form):
    draft_id = applicant.start()
    applicant.post_step(draft_id, "basic", BASIC)
    other = CommittingClient()
    other.force_login(user)
    # A new session knows nothing; the draft on the server says where to go.
    response = other.get(f"{form.url}apply/{draft_id}/")
    assert response["Location"] == applicant.step_url(draft_id, "plan")
    html = soup(other.get(applicant.step_url(draft_id, "basic")))
    assert html.select_one("input[name=basic-team_name]")["value"] == "浙江省测试服务团"


def test_another_applicants_draft_is_not_found(applicant, form):
    draft_id = applicant.start()
    stranger = CommittingClient()
    stranger.force_login(ApplicantFactory())
    for url in (
        f"{form.url}apply/{draft_id}/",
        applicant.step_url(draft_id, "basic"),
        applicant.check_url(draft_id),
        f"{form.url}apply/{draft_id}/submitted/",
    ):
        assert stranger.get(url).status_code == 404, url
    assert (
        stranger.post(
            applicant.step_url(draft_id, "basic"), {applicant.management: "basic", **BASIC}
        ).status_code
        == 404
    )
    assert Draft.objects.get(pk=draft_id).answers == {}


# --- files ------------------------------------------------------------------------------------------


def test_uploads_are_private_survive_the_steps_and_are_replaced(applicant, user, form, settings):
    draft_id = applicant.start()
    applicant.post_step(draft_id, "basic", BASIC)
    applicant.post_step(draft_id, "plan", {**PLAN_ROWS, "plan-plan_file": pdf("第一版.pdf")})
    first = UploadedFile.objects.get()
    assert str(settings.SHENBAO_PRIVATE_MEDIA_ROOT) in first.file.path
    assert str(settings.MEDIA_ROOT) not in first.file.path
    assert "第一版" not in first.file.name  # random name on disk
    # Posting the step again without a file keeps the upload.
    again = applicant.post_step(draft_id, "plan", PLAN_ROWS)
    assert again.status_code == 302
    assert Draft.objects.get(pk=draft_id).answers["plan_file"] == [first.as_answer()]
    # The step shows it with a link through the checked view.
    html = soup(applicant.client.get(applicant.step_url(draft_id, "plan")))
    link = html.select_one(".upload-current a")
    assert link["href"] == f"/applications/files/{first.pk}/" and text_of(link) == "第一版.pdf"
    # A new upload replaces the old one, whose file is deleted.
    applicant.post_step(draft_id, "plan", {**PLAN_ROWS, "plan-plan_file": pdf("第二版.pdf")})
    assert list(UploadedFile.objects.values_list("name", flat=True)) == ["第二版.pdf"]
    assert not first.file.storage.exists(first.file.name)


def test_files_are_checked_by_content_and_size(applicant):
    draft_id = applicant.start()
    applicant.post_step(draft_id, "basic", BASIC)
    fake = pdf("申报书.pdf", b"MZ\x90\x00" + b"\x00" * 100)
    response = applicant.post_step(draft_id, "plan", {**PLAN_ROWS, "plan-plan_file": fake})
    assert response.status_code == 422
    assert "notanallowedfile" in errors_by_field(response)["plan_file"]
    big = pdf("大.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 1))
    response = applicant.post_step(draft_id, "plan", {**PLAN_ROWS, "plan-plan_file": big})
    assert "largerthan1MB" in errors_by_field(response)["plan_file"]
    assert not UploadedFile.objects.exists()


def test_files_are_served_only_to_their_owner_and_reviewers(applicant, form, django_user_model):
    from django.contrib.auth.models import Permission

    draft_id = applicant.start()
    applicant.fill_all(draft_id)
    upload = UploadedFile.objects.get()
    url = f"/applications/files/{upload.pk}/"
    response = applicant.client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    # Anonymous visitors are sent to sign in; other applicants are refused.
    assert CommittingClient().get(url)["Location"].startswith("/accounts/login/")
    stranger = CommittingClient()
    stranger.force_login(ApplicantFactory())
    refused = stranger.get(url)
    assert refused.status_code == 403 and soup(refused).h1 is not None
    # A reviewer needs a desk over the applicant's region, and the file must belong to a submission.
    reviewer = django_user_model.objects.create_user("reviewer@example.cn", password="x" * 12)
    reviewer.user_permissions.add(Permission.objects.get(codename="view_submission"))
    as_reviewer = CommittingClient()
    as_reviewer.force_login(reviewer)
    assert as_reviewer.get(url).status_code == 403
    region = applicant_region(applicant)
    desk = make_reviewer("desk@example.cn", region)
    as_reviewer.force_login(desk)
    assert as_reviewer.get(url).status_code == 403  # still a draft
    assert applicant.submit(draft_id).status_code == 302
    assert as_reviewer.get(url).status_code == 200
    # Nothing in MEDIA_URL serves it.
    assert CommittingClient().get("/media/" + upload.file.name).status_code == 404


def applicant_region(applicant):
    user_id = applicant.client.session["_auth_user_id"]
    return ApplicantProfile.objects.get(user_id=user_id).organisation.region


# --- check page and submission ----------------------------------------------------------------------


def test_the_check_page_lists_every_answer_by_step_with_change_links(applicant):
    draft_id = applicant.start()
    applicant.fill_all(draft_id)
    html = soup(applicant.client.get(applicant.check_url(draft_id)))
    sections = html.select("section.answers")
    assert [text_of(s.h2) for s in sections] == ["基本信息", "活动计划"]
    rows = {row["data-answer-key"]: text_of(row.dd) for row in html.select(".answers__row")}
    assert rows["team_name"] == "浙江省测试服务团"
    assert rows["is_base"] == "否"
    assert rows["plan_file"].startswith("申报书.pdf")
    table = html.select_one("[data-answer-key=activities] table")
    assert [text_of(td) for td in table.select("tbody tr")[1].select("th, td")] == ["2", "技术培训", "2000"]
    assert [text_of(td) for td in table.select("tfoot th, tfoot td")][-1] == "5000"
    change = sections[0].select_one("a.answers__change")["href"]
    assert change == applicant.step_url(draft_id, "basic") + "?return_to=check"
    # Changing from the check page comes back to it.
    back = applicant.post_step(
        draft_id, "basic", {**BASIC, "basic-team_name": "改过的名称"}, return_to="check"
    )
    assert back["Location"] == applicant.check_url(draft_id)


def test_submit_creates_one_submission_with_reference_files_and_email(
    applicant, user, form, django_capture_on_commit_callbacks
):
    draft_id = applicant.start()
    applicant.fill_all(draft_id)
    with django_capture_on_commit_callbacks(execute=True):
        response = applicant.submit(draft_id)
    assert response["Location"] == f"{form.url}apply/{draft_id}/submitted/"
    submission = Submission.objects.get()
    year = timezone.localtime().year
    assert submission.reference == f"ZJ{year}-F1-00001"
    assert submission.organisation == user.applicant_profile.organisation
    assert submission.region == submission.organisation.region
    assert submission.form_version.number == 1 and submission.revision == 1
    assert submission.answers["activities"][1] == {"name": "技术培训", "budget": 2000}
    assert submission.answers["plan_file"][0]["name"] == "申报书.pdf"
    assert UploadedFile.objects.get().submission == submission
    confirmation = soup(applicant.client.get(response["Location"]))
    assert text_of(confirmation.select_one("[data-reference]")) == submission.reference
    [message] = mail.outbox
    assert message.to == [user.email] and submission.reference in message.subject
    # Submitted means read-only: the steps send the applicant to the confirmation.
    again = applicant.post_step(draft_id, "basic", {**BASIC, "basic-team_name": "改"})
    assert again["Location"] == f"{form.url}apply/{draft_id}/submitted/"
    assert Submission.objects.get().answers["team_name"] == "浙江省测试服务团"


def test_double_submit_and_refresh_make_one_submission(applicant, django_capture_on_commit_callbacks):
    draft_id = applicant.start()
    applicant.fill_all(draft_id)
    with django_capture_on_commit_callbacks(execute=True):
        first = applicant.submit(draft_id)
        second = applicant.submit(draft_id)
    assert first["Location"] == second["Location"]
    assert Submission.objects.count() == 1
    assert len(mail.outbox) == 1


def test_notify_addresses_are_told(client, notice_index, user, django_capture_on_commit_callbacks):
    form = three_step_form(notice_index, notify_emails="bureau@example.cn\nclerk@example.cn")
    client.force_login(user)
    applicant = Applicant(client, form)
    draft_id = applicant.start()
    applicant.fill_all(draft_id)
    with django_capture_on_commit_callbacks(execute=True):
        applicant.submit(draft_id)
    assert len(mail.outbox) == 2
    notify = next(m for m in mail.outbox if "bureau@example.cn" in m.to)
    assert notify.to == ["bureau@example.cn", "clerk@example.cn"]
    assert Submission.objects.get().reference in notify.subject


def test_a_returned_submission_is_revised_and_resubmitted_under_its_reference(applicant, form, user):
    draft_id = applicant.start()
    applicant.fill_all(draft_id)
    applicant.submit(draft_id)
    submission = Submission.objects.get()
    submission.status = SubmissionStatus.RETURNED
    submission.save()
    mine = soup(applicant.client.get("/applications/"))
    assert mine.select_one(f"tr[data-reference='{submission.reference}'] a[href$='/apply/{draft_id}/']")
    applicant.post_step(draft_id, "basic", {**BASIC, "basic-team_name": "修改后的名称"})
    applicant.post_step(draft_id, "plan", PLAN_ROWS)
    response = applicant.submit(draft_id)
    assert response.status_code == 302
    submission.refresh_from_db()
    assert Submission.objects.count() == 1
    assert submission.status == SubmissionStatus.SUBMITTED and submission.revision == 2
    assert submission.answers["team_name"] == "修改后的名称"
    assert submission.reference.endswith("-00001")
    # The history says who submitted, and that the second time came after a return.
    history = [(e.from_status, e.to_status, e.revision, e.actor) for e in submission.events.all()]
    assert history == [("", "submitted", 1, user), ("returned", "submitted", 2, user)]


# --- deadlines --------------------------------------------------------------------------------------


def test_a_form_not_yet_open_refuses_drafts(client, notice_index, user):
    form = three_step_form(notice_index, opens_at=timezone.now() + timedelta(hours=1))
    client.force_login(user)
    html = soup(client.get(form.url))
    assert "opens at" in words(html.select_one(".apply-panel__closed"))
    response = client.post(form.url + "start/", follow=True)
    assert not Draft.objects.exists()
    assert "opens at" in words(soup(response))


def test_after_the_deadline_steps_and_submission_are_refused_but_the_draft_stays(applicant, form):
    draft_id = applicant.start()
    applicant.fill_all(draft_id)
    form.closes_at = timezone.now() - timedelta(seconds=1)
    form.save_revision().publish()
    posted = applicant.post_step(draft_id, "basic", {**BASIC, "basic-team_name": "迟到的修改"})
    assert posted.status_code == 302 and posted["Location"] == form.url
    response = applicant.submit(draft_id)
    assert response.status_code == 409
    assert "closed at" in words(soup(response).select_one(".message--error"))
    assert not Submission.objects.exists()
    draft = Draft.objects.get(pk=draft_id)
    assert draft.answers["team_name"] == "浙江省测试服务团"
    # The draft stays readable on the check page.
    html = soup(applicant.client.get(applicant.check_url(draft_id)))
    assert "浙江省测试服务团" in text_of(html) and html.select_one("form[data-submit-once]") is None


@pytest.mark.parametrize(("offset", "accepted"), [(-1, True), (0, False), (1, False)])
def test_the_deadline_holds_to_the_second(applicant, form, offset, accepted):
    from forms_app.applications.submitting import SubmissionRefused, submit_draft

    draft_id = applicant.start()
    applicant.fill_all(draft_id)
    closes = form.get_closes_at()
    draft = Draft.objects.get(pk=draft_id)
    answers = dict(draft.answers)
    when = closes + timedelta(seconds=offset)
    if accepted:
        submission, _now = submit_draft(draft, answers, now=when)
        assert submission.submitted_at == when
    else:
        with pytest.raises(SubmissionRefused):
            submit_draft(draft, answers, now=when)
        assert not Submission.objects.exists()


# --- quotas -----------------------------------------------------------------------------------------


def test_quota_per_organisation(client, notice_index):
    form = three_step_form(notice_index, max_per_organisation=1)
    organisation = OrganisationFactory()
    first, second = ApplicantFactory(organisation=organisation), ApplicantFactory(organisation=organisation)
    outsider = ApplicantFactory()
    results = []
    for user in (first, second, outsider):
        c = CommittingClient()
        c.force_login(user)
        a = Applicant(c, form)
        draft_id = a.start()
        a.fill_all(draft_id)
        results.append(a.submit(draft_id))
    assert [r.status_code for r in results] == [302, 409, 302]
    assert organisation.name in words(soup(results[1]).select_one(".message--error"))
    assert Submission.objects.filter(organisation=organisation).count() == 1


def test_quota_per_region(notice_index):
    form = three_step_form(notice_index, max_per_region=2)
    region = OrganisationFactory().region
    codes = []
    for _ in range(3):
        c = CommittingClient()
        c.force_login(ApplicantFactory(organisation=OrganisationFactory(region=region)))
        a = Applicant(c, form)
        draft_id = a.start()
        a.fill_all(draft_id)
        codes.append(a.submit(draft_id).status_code)
    assert codes == [302, 302, 409]
    assert Submission.objects.filter(region=region).count() == 2


def test_quotas_need_sign_in(notice_index):
    from django.core.exceptions import ValidationError

    form = three_step_form(notice_index)
    form.login_required, form.max_per_region = False, 1
    with pytest.raises(ValidationError) as error:
        form.full_clean()
    assert "login_required" in error.value.message_dict


# --- anonymous applicants ---------------------------------------------------------------------------


def test_anonymous_applicants_get_a_secret_link_that_works_on_another_device(notice_index):
    form = three_step_form(notice_index, login_required=False)
    browser = CommittingClient()
    applicant = Applicant(browser, form)
    draft_id = applicant.start()
    draft = Draft.objects.get(pk=draft_id)
    assert draft.user is None and len(draft.token) >= 43
    html = soup(browser.get(applicant.step_url(draft_id, "basic")))
    link = html.select_one(".resume-link__url")["value"]
    assert link.endswith(f"/resume/{draft.token}/")
    applicant.post_step(draft_id, "basic", BASIC)
    # Another browser without the link cannot see it...
    other = CommittingClient()
    assert other.get(applicant.step_url(draft_id, "basic")).status_code == 404
    # ...with the link it can, and carries on.
    resumed = other.get(link.replace("http://localhost", ""))
    assert resumed.status_code == 302
    assert other.get(resumed["Location"])["Location"] == applicant.step_url(draft_id, "plan")
    assert other.get(f"{form.url}resume/{'x' * 43}/").status_code == 404
    Applicant(other, form).fill_all(draft_id)
    assert Applicant(other, form).submit(draft_id).status_code == 302
    assert Submission.objects.get().user is None


# --- my applications --------------------------------------------------------------------------------


def test_my_applications_lists_drafts_and_submissions(applicant, form):
    submitted_id = applicant.start()
    applicant.fill_all(submitted_id)
    applicant.submit(submitted_id)
    draft_id = applicant.start()
    applicant.post_step(draft_id, "basic", BASIC)
    html = soup(applicant.client.get("/applications/"))
    assert html.select_one(".account-nav a[aria-current=page]")["href"] == "/applications/"
    reference = Submission.objects.get().reference
    row = html.select_one(f"tr[data-reference='{reference}']")
    assert "Submitted" in words(row)
    assert html.select_one(f"tr[data-draft='{draft_id}'] a")["href"].endswith(f"/apply/{draft_id}/")
    assert html.select_one(f"tr[data-draft='{submitted_id}']") is None
    # Only one's own.
    stranger = CommittingClient()
    stranger.force_login(ApplicantFactory())
    assert reference not in stranger.get("/applications/").content.decode()
    assert CommittingClient().get("/applications/")["Location"].startswith("/accounts/login/")


def test_an_anonymous_draft_saved_for_later_shows_its_private_link(client, notice_index):
    form = three_step_form(notice_index, login_required=False)
    anonymous = Applicant(client, form)
    draft_id = anonymous.start()
    response = anonymous.post_step(draft_id, "basic", BASIC, wizard_save="1")
    saved = soup(client.get(response["Location"]))
    token = Draft.objects.get(pk=draft_id).token
    link = saved.select_one(f".draft-saved a[href='http://testserver{form.url}resume/{token}/']")
    assert link is not None and "Keep this private link" in words(saved.select_one(".draft-saved"))
    # Someone else's browser does not see it.
    assert CommittingClient().get(response["Location"]).status_code == 404


def test_an_upload_says_what_it_accepts_before_the_upload(applicant, form):
    draft_id = applicant.start()
    applicant.post_step(draft_id, "basic", BASIC)
    html = soup(applicant.client.get(applicant.step_url(draft_id, "plan")))
    upload = html.select_one("input[type=file][name=plan-plan_file]")
    limits = html.select_one(f"#{upload['aria-describedby'].split()[-1]}")
    assert words(limits) == "Accepted: PDF, at most 1 MB per file."
