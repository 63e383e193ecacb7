"""The deadline benchmark: a rush of applicants before the deadline, on gunicorn and PostgreSQL.

    .venv/bin/python bench/deadline_rush.py --duration 60

1. Creates this run's PostgreSQL database (``BENCH_DB_NAME``, see ``common.py``), migrates it and
   builds the site: a notice due in three hours and a three-step form (a
   conditional step, a PDF upload, a repeating table) with quotas of one
   submission per organisation and fewer per region than the region has
   organisations, so both quotas refuse some applicants.
2. Creates the applicants (some organisations have two or three) with signed-in
   sessions, written to the database as a login would.
3. Serves the site with gunicorn (gthread) on 127.0.0.1 with ``bench.settings``
   (the production settings over loopback HTTP).
4. Runs ``bench/loadgen.py`` in its own process: at least 200 applicants at
   once through the wizard, then the same number of clients on a bare Django
   form with the same fields (``bench/views.py``), the baseline.
5. Reads the database back and checks that every accepted submission is stored
   exactly once, with its own answers and file, and that no quota was exceeded.

Prints the figures and the checks; exits non-zero if a check fails or any
request failed. Gunicorn is stopped and the database dropped at the end, also
after a failure.
"""

import argparse
import io
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from datetime import timedelta
from http.client import HTTPConnection
from pathlib import Path
from random import Random
from shutil import rmtree, which

from pypdf import PdfWriter

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, the folder on the path is bench/; the project's packages are one level up.
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

from bench.common import (  # noqa: E402
    DB_NAME,
    bench_environment,
    configure_django,
    recreate_database,
    server_facts,
)


def blank_pdf():
    """A one-page PDF written by pypdf: uploads must open in the parser that reads them, as in the tests."""
    buffer = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.write(buffer)
    return buffer.getvalue()


PDF = blank_pdf()
EMAIL_BACKEND = "forms_app.accounts.backends.EmailBackend"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=60, help="seconds after which no applicant starts")
    parser.add_argument("--applicants", type=int, default=240)
    parser.add_argument("--concurrency", type=int, default=200, help="applicants in flight at once")
    parser.add_argument(
        "--bare-duration", type=float, default=None, help="baseline seconds (default: --duration)"
    )
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=8, help="threads per gunicorn worker (gthread)")
    parser.add_argument(
        "--connection",
        choices=["keep-alive", "close"],
        default="keep-alive",
        help="one kept-alive connection per applicant (a browser), or one per request (a proxy's default)",
    )
    parser.add_argument("--regions", type=int, default=6)
    parser.add_argument(
        "--region-quota", type=int, default=None, help="max per region (default: ~3/4 of orgs)"
    )
    parser.add_argument("--request-timeout", type=float, default=60)
    parser.add_argument(
        "--grace", type=float, default=180, help="seconds after --duration before cutting off"
    )
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("BENCH_PG_URL", "postgres://shenbao:shenbao@127.0.0.1:5432/postgres"),
        help="a maintenance database URL; the role must be allowed to create databases",
    )
    args = parser.parse_args(argv)
    if args.concurrency > args.applicants:
        parser.error("--concurrency cannot exceed --applicants")
    if args.bare_duration is None:
        args.bare_duration = args.duration
    return args


# --- the database ------------------------------------------------------------------------------------


# Django is configured before the project's modules are imported, so that they import at the top.
# Gunicorn and the load generator are started with the same environment.
ARGS = parse_args(sys.argv[1:] if __name__ == "__main__" else [])
ENV, TMP = bench_environment(ARGS.pg_url, "deadline-rush-", CONN_MAX_AGE="60", PYTHONPATH=str(ROOT))
configure_django(ENV)

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.utils import timezone  # noqa: E402

from forms_app.accounts.models import ApplicantProfile, Organisation  # noqa: E402
from forms_app.applications.factories import publish_form_page  # noqa: E402
from forms_app.applications.models import Draft, ReferenceCounter, Submission, UploadedFile  # noqa: E402
from forms_app.builder.factories import column, field, step, when  # noqa: E402
from forms_app.builder.models import Region  # noqa: E402
from home.site_tree import ensure_site_tree  # noqa: E402
from notices.factories import publish_notice  # noqa: E402

