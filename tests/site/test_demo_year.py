"""A whole year on the demo: apply, print, stamp, upload, review, batch, recommend, select, copy, compare."""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from forms_app.applications.models import ApplicationFormPage, Draft, Submission
from forms_app.printing.models import StampedCopy
from forms_app.review.access import ReviewerAccess
from forms_app.review.workflow import transition
from forms_app.rounds.batches import close_batch
from forms_app.rounds.models import RecommendationBatch
from home.demo import OPEN_ROUND_SLUG, load_demo
from home.demo_review import sample_answers
from notices.models import NoticePage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


def test_a_full_year_runs_on_the_demo(client):
    load_demo(with_accounts=True, log=lambda line: None)
    users = {u.username: u for u in get_user_model().objects.all()}
    open_round = NoticePage.objects.get(slug=OPEN_ROUND_SLUG)
    form = ApplicationFormPage.objects.child_of(open_round).get(slug="form-1")
    applicant = users["applicant"]
    organisation = applicant.applicant_profile.organisation

    # Apply (the wizard itself is covered by the applicant-journey tests) and submit.
    client.force_login(applicant)
    draft = Draft.objects.create(page=form, user=applicant, organisation=organisation)
    from forms_app.applications.submitting import submit_draft

    submission, created = submit_draft(draft, sample_answers(form.schema, 99, organisation.region))
    assert created
    # Print it, then upload the scan of the stamped printout.
    printed = client.get(form.get_draft_url(draft, "pdf"))
    assert printed.status_code == 200 and printed.content.startswith(b"%PDF")
    version = submission.versions.get()
    scan = SimpleUploadedFile("盖章件.pdf", printed.content)
    assert (
        client.post(form.get_draft_url(draft, "stamped"), {"version": version.pk, "file": scan}).status_code
        == 302
    )
    assert StampedCopy.objects.get(submission=submission).version == version

    # The city desk (the applicant's own region) reviews it and sees the stamped copy.
    city, province = users["reviewer_city"], users["reviewer_province"]
    client.force_login(city)
    listing = client.get(
        reverse("shenbao_applications_submission_modeladmin_index"), {"form": form.pk}
    ).content.decode()
    assert submission.reference in listing and "stamped copy received" in listing
    transition([submission.pk], "recommended", city, "材料齐全")
    assert not ReviewerAccess(province).submissions().filter(pk=submission.pk).exists()  # held for the batch
    batch = close_batch(form, submission.region, city, ReviewerAccess(city))
    assert isinstance(batch, RecommendationBatch) and batch.entries.get().submission == submission

    # The province receives the batch and selects.
    assert ReviewerAccess(province).submissions().filter(pk=submission.pk).exists()
    transition([submission.pk], "selected", province)
    assert Submission.objects.get(pk=submission.pk).status == "selected"

    # Next year: copy the round, then compare the forms: nothing changed yet.
    admin = users["admin"]
    client.force_login(admin)
    client.post(reverse("shenbao_notices_admin:copy_to_next_year", args=[open_round.pk]))
    copy = NoticePage.objects.get(previous_round=open_round)
    compare = client.get(reverse("shenbao_notices_admin:compare_rounds", args=[copy.pk])).content.decode()
    assert compare.count("No change in the questions.") == 6


def test_the_demo_loads_on_a_machine_without_the_pdf_fonts(settings):
    """`make run` where the fonts could not be installed: everything loads but the one scanned printout."""
    settings.SHENBAO_PDF_CJK_FONT = "/nonexistent/gbsn00lp.ttf"
    lines = []
    load_demo(with_accounts=True, log=lines.append)
    skipped = [line for line in lines if line.startswith("Skipped the demo's stamped scan")]
    assert len(skipped) == 1 and "/nonexistent/gbsn00lp.ttf" in skipped[0]
    assert NoticePage.objects.filter(slug=OPEN_ROUND_SLUG).exists()
    # The batch is closed all the same; its summary list waits for the worker, which says what is missing.
    assert not StampedCopy.objects.exists() and RecommendationBatch.objects.count() == 1
    assert Submission.objects.exists()
