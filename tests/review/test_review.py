"""The review desk: access by level and region on every URL, workflow, quotas, masking, summaries."""

import re
from io import BytesIO

import pytest
from django.core import mail
from django.core.paginator import Paginator
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from wagtail_modeladmin.templatetags.modeladmin_tags import result_list

from forms_app.applications.models import Submission, SubmissionEvent, SubmissionStatus, UploadedFile
from forms_app.desk.views import IdsFirstPaginator
from forms_app.review.access import ReviewerAccess
from forms_app.review.models import AuditLogEntry
from forms_app.review.summary import rollup, safe_cell
from forms_app.review.workflow import TransitionRefused, transition
from tests.factories import OrganisationFactory, UserFactory
from tests.review_helpers import BANK_ACCOUNT, answers, build_world, make_reviewer, submit
from tests.samples import KNOWN_ID, PDF

INDEX = "shenbao_applications_submission_modeladmin_index"
INSPECT = "shenbao_applications_submission_modeladmin_inspect"
S = SubmissionStatus


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def world(notice_index):
    return build_world(notice_index)


def list_refs(client, user, **params):
    client.force_login(user)
    response = client.get(reverse(INDEX), params)
    assert response.status_code == 200
    return set(re.findall(r"ZJ\d{4}-F1-\d{5}", response.content.decode()))


def detail(client, user, submission, **params):
    client.force_login(user)
    return client.get(reverse(INSPECT, args=[submission.pk]), params)


def words(text):
    return " ".join(text.split())


# --- who sees what -------------------------------------------------------------------------------


def test_each_desk_sees_only_its_region_until_recommended(client, world):
    subs, r = world.subs, world.reviewers
    assert list_refs(client, r["xihu"]) == {subs["xihu"].reference}
    assert list_refs(client, r["haishu"]) == {subs["haishu"].reference}
    # Nothing has reached the cities or the province yet.
    assert list_refs(client, r["hz"]) == set()
    assert list_refs(client, r["zj"]) == set()

    transition([subs["xihu"].pk], S.RECOMMENDED, r["xihu"])
    assert list_refs(client, r["hz"]) == {subs["xihu"].reference}
    assert list_refs(client, r["nb"]) == set()
    assert list_refs(client, r["zj"]) == set()
    # The district still sees what it passed on, but may no longer act on it.
    assert list_refs(client, r["xihu"]) == {subs["xihu"].reference}
    assert not ReviewerAccess(r["xihu"]).can_act(Submission.objects.get(pk=subs["xihu"].pk))

    transition([subs["xihu"].pk], S.RECOMMENDED, r["hz"])
    assert list_refs(client, r["zj"]) == {subs["xihu"].reference}


def test_every_url_refuses_other_regions(client, world):
    """Reviewer 海曙区 cannot reach 西湖区's submission by any URL; 西湖区 can."""
    own, other = world.reviewers["xihu"], world.reviewers["haishu"]
    target = world.subs["xihu"]
    upload = UploadedFile.store(_pdf(), draft=target.draft, field_key="plan", kind="pdf", user=target.user)
    upload.submission = target
    upload.save()
    urls = {
        "detail": reverse(INSPECT, args=[target.pk]),
        "file": reverse("shenbao:file", args=[upload.pk]),
        "summary": reverse("shenbao_review_summary", args=[world.page.pk]) + "?scope=all",
        "summary_xlsx": reverse("shenbao_review_summary", args=[world.page.pk]) + "?scope=all&format=xlsx",
    }
    client.force_login(own)
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, name
    assert target.reference in client.get(urls["summary"]).content.decode()

    client.force_login(other)
    assert client.get(urls["detail"]).status_code == 404
    assert client.get(urls["file"]).status_code == 403
    assert target.reference not in client.get(urls["summary"]).content.decode()
    sheet = load_workbook(BytesIO(client.get(urls["summary_xlsx"]).content)).active
    assert target.reference not in {c.value for row in sheet.iter_rows() for c in row}
    response = client.post(
        reverse(INSPECT, args=[target.pk]), {"action": "transition", "status": S.NOT_SELECTED}
    )
    assert response.status_code == 404
    response = client.post(reverse("shenbao_review_bulk"), {"ids": [target.pk], "status": S.NOT_SELECTED})
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.status == S.SUBMITTED
    assert not target.events.filter(to_status=S.NOT_SELECTED).exists()

    # Someone with no desk at all, or not signed in, gets nothing either.
    nobody = UserFactory(username="nobody@example.cn")
    client.force_login(nobody)
    assert client.get(reverse(INDEX)).status_code in {302, 403}
    assert client.get(urls["file"]).status_code == 403
    client.logout()
    assert client.get(urls["detail"]).status_code == 302
    assert client.get(urls["file"]).status_code == 302