# --- the site and the applicants ---------------------------------------------------------------------


def form_steps():
    """The shape of ``tests.wizard_helpers.three_step_form``: conditional step, PDF, repeating table."""
    columns = [column("活动名称", "name", required=True), column("活动预算", "budget", kind="integer")]
    return [
        step(
            "basic",
            "基本信息",
            field("short_text", "服务团名称", "team_name", max_length=30),
            field("yes_no", "是否省级专家服务基地", "is_base", yes_label="是", no_label="否"),
            field("bank_code", "开户行联行号", "bank_code"),
        ),
        step(
            "base",
            "基地情况",
            field("date", "设立时间", "established"),
            condition=when("is_base", "是"),
        ),
        step(
            "plan",
            "活动计划",
            field("file", "申报书", "plan_file", allowed_types=["pdf"], max_size_mb=1, max_files=1),
            field(
                "table",
                "活动安排",
                "activities",
                columns=columns,
                min_rows=1,
                max_rows=5,
                numbered=True,
                show_totals=True,
            ),
        ),
    ]


def make_form(notice, slug, label, **settings):

    return publish_form_page(
        notice,
        form_steps(),
        title=f"2024年专家服务基层示范团申报表（{label}）",
        slug=slug,
        attachment_label=label,
        reference_prefix="ZJ",
        **settings,
    )


def organisation_sizes(applicants, rng):
    """Split ``applicants`` into organisations of 1 (60 %), 2 (25 %) or 3 (15 %) applicants."""
    sizes = []
    while sum(sizes) < applicants:
        sizes.append(min(rng.choices([1, 2, 3], weights=[60, 25, 15])[0], applicants - sum(sizes)))
    return sizes


def signed_in_session(user):
    """Return the key of a session signed in as ``user``, as ``django.contrib.auth.login`` writes it."""

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = EMAIL_BACKEND
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def make_users(prefix, count, organisations):
    """Create ``count`` applicants, the i-th in ``organisations[i]``; return them."""

    user_model = get_user_model()
    # Unusable passwords: sessions are written directly, so nobody needs to hash a password.
    users = user_model.objects.bulk_create(
        [
            user_model(
                username=f"{prefix}{n}@example.cn",
                email=f"{prefix}{n}@example.cn",
                password=make_password(None),
            )
            for n in range(count)
        ]
    )
    ApplicantProfile.objects.bulk_create(
        [
            ApplicantProfile(user=user, organisation=org)
            for user, org in zip(users, organisations, strict=True)
        ]
    )
    return users


