"""The import benchmark: 10,000 rows, fully validated, against django-import-export's default.

    .venv/bin/python bench/import_speed.py --rows 10000     # BENCH_PROFILE=check or save profiles that step

1. Creates this run's PostgreSQL database (``BENCH_DB_NAME``, see ``common.py``) and stores a
   form of 20 fields (texts, integers, a choice with 其他, an ID number, a date)
   and the regions and organisations the rows name.
2. Writes one XLSX file of ``--rows`` applications in the import template's layout.
3. Times, in one run and on the same file:
   - ``product``: the path a reviewer takes, through the site: the upload (a POST; the check task, run
     by django-tasks' immediate backend, reads the file with python-calamine and validates every row
     through the wizard's own step forms), the preview (a GET of the stored findings), the
     confirmation (a POST; the save task writes every row in one transaction);
   - ``floor``: the least any import could do: the same file read with python-calamine, each row
     validated by a plain Django form with the same fields, the rows saved with ``bulk_create``.
     Target: product ≤ 2 × floor;
   - ``baseline``: django-import-export's default path, ``XLSX().create_dataset``
     (openpyxl) then ``ModelResource.import_data`` with a widget per column
     (Char, Integer, Date, ForeignKey by name), one transaction, writing the same
     submissions. It checks types only, not the form's rules.
4. Prints both times and the ratio, checks that both stored every row, and drops
   the database.
"""

import argparse
import cProfile
import os
import pstats
import secrets
import sys
import time
from datetime import timedelta
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

from bench.common import DEFAULT_PG_URL, bench_environment, configure_django, recreate_database  # noqa: E402


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL)
    parser.add_argument("--no-import-export", action="store_true", help="skip the slow generic baseline")
    return parser.parse_args(argv)


# Django is configured before the project's modules are imported, so that they import at the top.
ARGS = parse_args()
ENV, TMP = bench_environment(ARGS.pg_url, "import-bench-", TASKS_BACKEND="immediate")
configure_django(ENV)

from django import forms  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connections, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from import_export import fields, resources, widgets  # noqa: E402
from import_export.formats.base_formats import XLSX  # noqa: E402
from openpyxl import Workbook  # noqa: E402
from python_calamine import CalamineWorkbook  # noqa: E402

from bench.staff import sign_in_staff  # noqa: E402
from forms_app.accounts.factories import credit_code  # noqa: E402
from forms_app.accounts.models import Organisation  # noqa: E402
from forms_app.applications.factories import publish_form_page  # noqa: E402
from forms_app.applications.models import FormVersion, Submission  # noqa: E402
from forms_app.builder.factories import field, step  # noqa: E402
from forms_app.builder.models import Region  # noqa: E402
from forms_app.builder.validators import validate_credit_code  # noqa: E402
from forms_app.exchange import importing  # noqa: E402
from forms_app.exchange.models import ImportBatch  # noqa: E402
from home.site_tree import ensure_site_tree  # noqa: E402
from notices.factories import publish_notice  # noqa: E402

ID = "11010519491231002X"


def form_steps():
    fields = [field("short_text", f"文本{n}", f"text_{n}", max_length=100) for n in range(12)]
    fields += [
        field("integer", f"数量{n}", f"count_{n}", unit="人", min_value=0, max_value=None) for n in range(5)
    ]
    level = field(
        "single_choice", "级别", "level", choices="国家级\n省级", allow_other=True, other_label="其他"
    )
    fields += [level]
    fields += [field("id_number", "身份证号", "id_number", document_types=["resident_id"])]
    fields += [field("date", "开始日期", "start")]
    return [step("basic", "基本信息", *fields)]


def build():

    _home, index, _created = ensure_site_tree()
    notice = publish_notice(index, "导入基准", "import-bench", deadline=timezone.now() + timedelta(days=3))
    pages = []
    for n, slug in enumerate(("product", "baseline", "floor"), start=1):
        label = f"附件{n}"
        page = publish_form_page(
            notice,
            form_steps(),
            title=f"导入基准表{slug}",
            slug=slug,
            reference_prefix="ZJ",
            attachment_label=label,
        )
        FormVersion.objects.latest_for(page) or FormVersion.objects.record(page)
        pages.append(page)
    regions = [
        Region.objects.create(name=f"测试区{n}", code=f"3301{n:02d}", level="county") for n in range(10)
    ]
    orgs = Organisation.objects.bulk_create(
        [
            Organisation(name=f"测试单位{n}", credit_code=credit_code(n), region=regions[n % 10])
            for n in range(100)
        ]
    )
    return pages, regions, orgs


