"""Demo content for the review desk: districts, desks, reviewers and submissions at several stages.

With it, ``make run`` shows a review that can be walked end to end: 西湖区 and
上城区 review for 杭州市, 海曙区 for 宁波市, the cities recommend to 浙江省, and
each reviewer sees only their own region's submissions.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.db import transaction

from forms_app.accounts.models import Organisation
from forms_app.applications.models import ApplicationFormPage, Draft, Submission
from forms_app.applications.submitting import submit_draft
from forms_app.builder.types.address import address_answer
from forms_app.printing import pdf, printouts
from forms_app.printing.models import StampedCopy
from forms_app.review.access import ReviewerAccess
from forms_app.review.models import ReviewerScope
from forms_app.review.workflow import transition
from forms_app.rounds.batches import close_batch

# A resident ID and a credit code with correct check characters; a bank account for show.
DEMO_ID = "11010519491231002X"
DEMO_CREDIT_CODE = "91350100M000100Y43"
DEMO_BANK_ACCOUNT = "6222021234567890128"

# group name, region code, extra permissions
DESKS = [
    ("西湖区人社局审核", "330106", []),
    ("上城区人社局审核", "330102", []),
    ("海曙区人社局审核", "330203", []),
    ("杭州市人社局审核", "330100", []),
    ("宁波市人社局审核", "330200", []),
    ("浙江省人社厅审核", "330000", ["view_personal_data"]),
    ("徐汇区人社局审核", "310104", []),
    ("上海市人社局审核", "310000", ["view_personal_data"]),
]
# username → desk group; the accounts themselves are made by home.demo.
DESK_OF = {
    "reviewer_district": "西湖区人社局审核",
    "reviewer_city": "杭州市人社局审核",
    "reviewer_ningbo": "宁波市人社局审核",
    "reviewer_province": "浙江省人社厅审核",
}
# Applying units: name, region code.
UNITS = [
    ("杭州市西湖区农业技术推广中心", "330106"),
    ("浙江大学医学院附属第一医院", "330102"),
    ("宁波市海曙区中医医院", "330203"),
    ("温州医科大学附属第二医院", "330300"),
    ("杭州市第一人民医院", "330100"),
]
# Expected to apply to 附件1 but not started: the reminders have someone to remind.
EXPECTED_ONLY = ("杭州市西湖区文化馆", "330106")
REVIEW_PERMISSIONS = ["view_submission", "change_submission", "add_submission"]


def ensure_desks(regions, reviewers_group):
    """Create the desk groups with their regions, and give the reviewers' group its permissions."""
    reviewers_group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="shenbao_applications", codename__in=REVIEW_PERMISSIONS
        )
    )
    desks = {}
    for name, code, extra in DESKS:
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="shenbao_applications", codename__in=extra)
        )
        ReviewerScope.objects.get_or_create(group=group, defaults={"region": regions[code]})
        desks[name] = group
    User = get_user_model()
    for username, desk in DESK_OF.items():
        user = User.objects.filter(username=username).first()
        if user is not None:
            user.groups.add(desks[desk])
    return desks


def sample_value(spec, n, region):
    """Return a plausible stored answer for one field (shapes as in forms_app.builder.schema)."""
    kind, options, label = spec["type"], spec.get("options", {}), spec["label"]
    if kind in {"short_text", "long_text"}:
        limit = options.get("max_length") or 200
        text = f"{label}（示例{n}）" if kind == "short_text" else f"{label}：示例内容，第{n}份申报。" * 3
        return text[:limit]
    simple = {
        "email": f"contact{n}@example.cn",
        "mobile": "13800138000",
        "landline": "0571-88888888",
        "phone": "13800138000",
        "credit_code": DEMO_CREDIT_CODE,
        "bank_code": "102331000011",
        "bank_account": DEMO_BANK_ACCOUNT,
        "postcode": "310000",
        "date": "2024-03-01",
        "decimal": "12.50",
        "yes_no": False,
    }
    if kind in simple:
        return simple[kind]
    if kind == "integer":
        return max(options.get("min_value") or 0, 10 + n)
    if kind == "date_range":
        return {"start": "2024-03-01", "end": "2024-11-30"}
    if kind == "id_number":
        return {"type": "resident_id", "number": DEMO_ID}
    if kind in {"single_choice", "multiple_choice"}:
        choices = options.get("choices") or [""]
        selected = choices[n % len(choices)]
        return {"selected": selected if kind == "single_choice" else [selected], "other": ""}
    if kind == "region":
        return {"code": region.code, "name": region.name}
    if kind == "address" and region is not None:
        return address_answer(region, f"文三路{n}号", "310012" if options.get("with_postcode") else "")
    if kind == "table":
        rows = max(options.get("min_rows") or 1, 2)
        return [{c["key"]: cell_value(c, n + r) for c in options.get("columns", [])} for r in range(rows)]
    if kind == "matrix":
        columns = options.get("columns", [])
        return {
            row["key"]: {c["key"]: cell_value(c, n + i) for c in columns if c.get("type") != "text"}
            for i, row in enumerate(options.get("rows", []))
        }
    return None  # files and anything unknown stay unanswered in the demo