def build_site(args, rng):
    """Build the notice, the forms, regions, organisations and applicants; return the load plan."""

    _home, index, _created = ensure_site_tree()
    notice = publish_notice(
        index,
        "关于组织申报2024年专家服务基层示范团的通知",
        "deadline-rush",
        deadline=timezone.now() + timedelta(hours=3),
        summary="截止前的申报高峰。",
        body=[{"type": "paragraph", "value": "<p>请各单位在截止时间前完成网上申报。</p>"}],
    )

    regions = [
        Region.objects.create(name=f"测试区{n + 1}", code=f"3301{n + 1:02d}", level="county")
        for n in range(args.regions)
    ]
    sizes = organisation_sizes(args.applicants, rng)
    organisations = Organisation.objects.bulk_create(
        [Organisation(name=f"测试单位{n + 1}", region=regions[n % len(regions)]) for n in range(len(sizes))]
    )
    orgs_per_region = Counter(org.region_id for org in organisations)
    region_quota = args.region_quota or max(1, min(orgs_per_region.values()) * 3 // 4)
    if region_quota >= min(orgs_per_region.values()):
        raise SystemExit(f"--region-quota {region_quota} must be below the organisations per region")

    form = make_form(notice, "form", "附件1", max_per_organisation=1, max_per_region=region_quota)
    warmup_form = make_form(notice, "warmup", "附件2")

    members = [org for org, size in zip(organisations, sizes, strict=True) for _n in range(size)]
    users = make_users("applicant", args.applicants, members)
    warmup_count = max(8, args.workers * 4)
    probe_count = 5
    warmup_region = Region.objects.create(name="预热区", code="339999", level="county")
    warmup_orgs = Organisation.objects.bulk_create(
        [
            Organisation(name=f"预热单位{n + 1}", region=warmup_region)
            for n in range(warmup_count + probe_count)
        ]
    )
    warmup_users = make_users("warmup", warmup_count + probe_count, warmup_orgs)

    def behaviour(n, user, organisation):
        return {
            "index": n,
            "user_id": user.pk,
            "organisation_id": organisation.pk,
            "region_id": organisation.region_id,
            "session": signed_in_session(user),
            "team": f"测试服务团{n + 1}",
            "is_base": rng.random() < 0.3,
            "typo": rng.random() < 0.1,
            "double_submit": rng.random() < 0.15,
            "rows": [(f"活动{k + 1}", rng.randint(1, 50) * 100) for k in range(rng.randint(1, 3))],
        }

    applicants = [behaviour(n, user, org) for n, (user, org) in enumerate(zip(users, members, strict=True))]
    # Members of one organisation are spread over the rush, not side by side.
    rng.shuffle(applicants)
    warmup = [
        behaviour(n, user, org) for n, (user, org) in enumerate(zip(warmup_users, warmup_orgs, strict=True))
    ]
    return {
        "form_pk": form.pk,
        "form_url": form.url,
        "warmup_url": warmup_form.url,
        "bare_url": "/bench/bare-form/",
        "management": {
            form.url: f"form_{form.pk}-current_step",
            warmup_form.url: f"form_{warmup_form.pk}-current_step",
        },
        "max_per_organisation": form.max_per_organisation,
        "max_per_region": form.max_per_region,
        "organisations": len(organisations),
        "orgs_per_region": sorted(orgs_per_region.values()),
        "multi_member_orgs": sum(1 for size in sizes if size > 1),
        "applicants": applicants,
        "warmup": warmup[:warmup_count],
        "probe": warmup[warmup_count:],
        "warmup_concurrency": min(warmup_count, args.workers * args.threads),
        "pdf_hex": PDF.hex(),
    }


# --- the server --------------------------------------------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(args, port, env, log_path):
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "site_config.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--worker-class",
        "gthread",
        "--workers",
        str(args.workers),
        "--threads",
        str(args.threads),
        # Longer than any pause of a simulated browser, as a proxy in front would keep it.
        "--keep-alive",
        "75",
        "--timeout",
        "120",
        "--graceful-timeout",
        "10",
        "--log-level",
        "warning",
        "--error-logfile",
        "-",
    ]
    log = open(log_path, "wb")  # noqa: SIM115 (closed by stop_gunicorn)
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
    process.log = log
    return process


def wait_until_ready(process, port, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode} before it served")
        try:
            conn = HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/bench/bare-form/")
            status = conn.getresponse().status
            conn.close()
            if status == 200:
                return
            raise RuntimeError(f"the bare form answered {status}")
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer in time")


def stop_gunicorn(process):
    if process is None:
        return
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
    process.log.close()


class ConnectionSampler(threading.Thread):
    """Counts, every few seconds, the established connections each gunicorn worker holds (via ``ss``)."""

    def __init__(self, server, port, interval=2.0):
        super().__init__(daemon=True)
        self.server, self.port, self.interval = server, port, interval
        self.samples = []
        self.halt = threading.Event()
        self.ss = which("ss")

    def workers(self):
        path = Path(f"/proc/{self.server.pid}/task/{self.server.pid}/children")
        return path.read_text().split() if path.exists() else []

    def run(self):
        while self.ss and not self.halt.wait(self.interval):
            try:
                listing = subprocess.run(  # noqa: S603
                    [self.ss, "-Htnp", "state", "established", f"( sport = :{self.port} )"],
                    capture_output=True,
                    text=True,
                    timeout=5,
                ).stdout
            except (OSError, subprocess.SubprocessError):
                return
            counts = Counter(re.findall(r"pid=(\d+)", listing))
            self.samples.append((time.time(), {pid: counts.get(pid, 0) for pid in self.workers()}))

    def busiest(self, start, end):
        """Return the connections per worker in the sample of ``[start, end]`` with the most, or None."""
        inside = [counts for when, counts in self.samples if start <= when <= end and counts]
        return max(inside, key=lambda counts: sum(counts.values()), default=None)


