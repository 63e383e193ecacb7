"""Fill and export a form on a brand-new Wagtail site that has the plugin installed from its wheel.

Run by ``scripts/test-plugin.sh`` inside the project that ``wagtail start`` made, with that project's
settings; it uses only what the installed wheel provides (no code of this repository's site or tests).
Exits non-zero, with the reason, on the first thing that does not work.
"""

import sys
from datetime import timedelta
from io import BytesIO, StringIO

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from openpyxl import load_workbook  # noqa: E402
from wagtail.models import Site  # noqa: E402

import forms_app  # noqa: E402
from forms_app.accounts.models import ApplicantProfile, Organisation  # noqa: E402
from forms_app.applications.factories import publish_form_page  # noqa: E402
from forms_app.applications.models import Submission  # noqa: E402
from forms_app.builder.factories import choices, field, step  # noqa: E402
from forms_app.exchange.models import ExportJob  # noqa: E402
from notices.factories import publish_notice  # noqa: E402
from notices.models import NoticeIndexPage  # noqa: E402


def check(condition, message):
    if not condition:
        print(f"plugin smoke test FAILED: {message}", file=sys.stderr)
        sys.exit(1)


def build_site():
    """A notice index under the new site's root page, a notice, and a two-step form made with the page API."""
    root = Site.objects.get(is_default_site=True).root_page.specific
    index = NoticeIndexPage(title="通知公告", slug="notices")
    root.add_child(instance=index)
    index.save_revision().publish()
    notice = publish_notice(
        index,
        "关于开展2025年专家服务基层活动的通知",
        "experts-2025",
        deadline=timezone.now() + timedelta(days=10),
        issuing_authority="某省人力资源和社会保障厅",
    )
    steps = [
        step(
            "basic",
            "基本信息",
            field("short_text", "服务团名称", "team_name", max_length=30),
            field(
                "single_choice", "服务形式", "service", choices=choices("义诊", "技术培训"), widget="radio"
            ),
        ),
        step("plan", "活动计划", field("integer", "服务人次", "people", unit="人")),
    ]
    form = publish_form_page(notice, steps, title="专家服务团申报表", attachment_label="附件1")
    return notice, form


def apply(form):
    """An applicant of a unit fills both steps and submits, through the test client as a browser would."""
    user = get_user_model().objects.create_user("applicant", "applicant@example.com", "smoke-pass-2025")
    organisation = Organisation.objects.create(name="某市第一人民医院")
    ApplicantProfile.objects.create(user=user, organisation=organisation)
    client = Client()
    client.force_login(user)
    landing = client.get(form.url)
    check(landing.status_code == 200, f"the form's page answers {landing.status_code}")
    check("专家服务团申报表" in landing.content.decode(), "the form's page does not show its title")
    started = client.post(form.url + "start/")
    check(started.status_code == 302, f"starting a draft answers {started.status_code}")
    draft_id = int(started["Location"].rstrip("/").split("/")[-2])
    current = f"form_{form.pk}-current_step"
    first = client.post(
        f"{form.url}apply/{draft_id}/basic/",
        {current: "basic", "basic-team_name": "心血管专家服务团", "basic-service_0": "义诊"},
    )
    check(first.status_code == 302, f"step 1 was refused: {first.content.decode()[:1500]}")
    second = client.post(f"{form.url}apply/{draft_id}/plan/", {current: "plan", "plan-people": "120"})
    check(
        second.status_code == 302 and second["Location"].endswith("/check/"),
        f"step 2 was refused: {second.content.decode()[:1500]}",
    )
    check_page = client.get(second["Location"])
    check("心血管专家服务团" in check_page.content.decode(), "the check page does not show the answers")
    submitted = client.post(second["Location"], follow=True)
    check(submitted.status_code == 200, f"submitting answers {submitted.status_code}")
    submission = Submission.objects.get(page=form)
    check(submission.reference in submitted.content.decode(), "the confirmation does not show the reference")
    check(submission.answers.get("team_name") == "心血管专家服务团", f"answers saved: {submission.answers}")
    return submission


def export(form, submission):
    """A superuser exports the form's submissions to XLSX from the review desk and opens the file."""
    admin = get_user_model().objects.create_superuser("admin", "admin@example.com", "smoke-pass-2025")
    client = Client()
    client.force_login(admin)
    index = reverse("shenbao_applications_submission_modeladmin_index")
    listing = client.get(index)
    check(listing.status_code == 200, f"the review list answers {listing.status_code}")
    asked = client.post(f"{index}?form={form.pk}", {"export": "1", "export_format": "xlsx"})
    check(asked.status_code == 302, f"asking for an export answers {asked.status_code}")
    # The task worker, as the README starts it beside the web process; here it stops when the queue is empty.
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", stdout=StringIO())
    job = ExportJob.objects.latest("pk")
    check(job.status == "done", f"the export job is {job.status}: {job.error}")
    download = client.get(reverse("shenbao_review_export_download", args=[job.pk]))
    check(download.status_code == 200, f"downloading the export answers {download.status_code}")
    workbook = load_workbook(BytesIO(b"".join(download.streaming_content)), read_only=True)
    rows = [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    check(
        rows[1][0] == submission.reference, f"first row of the export: {rows[1] if len(rows) > 1 else rows}"
    )
    check("心血管专家服务团" in rows[1] and "义诊" in rows[1], f"the export row lacks the answers: {rows[1]}")
    return rows


def main():
    check(
        "site-packages" in forms_app.__file__,
        f"the plugin was imported from {forms_app.__file__}, not the wheel",
    )
    setup_test_environment()  # the test client's host, "testserver", is allowed
    _notice, form = build_site()
    submission = apply(form)
    rows = export(form, submission)
    print(f"plugin smoke test passed: {submission.reference} submitted and exported ({len(rows) - 1} row)")


if __name__ == "__main__":
    main()
