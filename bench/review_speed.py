"""The review desk benchmark: list, filters, search and dashboard at 1,000 and at 100,000 submissions.

    .venv/bin/python bench/review_speed.py --rows 100000

1. Creates this run's PostgreSQL database (``BENCH_DB_NAME``, see ``common.py``), migrates it and builds
   a province of 11 cities and 88 counties, ``--notices`` notices (1,000), five forms under five of them,
   2,000 organisations and three users: ``admin`` (superuser), ``reviewer_province`` (the province's desk)
   and ``reviewer_city`` (杭州市's desk).
2. Stores ``--small`` submissions (1,000) spread over the forms, regions, desks, statuses and two years,
   and measures every page below for every user: the median server time of ``--repeat`` requests through
   Django's full stack (middleware, views, templates), and the number of queries of one request.
3. Adds submissions up to ``--rows`` (100,000), measures again in the same run, and prints each page's
   figures at both sizes with their ratio. Targets: the same number of queries at both sizes, the time at
   ``--rows`` ≤ 1.5 × the time at ``--small``, and about 150 ms or less. Each response is checked
   (status 200, and the rows it must show). Exits non-zero when a page misses the query or the ratio
   target. The database is dropped at the end.
"""

import argparse
import random
import re
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

from bench.common import DEFAULT_PG_URL, bench_environment, configure_django, recreate_database  # noqa: E402


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--notices", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument(
        "--keep", action="store_true", help="keep the database (to study its plans); drop it by hand"
    )
    return parser.parse_args(argv)


# Django is configured before the project's modules are imported, so that they import at the top.
ARGS = parse_args()
ENV, TMP = bench_environment(ARGS.pg_url, "review-bench-")
configure_django(ENV)

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.staff import sign_in_staff  # noqa: E402
from forms_app.accounts.models import Organisation  # noqa: E402
from forms_app.applications.factories import publish_form_page  # noqa: E402
from forms_app.applications.models import FormVersion, Submission, SubmissionStatus  # noqa: E402
from forms_app.builder.factories import choices, field, step  # noqa: E402
from forms_app.builder.models import Region  # noqa: E402
from forms_app.review.access import ReviewerAccess  # noqa: E402
from forms_app.review.factories import make_reviewer  # noqa: E402
from home.site_tree import ensure_site_tree  # noqa: E402
from notices.models import NoticePage  # noqa: E402

INDEX = "shenbao_applications_submission_modeladmin_index"
ROW = re.compile(r'name="ids" value="\d+"')  # a row's checkbox in the list
WORDS = ["技术培训", "义诊服务", "乡村振兴", "专家团队", "基层医院", "农业技术", "人才培养", "科技下乡"]
STATUSES = [s for s, _label in SubmissionStatus.choices]
CITY_NAMES = [
    "杭州市",
    "宁波市",
    "温州市",
    "嘉兴市",
    "湖州市",
    "绍兴市",
    "金华市",
    "衢州市",
    "舟山市",
    "台州市",
    "丽水市",
]


def form_steps():
    return [
        step(
            "basic",
            "基本信息",
            field("short_text", "项目名称", "project"),
            field("long_text", "项目简介", "summary", required=False),
            field(
                "single_choice",
                "项目级别",
                "level",
                required=False,
                choices=choices("国家级", "省级", "市级"),
            ),
            field("integer", "参加人数", "people", required=False),
        )
    ]