def server_tracebacks(log_path, limit=3):
    """Return up to ``limit`` distinct tracebacks from gunicorn's log."""
    text = Path(log_path).read_text(encoding="utf-8", errors="replace") if Path(log_path).exists() else ""
    blocks = re.split(r"\n(?=Traceback \(most recent call last\))", text)
    seen, found = set(), []
    for block in blocks[1:]:
        lines = block.split("\n")
        end = next(
            (i for i, line in enumerate(lines[1:], 1) if line and not line.startswith(" ")), len(lines) - 1
        )
        traceback = "\n".join(lines[: end + 1])
        if lines[end] not in seen:
            seen.add(lines[end])
            found.append(traceback)
    return found[:limit], text


# --- figures -----------------------------------------------------------------------------------------


def percentile(sorted_values, fraction):
    """Nearest-rank percentile of a sorted list."""
    if not sorted_values:
        return float("nan")
    rank = max(1, min(len(sorted_values), round(fraction * len(sorted_values) + 0.5)))
    return sorted_values[rank - 1]


def latency_row(records):
    values = sorted(r[2] for r in records)
    return len(values), percentile(values, 0.50), percentile(values, 0.95), percentile(values, 0.99)


# --- the checks --------------------------------------------------------------------------------------


def run_checks(plan, results):
    """Read the database back; return ``[(passed or None for information, title, detail)]`` and counts."""

    who = {a["index"]: a for a in plan["applicants"]}
    outcomes = results["outcomes"]
    accepted = {o["draft_id"] for o in outcomes if 302 in o["check_statuses"]}
    refused = {o["draft_id"] for o in outcomes if o["check_statuses"] and set(o["check_statuses"]) == {409}}
    by_draft = {o["draft_id"]: who[o["index"]] for o in outcomes if o["draft_id"]}
    submissions = list(
        Submission.objects.filter(page_id=plan["form_pk"]).values(
            "pk", "draft_id", "reference", "organisation_id", "region_id", "user_id", "answers", "revision"
        )
    )
    checks = []

    stored = [s["draft_id"] for s in submissions]
    checks.append(
        (
            set(stored) == accepted and len(stored) == len(accepted),
            "every draft answered 302 → submitted is stored exactly once, and nothing else is",
            f"{len(accepted)} drafts accepted by the server, {len(stored)} submission rows, "
            f"{len(set(stored) - accepted)} unexpected, {len(accepted - set(stored))} missing",
        )
    )
    per_draft = Submission.objects.values("draft_id").annotate(n=Count("pk")).filter(n__gt=1).count()
    checks.append((per_draft == 0, "no draft has two submissions", f"{per_draft} drafts with more than one"))
    references = [s["reference"] for s in submissions]
    dup_refs = sum(n - 1 for n in Counter(references).values() if n > 1)
    checks.append((dup_refs == 0, "no reference is duplicated", f"{dup_refs} duplicates"))
    double = [o for o in outcomes if who[o["index"]]["double_submit"] and len(o["check_statuses"]) == 2]
    double_consistent = [o for o in double if len(set(o["check_statuses"])) == 1]
    checks.append(
        (
            len(double_consistent) == len(double),
            "double clicks on submit: both answers agree (one submission, or two refusals)",
            f"{len(double_consistent)}/{len(double)} pairs consistent",
        )
    )

    per_org = Counter(s["organisation_id"] for s in submissions)
    per_region = Counter(s["region_id"] for s in submissions)
    worst_org = max(per_org.values(), default=0)
    worst_region = max(per_region.values(), default=0)
    checks.append(
        (
            worst_org <= plan["max_per_organisation"],
            f"no organisation above its quota ({plan['max_per_organisation']})",
            f"most in one organisation: {worst_org}",
        )
    )
    checks.append(
        (
            worst_region <= plan["max_per_region"],
            f"no region above its quota ({plan['max_per_region']})",
            "per region: " + ", ".join(str(per_region[r]) for r in sorted(per_region)),
        )
    )

    reasons = Counter()
    for draft_id in refused:
        applicant = by_draft[draft_id]
        if per_org[applicant["organisation_id"]] >= plan["max_per_organisation"]:
            reasons["organisation"] += 1
        elif per_region[applicant["region_id"]] >= plan["max_per_region"]:
            reasons["region"] += 1
        else:
            reasons["unjustified"] += 1
    checks.append(
        (
            reasons["unjustified"] == 0,
            "every 409 refusal was due: its organisation or region quota is full",
            f"organisation quota {reasons['organisation']}, region quota {reasons['region']}, "
            f"unjustified {reasons['unjustified']}",
        )
    )

    mismatched = 0
    for s in submissions:
        applicant = by_draft.get(s["draft_id"])
        answers = s["answers"]
        rows = [{"name": n, "budget": b} for n, b in applicant["rows"]] if applicant else None
        if (
            applicant is None
            or s["user_id"] != applicant["user_id"]
            or s["organisation_id"] != applicant["organisation_id"]
            or answers.get("team_name") != applicant["team"]
            or answers.get("is_base") is not applicant["is_base"]
            or ("established" in answers) is not applicant["is_base"]
            or answers.get("activities") != rows
            or s["revision"] != 1
        ):
            mismatched += 1
    checks.append(
        (
            mismatched == 0,
            "each submission holds its own applicant's answers, user and organisation",
            f"{mismatched} mismatched",
        )
    )
    files = Counter(
        UploadedFile.objects.filter(submission__page_id=plan["form_pk"]).values_list(
            "submission_id", flat=True
        )
    )
    file_ok = sum(
        1 for s in submissions if files[s["pk"]] == 1 and len(s["answers"].get("plan_file") or []) == 1
    )
    checks.append(
        (
            file_ok == len(submissions),
            "each submission has its one PDF, linked",
            f"{file_ok}/{len(submissions)}",
        )
    )
    drafts = Draft.objects.filter(page_id=plan["form_pk"]).count()
    started = sum(1 for o in outcomes if o["draft_id"])
    checks.append(
        (drafts == started, "one draft per started journey", f"{drafts} drafts, {started} journeys")
    )

    numbers = sorted(int(r.rsplit("-", 1)[1]) for r in references)
    counter = (
        ReferenceCounter.objects.filter(series__endswith="-F1").values_list("value", flat=True).first() or 0
    )
    gaps = len(set(range(1, (numbers[-1] if numbers else 0) + 1)) - set(numbers))
    checks.append(
        (
            None,
            "reference numbers consecutive (a refused submission takes no number)",
            f"{'no gaps' if not gaps else f'{gaps} gaps'}: 1..{numbers[-1] if numbers else 0}, "
            f"counter at {counter}",
        )
    )
    counts = {
        "accepted": len(accepted),
        "refused": len(refused),
        "refused_org": reasons["organisation"],
        "refused_region": reasons["region"],
        "duplicates": per_draft + dup_refs + max(0, len(stored) - len(set(stored))),
        "double_pairs": len(double),
    }
    return checks, counts


