"""Recommendation batches: held back until closed, last quota check, frozen summary list, reopening."""

import re
import subprocess
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from forms_app.applications.models import SubmissionStatus
from forms_app.review.access import ReviewerAccess
from forms_app.review.workflow import TransitionRefused, transition
from forms_app.rounds.batches import close_batch, pending_recommendations, reopen_batch, withdraw
from forms_app.rounds.models import BatchDocuments, RecommendationBatch
from tests.review_helpers import build_world, make_reviewer

S = SubmissionStatus
BATCHES = "shenbao_rounds_recommendationbatch_modeladmin_index"
BATCH = "shenbao_rounds_recommendationbatch_modeladmin_inspect"
INDEX = "shenbao_applications_submission_modeladmin_index"


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def world(notice_index):
    world = build_world(
        notice_index, batch_recommendations=True, recommend_quota=2, quota_level="city", summary_columns=[]
    )
    world.reviewers["zj"] = make_reviewer("province_desk", world.regions["zj"])
    return world


def sees(world, key, submission):
    return ReviewerAccess(world.reviewers[key]).submissions().filter(pk=submission.pk).exists()


def pass_up_from_districts(world):
    """Both Hangzhou districts recommend their submission and close their batch."""
    for key in ("xihu", "shangcheng"):
        reviewer = world.reviewers[key]
        transition([world.subs[key].pk], S.RECOMMENDED, reviewer)
        close_batch(world.page, world.regions[key], reviewer, ReviewerAccess(reviewer))


def test_a_recommendation_reaches_the_next_level_only_with_its_batch(world):
    xihu = world.reviewers["xihu"]
    target = world.subs["xihu"]
    transition([target.pk], S.RECOMMENDED, xihu)
    target.refresh_from_db()
    assert target.stage_region == world.regions["hz"] and target.batch is None
    assert not sees(world, "hz", target) and sees(world, "xihu", target)
    with pytest.raises(TransitionRefused):
        transition([target.pk], S.UNDER_REVIEW, world.reviewers["hz"])  # not visible, so not actable
    batch = close_batch(world.page, world.regions["xihu"], xihu, ReviewerAccess(xihu))
    target.refresh_from_db()
    assert target.batch == batch and batch.number == 1 and batch.entries.get().revision == 1
    assert sees(world, "hz", target) and not sees(world, "zj", target)
    # Nothing left to pass on: a second batch is refused with a clear reason.
    with pytest.raises(TransitionRefused, match="no recommendation waiting"):
        close_batch(world.page, world.regions["xihu"], xihu, ReviewerAccess(xihu))
    # Another desk cannot close Xihu's batch.
    with pytest.raises(TransitionRefused, match="do not work at the desk"):
        close_batch(
            world.page, world.regions["xihu"], world.reviewers["hz"], ReviewerAccess(world.reviewers["hz"])
        )


def test_closing_checks_the_quota_and_freezes_the_summary_list(
    world, tmp_path, django_capture_on_commit_callbacks
):
    pass_up_from_districts(world)
    hz = world.reviewers["hz"]
    both = [world.subs["xihu"].pk, world.subs["shangcheng"].pk]
    transition(both, S.RECOMMENDED, hz)
    # The quota was lowered after the recommendations: the batch is refused, nothing moves.
    world.page.recommend_quota = 1
    world.page.save_revision().publish()
    world.page.refresh_from_db()
    with pytest.raises(TransitionRefused, match=r"at most 1 submission .* not 2"):
        close_batch(world.page, world.regions["hz"], hz, ReviewerAccess(hz))
    assert not RecommendationBatch.objects.filter(region=world.regions["hz"]).exists()
    assert not sees(world, "zj", world.subs["xihu"])
    # Taking one back for review fixes it.
    withdraw([world.subs["shangcheng"].pk], world.page, world.regions["hz"], hz, ReviewerAccess(hz))
    world.subs["shangcheng"].refresh_from_db()
    assert world.subs["shangcheng"].status == S.UNDER_REVIEW
    assert world.subs["shangcheng"].stage_region == world.regions["hz"]
    with django_capture_on_commit_callbacks(execute=True):  # its summary list is written after commit
        batch = close_batch(world.page, world.regions["hz"], hz, ReviewerAccess(hz))
    batch.refresh_from_db()
    assert sees(world, "zj", world.subs["xihu"]) and not sees(world, "zj", world.subs["shangcheng"])

    # The summary list is kept as it was closed, with the desk's header line.
    xihu = world.subs["xihu"]
    expected = [
        ["No.", "Reference", "Organisation", "Region", "Status",
         "项目名称", "负责人身份证号", "银行账号", "填报期间"],
        [1, xihu.reference, "西湖区医院", "西湖区", "Approved and recommended", "西湖区项目",
         "Resident identity card 110***********002X", "622************0128", "上半年"],
    ]  # fmt: skip
    with batch.summary_xlsx.open("rb") as handle:
        sheet = load_workbook(BytesIO(handle.read())).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "测试申报表一览表" and rows[1][0].startswith("Reporting bureau: 杭州市 (stamp)")
    assert [row[: len(expected[0])] for row in rows[2:]] == expected
    with batch.summary_pdf.open("rb") as handle:
        text = subprocess.run(
            ["pdftotext", "-layout", "-", "-"], input=handle.read(), capture_output=True, check=True
        ).stdout.decode()
    assert "测试申报表一览表" in text and "Reporting bureau: 杭州市" in text and xihu.reference in text
    assert "110***********002X" in text and "622************0128" in text  # codes whole, on one line
    assert "110105194912310" not in text  # masked in the frozen list