def cell_value(column, n):
    kind = column.get("type")
    if kind == "integer":
        return (n * 7) % 13 + 1
    if kind == "decimal":
        return f"{(n % 5) + 1}.50"
    if kind == "date":
        return f"2024-0{(n % 9) + 1}-15"
    if kind == "phone":
        return "13800138000"
    if kind == "choice":
        choices = column.get("choices") or [""]
        return choices[n % len(choices)]
    return f"{column['label']}{n}"


def sample_answers(schema, n, region):
    """Return answers to every shown field of ``schema`` (conditions respected)."""
    answers = {}
    for step in schema.steps:
        if not schema.step_visible(step, answers):
            continue
        for spec in schema.input_fields(step):
            if schema.field_visible(spec, answers):
                value = sample_value(spec, n, region)
                if value is not None:
                    answers[spec["key"]] = value
    return answers


def submit_demo(page, organisation, n):
    draft = Draft.objects.create(page=page, organisation=organisation)
    answers = sample_answers(page.schema, n, organisation.region)
    draft.answers = answers
    draft.save(update_fields=["answers"])
    submission, _created = submit_draft(draft, answers)
    return submission


@transaction.atomic
def ensure_review_demo(open_round, regions, reviewers_group, log=print):
    """Desks and, once, submissions to the open round's forms at several stages of review."""
    ensure_desks(regions, reviewers_group)
    forms = {f.slug: f for f in ApplicationFormPage.objects.child_of(open_round).specific()}
    if Submission.objects.filter(page__in=forms.values()).exists():
        log("= review demo")
        return
    User = get_user_model()
    by = {name: User.objects.get(username=name) for name in DESK_OF}
    units = {}
    for name, code in UNITS:
        units[code], _created = Organisation.objects.get_or_create(name=name, region=regions[code])
    form_1, form_3, form_6 = forms["form-1"], forms["form-3"], forms["form-6"]
    made = {code: submit_demo(form_1, unit, n) for n, (code, unit) in enumerate(units.items(), start=1)}
    transition([made["330106"].pk], "recommended", by["reviewer_district"], "材料齐全，推荐市局")
    # 附件1 goes up in batches: 西湖区 closes its batch, so 杭州市 receives it with its list.
    district = by["reviewer_district"]
    close_batch(form_1, regions["330106"], district, ReviewerAccess(district))  # its lists: by the worker
    try:
        # The unit printed 附件1 and had it stamped; the district bureau uploaded the scan.
        stamped = made["330106"]
        scan = ContentFile(pdf.submission_pdf(stamped, masked=False), name="盖章扫描件.pdf")
        printouts.store_scan(
            stamped, printouts.current_version(stamped), scan, "pdf", district, StampedCopy.Source.BUREAU
        )
    except pdf.PdfFontMissing as missing:
        # The demo still loads on a machine without the PDF fonts; only what needs a PDF is left out.
        log(f"Skipped the demo's stamped scan, which needs a PDF: {missing}")
    stamped = made["330106"]
    stamped.paper_copies = 3
    stamped.save(update_fields=["paper_copies"])
    expected, _created = Organisation.objects.get_or_create(
        name=EXPECTED_ONLY[0], region=regions[EXPECTED_ONLY[1]]
    )
    form_1.expected_organisations.add(expected, *units.values())
    form_1.save_revision().publish()
    transition([made["330100"].pk], "under_review", by["reviewer_city"], "")
    experts = [submit_demo(form_3, units["330100"], n) for n in range(10, 14)]
    transition([e.pk for e in experts[:2]], "recommended", by["reviewer_city"], "")
    transition([experts[3].pk], "returned", by["reviewer_city"], "请补充专家的职称证书扫描件。")
    for n, code in enumerate(["330100", "330300", "330203"], start=20):
        submit_demo(form_6, units[code], n)
    log("+ review demo: submissions to 附件1, 附件3 and 附件6 at several stages")