def _pdf():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("plan.pdf", PDF, content_type="application/pdf")


def test_list_queries_do_not_grow_with_submissions(client, world):
    reviewer = world.reviewers["xihu"]
    client.force_login(reviewer)
    url = reverse(INDEX)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    org = world.orgs["xihu"]
    for n in range(12):
        submit(world.page, org, answers(f"项目{n}"))
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.content.decode().count("F1-000") >= 13
    assert len(many) == len(few)


def test_a_page_reads_the_same_rows_as_a_slice(world):
    # IdsFirstPaginator reads a page's ids first: the same rows, in the same order, as slicing the list.
    org = world.orgs["xihu"]
    for n in range(6):
        submit(world.page, org, answers(f"项目{n}"))
    Submission.objects.filter(organisation=org).update(submitted_at=world.subs["xihu"].submitted_at)
    for user in (world.reviewers["hz"], world.reviewers["xihu"], UserFactory(is_superuser=True)):
        rows = ReviewerAccess(user).submissions().order_by("-submitted_at", "-pk")
        pages = IdsFirstPaginator(rows, 3)
        got = [[s.pk for s in pages.page(n).object_list] for n in pages.page_range]
        want = [[s.pk for s in page.object_list] for page in map(Paginator(rows, 3).page, pages.page_range)]
        assert got == want and [pk for page in got for pk in page] == [s.pk for s in rows]


def test_the_table_reads_as_modeladmins_own(client, world):
    # ReviewListView renders each row in one go; modeladmin's templates, cell by cell, give the same table.
    transition([world.subs["xihu"].pk], S.RECOMMENDED, world.reviewers["xihu"])
    transition([world.subs["shangcheng"].pk], S.RECOMMENDED, world.reviewers["shangcheng"])
    transition([world.subs["xihu"].pk], S.RECOMMENDED, world.reviewers["hz"])  # a row "at" another desk
    client.force_login(world.reviewers["hz"])
    response = client.get(reverse(INDEX))
    context = response.context
    theirs = render_to_string(
        "modeladmin/includes/result_list.html",
        result_list(
            {"view": context["view"], "object_list": context["object_list"], "request": context["request"]}
        ),
    )

    def table(html):
        html = html[html.index('<table class="listing') :]
        return re.sub(r"\s*(<|>)\s*", r"\1", html[: html.index("</table>")])

    assert table(theirs) == table(response.content.decode())
    assert table(theirs).count("<tr") == 3  # the header and both of 杭州市's


def test_filters_and_search(client, world):
    r = world.reviewers["zj"]
    # Move 西湖区 and 海曙区 up to the province.
    transition([world.subs["xihu"].pk], S.RECOMMENDED, world.reviewers["xihu"])
    transition([world.subs["xihu"].pk], S.RECOMMENDED, world.reviewers["hz"])
    transition([world.subs["haishu"].pk], S.RECOMMENDED, world.reviewers["haishu"])
    transition([world.subs["haishu"].pk], S.RECOMMENDED, world.reviewers["nb"])
    both = {world.subs["xihu"].reference, world.subs["haishu"].reference}
    assert list_refs(client, r) == both
    assert list_refs(client, r, region=world.regions["hz"].pk) == {world.subs["xihu"].reference}
    assert list_refs(client, r, status=S.RECOMMENDED) == both
    assert list_refs(client, r, status=S.SELECTED) == set()
    assert list_refs(client, r, form=world.page.pk) == both
    assert list_refs(client, r, q="海曙区项目") == {world.subs["haishu"].reference}
    assert list_refs(client, r, q="义诊") == set()  # in no answer, organisation or reference
    assert list_refs(client, r, q="海曙区医院") == {world.subs["haishu"].reference}
    # ID numbers are not searchable: a masked reviewer must not be able to probe them.
    assert list_refs(client, r, q=KNOWN_ID[-8:]) == set()
    today = timezone.localdate(world.subs["xihu"].submitted_at)  # dates are Beijing dates
    assert list_refs(client, r, submitted_from=today.isoformat(), submitted_to=today.isoformat()) == both
    assert list_refs(client, r, submitted_to="2020-01-01") == set()
    assert list_refs(client, r, year=today.year) == both
    notice = world.page.get_parent()
    assert list_refs(client, r, notice=notice.pk) == both


