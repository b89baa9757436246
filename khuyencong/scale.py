"""Synthetic data at Hanoi and national size, for benchmarks (`manage.py seed_scale`).

The generators are deterministic (one seeded `random.Random`) and write rows with
primary keys they assign themselves, so children can point at parents without reading
anything back. Rows go in through COPY on PostgreSQL and `executemany` on SQLite, in
batches; `bulk_create` would build two million model instances for the participants.

Nothing here is a business rule: the rows are plausible, satisfy every database
constraint, and are marked (`SEED_MARKER`) so that `--reset` only ever removes a
synthetic data set.
"""

from __future__ import annotations

import io
import random
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from itertools import islice

from django.db import connection, models

# The LegalDocument whose presence says "this database holds a synthetic data set".
SEED_MARKER = "SEED-SCALE"
SYNTHETIC_NOTE = (
    "Dữ liệu tổng hợp để đo hiệu năng (seed_scale), không phải số liệu thật."
)
BATCH = 20_000


@dataclass(frozen=True)
class Size:
    name: str
    provinces: int  # besides Hà Nội
    districts_per_province: int
    years: tuple[int, ...]
    villages: int
    clusters: int
    plants: int
    branding_applications: int
    establishments: int
    courses: int
    participants: int
    projects: int
    trade_events: int


YEARS = tuple(range(2006, 2026))  # twenty years

SIZES = {
    "hanoi": Size(
        name="hanoi",
        provinces=0,
        districts_per_province=0,
        years=YEARS,
        villages=1_350,
        clusters=159,
        plants=20,
        branding_applications=1_000,
        establishments=3_000,
        courses=800,
        participants=30_000,
        projects=400,
        trade_events=200,
    ),
    "national": Size(
        name="national",
        provinces=62,
        districts_per_province=11,
        years=YEARS,
        villages=10_000,
        clusters=2_000,
        plants=250,
        branding_applications=8_000,
        establishments=100_000,
        courses=50_000,
        participants=2_000_000,
        projects=25_000,
        trade_events=5_000,
    ),
}

# The 62 provinces besides Hà Nội (01), with their official codes (before 2025).
PROVINCES = [
    ("02", "Hà Giang"), ("04", "Cao Bằng"), ("06", "Bắc Kạn"), ("08", "Tuyên Quang"),
    ("10", "Lào Cai"), ("11", "Điện Biên"), ("12", "Lai Châu"), ("14", "Sơn La"),
    ("15", "Yên Bái"), ("17", "Hòa Bình"), ("19", "Thái Nguyên"), ("20", "Lạng Sơn"),
    ("22", "Quảng Ninh"), ("24", "Bắc Giang"), ("25", "Phú Thọ"), ("26", "Vĩnh Phúc"),
    ("27", "Bắc Ninh"), ("30", "Hải Dương"), ("31", "Hải Phòng"), ("33", "Hưng Yên"),
    ("34", "Thái Bình"), ("35", "Hà Nam"), ("36", "Nam Định"), ("37", "Ninh Bình"),
    ("38", "Thanh Hóa"), ("40", "Nghệ An"), ("42", "Hà Tĩnh"), ("44", "Quảng Bình"),
    ("45", "Quảng Trị"), ("46", "Thừa Thiên Huế"), ("48", "Đà Nẵng"),
    ("49", "Quảng Nam"), ("51", "Quảng Ngãi"), ("52", "Bình Định"), ("54", "Phú Yên"),
    ("56", "Khánh Hòa"), ("58", "Ninh Thuận"), ("60", "Bình Thuận"), ("62", "Kon Tum"),
    ("64", "Gia Lai"), ("66", "Đắk Lắk"), ("67", "Đắk Nông"), ("68", "Lâm Đồng"),
    ("70", "Bình Phước"), ("72", "Tây Ninh"), ("74", "Bình Dương"), ("75", "Đồng Nai"),
    ("77", "Bà Rịa - Vũng Tàu"), ("79", "Hồ Chí Minh"), ("80", "Long An"),
    ("82", "Tiền Giang"), ("83", "Bến Tre"), ("84", "Trà Vinh"), ("86", "Vĩnh Long"),
    ("87", "Đồng Tháp"), ("89", "An Giang"), ("91", "Kiên Giang"), ("92", "Cần Thơ"),
    ("93", "Hậu Giang"), ("94", "Sóc Trăng"), ("95", "Bạc Liêu"), ("96", "Cà Mau"),
]  # fmt: skip