# --- the report --------------------------------------------------------------------------------------


def report(args, plan, results, checks, counts, facts, sampler=None):
    records = results["records"]
    errors_by_phase = Counter(e["phase"] for e in results["errors"])
    outcomes = Counter(o["outcome"] for o in results["outcomes"])
    lines = []
    out = lines.append
    out("")
    connection = (
        "one keep-alive connection per applicant" if plan["keep_alive"] else "a connection per request"
    )
    out(f"Deadline rush — gunicorn on PostgreSQL, loopback HTTP/1.1, {connection}")
    out(
        f"  server: gunicorn gthread, {args.workers} workers × {args.threads} threads, "
        f"PostgreSQL {facts['pg_version']}, {os.cpu_count()} CPUs for server, database and client"
    )
    out(
        "  form: 3 steps (1 conditional), PDF upload, repeating table; quotas "
        f"{plan['max_per_organisation']} per organisation, {plan['max_per_region']} per region; "
        f"{plan['organisations']} organisations "
        f"({plan['multi_member_orgs']} with 2–3 applicants) in {args.regions} regions "
        f"(orgs per region {plan['orgs_per_region'][0]}–{plan['orgs_per_region'][-1]})"
    )
    out(
        f"  applicants: {args.applicants}, concurrency {args.concurrency} (peak in flight "
        f"{results['peak_applicants_in_flight']}), no start after {args.duration:g} s; "
        + ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items()))
    )
    out("")
    columns = ("requests", "seconds", "req/s", "p50 ms", "p95 ms", "p99 ms")
    header = f"  {'phase':<22}" + "".join(f"{c:>9}" for c in columns) + f"{'errors':>8}"
    out(header)
    out("  " + "-" * (len(header) - 2))
    rps = {}
    for phase, title in (("wizard", "wizard (applicants)"), ("bare", "bare form (baseline)")):
        n, p50, p95, p99 = latency_row(records[phase])
        elapsed = results["elapsed"][phase]
        rps[phase] = n / elapsed if elapsed else 0
        figures = f"{n:>9}{elapsed:>9.1f}{rps[phase]:>9.1f}{p50:>9.0f}{p95:>9.0f}{p99:>9.0f}"
        out(f"  {title:<22}{figures}{errors_by_phase[phase]:>8}")
    ratio = rps["wizard"] / rps["bare"] if rps["bare"] else float("nan")
    out("")
    out(f"  ratio wizard req/s ÷ bare form req/s = {ratio:.3f}  (the bare form serves {1 / ratio:.1f}× more)")
    journeys = outcomes["submitted"] + outcomes["refused"]
    out(
        f"  completed journeys: {journeys} in {results['elapsed']['wizard']:.1f} s = "
        f"{journeys / results['elapsed']['wizard']:.2f}/s"
    )
    alone = {
        phase: latency_row([r for r in records["probe"] if r[0].startswith("bare") == (phase == "bare")])[1]
        for phase in ("wizard", "bare")
    }
    out(
        f"  one client alone (no queueing): wizard request p50 {alone['wizard']:.0f} ms, "
        f"bare form request p50 {alone['bare']:.0f} ms"
    )
    if sampler is not None:
        for phase in ("wizard", "bare"):
            busiest = sampler.busiest(*results["phase_times"][phase])
            if busiest:
                spread = " / ".join(str(n) for n in sorted(busiest.values(), reverse=True))
                out(f"  connections per gunicorn worker, busiest moment of the {phase} phase: {spread}")
    out("")
    out("  wizard requests by kind (latency in ms; 'alone': one applicant, no queueing)")
    by_kind, alone_by_kind = defaultdict(list), defaultdict(list)
    for record in records["wizard"]:
        by_kind[record[0]].append(record)
    for record in records["probe"]:
        alone_by_kind[record[0]].append(record)
    for kind, kind_records in by_kind.items():
        n, p50, p95, p99 = latency_row(kind_records)
        statuses = Counter(r[1] for r in kind_records)
        status_text = " ".join(f"{s}×{c}" for s, c in sorted(statuses.items()))
        solo = latency_row(alone_by_kind[kind])[1]
        solo = "   –" if solo != solo else f"{solo:>4.0f}"  # nan: no applicant alone made this request
        out(
            f"    {kind:<21}{n:>6}  p50 {p50:>6.0f}  p95 {p95:>6.0f}  p99 {p99:>6.0f}  alone {solo}"
            f"   {status_text}"
        )
    out("")
    out(
        f"  submissions: accepted {counts['accepted']}, refused by quota (409) {counts['refused']} "
        f"(organisation {counts['refused_org']}, region {counts['refused_region']}), duplicates "
        f"{counts['duplicates']}; double-click pairs {counts['double_pairs']}"
    )
    out(
        f"  client: {results['reconnects']} stale keep-alive reconnects; load generator CPU "
        f"{results['client_cpu']['wizard']:.1f} s (wizard), {results['client_cpu']['bare']:.1f} s (bare); "
        f"warm-up {results['warmup_requests']} requests, {results['warmup_errors']} errors"
    )
    for phase, served in results.get("workers", {}).items():
        shares = ", ".join(f"{count}" for _pid, count in sorted(served.items(), key=lambda item: -item[1]))
        out(f"  requests per gunicorn worker ({phase}): {shares or 'none'}")
    out("")
    out("  checks")
    for passed, title, detail in checks:
        mark = "INFO" if passed is None else ("PASS" if passed else "FAIL")
        out(f"    {mark}  {title}: {detail}")
    if results["errors"]:
        out("")
        out("  errors (first 10 of each kind)")
        shown = Counter()
        for error in results["errors"]:
            key = (error["phase"], error["kind"], error["error"][:60])
            shown[key] += 1
            if shown[key] <= 1:
                out(f"    [{error['phase']}] {error['kind']} {error['path']}: {error['error'][:300]}")
        for key, count in shown.items():
            if count > 1:
                out(f"    … ×{count} {key}")
    print("\n".join(lines), flush=True)
    return ratio


