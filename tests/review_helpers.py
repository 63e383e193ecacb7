"""A small review world: a province, two cities, three districts, a form, desks and reviewers."""

from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import timedelta

from django.utils import timezone

from forms_app.applications.models import Draft
from forms_app.applications.submitting import submit_draft
from forms_app.builder.factories import field, step
from forms_app.review import factories
from tests.applications.test_form_pages import make_form
from tests.factories import (
    ApplicantFactory,
    NoticePageFactory,
    OrganisationFactory,
    RegionFactory,
)
from tests.samples import KNOWN_ID

REVIEWER_PERMS = factories.REVIEWER_PERMS
USER_PASSWORD = "applicant-pass-2024"  # tests.factories.UserFactory
BANK_ACCOUNT = "6222021234567890128"


def review_form(notice_index, province, **kwargs):
    """A form with personal numbers, a half-year choice and a region matrix (the 附件6 shape)."""
    notice = NoticePageFactory(parent=notice_index, deadline=timezone.now() + timedelta(days=10))
    steps = [
        step(
            "basic",
            "基本信息",
            field("short_text", "项目名称", key="project_name", max_length=50),
            field("id_number", "负责人身份证号", key="leader_id", document_types=["resident_id"]),
            field("bank_account", "银行账号", key="bank_account"),
            field(
                "single_choice",
                "填报期间",
                key="half_year",
                choices="上半年\n下半年",
                allow_other=False,
                other_label="",
                widget="radio",
            ),
        ),
        step(
            "results",
            "活动成果",
            field(
                "matrix",
                "活动成果汇总",
                key="results",
                row_heading="市",
                row_source="regions",
                region_parent=province.pk,
                region_level="city",
                rows="",
                columns=[
                    {"label": "活动次数", "key": "activities", "type": "integer", "unit": "次"},
                    {"label": "惠及人数", "key": "people", "type": "integer", "unit": "人"},
                ],
                row_totals=False,
                column_totals=True,
            ),
        ),
    ]
    kwargs.setdefault("attachment_label", "附件1")
    kwargs.setdefault("reference_prefix", "ZJ")
    return make_form(notice, steps, **kwargs)


def answers(name, half="上半年", results=None):
    return {
        "project_name": name,
        "leader_id": {"type": "resident_id", "number": KNOWN_ID},
        "bank_account": BANK_ACCOUNT,
        "half_year": {"selected": half, "other": ""},
        "results": results
        or {"330100": {"activities": 1, "people": 10}, "330200": {"activities": 0, "people": 0}},
    }


def make_reviewer(username, region, personal=False, perms=REVIEWER_PERMS):
    """Return a user working at ``region``'s desk, through a group as an administrator would set it up."""
    # With UserFactory's password, so that the browser tests sign in as a reviewer does.
    return factories.make_reviewer(username, region, personal=personal, perms=perms, password=USER_PASSWORD)


def submit(page, organisation, data, applicant=None):
    """Submit ``data`` to ``page`` for ``organisation`` through the real submission path."""
    applicant = applicant or ApplicantFactory(organisation=organisation)
    draft = Draft.objects.create(page=page, user=applicant, organisation=organisation, answers=data)
    submission, _created = submit_draft(draft, data)
    return submission


@dataclass
class World:
    page: object
    regions: dict
    orgs: dict
    reviewers: dict
    subs: dict = dc_field(default_factory=dict)


def build_world(notice_index, **form_kwargs):
    """Regions, one organisation per district, desks at every level and one submission per district."""
    province = RegionFactory(code="330000", name="浙江省", level="province", parent=None)
    hz = RegionFactory(code="330100", name="杭州市", level="city", parent=province)
    nb = RegionFactory(code="330200", name="宁波市", level="city", parent=province)
    regions = {
        "zj": province,
        "hz": hz,
        "nb": nb,
        "xihu": RegionFactory(code="330106", name="西湖区", level="county", parent=hz),
        "shangcheng": RegionFactory(code="330102", name="上城区", level="county", parent=hz),
        "haishu": RegionFactory(code="330203", name="海曙区", level="county", parent=nb),
    }
    page = review_form(notice_index, province, **form_kwargs)
    orgs = {
        key: OrganisationFactory(name=f"{regions[key].name}医院", region=regions[key])
        for key in ("xihu", "shangcheng", "haishu")
    }
    reviewers = {key: make_reviewer(f"reviewer_{key}", regions[key]) for key in regions}
    world = World(page=page, regions=regions, orgs=orgs, reviewers=reviewers)
    for key, org in orgs.items():
        world.subs[key] = submit(page, org, answers(f"{regions[key].name}项目"))
    return world