FAMILY = (
    "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý".split()
)
MIDDLE = "Văn Thị Đức Minh Thanh Ngọc Hữu Quang Thu Kim Xuân Hồng".split()
GIVEN = (
    "An Bình Cường Dũng Giang Hà Hải Hạnh Hiếu Hoa Hùng Hương Khánh Lan Linh Long "
    "Mai Nam Nga Ngân Phong Phương Quân Sơn Tâm Thảo Trang Tú Tuấn Vân Yến"
).split()
CRAFTS = (
    "mây tre đan", "sơn mài", "gốm sứ", "thêu ren", "dệt lụa", "mộc mỹ nghệ",
    "khảm trai", "nón lá", "đúc đồng", "chạm bạc", "làm hương", "bún bánh",
    "điêu khắc đá", "làm quạt", "làm giấy dó", "chế biến nông sản",
)  # fmt: skip
HAMLET_WORDS = "Đông Tây Nam Bắc Thượng Hạ Trung Phú Yên An Hòa Lạc Vân Đại".split()


def synthetic_dt(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 2, 0, tzinfo=UTC)


# ------------------------------------------------------------------------- writing


def _copy_text(value) -> str:
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
            value = (
                value.replace("\\", "\\\\")
                .replace("\t", "\\t")
                .replace("\n", "\\n")
                .replace("\r", "\\r")
            )
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _sqlite_value(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _with_defaults(model, columns: list[str], rows: Iterable[tuple]):
    """Complete rows with the default of every field the generator does not know,
    so that a field another app adds later (with a default) does not break the
    seed."""
    missing = []
    for f in model._meta.concrete_fields:
        if f.attname in columns:
            continue
        if f.primary_key:
            raise ValueError(f"{model.__name__}: ids must be given")
        if f.has_default():
            missing.append((f.attname, f.get_default()))
        elif f.null:
            missing.append((f.attname, None))
        elif f.blank and isinstance(f, models.CharField | models.TextField):
            missing.append((f.attname, ""))
        elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            missing.append((f.attname, synthetic_dt(date(2025, 12, 1))))
        else:
            raise ValueError(f"{model.__name__}.{f.name}: no value and no default")
    if not missing:
        return columns, rows
    extra = tuple(v.pk if isinstance(v, models.Model) else v for _, v in missing)
    return [*columns, *(name for name, _ in missing)], (row + extra for row in rows)


@dataclass
class Writer:
    """Writes tuples into a model's table, in batches, counting rows."""

    on_rows: Callable[[int], None] = lambda n: None
    rows_written: int = 0
    next_ids: dict[str, int] = field(default_factory=dict)
    models_written: list = field(default_factory=list)

    def ids(self, model: type[models.Model], count: int) -> range:
        """Reserve `count` primary keys for rows of `model`."""
        table = model._meta.db_table
        if table not in self.next_ids:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT COALESCE(MAX({model._meta.pk.column}), 0) FROM {table}"
                )
                self.next_ids[table] = cursor.fetchone()[0] + 1
        start = self.next_ids[table]
        self.next_ids[table] = start + count
        return range(start, start + count)

    def write(self, model_or_table, columns: list[str], rows: Iterable[tuple]) -> int:
        if isinstance(model_or_table, str):
            table = model_or_table
        else:
            table = model_or_table._meta.db_table
            columns, rows = _with_defaults(model_or_table, columns, rows)
            if model_or_table not in self.models_written:
                self.models_written.append(model_or_table)
        total = 0
        rows = iter(rows)
        while True:
            batch = list(islice(rows, BATCH))
            if not batch:
                break
            if connection.vendor == "postgresql":
                self._copy(table, columns, batch)
            else:
                self._insert(table, columns, batch)
            total += len(batch)
            self.rows_written += len(batch)
            self.on_rows(len(batch))
        return total

    def _copy(self, table: str, columns: list[str], batch: list[tuple]) -> None:
        buffer = io.StringIO()
        buffer.writelines("\t".join(map(_copy_text, row)) + "\n" for row in batch)
        buffer.seek(0)
        cols = ", ".join(connection.ops.quote_name(c) for c in columns)
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(f"COPY {table} ({cols}) FROM STDIN", buffer)

    def _insert(self, table: str, columns: list[str], batch: list[tuple]) -> None:
        cols = ", ".join(connection.ops.quote_name(c) for c in columns)
        marks = ", ".join(["%s"] * len(columns))
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {table} ({cols}) VALUES ({marks})",
                [tuple(_sqlite_value(v) for v in row) for row in batch],
            )

    def reset_sequences(self, models_: Iterable[type[models.Model]]) -> None:
        """After writing explicit ids, move PostgreSQL's sequences past them."""
        if connection.vendor != "postgresql":
            return
        from django.core.management.color import no_style

        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), list(models_)):
                cursor.execute(sql)