def write_file(path, page, rows, orgs):

    fields = importing.importable_fields(page.schema)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(importing.fixed_labels() + [spec["label"] for spec in fields])
    for n in range(rows):
        org = orgs[n % len(orgs)]
        values = [f"第{n}行文本{k}" for k in range(12)] + [(n + k) % 500 for k in range(5)]
        values += ["其他（区级）" if n % 3 == 0 else "省级", ID, "2024-03-01"]
        sheet.append(["", org.name, org.credit_code, org.region.name, *values])
    workbook.save(path)


def baseline_resource(page):
    """A django-import-export ModelResource for the same file: a widget per column, answers built per row."""

    version = FormVersion.objects.latest_for(page)
    reference_label, organisation_label, _code_label, region_label = importing.fixed_labels()
    columns = {}
    for spec in version.schema.input_fields():
        widget = {
            "integer": widgets.IntegerWidget(),
            "date": widgets.DateWidget(format="%Y-%m-%d"),
        }.get(spec["type"], widgets.CharWidget())
        columns[spec["key"]] = fields.Field(column_name=spec["label"], attribute=None, widget=widget)

    class SubmissionResource(resources.ModelResource):
        reference = fields.Field(attribute="reference", column_name=reference_label)
        organisation = fields.Field(
            attribute="organisation",
            column_name=organisation_label,
            widget=widgets.ForeignKeyWidget(Organisation, "name"),
        )
        region = fields.Field(
            attribute="region", column_name=region_label, widget=widgets.ForeignKeyWidget(Region, "name")
        )
        locals().update(columns)

        class Meta:
            model = Submission
            fields = ("reference", "organisation", "region", *columns)
            import_id_fields = ("reference",)
            use_transactions = True

        def import_instance(self, instance, row, **kwargs):
            super().import_instance(instance, row, **kwargs)
            answers = {}
            for key, column in columns.items():
                value = column.clean(row)
                answers[key] = value.isoformat() if hasattr(value, "isoformat") else value
            instance.answers = answers
            instance.page = page
            instance.form_version = version

        def before_save_instance(self, instance, row, **kwargs):
            if not instance.reference:
                instance.reference = Submission.objects.issue_reference(page)

    return SubmissionResource()


class FloorForm(forms.Form):
    """The same fields as the benchmark's form, as a plain Django form would check them."""

    organisation = forms.CharField(max_length=200)
    credit_code = forms.CharField(max_length=18, validators=[validate_credit_code])
    region = forms.CharField(max_length=100)
    level = forms.CharField(max_length=100)
    id_number = forms.RegexField(regex=r"^\d{17}[\dX]$")
    start = forms.DateField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(12):
            self.fields[f"text_{n}"] = forms.CharField(max_length=100)
        for n in range(5):
            self.fields[f"count_{n}"] = forms.IntegerField(min_value=0)


def floor(content, page, orgs):
    """Read with calamine, validate with ``FloorForm``, ``bulk_create``; return the rows stored."""
    rows = CalamineWorkbook.from_filelike(BytesIO(content)).get_sheet_by_index(0).to_python()
    names = ["reference", "organisation", "credit_code", "region"] + [f"text_{n}" for n in range(12)]
    names += [f"count_{n}" for n in range(5)] + ["level", "id_number", "start"]
    by_name = {o.name: o for o in orgs}
    version = FormVersion.objects.latest_for(page)
    now = timezone.now()
    made = []
    for number, row in enumerate(rows[1:], start=1):
        data = {name: ("" if value is None else str(value)) for name, value in zip(names, row, strict=False)}
        form = FloorForm(data)
        if not form.is_valid():
            raise SystemExit(f"floor: row {number}: {form.errors.as_json()}")
        fixed = {"organisation", "credit_code", "region"}
        answers = {k: v for k, v in form.cleaned_data.items() if k not in fixed}
        answers["start"] = answers["start"].isoformat()
        organisation = by_name[form.cleaned_data["organisation"]]
        made.append(
            Submission(page=page, form_version=version, reference=f"FLOOR-{number:06d}", answers=answers,
                       organisation=organisation, region=organisation.region,
                       stage_region=organisation.region, submitted_at=now)
        )  # fmt: skip
    with transaction.atomic():
        Submission.objects.bulk_create(made, batch_size=1000)
    return len(made)


