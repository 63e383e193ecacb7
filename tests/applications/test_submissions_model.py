"""Submissions, drafts, organisations and reference numbers (the data layer of the applicant's journey)."""

import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError
from django.utils import timezone
from wagtail.models import ReferenceIndex

from forms_app.accounts.models import Organisation
from forms_app.applications.models import Draft, FormVersion, ReferenceCounter, Submission
from forms_app.builder.factories import field
from forms_app.builder.models import Region
from tests.applications.test_form_pages import make_form, one_step
from tests.factories import NoticePageFactory
from tests.samples import KNOWN_CREDIT_CODE


@pytest.fixture
def form(notice_index):
    notice = NoticePageFactory(parent=notice_index, deadline=timezone.now() + timedelta(days=10))
    return make_form(
        notice,
        one_step(field("short_text", "名称", key="name", max_length=20)),
        attachment_label="附件1",
        reference_prefix="ZJ",
    )


def submit(form, **fields):
    version = FormVersion.objects.latest_for(form)
    return Submission.create_with_reference(form, form_version=version, answers={"name": "甲"}, **fields)


def test_references_follow_prefix_year_form_and_sequence(form):
    year = timezone.localtime().year
    refs = [submit(form).reference for _ in range(3)]
    assert refs == [f"ZJ{year}-F1-00001", f"ZJ{year}-F1-00002", f"ZJ{year}-F1-00003"]


def test_references_are_never_reused(form):
    first = submit(form)
    first.delete()
    assert submit(form).reference.endswith("-00002")


def test_each_form_has_its_own_series_and_a_default_prefix(form, notice_index):
    other_notice = NoticePageFactory(parent=notice_index, deadline=timezone.now() + timedelta(days=10))
    other = make_form(
        other_notice, one_step(field("short_text", "名称", key="name", max_length=20)), slug="other"
    )
    submit(form)
    reference = submit(other).reference
    assert reference.startswith(f"SB{timezone.localtime().year}-P{other.pk}-") and reference.endswith(
        "-00001"
    )


def test_the_year_is_beijing_time(form):
    # 16:30 UTC on 31 December is 00:30 on 1 January in Beijing.
    new_year = datetime(2024, 12, 31, 16, 30, tzinfo=ZoneInfo("UTC"))
    with transaction.atomic():
        assert Submission.objects.issue_reference(form, when=new_year).startswith("ZJ2025-F1-")


def test_a_used_form_version_cannot_be_deleted(form):
    submission = submit(form)
    with pytest.raises(ProtectedError):
        submission.form_version.delete()


def test_duplicate_references_are_impossible(form):
    submission = submit(form)
    with pytest.raises(IntegrityError), transaction.atomic():
        Submission.objects.create(
            page=form, form_version=submission.form_version, reference=submission.reference
        )


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_get_distinct_consecutive_references(notice_index):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises all writers; the row lock is exercised on PostgreSQL")
    notice = NoticePageFactory(parent=notice_index, deadline=timezone.now() + timedelta(days=10))
    page = make_form(
        notice, one_step(field("short_text", "名称", key="name", max_length=20)), reference_prefix="PG"
    )
    version = FormVersion.objects.latest_for(page)
    workers, per_worker = 8, 5
    barrier = threading.Barrier(workers)
    references, errors = [], []

    def work():
        from django.db import connections

        try:
            barrier.wait()
            for _ in range(per_worker):
                references.append(Submission.create_with_reference(page, form_version=version).reference)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    numbers = sorted(int(ref.rsplit("-", 1)[1]) for ref in references)
    assert numbers == list(range(1, workers * per_worker + 1))
    assert Submission.objects.filter(page=page).count() == workers * per_worker
    assert ReferenceCounter.objects.get(series__startswith="PG").value == workers * per_worker


def test_organisation_credit_code_is_checked_and_unique(db):
    zj = Region.objects.create(code="330000", name="浙江省", level="province")
    org = Organisation(name="浙江大学", credit_code=KNOWN_CREDIT_CODE.lower(), region=zj)
    org.full_clean()
    assert org.credit_code == KNOWN_CREDIT_CODE
    org.save()
    bad = Organisation(name="某单位", credit_code=KNOWN_CREDIT_CODE[:-1] + "0")
    with pytest.raises(ValidationError) as error:
        bad.full_clean()
    assert "credit_code" in error.value.message_dict
    # Organisations without a code are many; a code belongs to one organisation.
    Organisation.objects.create(name="甲单位")
    Organisation.objects.create(name="乙单位")
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(name="重复", credit_code=KNOWN_CREDIT_CODE)


def test_draft_tokens_are_long_and_unique(form):
    drafts = [Draft.objects.create(page=form) for _ in range(20)]
    tokens = {d.token for d in drafts}
    assert len(tokens) == 20 and all(len(t) >= 40 for t in tokens)


def test_submissions_stay_out_of_wagtails_reference_index(form):
    # A province's tens of thousands of submissions are records, not content: Wagtail's usage count of
    # the form page must not list them, and saving one must not queue a reference-index task.
    submission = submit(form)
    submission.save()
    recorded = ReferenceIndex.objects.filter(content_type=ContentType.objects.get_for_model(Submission))
    assert not recorded.exists()
    assert ReferenceIndex.get_references_to(form).filter(content_type__model="submission").count() == 0