def chunks(iterable: Iterable, size: int) -> Iterator[list]:
    it = iter(iterable)
    while batch := list(islice(it, size)):
        yield batch


@dataclass
class Context:
    """What the generators share: the size, the random source, the writer and the
    ids of what earlier generators created."""

    size: Size
    rng: random.Random
    writer: Writer
    now: datetime = field(default_factory=lambda: synthetic_dt(date(2025, 12, 1)))
    # Filled by the generators, read by later ones.
    provinces: list[int] = field(default_factory=list)
    districts: list[int] = field(default_factory=list)  # every district-level unit
    rural_districts: list[int] = field(default_factory=list)
    district_province: dict[int, int] = field(default_factory=dict)
    documents: dict[str, int] = field(default_factory=dict)  # number -> id
    villages: list[tuple[int, int]] = field(default_factory=list)  # (id, unit)
    clusters: list[tuple[int, int]] = field(default_factory=list)
    establishments: list[tuple[int, int]] = field(default_factory=list)
    plans: dict[int, int] = field(default_factory=dict)  # year -> id
    officer_unit: int | None = None  # the bench officer's (Chương Mỹ, 277)

    def person(self) -> str:
        rng = self.rng
        return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"

    def timestamps(self, day: date) -> tuple[datetime, datetime]:
        moment = synthetic_dt(day)
        return moment, moment

    def spread(self, total: int, buckets: list) -> Iterator:
        """`total` picks from `buckets`, weighted towards the front (like real
        districts: a few carry most of the activity)."""
        rng = self.rng
        weights = [1.0 / (1 + i * 0.15) for i in range(len(buckets))]
        return iter(rng.choices(buckets, weights=weights, k=total))


Generator = Callable[[Context], None]


def run(
    generators: list[tuple[str, Generator]],
    ctx: Context,
    *,
    report: Callable[[str], None] = print,
) -> float:
    """Run the generators in order; returns the elapsed seconds."""
    started = time.monotonic()
    for name, generator in generators:
        t0 = time.monotonic()
        before = ctx.writer.rows_written
        generator(ctx)
        rows = ctx.writer.rows_written - before
        seconds = time.monotonic() - t0
        report(
            f"{name}: {rows:,} rows in {seconds:.1f} s "
            f"({rows / max(seconds, 1e-6):,.0f} rows/s)"
        )
    ctx.writer.reset_sequences(ctx.writer.models_written)
    return time.monotonic() - started


def day_in(rng: random.Random, year: int, *, start_month: int = 1) -> date:
    start = date(year, start_month, 1)
    return start + timedelta(days=rng.randrange(0, (date(year, 12, 28) - start).days))


# ------------------------------------------------------------------ core generators