def test_only_the_desk_that_made_a_batch_may_reopen_it_until_the_next_level_acts(world):
    pass_up_from_districts(world)
    hz = world.reviewers["hz"]
    transition([world.subs["xihu"].pk], S.RECOMMENDED, hz)
    batch = close_batch(world.page, world.regions["hz"], hz, ReviewerAccess(hz))
    province = world.reviewers["zj"]
    with pytest.raises(TransitionRefused, match="Only the desk that closed"):
        reopen_batch(batch, province, ReviewerAccess(province), "想退回")
    with pytest.raises(TransitionRefused, match="reason"):
        reopen_batch(batch, hz, ReviewerAccess(hz), "  ")
    reopen_batch(batch, hz, ReviewerAccess(hz), "名单有误")
    batch.refresh_from_db()
    assert batch.status == "reopened" and batch.reopen_reason == "名单有误" and batch.reopened_by == hz
    assert not sees(world, "zj", world.subs["xihu"])
    notes = list(world.subs["xihu"].events.values_list("text", flat=True))
    assert any(n.startswith("Passed on to 浙江省 in batch 1 of 杭州市") for n in notes)
    assert "Batch 1 of 杭州市 reopened: 名单有误" in notes
    # Closed again; once the province has decided, reopening is refused.
    again = close_batch(world.page, world.regions["hz"], hz, ReviewerAccess(hz))
    assert again.number == 2 and sees(world, "zj", world.subs["xihu"])
    transition([world.subs["xihu"].pk], S.SELECTED, province)
    with pytest.raises(TransitionRefused, match="already acted on"):
        reopen_batch(again, hz, ReviewerAccess(hz), "再改")


def test_batches_in_the_admin(client, world):
    pass_up_from_districts(world)
    hz, province = world.reviewers["hz"], world.reviewers["zj"]
    transition([world.subs["xihu"].pk], S.RECOMMENDED, hz)
    client.force_login(hz)
    page = " ".join(client.get(reverse(BATCHES)).content.decode().split())
    assert "1 recommendation waits to be passed on to 浙江省" in page and world.subs["xihu"].reference in page
    ids = re.findall(r' id="([^"]+)"', client.get(reverse(BATCHES)).content.decode())
    assert len(ids) == len(set(ids)) and "quota-1" in ids  # one heading id per desk and form
    response = client.post(
        reverse(BATCHES), {"page": world.page.pk, "region": world.regions["hz"].pk, "action": "close"}
    )
    batch = RecommendationBatch.objects.get(region=world.regions["hz"])
    assert response.status_code == 302 and response["Location"] == reverse(BATCH, args=[batch.pk])
    # The province sees the batch as one item with its list, and its submissions through the filter.
    client.force_login(province)
    listing = client.get(reverse(BATCHES)).content.decode()
    assert f'data-batch="{batch.pk}"' in listing and "杭州市 → 浙江省" in listing
    detail = " ".join(client.get(reverse(BATCH, args=[batch.pk])).content.decode().split())
    assert world.subs["xihu"].reference in detail and "Reopen this batch" not in detail
    filtered = client.get(reverse(INDEX), {"batch": batch.pk}).content.decode()
    assert world.subs["xihu"].reference in filtered and world.subs["shangcheng"].reference not in filtered
    pdf = client.get(reverse("shenbao_review_batch_file", args=[batch.pk, "pdf"]))
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert client.post(reverse(BATCH, args=[batch.pk]), {"reason": "x"}).status_code == 422
    # Ningbo sees nothing of it.
    client.force_login(world.reviewers["nb"])
    assert client.get(reverse(BATCH, args=[batch.pk])).status_code == 404
    assert client.get(reverse("shenbao_review_batch_file", args=[batch.pk, "xlsx"])).status_code == 404
    # Hangzhou reopens it from the admin; an empty reason is an error next to the field.
    client.force_login(hz)
    empty = client.post(reverse(BATCH, args=[batch.pk]), {"reason": ""})
    assert empty.status_code == 422 and 'id="id_reason_error"' in empty.content.decode()
    client.post(reverse(BATCH, args=[batch.pk]), {"reason": "名单有误"})
    batch.refresh_from_db()
    assert batch.status == "reopened" and list(pending_recommendations(world.page, world.regions["hz"]))


def test_a_batch_whose_summary_list_cannot_be_written_stays_closed_with_a_retry(client, world, settings):
    pass_up_from_districts(world)
    hz = world.reviewers["hz"]
    transition([world.subs["xihu"].pk], S.RECOMMENDED, hz)
    settings.SHENBAO_PDF_CJK_FONT = "/nonexistent/font.ttf"
    client.force_login(hz)
    response = client.post(
        reverse(BATCHES),
        {"page": world.page.pk, "region": world.regions["hz"].pk, "action": "close"},
        follow=True,
    )
    # Closing is done; the documents, written after it, failed with a message that says why.
    batch = RecommendationBatch.objects.get(region=world.regions["hz"])
    assert batch.documents.status == "failed" and not batch.summary_pdf
    page = " ".join(response.content.decode().split())
    assert "missing the Chinese font" in page and "Try again" in page
    assert client.get(reverse("shenbao_review_batch_file", args=[batch.pk, "pdf"])).status_code == 404
    # Only its own desk may start it again; once the font is there, the list is written.
    client.force_login(world.reviewers["zj"])
    retry = reverse("shenbao_review_batch_documents_retry", args=[batch.pk])
    client.post(retry)
    assert BatchDocuments.objects.get(batch=batch).attempts == 1
    del settings.SHENBAO_PDF_CJK_FONT
    client.force_login(hz)
    assert client.post(retry).status_code == 302
    batch.refresh_from_db()
    assert batch.documents.status == "done" and batch.documents.attempts == 2 and batch.summary_pdf
    pdf = client.get(reverse("shenbao_review_batch_file", args=[batch.pk, "pdf"]))
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