# --- workflow ------------------------------------------------------------------------------------


def test_transitions_are_recorded_and_return_needs_a_comment(
    client, world, django_capture_on_commit_callbacks
):
    reviewer = world.reviewers["xihu"]
    target = world.subs["xihu"]
    client.force_login(reviewer)
    url = reverse(INSPECT, args=[target.pk])

    response = client.post(url, {"action": "transition", "status": S.UNDER_REVIEW, "comment": "开始审核"})
    assert response.status_code == 302
    response = client.post(url, {"action": "transition", "status": S.RETURNED, "comment": ""})
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="id_comment_error"' in page and "Give a reason" in page
    target.refresh_from_db()
    assert target.status == S.UNDER_REVIEW

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"action": "transition", "status": S.RETURNED, "comment": "请补充活动方案"}
        )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.status == S.RETURNED
    events = list(target.events.filter(kind=SubmissionEvent.Kind.STATUS).order_by("pk"))
    assert [(e.from_status, e.to_status) for e in events] == [
        ("", S.SUBMITTED),
        (S.SUBMITTED, S.UNDER_REVIEW),
        (S.UNDER_REVIEW, S.RETURNED),
    ]
    returned = events[-1]
    assert returned.actor == reviewer and returned.desk == world.regions["xihu"]
    assert returned.text == "请补充活动方案"
    # The applicant is told, and sees the reason; internal comments stay internal.
    assert [m.to for m in mail.outbox] == [[target.user.email]]
    assert "请补充活动方案" in mail.outbox[0].body
    told = list(target.events.for_applicant().values_list("text", flat=True))
    assert told == ["请补充活动方案"]
    client.force_login(target.user)
    mine = client.get(reverse("shenbao:my_applications")).content.decode()
    assert "请补充活动方案" in mine and "开始审核" not in mine

    # The applicant resubmits; it comes back to the same desk as revision 2.
    from forms_app.applications.submitting import submit_draft

    submission, created = submit_draft(target.draft, answers("西湖区项目（修改）"))
    assert created and submission.revision == 2 and submission.stage_region == world.regions["xihu"]
    assert list_refs(client, reviewer) == {target.reference}


def test_notes_stay_internal_and_messages_reach_the_applicant(
    client, world, django_capture_on_commit_callbacks
):
    reviewer = world.reviewers["xihu"]
    target = world.subs["xihu"]
    client.force_login(reviewer)
    url = reverse(INSPECT, args=[target.pk])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"action": "event", "kind": "note", "text": "材料齐全"}).status_code == 302
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "event", "kind": "message", "text": "请于周五前补充盖章页"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and "请于周五前补充盖章页" in mail.outbox[0].body
    response = client.post(url, {"action": "event", "kind": "note", "text": "  "})
    assert response.status_code == 422 and 'id="id_text_error"' in response.content.decode()
    assert list(target.events.for_applicant().values_list("text", flat=True)) == ["请于周五前补充盖章页"]
    page = detail(client, reviewer, target).content.decode()
    assert "材料齐全" in page and "请于周五前补充盖章页" in page


def test_bulk_transitions_are_all_or_nothing(client, world):
    hz = world.reviewers["hz"]
    for key in ("xihu", "shangcheng"):
        transition([world.subs[key].pk], S.RECOMMENDED, world.reviewers[key])
    client.force_login(hz)
    ids = [world.subs["xihu"].pk, world.subs["shangcheng"].pk]
    response = client.post(
        reverse("shenbao_review_bulk"),
        {"ids": ids, "status": S.UNDER_REVIEW, "next": reverse(INDEX) + "?status=recommended"},
    )
    assert response.status_code == 302 and response["Location"].endswith("?status=recommended")
    assert set(Submission.objects.filter(pk__in=ids).values_list("status", flat=True)) == {S.UNDER_REVIEW}
    # Mixed with a submission not at this desk: nothing changes, and the message names it.
    ids.append(world.subs["haishu"].pk)
    response = client.post(
        reverse("shenbao_review_bulk"), {"ids": ids, "status": S.NOT_SELECTED}, follow=True
    )
    assert "not yours to review" in response.content.decode()
    assert set(Submission.objects.filter(pk__in=ids[:2]).values_list("status", flat=True)) == {S.UNDER_REVIEW}
    # A return in bulk needs a comment too.
    response = client.post(
        reverse("shenbao_review_bulk"), {"ids": ids[:2], "status": S.RETURNED}, follow=True
    )
    assert "Give a reason" in response.content.decode()
    response = client.post(reverse("shenbao_review_bulk"), {"status": S.RETURNED}, follow=True)
    assert "Select at least one submission" in response.content.decode()


