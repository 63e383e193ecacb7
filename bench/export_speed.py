"""The export benchmark: 100,000 submissions × 30 fields to XLSX and CSV, against raw writers.

    .venv/bin/python bench/export_speed.py --rows 100000

1. Creates this run's PostgreSQL database (``BENCH_DB_NAME``, see ``common.py``), migrates it and
   stores a form of 30 fields (text, numbers, dates, choices, an ID number) and
   ``--rows`` submissions with bulk inserts.
2. Runs each measurement in its own process (so peak memory is its own):
   - ``xlsx``: the product's path as a reviewer takes it: the review list's *Export* (POST, which
     fixes the job's set with one INSERT … SELECT), the export task run by django-tasks (its
     immediate backend, in this process), the file written to the private storage;
   - ``openpyxl``: the baseline, the same query and the same cells written by
     openpyxl in write-only mode (what a hand-written export would do);
   - ``csv`` and ``rawcsv``: the product's CSV (the same path) against ``csv.writer`` on the same cells;
   - ``importexport`` (informational; skip with ``--no-import-export``): the same
     generated ``SubmissionResource`` through django-import-export's generic path,
     ``resource.export()`` to a tablib Dataset and its XLSX format.
   Each prints its wall time and peak resident memory.
3. Prints the ratios against the targets set for exports: XLSX ≤ 0.3 × openpyxl
   write-only, under 200 MB peak; CSV ≤ 1.5 × raw ``csv``. Exits non-zero if a
   target is missed. The database is dropped at the end.
"""

import argparse
import csv
import io
import os
import resource
import shutil
import subprocess
import sys
import time
from datetime import timedelta
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

from bench.common import DEFAULT_PG_URL, bench_environment, configure_django, recreate_database  # noqa: E402

FIELDS = 30


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL)
    parser.add_argument("--no-import-export", action="store_true", help="skip the slow generic path")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--page", type=int, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


# Django is configured before the project's modules are imported, so that they import at the top.
ARGS = parse_args()
ENV, TMP = bench_environment(ARGS.pg_url, "export-bench-", TASKS_BACKEND="immediate")
configure_django(ENV)

import xlsxwriter  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from import_export.formats.base_formats import XLSX  # noqa: E402
from openpyxl import Workbook, load_workbook  # noqa: E402

from bench.staff import sign_in_staff  # noqa: E402
from forms_app.accounts.factories import credit_code  # noqa: E402
from forms_app.accounts.models import Organisation  # noqa: E402
from forms_app.applications.factories import publish_form_page  # noqa: E402
from forms_app.applications.models import FormVersion, Submission, SubmissionStatus  # noqa: E402
from forms_app.builder.factories import field, step  # noqa: E402
from forms_app.builder.models import Region  # noqa: E402
from forms_app.exchange.exports.columns import FIXED_KEYS, make_row_builder, plan_for, row_source  # noqa: E402
from forms_app.exchange.exports.resources import resource_for  # noqa: E402
from forms_app.exchange.models import ExportJob  # noqa: E402
from home.site_tree import ensure_site_tree  # noqa: E402
from notices.factories import publish_notice  # noqa: E402


def optional(kind, label, key, **options):
    return field(kind, label, key, required=False, **options)


def form_steps():
    """30 fields: 18 texts, 5 integers, 3 choices, 2 dates, 1 ID number, 1 decimal."""
    fields = [optional("short_text", f"文本字段{n}", f"text_{n}", max_length=100) for n in range(18)]
    fields += [optional("integer", f"数量{n}", f"count_{n}", unit="人") for n in range(5)]
    fields += [
        optional("single_choice", f"选项{n}", f"choice_{n}", choices="国家级\n省级\n市级", allow_other=True,
              other_label="其他", widget="radio")
        for n in range(3)
    ]  # fmt: skip
    fields += [optional("date", f"日期{n}", f"date_{n}") for n in range(2)]
    fields += [optional("id_number", "身份证号", "id_number", document_types=["resident_id"])]
    fields += [optional("decimal", "经费", "budget", decimal_places=2, unit="万元")]
    assert len(fields) == FIELDS
    return [step("basic", "基本信息", *fields)]