# --- the run -----------------------------------------------------------------------------------------


def main():
    args = ARGS
    rng = Random(args.seed)
    tmp = TMP
    env = dict(os.environ)  # the bench environment, set up when this module was imported

    def terminate(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, terminate)
    server = None
    failed = True
    try:
        version, max_connections = server_facts(args.pg_url)
        if args.workers * args.threads + 10 > max_connections:
            raise SystemExit(
                f"{args.workers}×{args.threads} threads need more than max_connections={max_connections}"
            )
        print(f"Creating {DB_NAME} and migrating…", flush=True)
        recreate_database(args.pg_url)

        call_command("migrate", verbosity=0, interactive=False)
        print(f"Building the site and {args.applicants} applicants…", flush=True)
        plan = build_site(args, rng)

        connections.close_all()
        port = free_port()
        log_path = tmp / "gunicorn.log"
        print(
            f"Starting gunicorn on 127.0.0.1:{port} ({args.workers} workers × {args.threads} threads)…",
            flush=True,
        )
        server = start_gunicorn(args, port, env, log_path)
        wait_until_ready(server, port)

        plan.update(
            host="127.0.0.1",
            port=port,
            duration=args.duration,
            bare_duration=args.bare_duration,
            concurrency=args.concurrency,
            request_timeout=args.request_timeout,
            keep_alive=args.connection == "keep-alive",
            grace=args.grace,
        )
        plan_path, results_path = tmp / "plan.json", tmp / "results.json"
        plan_path.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
        print(
            f"Rush: {args.applicants} applicants, {args.concurrency} at once, then the bare form "
            f"for {args.bare_duration:g} s…",
            flush=True,
        )
        sampler = ConnectionSampler(server, port)
        sampler.start()
        try:
            subprocess.run(  # noqa: S603
                [sys.executable, "-m", "bench.loadgen", str(plan_path), str(results_path)],
                cwd=ROOT,
                env=env,
                check=True,
                timeout=args.duration + args.bare_duration + 2 * args.grace + 700,
            )
        finally:
            sampler.halt.set()
        results = json.loads(results_path.read_text(encoding="utf-8"))
        checks, counts = run_checks(plan, results)
        connections.close_all()
        report(args, plan, results, checks, counts, {"pg_version": version}, sampler)
        tracebacks, _log = server_tracebacks(log_path)
        if tracebacks:
            print("\n  server tracebacks (distinct, from gunicorn's log)")
            for traceback in tracebacks:
                print("    " + traceback.replace("\n", "\n    "))
        failed = (
            bool(results["errors"]) or any(passed is False for passed, _t, _d in checks) or bool(tracebacks)
        )
        print(f"\n  result: {'FAIL' if failed else 'PASS'}", flush=True)
    finally:
        stop_gunicorn(server)
        connections.close_all()
        recreate_database(args.pg_url, drop_only=True)
        rmtree(tmp, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