def units(ctx: Context) -> None:
    """Hà Nội's districts come from the reference data; national size adds 62
    provinces (official codes) with districts coded `<province>.<nn>`: real district
    codes are three digits, so a dotted code can never collide with one."""
    from khuyencong.models import AdministrativeUnit

    kinds = AdministrativeUnit.Kind
    hanoi = list(
        AdministrativeUnit.objects.filter(
            parent__code="01", kind__in=AdministrativeUnit.DISTRICT_KINDS
        )
        .order_by("code")
        .values_list("pk", "kind")
    )
    hanoi_id = AdministrativeUnit.objects.get(code="01").pk
    for pk, kind in hanoi:
        ctx.districts.append(pk)
        ctx.district_province[pk] = hanoi_id
        if kind in (kinds.RURAL_DISTRICT, kinds.TOWN):
            ctx.rural_districts.append(pk)
    ctx.provinces.append(hanoi_id)
    provinces = PROVINCES[: ctx.size.provinces]
    if not provinces:
        return
    per = ctx.size.districts_per_province
    province_ids = ctx.writer.ids(AdministrativeUnit, len(provinces))
    district_ids = ctx.writer.ids(AdministrativeUnit, len(provinces) * per)
    created, _ = ctx.timestamps(date(2025, 1, 1))
    rows = []
    cols = ["id", "code", "name", "kind", "parent_id", "valid_from", "valid_until",
            "created_at", "updated_at"]  # fmt: skip
    for pid, (code, name) in zip(province_ids, provinces, strict=True):
        rows.append((pid, code, name, kinds.CITY, None, None, None, created, created))
        ctx.provinces.append(pid)
    ends = date(2025, 6, 30)
    for i, did in enumerate(district_ids):
        p_index, n = divmod(i, per)
        pid = province_ids[p_index]
        code, name = provinces[p_index]
        kind = (
            kinds.URBAN_DISTRICT
            if n == 0
            else (kinds.TOWN if n == 1 else kinds.RURAL_DISTRICT)
        )
        label = f"{HAMLET_WORDS[n % len(HAMLET_WORDS)]} {name} {n + 1}"
        rows.append(
            (did, f"{code}.{n + 1:02d}", label, kind, pid, None, ends, created, created)
        )
        ctx.districts.append(did)
        ctx.district_province[did] = pid
        if kind != kinds.URBAN_DISTRICT:
            ctx.rural_districts.append(did)
    ctx.writer.write(AdministrativeUnit, cols, rows)


def documents(ctx: Context) -> None:
    """The marker, and the decisions the registers point to: one plan per year,
    recognition decisions, cluster decisions."""
    from khuyencong.models import LegalDocument

    kinds = LegalDocument.Kind
    rows = [
        (
            SEED_MARKER,
            kinds.OTHER,
            "seed_scale",
            None,
            f"{SYNTHETIC_NOTE} {ctx.size.name}",
        )
    ]
    for year in ctx.size.years:
        rows.append(
            (
                f"{year}-TH/KH-UBND",
                kinds.PLAN,
                "UBND Thành phố",
                date(year, 2, 20),
                SYNTHETIC_NOTE,
            )
        )
        for n in range(1, 41):
            rows.append(
                (
                    f"{year}-TH{n:02d}/QĐ-UBND",
                    kinds.DECISION,
                    "UBND Thành phố",
                    date(year, 3 + n % 9, 1 + n % 27),
                    SYNTHETIC_NOTE,
                )
            )
    ids = ctx.writer.ids(LegalDocument, len(rows))
    created, _ = ctx.timestamps(date(2025, 1, 1))
    ctx.writer.write(
        LegalDocument,
        [
            "id",
            "number",
            "kind",
            "issuer",
            "issued_on",
            "summary",
            "created_at",
            "updated_at",
        ],
        [(pk, *row, created, created) for pk, row in zip(ids, rows, strict=True)],
    )
    ctx.documents = {row[0]: pk for pk, row in zip(ids, rows, strict=True)}


def decision(ctx: Context, year: int) -> int:
    year = min(max(year, ctx.size.years[0]), ctx.size.years[-1])
    return ctx.documents[f"{year}-TH{ctx.rng.randint(1, 40):02d}/QĐ-UBND"]


def users(ctx: Context) -> None:
    """Three accounts for the benchmarks (created through the ORM: hashed
    passwords, groups)."""
    from khuyencong.models import AdministrativeUnit, Role, User

    officer_unit = AdministrativeUnit.objects.get(code="277")
    ctx.officer_unit = officer_unit.pk
    for username, role, unit, superuser in (
        ("bench_staff", Role.STAFF, None, True),
        ("bench_leader", Role.LEADERSHIP, None, False),
        ("bench_officer", Role.OFFICER, officer_unit, False),
    ):
        if User.objects.filter(username=username).exists():
            continue
        user = User(
            username=username,
            role=role,
            administrative_unit=unit,
            is_staff=role != Role.OFFICER,
            is_superuser=superuser,
        )
        # The benchmarks log in with force_login; no password to guess.
        user.set_unusable_password()
        user.save()
        ctx.writer.on_rows(1)