def build(rows):

    _home, index, _created = ensure_site_tree()
    notice = publish_notice(index, "导出基准", "export-bench", deadline=timezone.now() + timedelta(days=3))
    page = publish_form_page(
        notice, form_steps(), title="导出基准表", reference_prefix="ZJ", attachment_label="附件1"
    )
    version = FormVersion.objects.latest_for(page) or FormVersion.objects.record(page)
    regions = [
        Region.objects.create(name=f"测试区{n}", code=f"3301{n:02d}", level="county") for n in range(10)
    ]
    orgs = Organisation.objects.bulk_create(
        [
            Organisation(name=f"测试单位{n}", credit_code=credit_code(n), region=regions[n % 10])
            for n in range(200)
        ]
    )
    now = timezone.now()
    batch = []
    for n in range(rows):
        answers = {f"text_{k}": f"第{n}份申报的文本内容{k}，包含一些中文字符" for k in range(18)}
        answers.update({f"count_{k}": (n * 7 + k) % 1000 for k in range(5)})
        for k in range(3):
            picked = ["国家级", "省级", "其他"][(n + k) % 3]
            answers[f"choice_{k}"] = {"selected": picked, "other": "区级" if picked == "其他" else ""}
        answers.update({"date_0": "2024-03-01", "date_1": "2024-11-30", "budget": f"{n % 100}.50"})
        answers["id_number"] = {"type": "resident_id", "number": "11010519491231002X"}
        org = orgs[n % len(orgs)]
        batch.append(
            Submission(page=page, form_version=version, reference=f"ZJ2026-F1-{n + 1:06d}", organisation=org,
                       region=org.region, stage_region=org.region, answers=answers, submitted_at=now)
        )  # fmt: skip
        if len(batch) == 5000:
            Submission.objects.bulk_create(batch)
            batch = []
    Submission.objects.bulk_create(batch)
    return page.pk


def measure(mode, page_id, out):
    """Run one export in this process; print seconds and peak memory."""

    queryset = Submission.objects.filter(page_id=page_id)
    start = time.perf_counter()
    if mode == "xlsxwriter":
        # The second baseline: xlsxwriter in constant-memory mode, row by row, the same cells.
        plan = plan_for(queryset)
        build = make_row_builder(plan, dict(SubmissionStatus.choices))
        workbook = xlsxwriter.Workbook(out, {"constant_memory": True})
        sheet = workbook.add_worksheet()
        sheet.write_row(0, 0, plan.headers)
        records = row_source(queryset.order_by("submitted_at", "pk")).iterator(chunk_size=2000)
        for number, record in enumerate(records, start=1):
            sheet.write_row(number, 0, build(record)[0])
        workbook.close()
        print(f"{time.perf_counter() - start:.3f} {peak_memory_mb():.1f} {os.path.getsize(out)}")
        return
    if mode in {"xlsx", "csv"}:
        job = export_as_a_reviewer(page_id, mode)
        seconds = time.perf_counter() - start
        with job.file.open("rb") as stored, open(out, "wb") as copy:  # for the checks, after the clock
            shutil.copyfileobj(stored, copy)
        print(f"{seconds:.3f} {peak_memory_mb():.1f} {os.path.getsize(out)}")
        return
    with open(out, "wb") as fileobj:
        if mode == "importexport":
            resource = resource_for(plan_for(queryset))()
            dataset = resource.export(
                queryset.select_related("organisation", "region").order_by("submitted_at")
            )
            fileobj.write(XLSX().export_data(dataset))
        else:
            plan = plan_for(queryset)
            build = make_row_builder(plan, dict(SubmissionStatus.choices))
            records = row_source(queryset.order_by("submitted_at", "pk")).iterator(chunk_size=2000)
            if mode == "openpyxl":
                workbook = Workbook(write_only=True)
                sheet = workbook.create_sheet()
                sheet.append(plan.headers)
                for record in records:
                    sheet.append(build(record)[0])
                workbook.save(fileobj)
            else:  # rawcsv
                text = io.TextIOWrapper(fileobj, encoding="utf-8", newline="")
                writer = csv.writer(text)
                writer.writerow(plan.headers)
                for record in records:
                    writer.writerow(build(record)[0])
                text.flush()
                text.detach()
    seconds = time.perf_counter() - start
    print(f"{seconds:.3f} {peak_memory_mb():.1f} {os.path.getsize(out)}")


def export_as_a_reviewer(page_id, fmt):
    """Press *Export* on the review list filtered by the form; return the finished job."""
    admin = get_user_model().objects.filter(username="bench-admin").first()
    admin = admin or get_user_model().objects.create_superuser("bench-admin", "bench@example.cn", None)
    client = Client(SERVER_NAME="127.0.0.1")
    sign_in_staff(client, admin)
    index = reverse("shenbao_applications_submission_modeladmin_index")
    response = client.post(f"{index}?form={page_id}", {"export": "1", "export_format": fmt})
    if response.status_code != 302:
        raise SystemExit(f"asking for the export answered {response.status_code}")
    job = ExportJob.objects.latest("pk")
    if job.status != "done":
        raise SystemExit(f"the export job is {job.status}: {job.error}")
    return job


