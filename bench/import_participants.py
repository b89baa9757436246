"""Benchmark: importing a participant roster three ways (issue 7).

    python bench/import_participants.py                 # 10,000 and 100,000 rows
    python bench/import_participants.py --sizes 2000    # a quick run
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kc_bench python bench/...

For each size it builds an .xlsx roster, then imports it
  1. "ours":    this project's import (khuyencong.importing.runner.file_import:
                streamed, chunked, every row validated, bulk writes with history);
  2. "default": django-import-export's default row-by-row configuration on the
                same resource (whole file read by tablib, one query per lookup,
                one INSERT per row, full_clean with unique checks);
  3. "floor":   the same file read with openpyxl and a bare bulk_create of its rows,
                no validation, no history;
each in a fresh child process on an emptied table, and prints rows per second,
the child's CPU time (wall time suffers when other jobs share the machine; with
SQLite all the work is in the child, with PostgreSQL part is in the server), peak
memory (resident set above the child's start) and the ratios. Goal: ours at
least 5x the default and within 3x of the floor; memory bounded as the file grows.

It is a benchmark, not a test: it prints figures and exits 0 unless an import
fails. It uses its own database: a temporary SQLite file unless DATABASE_URL is
set (the database named there is created if missing and its tables emptied).
"""

import argparse
import os
import sys
import tempfile
import time
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django() -> None:
    if "DATABASE_URL" not in os.environ:
        folder = tempfile.mkdtemp(prefix="kc-bench-")
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khuyencong.settings")
    # As in production: DEBUG off (with it on, Django keeps every query's SQL).
    os.environ.setdefault("DJANGO_DEBUG", "0")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key-0123456789abcdef")
    os.environ.setdefault("DJANGO_STATIC_MANIFEST", "0")
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("postgresql"):
        _ensure_postgres_database(db)
    call_command("migrate", verbosity=0, interactive=False)


def _ensure_postgres_database(db: dict) -> None:
    import psycopg2

    conn = psycopg2.connect(
        dbname="postgres",
        user=db.get("USER") or "postgres",
        host=db.get("HOST") or "127.0.0.1",
        port=db.get("PORT") or 5432,
        password=db.get("PASSWORD") or None,
    )
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]])
        if not cur.fetchone():
            cur.execute(f'CREATE DATABASE "{db["NAME"]}"')
    conn.close()


