"""Driving the applicant's wizard through the Django test client, as a browser would post it."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from forms_app.builder.factories import field, step, when
from tests.applications.test_form_pages import make_form
from tests.factories import NoticePageFactory
from tests.samples import PDF


def three_step_form(notice_index, deadline_days=10, **kwargs):
    """A form with a conditional step, a file and a repeating table: the shapes the seeds need."""
    notice = NoticePageFactory(parent=notice_index, deadline=timezone.now() + timedelta(days=deadline_days))
    steps = [
        step(
            "basic",
            "基本信息",
            field("short_text", "服务团名称", key="team_name", max_length=30),
            field("yes_no", "是否省级专家服务基地", key="is_base", yes_label="是", no_label="否"),
            field("bank_code", "开户行联行号", key="bank_code"),
        ),
        step(
            "base",
            "基地情况",
            field("date", "设立时间", key="established"),
            condition=when("is_base", "是"),
        ),
        step(
            "plan",
            "活动计划",
            field("file", "申报书", key="plan_file", allowed_types=["pdf"], max_size_mb=1, max_files=1),
            field(
                "table",
                "活动安排",
                key="activities",
                columns=[
                    {"label": "活动名称", "key": "name", "type": "text", "required": True, "choices": ""},
                    {
                        "label": "活动预算",
                        "key": "budget",
                        "type": "integer",
                        "required": False,
                        "choices": "",
                    },
                ],
                min_rows=1,
                max_rows=5,
                numbered=True,
                show_totals=True,
            ),
        ),
    ]
    kwargs.setdefault("attachment_label", "附件1")
    kwargs.setdefault("reference_prefix", "ZJ")
    return make_form(notice, steps, **kwargs)


def pdf(name="申报书.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


BASIC = {"basic-team_name": "浙江省测试服务团", "basic-is_base": "no", "basic-bank_code": "102331000011"}
PLAN_ROWS = {
    "plan-activities-rows": "2",
    "plan-activities-0-name": "义诊",
    "plan-activities-0-budget": "3000",
    "plan-activities-1-name": "技术培训",
    "plan-activities-1-budget": "2000",
}


class Applicant:
    """One applicant's browser: a test client that starts, fills and submits drafts."""

    def __init__(self, client, page):
        self.client, self.page = client, page

    @property
    def management(self):
        return f"form_{self.page.pk}-current_step"

    def start(self):
        """Start a draft; return its id (the wizard lands on the first step)."""
        response = self.client.post(self.page.url + "start/")
        assert response.status_code == 302, response
        location = response["Location"]
        return int(location.rstrip("/").split("/")[-2])

    def step_url(self, draft_id, step_key):
        return f"{self.page.url}apply/{draft_id}/{step_key}/"

    def check_url(self, draft_id):
        return f"{self.page.url}apply/{draft_id}/check/"

    def post_step(self, draft_id, step_key, data, **extra):
        payload = {self.management: step_key, **data, **extra}
        return self.client.post(self.step_url(draft_id, step_key), payload)

    def fill_all(self, draft_id, basic=None, plan_file=None):
        """Fill every step validly (the base step is hidden by "no")."""
        r1 = self.post_step(draft_id, "basic", basic or BASIC)
        assert r1.status_code == 302, r1.content.decode()[:2000]
        r2 = self.post_step(draft_id, "plan", {**PLAN_ROWS, "plan-plan_file": plan_file or pdf()})
        assert r2.status_code == 302 and r2["Location"].endswith("/check/"), r2.content.decode()[:2000]
        return r2

    def submit(self, draft_id):
        return self.client.post(self.check_url(draft_id))