def build_site(notices):
    """The province, the notices, five forms, the organisations and the three users."""
    _home, index, _created = ensure_site_tree()
    province = Region.objects.create(name="浙江省", code="330000", level="province")
    cities, counties = [], []
    for n, name in enumerate(CITY_NAMES):
        city = Region.objects.create(name=name, code=f"33{n + 1:02d}00", level="city", parent=province)
        cities.append(city)
        for k in range(8):
            counties.append(
                Region.objects.create(
                    name=f"{name[:2]}第{k + 1}区",
                    code=f"33{n + 1:02d}{k + 1:02d}",
                    level="county",
                    parent=city,
                )
            )
    deadline = timezone.now() + timedelta(days=20)
    hosts = []
    for n in range(notices):
        notice = NoticePage(
            title=f"关于开展第{n + 1}批专家服务基层活动的通知",
            slug=f"notice-{n + 1}",
            deadline=deadline,
            issuing_authority="浙江省人力资源和社会保障厅",
            issue_date=timezone.localdate() - timedelta(days=n),
            summary="专家服务基层",
            recipients="各市人力资源和社会保障局：",
            programme="专家服务基层" if n % 3 == 0 else "",
            body=[],
        )
        index.add_child(instance=notice)
        if n < 5:
            hosts.append(notice)
    forms = []
    for n, notice in enumerate(hosts):
        page = publish_form_page(
            notice,
            form_steps(),
            title=f"申报表{n + 1}",
            attachment_label=f"附件{n + 1}",
            reference_prefix="ZJ",
        )
        forms.append((page, FormVersion.objects.latest_for(page) or FormVersion.objects.record(page)))
    # Half the units are in 杭州市, the capital, as in the province: so the city desk's pages (a form, a
    # word, a unit) are full at 1,000 submissions too, and both sizes time pages of the same rows.
    homes = [counties[(n // 2) % 8] if n % 2 == 0 else counties[n % len(counties)] for n in range(2000)]
    organisations = Organisation.objects.bulk_create(
        [Organisation(name=f"{home.name}第{n}医院", region=home) for n, home in enumerate(homes)]
    )
    User = get_user_model()
    users = {
        "admin": User.objects.create_superuser("admin", "admin@example.cn", None),
        "reviewer_province": make_reviewer("reviewer_province", province),
        "reviewer_city": make_reviewer("reviewer_city", cities[0]),
    }
    return forms, organisations, users


def add_submissions(forms, organisations, start, stop, rng):
    """Store submissions ``start``..``stop`` (bulk), spread over forms, regions, desks, statuses and years."""
    now = timezone.now()
    batch = []
    for n in range(start, stop):
        page, version = forms[n % len(forms)]
        # One unit files every 5th application, so that searching for it fills a page at both sizes
        # (a search that finds 1 row at 1,000 and 50 at 100,000 would time the rows, not the search).
        busy = n % 5 == 0
        organisation = organisations[0] if busy else organisations[rng.randrange(len(organisations))]
        county = organisation.region
        stage = rng.choice([county, county, county.parent, county.parent.parent])
        words = f"{rng.choice(WORDS)}{rng.choice(WORDS)}项目{n}"
        answers = {
            "project": words,
            "summary": f"{rng.choice(WORDS)}，{rng.choice(WORDS)}。",
            "people": n % 90,
        }
        batch.append(
            Submission(page=page, form_version=version, reference=f"ZJ2026-F{n % len(forms) + 1}-{n + 1:06d}",
                       organisation=organisation, region=county, stage_region=stage, answers=answers,
                       status=rng.choice(STATUSES), submitted_at=now - timedelta(minutes=7 * n % 1_000_000))
        )  # fmt: skip
        batch[-1].refresh_search_text()
        if len(batch) == 5000:
            Submission.objects.bulk_create(batch)
            batch = []
    Submission.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # as autovacuum leaves a table: visibility map set, statistics fresh


def pages_to_measure(forms, organisations):
    """``{name: (path, params, what the page must show)}``."""
    form = forms[1][0]
    sample = Submission.objects.filter(page=form, stage_region__parent__isnull=True).order_by("pk").first()
    organisation = organisations[0].name
    index = reverse(INDEX)
    return {
        "list": (index, {}, None),
        "deep page": (index, {"p": "200"}, None),
        "form filter": (index, {"form": str(form.pk)}, None),
        "search reference": (index, {"q": sample.reference}, sample.reference),
        "search organisation": (index, {"q": organisation}, organisation),
        "search 培训": (index, {"q": "培训"}, None),
        "dashboard": (reverse("wagtailadmin_home"), {}, None),
    }


def measure(client, path, params, must_show, repeat):
    """Return ``(median ms, queries, rows shown)`` of GET ``path``; check the response."""
    timings = []
    check(client.get(path, params), path, params, must_show)  # warm: the first request fills caches
    with CaptureQueriesContext(connections["default"]) as queries:
        response = client.get(path, params)
    check(response, path, params, must_show)
    count = len(queries)
    for _n in range(repeat):
        started = time.perf_counter()
        response = client.get(path, params)
        timings.append((time.perf_counter() - started) * 1000)
        check(response, path, params, must_show)
    return statistics.median(timings), count, len(ROW.findall(response.content.decode()))


def check(response, path, params, must_show):
    if response.status_code != 200:
        raise SystemExit(f"GET {path} {params} answered {response.status_code}")
    if must_show and must_show not in response.content.decode():
        raise SystemExit(f"GET {path} {params} does not show {must_show!r}")


def deep_page(params, rows_visible):
    """Page 200, or the last page where there are fewer (the small size)."""
    if params.get("p"):
        last = max(1, (rows_visible + 49) // 50)
        return {**params, "p": str(min(200, last))}
    return params


def signed_in_clients(users):
    """One signed-in browser per user, kept for both sizes (a code is accepted once per time step)."""
    clients = {}
    for username, user in users.items():
        clients[username] = Client(SERVER_NAME="127.0.0.1")
        sign_in_staff(clients[username], user)
    return clients


def run_all(users, clients, pages, repeat):
    results = {}
    for username, user in users.items():
        client = clients[username]
        visible = visible_count(user)
        for name, (path, params, must_show) in pages.items():
            results[(username, name)] = measure(client, path, deep_page(params, visible), must_show, repeat)
    return results


def visible_count(user):
    return ReviewerAccess(user).submissions().count()


def main():
    rng = random.Random(ARGS.seed)
    recreate_database(ARGS.pg_url)
    try:
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        forms, organisations, users = build_site(ARGS.notices)
        print(f"site: {ARGS.notices} notices, {len(forms)} forms, {len(organisations)} organisations "
              f"({time.perf_counter() - started:.0f} s)")  # fmt: skip
        add_submissions(forms, organisations, 0, ARGS.small, rng)
        pages = pages_to_measure(forms, organisations)
        clients = signed_in_clients(users)
        small = run_all(users, clients, pages, ARGS.repeat)
        started = time.perf_counter()
        add_submissions(forms, organisations, ARGS.small, ARGS.rows, rng)
        print(
            f"submissions: {ARGS.small:,} then {ARGS.rows:,} ({time.perf_counter() - started:.0f} s to add)"
        )
        large = run_all(users, clients, pages, ARGS.repeat)
        return report(small, large)
    finally:
        connections.close_all()
        if ARGS.keep:
            print(f"kept the database {ENV['DATABASE_URL']}")
        else:
            recreate_database(ARGS.pg_url, drop_only=True)


def report(small, large):
    sizes = f"{'ms@' + format(ARGS.small, ','):>10} {'ms@' + format(ARGS.rows, ','):>12}"
    print(f"\n{'user':<18} {'page':<20} {sizes} {'ratio':>6} {'queries':>9} {'rows':>7}  verdict")
    failed = 0
    for key in small:
        (ms_small, q_small, rows_small), (ms_large, q_large, rows_large) = small[key], large[key]
        ratio = ms_large / ms_small if ms_small else float("inf")
        misses = []
        if q_large != q_small:
            misses.append("queries grow")
        if ratio > 1.5:
            misses.append("ratio > 1.5")
        if ms_large > 150:
            misses.append("> 150 ms")
        failed += any(m != "> 150 ms" for m in misses)
        verdict = ", ".join(misses) or "ok"
        print(f"{key[0]:<18} {key[1]:<20} {ms_small:>10.1f} {ms_large:>12.1f} {ratio:>6.2f} "
              f"{q_small:>4}/{q_large:<4} {rows_small:>3}/{rows_large:<3}  {verdict}")  # fmt: skip
    print("\ntargets: the same queries at both sizes, time ratio ≤ 1.5, about 150 ms or less")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