def _memory_kib(field: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def _reset_peak() -> None:
    # Writing 5 to clear_refs resets VmHWM (Linux), so the peak is this run's.
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
    except OSError:
        pass


def _child(method: str, spec_name: str, path: str, queue) -> None:
    from django.db import connections

    connections.close_all()
    spec = SPECS[spec_name]()
    _reset_peak()
    start_rss = _memory_kib("VmRSS")
    started = time.perf_counter()
    cpu_started = time.process_time()
    try:
        saved = getattr(spec, f"import_{method}")(Path(path))
    except Exception as exc:  # reported by the parent
        queue.put((method, None, None, None, f"{type(exc).__name__}: {exc}"))
        return
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    peak = max(_memory_kib("VmHWM") - start_rss, 0)
    queue.put((method, seconds, cpu, peak, saved))


def measure(method: str, spec_name: str, path: Path) -> tuple:
    from django.db import connections

    SPECS[spec_name]().empty()
    connections.close_all()
    context = get_context("fork")
    queue = context.Queue()
    process = context.Process(target=_child, args=(method, spec_name, str(path), queue))
    process.start()
    result = queue.get()
    process.join()
    return result


class LegalDocumentSpec:
    """A stand-in register (always present) to check the bench itself."""

    header = ["Số, ký hiệu", "Loại văn bản", "Cơ quan ban hành", "Ngày ban hành"]

    def __init__(self):
        from khuyencong.models import LegalDocument
        from khuyencong.resources import LegalDocumentResource

        self.model = LegalDocument
        self.resource_class = LegalDocumentResource

    def empty(self) -> None:
        self.model.history.model.objects.filter(number__startswith="B").delete()
        self.model.objects.filter(number__startswith="B").delete()

    def rows(self, count: int):
        from datetime import date, timedelta

        for n in range(count):
            yield [
                f"B{n}/QĐ-UBND",
                "Quyết định",
                "UBND Thành phố Hà Nội",
                date(2019, 1, 1) + timedelta(days=n % 365),
            ]

    def floor_objects(self, rows):
        for number, _kind, issuer, issued_on in rows:
            yield self.model(
                number=number, kind="quyet_dinh", issuer=issuer, issued_on=issued_on
            )

    def count(self) -> int:
        return self.model.objects.filter(number__startswith="B").count()

    # --- the three ways ---------------------------------------------------------

    def import_ours(self, path: Path) -> int:
        from khuyencong.importing.runner import file_import

        report = file_import(resource_class=self.resource_class, path=path)
        if not report.ok:
            raise RuntimeError("; ".join(report.errors[:3]))
        return report.new

    def import_default(self, path: Path) -> int:
        from import_export.instance_loaders import ModelInstanceLoader
        from import_export.resources import ModelResource

        from khuyencong.importing.files import XLSX

        base = self.resource_class

        class DefaultResource(base):
            """The same fields and widgets, with django-import-export's defaults:
            no bulk writes, one query per row to find it, full_clean with unique
            checks, a deep copy and a diff of every row."""

            class Meta(base.Meta):
                use_bulk = False
                skip_unchanged = False
                skip_diff = False
                instance_loader_class = ModelInstanceLoader

            def validate_instance(self, instance, *args, **kwargs):
                return ModelResource.validate_instance(self, instance, *args, **kwargs)

            def skip_row(self, *args, **kwargs):
                return ModelResource.skip_row(self, *args, **kwargs)

        dataset = XLSX().create_dataset(path.read_bytes())
        result = DefaultResource().import_data(dataset, dry_run=False)
        if result.has_errors() or result.has_validation_errors():
            raise RuntimeError(str(result.invalid_rows[:1] or result.base_errors[:1]))
        return result.totals["new"]

    def import_floor(self, path: Path) -> int:
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        rows = book.worksheets[0].iter_rows(values_only=True)
        next(rows)
        created, batch = 0, []
        for obj in self.floor_objects(rows):
            batch.append(obj)
            if len(batch) == 1000:
                self.model.objects.bulk_create(batch)
                created += len(batch)
                batch = []
        if batch:
            self.model.objects.bulk_create(batch)
            created += len(batch)
        book.close()
        return created


class ParticipantSpec(LegalDocumentSpec):
    """The roster of issue 7: participants of craft classes, 35 to a class."""

    header = [
        "Lớp đào tạo",
        "Họ và tên",
        "Năm sinh",
        "Giới tính",
        "Số CCCD",
        "Nơi cư trú",
        "Hoàn thành khóa học",
        "Số chứng chỉ",
    ]
    PER_COURSE = 35
    COURSES = 3000  # enough for 100,000 rows

    def __init__(self):
        from programs.models import Participant
        from programs.resources import ParticipantResource

        self.model = Participant
        self.resource_class = ParticipantResource

    def courses(self) -> list[int]:
        from datetime import date, timedelta
        from decimal import Decimal

        from khuyencong.models import AdministrativeUnit
        from programs.models import Plan, TrainingCourse

        plan, _ = Plan.objects.get_or_create(
            year=2019, defaults={"title": "Kế hoạch khuyến công năm 2019 (bench)"}
        )
        existing = list(
            TrainingCourse.objects.filter(title__startswith="Bench ")
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if len(existing) >= self.COURSES:
            return existing[: self.COURSES]
        unit = AdministrativeUnit.objects.get(code="277")
        TrainingCourse.objects.bulk_create(
            TrainingCourse(
                plan=plan,
                kind="truyen_nghe",
                title=f"Bench lớp truyền nghề {n}",
                administrative_unit=unit,
                start_date=date(2019, 3, 1),
                end_date=date(2019, 3, 1) + timedelta(days=90),
                planned_participants=self.PER_COURSE,
                total_budget=Decimal("120000000"),
                support_budget=Decimal("100000000"),
            )
            for n in range(len(existing), self.COURSES)
        )
        return self.courses()

    def empty(self) -> None:
        self.model.history.model.objects.filter(
            course__title__startswith="Bench "
        ).delete()
        self.model.objects.filter(course__title__startswith="Bench ").delete()

    def rows(self, count: int):
        courses = self.courses()
        units = ["Chương Mỹ", "277", "Huyện Chương Mỹ", "Phú Xuyên", ""]
        for n in range(count):
            course = courses[n // self.PER_COURSE]
            completed = n % 3 != 0
            yield [
                f"#{course}",
                f"Nguyễn Văn Học Viên {n}",
                1960 + n % 40,
                "Nam" if n % 2 else "Nữ",
                f"001{n:09d}",
                units[n % len(units)],
                "Có" if completed else "Không",
                f"CC-{n}" if completed else "",
            ]

    def floor_objects(self, rows):
        from khuyencong.models import AdministrativeUnit

        units = {u.name: u.pk for u in AdministrativeUnit.objects.all()}
        units.update({u.code: u.pk for u in AdministrativeUnit.objects.all()})
        units.update({u.full_name: u.pk for u in AdministrativeUnit.objects.all()})
        for course, name, year, gender, id_number, unit, done, cert in rows:
            yield self.model(
                course_id=int(course.lstrip("#")),
                full_name=name,
                birth_year=year,
                gender="nam" if gender == "Nam" else "nu",
                id_number=id_number,
                administrative_unit_id=units.get(unit),
                completed=done == "Có",
                certificate_number=cert or "",
            )

    def count(self) -> int:
        return self.model.objects.filter(course__title__startswith="Bench ").count()


SPECS = {"legaldocument": LegalDocumentSpec}


def build_file(spec, count: int, path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(spec.header)
    for row in spec.rows(count):
        sheet.append(row)
    book.save(path)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--register", default=None, help="participant|legaldocument")
    parser.add_argument("--methods", default="ours,floor,default")
    parser.add_argument(
        "--skip-default-above",
        type=int,
        default=None,
        help="do not run the slow default above this many rows",
    )
    args = parser.parse_args()
    setup_django()
    _register_participant_spec()
    spec_name = args.register or ("participant" if "participant" in SPECS else None)
    if spec_name is None:
        print(
            "programs.Participant and programs/resources.py are not on this branch "
            "yet: run with --register legaldocument to check the bench."
        )
        return 0
    spec = SPECS[spec_name]()
    from django.db import connection

    print(f"== import of {spec_name} rosters on {connection.vendor}")
    folder = Path(tempfile.mkdtemp(prefix="kc-bench-files-"))
    failed = False
    for size in [int(s) for s in args.sizes.split(",") if s]:
        path = folder / f"{spec_name}-{size}.xlsx"
        build_file(spec, size, path)
        print(f"-- {size:,} rows ({path.stat().st_size / 1e6:.1f} MB .xlsx)")
        figures, cpu_figures = {}, {}
        for method in args.methods.split(","):
            if (
                method == "default"
                and args.skip_default_above
                and size > args.skip_default_above
            ):
                print(f"   {method:8} skipped (--skip-default-above)")
                continue
            _m, seconds, cpu, peak, saved = measure(method, spec_name, path)
            if seconds is None:
                print(f"   {method:8} FAILED: {saved}")
                failed = True
                continue
            if saved != size:
                print(f"   {method:8} saved {saved} rows of {size}")
                failed = True
            figures[method] = seconds
            cpu_figures[method] = cpu
            print(
                f"   {method:8} {size / seconds:>10,.0f} rows/s  {seconds:7.2f} s  "
                f"(this process's CPU {cpu:7.2f} s)  peak +{peak / 1024:6.1f} MiB"
            )
        for other, text in (("default", "faster than"), ("floor", "the time of")):
            if "ours" in figures and other in figures:
                wall = figures[other] / figures["ours"]
                cpu = cpu_figures[other] / cpu_figures["ours"]
                if other == "floor":
                    wall, cpu = 1 / wall, 1 / cpu
                print(
                    f"   ours: {wall:.1f}x {text} the {other} "
                    f"(by CPU time of the importing process: {cpu:.1f}x)"
                )
    SPECS[spec_name]().empty()
    return 1 if failed else 0


def _register_participant_spec() -> None:
    try:
        from programs.resources import ParticipantResource  # noqa: F401
    except ImportError:
        return
    SPECS["participant"] = ParticipantSpec


if __name__ == "__main__":
    sys.exit(main())