def profiled(step, call, *args):
    """Run ``call(*args)``, under cProfile when ``BENCH_PROFILE`` names ``step`` (printed to stderr)."""
    if os.environ.get("BENCH_PROFILE") != step:
        return call(*args)
    profiler = cProfile.Profile()
    result = profiler.runcall(call, *args)
    pstats.Stats(profiler, stream=sys.stderr).sort_stats("tottime").print_stats(25)
    pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats("forms_app|notices", 25)
    return result


def through_the_site(content, page, admin):
    """Upload, preview and confirm as a reviewer does; return the seconds of each step."""
    client = Client(SERVER_NAME="127.0.0.1")
    sign_in_staff(client, admin)
    times = {}
    start = time.perf_counter()
    upload = SimpleUploadedFile("import.xlsx", content)
    url = reverse("shenbao_review_import", args=[page.pk])
    response = profiled("check", client.post, url, {"file": upload})
    times["upload and check"] = time.perf_counter() - start
    if response.status_code != 302:
        raise SystemExit(f"the upload answered {response.status_code}")
    preview = response["Location"]
    start = time.perf_counter()
    shown = client.get(preview)
    times["preview"] = time.perf_counter() - start
    checked = ImportBatch.objects.latest("pk")
    if shown.status_code != 200 or not checked.can_save or checked.report["rows"] != ARGS.rows:
        raise SystemExit(f"the preview does not offer to save every row: {checked.report}")
    start = time.perf_counter()
    saved = profiled("save", client.post, preview)
    times["confirm and save"] = time.perf_counter() - start
    batch = ImportBatch.objects.latest("pk")
    if saved.status_code != 302 or batch.stage != "saved":
        raise SystemExit(f"the save answered {saved.status_code}; the batch is {batch.stage}: {batch.error}")
    return times


def main():
    args, tmp = ARGS, TMP
    recreate_database(args.pg_url)
    try:
        call_command("migrate", verbosity=0, interactive=False)
        (product_page, baseline_page, floor_page), _regions, orgs = build()
        path = tmp / "import.xlsx"
        write_file(path, product_page, args.rows, orgs)
        content = path.read_bytes()
        columns = len(importing.fixed_labels()) - 1 + len(importing.importable_fields(product_page.schema))
        print(f"{args.rows:,} rows × {columns} columns, {len(content) / 1e6:.1f} MB", flush=True)
        admin = get_user_model().objects.create_superuser(
            "bench", "bench@example.cn", secrets.token_urlsafe(20)
        )

        times = through_the_site(content, product_page, admin)
        product = sum(times.values())
        parts = ", ".join(f"{name} {seconds:.2f}" for name, seconds in times.items())
        print(f"  product:  {product:7.2f} s  ({parts})", flush=True)
        start = time.perf_counter()
        floored = floor(content, floor_page, orgs)
        floor_time = time.perf_counter() - start
        print(f"  floor:    {floor_time:7.2f} s  (calamine, a plain Django form per row, bulk_create)")
        print(f"  ratio product / floor: {product / floor_time:.2f} (target ≤ 2)")

        checks = [
            (Submission.objects.filter(page=product_page).count() == args.rows, "product stored every row"),
            (floored == args.rows, "floor stored every row"),
            (product <= 2 * floor_time, f"product {product / floor_time:.2f} × floor (target ≤ 2)"),
        ]
        if not args.no_import_export:
            resource = baseline_resource(baseline_page)
            start = time.perf_counter()
            dataset = XLSX().create_dataset(content)
            with transaction.atomic():
                result = resource.import_data(dataset, dry_run=False, raise_errors=True)
            baseline = time.perf_counter() - start
            print(f"  import-export: {baseline:7.2f} s  (its default: tablib/openpyxl, import_data)")
            print(f"  ratio product / import-export: {product / baseline:.3f}")
            stored_baseline = Submission.objects.filter(page=baseline_page).count()
            checks.append(
                (stored_baseline == args.rows and not result.has_errors(), "import-export stored every row")
            )
        for ok, text in checks:
            print(("PASS " if ok else "FAIL ") + text)
        if not all(ok for ok, _text in checks):
            raise SystemExit(1)
    finally:
        connections.close_all()
        recreate_database(args.pg_url, drop_only=True)


if __name__ == "__main__":
    main()