def test_top_level_selects_and_a_decision_can_be_reopened(world):
    sub = world.subs["haishu"]
    transition([sub.pk], S.RECOMMENDED, world.reviewers["haishu"])
    transition([sub.pk], S.RECOMMENDED, world.reviewers["nb"])
    with pytest.raises(TransitionRefused):
        transition([sub.pk], S.RECOMMENDED, world.reviewers["zj"])  # nothing above the province
    transition([sub.pk], S.SELECTED, world.reviewers["zj"])
    with pytest.raises(TransitionRefused, match="Give a reason"):
        transition([sub.pk], S.UNDER_REVIEW, world.reviewers["zj"])
    transition([sub.pk], S.UNDER_REVIEW, world.reviewers["zj"], comment="名额调整")
    assert Submission.objects.get(pk=sub.pk).status == S.UNDER_REVIEW


# --- quotas --------------------------------------------------------------------------------------


def test_recommendation_quota_per_city_and_minimum_warning(client, notice_index):
    world = build_world(notice_index, recommend_quota=1, recommend_minimum=2, quota_level="city")
    hz = world.reviewers["hz"]
    for key in ("xihu", "shangcheng"):
        transition([world.subs[key].pk], S.RECOMMENDED, world.reviewers[key])  # districts: no quota
    client.force_login(hz)
    page = client.get(reverse(INDEX), {"form": world.page.pk}).content.decode()
    assert "Only 0 recommended; at least 2 expected." in words(page)

    with pytest.raises(TransitionRefused, match="杭州市 may recommend at most 1 submission"):
        transition([world.subs["xihu"].pk, world.subs["shangcheng"].pk], S.RECOMMENDED, hz)
    transition([world.subs["xihu"].pk], S.RECOMMENDED, hz)
    with pytest.raises(TransitionRefused, match="1 already recommended, 1 more asked"):
        transition([world.subs["shangcheng"].pk], S.RECOMMENDED, hz)
    assert Submission.objects.get(pk=world.subs["shangcheng"].pk).stage_region == world.regions["hz"]
    page = client.get(reverse(INDEX), {"form": world.page.pk}).content.decode()
    assert "Only 1 recommended; at least 2 expected." in words(page)
    # Through the detail page the refusal shows next to the form.
    response = client.post(
        reverse(INSPECT, args=[world.subs["shangcheng"].pk]),
        {"action": "transition", "status": S.RECOMMENDED},
    )
    assert response.status_code == 422
    assert "may recommend at most 1 submission" in response.content.decode()


# --- personal data -------------------------------------------------------------------------------


def test_personal_numbers_masked_unless_permitted_and_each_unmasking_logged(client, world):
    target = world.subs["xihu"]
    plain = world.reviewers["xihu"]
    page = detail(client, plain, target, personal="1").content.decode()
    assert KNOWN_ID not in page and BANK_ACCOUNT not in page
    assert "110***********002X" in page and "622************0128" in page
    assert not AuditLogEntry.objects.filter(unmasked=True).exists()

    trusted = make_reviewer("trusted", world.regions["xihu"], personal=True)
    page = detail(client, trusted, target).content.decode()
    assert KNOWN_ID not in page and "Show ID and bank numbers in full" in page
    assert not AuditLogEntry.objects.filter(unmasked=True).exists()
    page = detail(client, trusted, target, personal="1").content.decode()
    assert KNOWN_ID in page and BANK_ACCOUNT in page
    entry = AuditLogEntry.objects.get(unmasked=True)
    assert (entry.user, entry.action, entry.submission) == (trusted, "view", target)

    summary = reverse("shenbao_review_summary", args=[world.page.pk])
    world.page.summary_columns = ["project_name", "leader_id", "bank_account"]
    world.page.save_revision().publish()
    sheet = load_workbook(BytesIO(client.get(summary, {"scope": "all", "format": "xlsx"}).content)).active
    cells = {c.value for row in sheet.iter_rows() for c in row}
    assert ["身份证", "110***********002X"][-1] in " ".join(str(c) for c in cells)
    assert BANK_ACCOUNT not in cells
    assert AuditLogEntry.objects.filter(unmasked=True).count() == 1
    sheet = load_workbook(
        BytesIO(client.get(summary, {"scope": "all", "format": "xlsx", "personal": "1"}).content)
    ).active
    assert BANK_ACCOUNT in {c.value for row in sheet.iter_rows() for c in row}
    assert AuditLogEntry.objects.filter(action="export", user=trusted, unmasked=True).count() == 1

    # Reviewers cannot read the audit log; administrators can.
    audit_url = reverse("shenbao_review_auditlogentry_modeladmin_index")
    client.force_login(trusted)
    assert client.get(audit_url).status_code in {302, 403}
    admin = UserFactory(username="root@example.cn", is_superuser=True, is_staff=True)
    client.force_login(admin)
    response = client.get(audit_url)
    assert response.status_code == 200 and "trusted" in response.content.decode()


