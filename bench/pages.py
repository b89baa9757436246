"""Cost of every page against the data size: queries, median and 95th percentile.

    python bench/pages.py                       # the databases in BENCH_DATABASE_URLS
    DATABASE_URL=postgres://.../kc_bench_national python bench/pages.py --single

Each database is measured in its own process (Django reads DATABASE_URL once), then
the sizes are compared side by side. Streamed downloads also show the time to their
first byte and their throughput. The pages: the dashboard (with the time of the
bare SQL it runs, its floor), the annual report, every public list and its exports,
the district portal, and every admin changelist and change form. Cached pages are
measured twice: a cache miss (the cache cleared before each request) and a hit.

Fill the databases first with `manage.py seed_scale --size hanoi|national`. This is a
benchmark, not a test: it asserts nothing, it prints figures and the goal."""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URLS = (
    "postgres://postgres@127.0.0.1:5432/kc_bench_hanoi,"
    "postgres://postgres@127.0.0.1:5432/kc_bench_national"
)
GOAL_MEDIAN_MS = 150
GOAL_P95_MS = 300
GOAL_FLOOR_RATIO = 3
# A query string resolved when measured: the "Trang trước" link of the last page.
PREVIOUS_OF_LAST = "@previous-of-last"
AFTER_CHANGE = " (sau thay đổi)"


@dataclass
class Result:
    page: str
    url: str
    status: int
    queries: int
    median_ms: float
    p95_ms: float
    bytes: int
    floor_ms: float | None = None
    note: str = ""
    # Streamed responses (CSV, XLSX): median time to the first piece of the body,
    # and the CSV's data rows (lines after the header).
    ttfb_ms: float | None = None
    rows: int | None = None


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    low = int(k)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


# --------------------------------------------------------------- in one database


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khuyencong.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key-0123456789abcdef")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
    os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
    os.environ.setdefault("DJANGO_STATIC_MANIFEST", "0")
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    # Pages are measured as they are built; building the downloads ahead (after a
    # request, in the test client inside it) is timed apart (after_change).
    os.environ.setdefault("DJANGO_PUBLIC_WARM", "0")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def page_specs():
    """(label, url name, args, query string, who) of every page, in order.
    Pages whose URL is not on this branch are skipped."""
    from django.contrib import admin

    from khuyencong.models import AdministrativeUnit

    year = 2019
    specs = [
        ("trang chủ", "home", (), "", "anon"),
        ("dashboard", "dashboard", (), f"nam={year}", "leader"),
        ("dashboard (huyện)", "dashboard", (), f"nam={year}", "officer"),
        ("dashboard: tải Excel", "dashboard-export", (), f"nam={year}", "leader"),
        ("công khai: mục lục", "public-report-index", (), "", "anon"),
        ("công khai: báo cáo năm", "public-report", (year,), "", "anon"),
    ]
    for kind in ("clusters", "villages", "projects", "events"):
        name = f"public-{kind}"
        specs += [
            (f"công khai: {kind}", name, (), "", "anon"),
            (f"công khai: {kind} trang 40", name, (), "trang=40", "anon"),
            (f"công khai: {kind} lọc", name, (), "don_vi=" + _a_unit_id(), "anon"),
            (f"công khai: {kind} CSV", name, (), "tai=csv", "anon"),
            (f"công khai: {kind} XLSX", name, (), "tai=xlsx", "anon"),
        ]
    officer_unit = AdministrativeUnit.objects.filter(code="277").first()
    specs += [("cổng huyện", "villages:portal-home", (), "", "officer")]
    if officer_unit is not None:
        from villages.models import BrandingApplication, CraftVillage

        village = CraftVillage.objects.filter(administrative_unit=officer_unit).first()
        application = BrandingApplication.objects.filter(
            administrative_unit=officer_unit
        ).first()
        if village:
            specs.append(
                ("cổng huyện: làng nghề (chi tiết)", "villages:village-detail",
                 (village.pk,), "",
                 "officer")
            )  # fmt: skip
        if application:
            specs.append(
                ("cổng huyện: hồ sơ (chi tiết)", "villages:application-detail",
                 (application.pk,), "", "officer")
            )  # fmt: skip
    for model, model_admin in sorted(
        admin.site._registry.items(), key=lambda item: item[0]._meta.label
    ):
        opts = model._meta
        info = f"admin:{opts.app_label}_{opts.model_name}"
        specs.append((f"admin {opts.label}", f"{info}_changelist", (), "", "staff"))
        domain = opts.app_label in ("villages", "clusters", "programs")
        # Page 3 only where there is one (50 rows a page).
        if domain and model._default_manager.count() > 150:
            specs.append(
                (f"admin {opts.label} trang 3", f"{info}_changelist", (), "p=3",
                 "staff")
            )  # fmt: skip
        # Lists paged by keys (more than ADMIN_KEYSET_ABOVE rows): the last page and
        # the one before it, deep in the table (khuyencong.admin_keyset).
        from django.conf import settings as django_settings

        if domain and model._default_manager.count() > getattr(
            django_settings, "ADMIN_KEYSET_ABOVE", 10_000
        ):
            specs.append(
                (f"admin {opts.label} trang cuối", f"{info}_changelist", (), "cuoi=1",
                 "staff")
            )  # fmt: skip
            specs.append(
                (f"admin {opts.label} trang trước trang cuối", f"{info}_changelist",
                 (), PREVIOUS_OF_LAST, "staff")
            )  # fmt: skip
        if domain and model_admin.search_fields:
            specs.append(
                (f"admin {opts.label} tìm", f"{info}_changelist", (), "q=Nguy",
                 "staff")
            )  # fmt: skip
        # A row from the middle of the table, not the first one cached anywhere.
        pk = _middle_pk(model)
        if pk is not None:
            specs.append(
                (
                    f"admin {opts.label} sửa (chi tiết)",
                    f"{info}_change",
                    (pk,),
                    "",
                    "staff",
                )
            )
    return specs