def check_output(path, rows):
    """``(ok, text)``: the product's XLSX holds every row and column, and sampled cells read as stored."""
    with open(path, "rb") as handle:  # by content: the file's name ends in .out
        book = load_workbook(BytesIO(handle.read()), read_only=True)
    sheet = book.worksheets[0]
    table = sheet.iter_rows(values_only=True)
    header = next(table)
    samples = {1: None, rows // 2: None, rows: None}
    count = 0
    for count, row in enumerate(table, start=1):
        if count in samples:
            samples[count] = row
    wanted_columns = len(FIXED_KEYS) + FIELDS
    problems = []
    for n, row in samples.items():
        if row is None:
            problems.append(f"row {n} missing")
            continue
        cells = dict(zip(header, row, strict=False))
        cells["reference"] = row[0]  # the fixed headers are in the site's language
        k = n - 1  # the stored submission's index, as build() wrote it
        picked = ["国家级", "省级", "其他"][k % 3]
        expected = {
            "reference": f"ZJ2026-F1-{n:06d}",
            "文本字段0": f"第{k}份申报的文本内容0，包含一些中文字符",
            "数量0": (k * 7) % 1000,
            "选项0": "其他（区级）" if picked == "其他" else picked,
            "身份证号": "居民身份证 110***********002X",
        }
        for label, value in expected.items():
            if cells.get(label) != value:
                problems.append(f"row {n} {label}: {cells.get(label)!r} ≠ {value!r}")
    shape = f"{count} rows × {len(header)} columns"
    ok = count == rows and len(header) == wanted_columns and not problems
    return ok, f"XLSX holds {shape} (want {rows} × {wanted_columns}); sampled cells " + (
        "match" if not problems else "; ".join(problems[:3])
    )


def peak_memory_mb():
    """Return this process's peak resident memory (VmHWM; ru_maxrss would include the parent's)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_child(mode, page_id, tmp):
    out = Path(tmp) / f"export-{mode}.out"
    result = subprocess.run(  # noqa: S603 - this script, with its own arguments
        [sys.executable, __file__, "--child", mode, "--page", str(page_id)],
        env={**os.environ, "BENCH_OUT": str(out)},
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        raise SystemExit(f"{mode} failed:\n{result.stderr[-3000:]}")
    if os.environ.get("BENCH_PROFILE") == mode:
        print(result.stderr[-6000:])
    seconds, peak, size = result.stdout.split()[-3:]
    return float(seconds), float(peak), int(size)


def main():
    args, tmp = ARGS, TMP
    if args.child:
        if os.environ.get("BENCH_PROFILE") == args.child:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.runcall(measure, args.child, args.page, os.environ["BENCH_OUT"])
            pstats.Stats(profiler, stream=sys.stderr).sort_stats("tottime").print_stats(12)
            return
        measure(args.child, args.page, os.environ["BENCH_OUT"])
        return
    recreate_database(args.pg_url)
    try:
        call_command("migrate", verbosity=0, interactive=False)
        print(f"Storing {args.rows:,} submissions × {FIELDS} fields…", flush=True)
        start = time.perf_counter()
        page_id = build(args.rows)
        print(f"  stored in {time.perf_counter() - start:.1f} s", flush=True)
        connections.close_all()
        figures = {}
        modes = ("openpyxl", "xlsxwriter", "xlsx", "rawcsv", "csv") + (
            () if args.no_import_export else ("importexport",)
        )
        for mode in modes:
            figures[mode] = run_child(mode, page_id, tmp)
            seconds, peak, size = figures[mode]
            print(
                f"{mode:>12}: {seconds:7.2f} s   peak {peak:6.1f} MB   file {size / 1e6:6.1f} MB", flush=True
            )
        if "importexport" in figures:
            ratio = figures["xlsx"][0] / figures["importexport"][0]
            print(f"INFO XLSX {ratio:.3f} × django-import-export's generic path with the same resource")
        xlsx_ratio = figures["xlsx"][0] / figures["openpyxl"][0]
        print(f"INFO XLSX {figures['xlsx'][0] / figures['xlsxwriter'][0]:.3f} × xlsxwriter constant_memory")
        csv_ratio = figures["csv"][0] / figures["rawcsv"][0]
        checks = [
            check_output(Path(tmp) / "export-xlsx.out", args.rows),
            (xlsx_ratio <= 0.3, f"XLSX {xlsx_ratio:.3f} × openpyxl write-only (target ≤ 0.3)"),
            (figures["xlsx"][1] < 200, f"XLSX peak {figures['xlsx'][1]:.0f} MB (target < 200 MB)"),
            (csv_ratio <= 1.5, f"CSV {csv_ratio:.3f} × raw csv (target ≤ 1.5)"),
        ]
        for ok, text in checks:
            print(("PASS " if ok else "FAIL ") + text)
        if not all(ok for ok, _text in checks):
            raise SystemExit(1)
    finally:
        connections.close_all()
        recreate_database(args.pg_url, drop_only=True)


if __name__ == "__main__":
    main()