# --- summaries -----------------------------------------------------------------------------------


def test_summary_list_xlsx_matches_hand_made_list(client, notice_index):
    world = build_world(notice_index)
    world.page.summary_columns = ["project_name", "half_year"]
    world.page.summary_title = "2024年专家服务基层申报情况一览表"
    world.page.save_revision().publish()
    hz = world.reviewers["hz"]
    tricky = submit(world.page, world.orgs["shangcheng"], answers('=HYPERLINK("http://x")', half="下半年"))
    for sub in (world.subs["xihu"], tricky):
        transition(
            [sub.pk], S.RECOMMENDED, world.reviewers[(sub.region.name == "西湖区" and "xihu") or "shangcheng"]
        )
        transition([sub.pk], S.RECOMMENDED, hz)
    client.force_login(hz)
    response = client.get(reverse("shenbao_review_summary", args=[world.page.pk]), {"format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][0] == "2024年专家服务基层申报情况一览表"
    assert "杭州市" in rows[1][0]
    assert rows[2] == ["No.", "Reference", "Organisation", "Region", "Status", "项目名称", "填报期间"]
    assert rows[3:] == [
        [
            1,
            world.subs["xihu"].reference,
            "西湖区医院",
            "西湖区",
            "Approved and recommended",
            "西湖区项目",
            "上半年",
        ],
        [
            2,
            tricky.reference,
            "上城区医院",
            "上城区",
            "Approved and recommended",
            '\'=HYPERLINK("http://x")',
            "下半年",
        ],
    ]


def test_safe_cell_escapes_formula_prefixes():
    for text in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert safe_cell(text) == "'" + text
    assert safe_cell("项目") == "项目" and safe_cell(3) == 3


def test_rollup_totals_per_city_province_and_half_year(client, notice_index):
    world = build_world(notice_index)
    page, orgs = world.page, world.orgs
    # Hand-computed: 上半年 = the three built ones (1/10 each for 杭州, 0 for 宁波) + one more.
    submit(
        page,
        orgs["haishu"],
        answers(
            "x",
            "上半年",
            {"330100": {"activities": 2, "people": 5}, "330200": {"activities": 4, "people": 40}},
        ),
    )
    submit(
        page,
        orgs["xihu"],
        answers(
            "y",
            "下半年",
            {"330100": {"activities": 7, "people": 70}, "330200": {"activities": 1, "people": ""}},
        ),
    )
    returned = submit(
        page, orgs["shangcheng"], answers("z", "下半年", {"330100": {"activities": 100, "people": 100}})
    )
    transition([returned.pk], S.RETURNED, world.reviewers["shangcheng"], comment="重填")

    client.force_login(UserFactory(username="admin@example.cn", is_superuser=True, is_staff=True))
    response = client.get(reverse("shenbao_review_rollup", args=[page.pk]))
    assert response.status_code == 200
    result = rollup(Submission.objects.filter(page=page).exclude(status=S.RETURNED), "results", "half_year")
    first, second = result["periods"]
    assert first["period"] == "上半年" and first["count"] == 4
    assert first["rows"] == [("杭州市", [5, 35]), ("宁波市", [4, 40])]
    assert first["groups"] == [("浙江省", [9, 75])]
    assert first["total"] == [9, 75]
    assert second["period"] == "下半年" and second["count"] == 1
    assert second["rows"] == [("杭州市", [7, 70]), ("宁波市", [1, 0])]
    text = words(response.content.decode())
    assert "上半年" in text and "下半年" in text and "75" in text

    # A district reviewer's roll-up counts only what its desk sees.
    client.force_login(world.reviewers["haishu"])
    text = response = client.get(
        reverse("shenbao_review_rollup", args=[page.pk]), {"period": ""}
    ).content.decode()
    assert "2 submissions" in words(text)


def test_dashboard_panel_counts_by_region_and_status(client, world):
    transition([world.subs["xihu"].pk], S.UNDER_REVIEW, world.reviewers["xihu"])
    other = OrganisationFactory(name="西湖二院", region=world.regions["xihu"])
    submit(world.page, other, answers("二院项目"))
    client.force_login(world.reviewers["xihu"])
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Submissions to review" in page
    row = re.search(r"<tr><th scope=\"row\">西湖区</th>(.*?)</tr>", page).group(1)
    assert re.findall(r"<td>(\d+)</td>", row) == ["1", "1", "0", "0", "0", "0", "2"]
    assert "上城区" not in page
    # One level below the viewer's desk: the city reads its districts, the province its cities.
    transition([world.subs["shangcheng"].pk], S.RECOMMENDED, world.reviewers["shangcheng"])
    transition([world.subs["shangcheng"].pk], S.RECOMMENDED, world.reviewers["hz"])
    client.force_login(world.reviewers["zj"])
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    row = re.search(r"<tr><th scope=\"row\">杭州市</th>(.*?)</tr>", page).group(1)
    assert re.findall(r"<td>(\d+)</td>", row)[-1] == "1" and "上城区" not in page


# --- the permission matrix -------------------------------------------------------------------------

# Where each submission stands after the setup below, and who may open it (detail URL → 200, else 404).
MATRIX = {
    # 西湖区's: recommended by 西湖区 and by 杭州市, now at the province.
    "xihu": {"xihu", "hz", "zj"},
    # 上城区's: still at its district's desk.
    "shangcheng": {"shangcheng"},
    # 海曙区's: recommended to 宁波市.
    "haishu": {"haishu", "nb"},
}


def test_permission_matrix_across_levels_and_regions(client, world):
    transition([world.subs["xihu"].pk], S.RECOMMENDED, world.reviewers["xihu"])
    transition([world.subs["xihu"].pk], S.RECOMMENDED, world.reviewers["hz"])
    transition([world.subs["haishu"].pk], S.RECOMMENDED, world.reviewers["haishu"])
    acting = {"xihu": "zj", "shangcheng": "shangcheng", "haishu": "nb"}
    for sub_key, allowed in MATRIX.items():
        submission = Submission.objects.get(pk=world.subs[sub_key].pk)
        for reviewer_key, reviewer in world.reviewers.items():
            expected = 200 if reviewer_key in allowed else 404
            response = detail(client, reviewer, submission)
            assert response.status_code == expected, (sub_key, reviewer_key)
            in_list = submission.reference in list_refs(client, reviewer)
            assert in_list == (reviewer_key in allowed), (sub_key, reviewer_key)
            may_act = ReviewerAccess(reviewer).can_act(submission)
            assert may_act == (reviewer_key == acting[sub_key]), (sub_key, reviewer_key)


def test_reviewer_without_change_permission_reads_but_cannot_act(client, world):
    reader = make_reviewer("reader", world.regions["xihu"], perms=["access_admin", "view_submission"])
    target = world.subs["xihu"]
    page = detail(client, reader, target).content.decode()
    assert target.reference in page and 'name="action" value="transition"' not in page
    response = client.post(
        reverse(INSPECT, args=[target.pk]), {"action": "transition", "status": S.UNDER_REVIEW}
    )
    assert response.status_code in {302, 403}
    assert client.post(
        reverse("shenbao_review_bulk"), {"ids": [target.pk], "status": S.UNDER_REVIEW}
    ).status_code in {
        302,
        403,
    }
    assert Submission.objects.get(pk=target.pk).status == S.SUBMITTED


# --- administration ----------------------------------------------------------------------------------


def test_administrator_makes_a_group_a_desk_and_picks_summary_columns(client, world):
    from django.contrib.auth.models import Group

    from forms_app.review.models import ReviewerScope

    admin = UserFactory(username="root@example.cn", is_superuser=True, is_staff=True)
    client.force_login(admin)
    group = Group.objects.create(name="绍兴市人社局审核")
    response = client.post(
        reverse("shenbao_review_reviewerscope_modeladmin_create"),
        {"group": group.pk, "region": world.regions["nb"].pk},
    )
    assert response.status_code == 302
    assert ReviewerScope.objects.get(group=group).region == world.regions["nb"]
    # The form page's settings offer its own fields as summary columns (tables and files excluded).
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[world.page.pk])).content.decode()
    assert 'name="summary_columns" value="project_name"' in edit
    assert 'name="summary_columns" value="results"' not in edit
