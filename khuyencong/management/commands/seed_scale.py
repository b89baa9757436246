"""Fill the database with synthetic data at Hanoi or national size, for benchmarks.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kc_bench_national \
        python manage.py seed_scale --size national

Refuses a database that already holds registers, unless they are a previous
synthetic data set (then `--reset` replaces it) or `--force` is given."""

import random

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from tqdm import tqdm

from khuyencong import scale
from khuyencong.cache import public_pages_changed


def generators() -> list:
    from clusters.scale import GENERATORS as CLUSTERS
    from villages.scale import GENERATORS as VILLAGES

    found = [
        ("units", scale.units),
        ("documents", scale.documents),
        ("users", scale.users),
        *VILLAGES,
        *CLUSTERS,
    ]
    if _has_model("programs", "Participant"):
        from programs.scale import GENERATORS as PROGRAMS

        found += PROGRAMS
    return found


def _has_model(app_label: str, name: str) -> bool:
    try:
        apps.get_model(app_label, name)
    except LookupError:
        return False
    return True


def register_models() -> list:
    """Every model of the domain apps (and their history tables): what `--reset`
    empties and what must be empty before seeding."""
    found = []
    for label in ("villages", "clusters", "programs"):
        try:
            config = apps.get_app_config(label)
        except LookupError:
            continue
        found += list(config.get_models(include_auto_created=True))
    return found


def expected_rows(size: scale.Size) -> int:
    return (
        size.provinces * (1 + size.districts_per_province)
        + len(size.years) * 41
        + 4
        + size.villages
        + len(size.years)
        + size.branding_applications * 4
        + len(size.years) * 0
        + size.clusters
        + size.plants * 2
        + (
            size.establishments
            + size.courses
            + size.participants
            + size.projects
            + size.trade_events * 11
            + len(size.years) * 14
            if _has_model("programs", "Participant")
            else 0
        )
    )


class Command(BaseCommand):
    help = "Nạp dữ liệu tổng hợp cỡ Hà Nội hoặc cả nước để đo hiệu năng."

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=sorted(scale.SIZES), default="hanoi")
        parser.add_argument("--seed", type=int, default=20191515)
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Xóa bộ dữ liệu tổng hợp trước đó rồi nạp lại.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Chạy cả khi cơ sở dữ liệu đã có dữ liệu không phải dữ liệu tổng hợp.",
        )

    def handle(self, *args, size, seed, reset, force, **options):
        from khuyencong.models import LegalDocument

        synthetic = LegalDocument.objects.filter(number=scale.SEED_MARKER).exists()
        has_rows = any(m.objects.exists() for m in register_models())
        if has_rows and not synthetic and not force:
            raise CommandError(
                "Cơ sở dữ liệu đã có dữ liệu thật (không phải dữ liệu tổng hợp): "
                "từ chối nạp. Dùng một cơ sở dữ liệu riêng, hoặc --force nếu chắc chắn."
            )
        if (has_rows or synthetic) and not reset:
            raise CommandError(
                "Cơ sở dữ liệu đã có dữ liệu tổng hợp: dùng --reset để nạp lại."
            )
        settings_name = connection.settings_dict["NAME"]
        self.stdout.write(f"Cơ sở dữ liệu: {connection.vendor} {settings_name}")
        if reset:
            self._reset()
        spec = scale.SIZES[size]
        bar = tqdm(
            total=expected_rows(spec), unit="rows", unit_scale=True, disable=None
        )
        ctx = scale.Context(
            size=spec,
            rng=random.Random(seed),
            writer=scale.Writer(on_rows=bar.update),
        )
        with transaction.atomic():
            seconds = scale.run(generators(), ctx, report=bar.write)
        bar.close()
        # COPY sends no post_save: cached public pages must be told.
        public_pages_changed()
        if connection.vendor == "postgresql":
            # Statistics for the planner, and the visibility map that index-only
            # scans need (course_year_totals_idx): autovacuum would get there, later.
            # VACUUM cannot run inside a transaction (a test's): ANALYZE alone there.
            with connection.cursor() as cursor:
                cursor.execute(
                    "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
                )
        rows = ctx.writer.rows_written
        self.stdout.write(
            self.style.SUCCESS(
                f"{size}: {rows:,} dòng trong {seconds:.1f} giây "
                f"({rows / max(seconds, 1e-6):,.0f} dòng/giây)."
            )
        )

    def _reset(self) -> None:
        from khuyencong.models import AdministrativeUnit, LegalDocument, User

        tables = [m._meta.db_table for m in register_models()]
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # Inside an outer transaction (tests) deferred foreign-key checks
                # may be pending; TRUNCATE refuses to run before they have.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")
            else:
                cursor.execute("PRAGMA foreign_keys = OFF")
                for table in tables:
                    cursor.execute(f"DELETE FROM {table}")  # noqa: S608
                cursor.execute("PRAGMA foreign_keys = ON")
            User.objects.filter(username__startswith="bench_").delete()
            # Synthetic units have dotted codes or are provinces other than Hà Nội.
            AdministrativeUnit.objects.filter(code__contains=".").delete()
            AdministrativeUnit.objects.filter(
                kind=AdministrativeUnit.Kind.CITY, parent__isnull=True
            ).exclude(code="01").delete()
            LegalDocument.objects.filter(
                summary__startswith=scale.SYNTHETIC_NOTE
            ).delete()
            LegalDocument.objects.filter(number=scale.SEED_MARKER).delete()