def _a_unit_id() -> str:
    from khuyencong.models import AdministrativeUnit

    unit = AdministrativeUnit.objects.filter(code="277").first()
    return str(unit.pk) if unit else ""


def _middle_pk(model):
    from django.db import connection

    table = model._meta.db_table
    pk = model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MIN({pk}), MAX({pk}) FROM {table}")  # noqa: S608
        low, high = cursor.fetchone()
        if low is None:
            return None
        if not isinstance(low, int):
            return low
        cursor.execute(
            f"SELECT {pk} FROM {table} WHERE {pk} >= %s ORDER BY {pk} LIMIT 1",  # noqa: S608
            [(low + high) // 2],
        )
        return cursor.fetchone()[0]


def users():
    from khuyencong.models import Role, User

    found = {"anon": None}
    for who, role in (
        ("staff", Role.STAFF),
        ("leader", Role.LEADERSHIP),
        ("officer", Role.OFFICER),
    ):
        user = User.objects.filter(
            username=f"bench_{who if who != 'leader' else 'leader'}"
        )
        found[who] = user.first() or User.objects.filter(role=role).first()
    return found


def machine_ms() -> float:
    """A fixed piece of pure Python work, in ms: this machine (a virtual one whose
    share of the host varies) is not as fast from one minute to the next, and the
    pages' figures move with it. Printed before and after the run."""
    times = []
    for _ in range(5):
        t0 = time.perf_counter()
        total = 0
        for i in range(300_000):
            total += i % 7
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def floor_of(queries: list[dict], repeat: int) -> float:
    """The median time of running the page's own SQL aggregates directly (no
    ORM, no template): what the page cannot go below. Session and user lookups
    are left out: they are the login's cost, not the data's."""
    from django.db import connection

    skip = ("django_session", "khuyencong_user", "auth_", "django_content_type")
    sqls = [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith("SELECT")
        and not any(t in q["sql"] for t in skip)
    ]
    times = []
    with connection.cursor() as cursor:
        for _ in range(repeat):
            t0 = time.perf_counter()
            for sql in sqls:
                cursor.execute(sql)
                cursor.fetchall()
            times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def measure_here(repeat: int, only: str | None, progress: bool = True) -> dict:
    setup_django()
    from django.core.cache import cache
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import NoReverseMatch, reverse

    from khuyencong.models import LegalDocument

    speed_before = machine_ms()
    people = users()
    clients = {}
    for who, user in people.items():
        client = Client(raise_request_exception=False)
        if user is not None:
            client.force_login(user)
        clients[who] = client
    marker = LegalDocument.objects.filter(number="SEED-SCALE").first()
    label = (
        marker.summary.rsplit(" ", 1)[-1]
        if marker
        else connection.settings_dict["NAME"]
    )
    results = []
    for name, url_name, args, query, who in page_specs():
        if only and only not in name:
            continue
        try:
            url = reverse(url_name, args=args)
        except NoReverseMatch:
            continue
        client = clients[who]
        if query == PREVIOUS_OF_LAST:
            last = client.get(f"{url}?cuoi=1").content.decode()
            found = re.search(r'href="([^"]+)" rel="prev"', last)
            if found is None:
                continue
            url = url + html.unescape(found.group(1))
        elif query:
            url = f"{url}?{query}"
        if who != "anon" and people[who] is None:
            continue
        for cold in (True, False):
            cache.clear()
            response = client.get(url)  # warm the code paths
            if response.streaming:
                b"".join(response)  # read to the end, as a browser does
            times = []
            with CaptureQueriesContext(connection) as captured:
                if cold:
                    cache.clear()
                response = client.get(url)
                body = b"".join(response) if response.streaming else response.content
            # captured_queries reads the connection's log, which reset_queries()
            # below empties: keep a copy for the floor.
            queries = list(captured.captured_queries)
            count = len(queries)
            firsts = []
            for _ in range(repeat):
                if cold:
                    cache.clear()
                t0 = time.perf_counter()
                response = client.get(url)
                if response.streaming:
                    pieces = iter(response)
                    next(pieces, b"")
                    firsts.append((time.perf_counter() - t0) * 1000)
                    for _piece in pieces:
                        pass
                times.append((time.perf_counter() - t0) * 1000)
            reset_queries()
            # Public pages say they came from the cache; the dashboard keeps its
            # figures under the same data version (cached_by_version).
            cached = response.get("X-Cache-Version") is not None or (
                url_name.startswith("dashboard")
            )
            result = Result(
                page=name if cold else f"{name} (cache)",
                url=url,
                status=response.status_code,
                queries=count,
                median_ms=statistics.median(times),
                p95_ms=percentile(times, 0.95),
                bytes=len(body),
            )
            if firsts:
                result.ttfb_ms = statistics.median(firsts)
                if response.get("Content-Type", "").startswith("text/csv"):
                    result.rows = max(body.count(b"\n") - 1, 0)
            if url_name == "dashboard" and who == "leader" and cold:
                result.floor_ms = floor_of(queries, repeat)
            results.append(result)
            if progress:
                print_result(asdict(result), file=sys.stderr)
            if not cached:
                break  # a page that is not cached has no second figure
    results += after_change(repeat, only, progress)
    counts = {}
    for model in ("programs.Participant", "programs.TrainingCourse",
                  "programs.Establishment", "programs.EquipmentProject",
                  "villages.CraftVillage", "clusters.IndustrialCluster"):  # fmt: skip
        from django.apps import apps

        try:
            counts[model] = apps.get_model(model).objects.count()
        except LookupError:
            pass
    return {
        "loadavg": os.getloadavg()[0],
        "machine_ms": (speed_before, machine_ms()),
        "label": label,
        "vendor": connection.vendor,
        "counts": counts,
        "results": [asdict(r) for r in results],
    }


def after_change(repeat: int, only: str | None, progress: bool) -> list[Result]:
    """The public downloads as a visitor gets them after a change made through the
    site: the change bumps the data version, and the request that made it builds
    the downloads once it has answered (khuyencong.cache). The building is timed
    apart (it is not on any visitor's request path); then each download."""
    from django.core.cache import cache
    from django.test import Client
    from django.urls import reverse

    from khuyencong.cache import (
        WARM_FORMATS,
        WARM_URL_NAMES,
        public_pages_changed,
        warm_public_downloads,
    )

    names = {
        "public-clusters": "clusters",
        "public-villages": "villages",
        "public-projects": "projects",
        "public-events": "events",
    }
    paths = [
        (
            f"công khai: {names[n]} {fmt.upper()}{AFTER_CHANGE}",
            f"{reverse(n)}?tai={fmt}",
        )
        for n in WARM_URL_NAMES
        for fmt in WARM_FORMATS
    ]
    paths = [(label, path) for label, path in paths if not only or only in label]
    if not paths:
        return []
    client = Client()
    cache.clear()
    builds: list[float] = []
    times: dict[str, list[float]] = {path: [] for _, path in paths}
    sizes: dict[str, int] = {}
    for _ in range(repeat):
        public_pages_changed()
        t0 = time.perf_counter()
        warm_public_downloads()
        builds.append((time.perf_counter() - t0) * 1000)
        for _, path in paths:
            t0 = time.perf_counter()
            response = client.get(path)
            body = b"".join(response) if response.streaming else response.content
            times[path].append((time.perf_counter() - t0) * 1000)
            sizes[path] = len(body)
    results = []
    for label, path in paths:
        result = Result(
            page=label,
            url=path,
            status=200,
            queries=0,
            median_ms=statistics.median(times[path]),
            p95_ms=percentile(times[path], 0.95),
            bytes=sizes[path],
            note=(
                f"built after the change in {statistics.median(builds):.0f} ms "
                "(all eight, off the visitors' path)"
            ),
        )
        results.append(result)
        if progress:
            print_result(asdict(result), file=sys.stderr)
    return results


# --------------------------------------------------------------------- reporting


def print_one(run: dict) -> None:
    print(
        f"\n== {run['label']} ({run['vendor']}), load average at the end "
        f"{run.get('loadavg', 0):.1f} on {os.cpu_count()} cores"
    )
    if run.get("machine_ms"):
        before, after = run["machine_ms"]
        print(
            f"   machine: a fixed Python workload took {before:.1f} ms before the "
            f"run and {after:.1f} ms after (lower is faster)"
        )
    print(
        "   " + ", ".join(f"{k.split('.')[1]} {v:,}" for k, v in run["counts"].items())
    )
    print(f"   {'page':<52} {'st':>3} {'q':>4} {'median':>8} {'p95':>8} {'KB':>7}")
    for r in run["results"]:
        print_result(r)


def print_result(r: dict, file=None) -> None:
    line = (
        f"   {r['page'][:52]:<52} {r['status']:>3} {r['queries']:>4} "
        f"{r['median_ms']:>8.1f} {r['p95_ms']:>8.1f} {r['bytes'] / 1024:>7.0f}"
    )
    if r["floor_ms"]:
        line += (
            f"   floor {r['floor_ms']:.1f} ms, ratio "
            f"{r['median_ms'] / max(r['floor_ms'], 0.001):.1f}"
        )
    if r.get("ttfb_ms") is not None:
        seconds = max(r["median_ms"], 0.001) / 1000
        line += (
            f"   first byte {r['ttfb_ms']:.1f} ms, "
            f"{r['bytes'] / 1024 / 1024 / seconds:.1f} MB/s"
        )
        if r.get("rows"):
            line += f", {r['rows'] / seconds:,.0f} rows/s"
    if r.get("note"):
        line += f"   {r['note']}"
    print(line, file=file or sys.stdout, flush=True)


def print_goal(runs: list[dict]) -> None:
    """The goal, judged on the last (largest) run, and the query counts across."""
    last = runs[-1]
    print(f"\n== goal at {last['label']} ({last['vendor']})")

    def over(r) -> bool:
        return r["median_ms"] >= GOAL_MEDIAN_MS or r["p95_ms"] >= GOAL_P95_MS

    # A download is judged as visitors get it after a change (built ahead); its
    # cold figure (the cache emptied: a restart, an eviction) is shown apart.
    warmed = {
        r["page"].removesuffix(AFTER_CHANGE): r
        for r in last["results"]
        if r["page"].endswith(AFTER_CHANGE)
    }
    cold_only = [
        r for r in last["results"] if over(r) and r["page"] in warmed
        and not over(warmed[r["page"]])
    ]  # fmt: skip
    slow = [r for r in last["results"] if over(r) and r not in cold_only]
    judged = len(last["results"]) - len(cold_only)
    errors = [r for r in last["results"] if r["status"] >= 400]
    print(
        f"   median < {GOAL_MEDIAN_MS} ms and p95 < {GOAL_P95_MS} ms: "
        f"{judged - len(slow)}/{judged} pages"
    )
    for r in slow:
        print(f"     SLOW {r['page']}: {r['median_ms']:.0f} / {r['p95_ms']:.0f} ms")
    for r in cold_only:
        w = warmed[r["page"]]
        print(
            f"     cold cache only {r['page']}: {r['median_ms']:.0f} / "
            f"{r['p95_ms']:.0f} ms (after a change: {w['median_ms']:.1f} / "
            f"{w['p95_ms']:.1f} ms)"
        )
    for r in errors:
        print(f"     ERROR {r['status']} {r['page']} {r['url']}")
    for r in last["results"]:
        if r["floor_ms"]:
            ratio = r["median_ms"] / max(r["floor_ms"], 0.001)
            verdict = "ok" if ratio <= GOAL_FLOOR_RATIO else "OVER"
            print(
                f"   dashboard {r['median_ms']:.1f} ms, floor {r['floor_ms']:.1f} ms, "
                f"ratio {ratio:.2f} (goal ≤ {GOAL_FLOOR_RATIO}): {verdict}"
            )
    if len(runs) > 1:
        first = {r["page"]: r["queries"] for r in runs[0]["results"]}
        differ = [
            (r["page"], first[r["page"]], r["queries"])
            for r in last["results"]
            if r["page"] in first
            and first[r["page"]] != r["queries"]
            and "chi tiết" not in r["page"]
        ]
        print(
            f"   query counts equal at {runs[0]['label']} and {last['label']}: "
            f"{'yes' if not differ else 'NO'}"
        )
        for page, a, b in differ:
            print(f"     {page}: {a} → {b}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--single", action="store_true", help="this DATABASE_URL only")
    parser.add_argument("--json", action="store_true", help="print JSON (internal)")
    parser.add_argument(
        "--repeat", type=int, default=int(os.environ.get("BENCH_REPEAT", 11))
    )
    parser.add_argument("--only", help="pages whose name contains this")
    args = parser.parse_args()
    if args.single:
        run = measure_here(args.repeat, args.only, progress=args.json)
        if args.json:
            print("BENCH-JSON " + json.dumps(run))
        else:
            print_one(run)
        return
    urls = os.environ.get("BENCH_DATABASE_URLS", DEFAULT_URLS).split(",")
    runs = []
    for url in urls:
        command = [
            sys.executable,
            __file__,
            "--single",
            "--json",
            f"--repeat={args.repeat}",
        ]
        if args.only:
            command.append(f"--only={args.only}")
        out = subprocess.run(
            command,
            env={**os.environ, "DATABASE_URL": url},
            capture_output=True,
            text=True,
            check=False,
        )
        line = next(
            (x for x in out.stdout.splitlines() if x.startswith("BENCH-JSON ")), None
        )
        if line is None:
            print(f"!! {url}: no result\n{out.stderr[-3000:]}")
            continue
        runs.append(json.loads(line.removeprefix("BENCH-JSON ")))
        print_one(runs[-1])
    if runs:
        print_goal(runs)


if __name__ == "__main__":
    main()
