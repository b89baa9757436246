"""Synthetic plans and targets, establishments, training courses with their
participants, equipment projects and trade events for `seed_scale` (see
khuyencong/scale.py). Imported only once the programs models exist."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.apps import apps

from khuyencong.scale import CRAFTS, HAMLET_WORDS, Context, day_in, decision
from programs.models import (
    CRAFT_KINDS,
    Establishment,
    Participant,
    Plan,
    PlanTarget,
    TradeEvent,
    TrainingCourse,
)

MILLION = 1_000_000


def plans(ctx: Context) -> None:

    years = ctx.size.years
    ids = ctx.writer.ids(Plan, len(years))
    rows = []
    for pk, year in zip(ids, years, strict=True):
        created, updated = ctx.timestamps(date(year, 2, 20))
        rows.append(
            (pk, year, f"Kế hoạch khuyến công năm {year}",
             ctx.documents[f"{year}-TH/KH-UBND"],
             Decimal(ctx.rng.randint(15, 40) * 1000 * MILLION), "", created, updated)
        )  # fmt: skip
        ctx.plans[year] = pk
    ctx.writer.write(
        Plan,
        ["id", "year", "title", "document_id", "total_budget", "note", "created_at",
         "updated_at"],
        rows,
    )  # fmt: skip


def plan_targets(ctx: Context) -> None:
    """Each plan's targets, once every register is written: within 15 % of what
    the year's registers count (a plan of 40 classes for a year of 38, not a
    target of 139 đồng against 200 billion), money to the million. The plan's
    total budget is its budget target."""
    from programs.indicators import Indicator
    from programs.selectors import indicator_actuals_by_year

    years = ctx.size.years
    actuals = indicator_actuals_by_year(years=years)
    targets = []
    for year in years:
        created, updated = ctx.timestamps(date(year, 2, 20))
        for indicator in Indicator:
            actual = actuals[year].get(indicator.value) or Decimal(0)
            value = actual * Decimal(ctx.rng.uniform(0.85, 1.15))
            step = MILLION if indicator.value.endswith("_vnd") else 1
            value = max(Decimal(step), (value / step).quantize(Decimal(1)) * step)
            targets.append((ctx.plans[year], indicator, value, created, updated))
            if indicator == Indicator.BUDGET_VND:
                Plan.objects.filter(pk=ctx.plans[year]).update(total_budget=value)
    target_ids = ctx.writer.ids(PlanTarget, len(targets))
    ctx.writer.write(
        PlanTarget,
        ["id", "plan_id", "indicator", "target_value", "created_at", "updated_at"],
        [(pk, *row) for pk, row in zip(target_ids, targets, strict=True)],
    )


def establishments(ctx: Context) -> None:
    rng = ctx.rng
    n_total = ctx.size.establishments
    ids = ctx.writer.ids(Establishment, n_total)
    units = ctx.spread(n_total, ctx.districts)
    kinds = list(Establishment.Kind)
    villages_by_unit: dict[int, list[int]] = {}
    for village, unit in ctx.villages:
        villages_by_unit.setdefault(unit, []).append(village)
    rows = []
    for n, pk in enumerate(ids):
        unit = next(units)
        kind = kinds[n % len(kinds)]
        village = None
        if n % 3 == 0 and villages_by_unit.get(unit):
            village = rng.choice(villages_by_unit[unit])
        created, updated = ctx.timestamps(day_in(rng, rng.choice(ctx.size.years)))
        # Tax codes are unique: derived from the id, 10 digits.
        tax = f"{100000000 + pk:010d}" if kind != Establishment.Kind.HOUSEHOLD else ""
        word = HAMLET_WORDS[n % len(HAMLET_WORDS)]
        hamlet = HAMLET_WORDS[(n // 16) % len(HAMLET_WORDS)]
        rows.append(
            (pk, f"Cơ sở {rng.choice(CRAFTS)} {word} {pk}", kind, tax,
             ctx.person(), f"09{rng.randint(10_000_000, 99_999_999)}", unit,
             f"Thôn {hamlet}", rng.choice(CRAFTS),
             rng.randint(2, 300), village, created, updated)
        )  # fmt: skip
        ctx.establishments.append((pk, unit))
    ctx.writer.write(
        Establishment,
        ["id", "name", "kind", "tax_code", "representative", "phone",
         "administrative_unit_id", "address", "sector", "employees",
         "craft_village_id", "created_at", "updated_at"],
        rows,
    )  # fmt: skip


def courses(ctx: Context) -> None:
    """Courses with their participants. Participants are generated course by
    course (2,000,000 at national size) and streamed to the writer."""
    rng = ctx.rng
    size = ctx.size
    kinds = list(TrainingCourse._meta.get_field("kind").choices)
    statuses = [
        TrainingCourse.Status.FINISHED,
        TrainingCourse.Status.FINISHED,
        TrainingCourse.Status.FINISHED,
        TrainingCourse.Status.RUNNING,
        TrainingCourse.Status.PLANNED,
        TrainingCourse.Status.CANCELLED,
    ]
    ids = ctx.writer.ids(TrainingCourse, size.courses)
    units = ctx.spread(size.courses, ctx.rural_districts)
    mean = size.participants / size.courses
    sizes = [
        max(5, min(int(rng.gauss(mean, mean / 4)), 490)) for _ in range(size.courses)
    ]
    # Adjust to the exact total.
    drift = size.participants - sum(sizes)
    step = 1 if drift > 0 else -1
    i = 0
    while drift:
        j = i % size.courses
        if 5 < sizes[j] + step < 490:
            sizes[j] += step
            drift -= step
        i += 1
    host_by_unit: dict[int, list[int]] = {}
    for pk, unit in ctx.establishments:
        host_by_unit.setdefault(unit, []).append(pk)
    course_rows = []
    course_meta = []
    for n, pk in enumerate(ids):
        unit = next(units)
        year = size.years[n % len(size.years)]
        kind = kinds[n % len(kinds)][0]
        craft = rng.choice(CRAFTS)
        start = day_in(rng, year, start_month=2)
        end = start + timedelta(days=rng.randint(10, 90))
        status = statuses[n % len(statuses)]
        people = sizes[n]
        total = Decimal(rng.randint(50, 300) * MILLION)
        support = (total * Decimal(rng.randint(30, 100)) / 100).quantize(Decimal("1"))
        hosts = host_by_unit.get(unit)
        finished = status == TrainingCourse.Status.FINISHED
        created, updated = ctx.timestamps(start)
        course_rows.append(
            (pk, ctx.plans[year], kind, f"Lớp {craft} {pk}", craft,
             rng.choice(hosts) if hosts else None, unit, f"Nhà văn hóa thôn {n % 97}",
             start, end, people, total, support, status,
             int(people * rng.uniform(0.5, 1)) if finished else None,
             Decimal(rng.randint(30, 90) * 100_000) if finished else None, "",
             people, created, updated)
        )  # fmt: skip
        course_meta.append((pk, unit, year, kind, people, finished, created))
    ctx.writer.write(
        TrainingCourse,
        ["id", "plan_id", "kind", "title", "craft", "host_establishment_id",
         "administrative_unit_id", "venue", "start_date", "end_date",
         "planned_participants", "total_budget", "support_budget", "status",
         "employed_after", "average_monthly_income", "note",
         "participant_count", "created_at", "updated_at"],
        course_rows,
    )  # fmt: skip
    participant_ids = iter(ctx.writer.ids(Participant, size.participants))
    establishments = [pk for pk, _ in ctx.establishments]

    def participants():
        serial = 0
        for course, unit, year, kind, people, finished, created in course_meta:
            craft = kind in CRAFT_KINDS
            for _ in range(people):
                serial += 1
                birth = year - rng.randint(18, 60)
                gender = "nu" if serial % 2 else "nam"
                # CCCD: province 001, gender/century digit, two-digit birth year,
                # then six digits from a serial number: unique in a course.
                century = (0 if birth < 2000 else 2) + (serial % 2)
                id_number = f"001{century}{birth % 100:02d}{serial % 1_000_000:06d}"
                done = finished and serial % 10 != 0
                yield (
                    next(participant_ids), course, ctx.person(), birth, gender,
                    id_number, unit, None if craft else rng.choice(establishments),
                    done, f"CC-{serial}" if done else "", created, created,
                )  # fmt: skip

    ctx.writer.write(
        Participant,
        ["id", "course_id", "full_name", "birth_year", "gender", "id_number",
         "administrative_unit_id", "establishment_id", "completed",
         "certificate_number", "created_at", "updated_at"],
        participants(),
    )  # fmt: skip


def trade_events(ctx: Context) -> None:
    rng = ctx.rng
    ids = ctx.writer.ids(TradeEvent, ctx.size.trade_events)
    kinds = list(TradeEvent.Kind)
    rows, est_links, village_links = [], [], []
    for n, pk in enumerate(ids):
        year = ctx.size.years[n % len(ctx.size.years)]
        start = day_in(rng, year)
        booths = rng.randint(20, 400)
        created, updated = ctx.timestamps(start)
        rows.append(
            (pk, ctx.plans[year], f"Hội chợ hàng thủ công mỹ nghệ {pk}",
             kinds[n % 3], "trong_nuoc", rng.choice(ctx.districts), start,
             start + timedelta(days=rng.randint(2, 6)), "Cung triển lãm",
             "Trung tâm khuyến công", booths, booths // 2,
             Decimal(rng.randint(100, 2000) * MILLION),
             Decimal(rng.randint(1, 50) * 1000 * MILLION), "", created, updated)
        )  # fmt: skip
        for est, _ in rng.sample(ctx.establishments, min(8, len(ctx.establishments))):
            est_links.append((pk, est))
        for village, _ in rng.sample(ctx.villages, min(2, len(ctx.villages))):
            village_links.append((pk, village))
    ctx.writer.write(
        TradeEvent,
        ["id", "plan_id", "name", "kind", "location", "administrative_unit_id",
         "start_date", "end_date", "venue", "organiser", "booths",
         "supported_booths", "support_amount", "transaction_value", "note",
         "created_at", "updated_at"],
        rows,
    )  # fmt: skip
    for through, column, links in (
        (TradeEvent.establishments.through, "establishment_id", est_links),
        (TradeEvent.villages.through, "craftvillage_id", village_links),
    ):
        link_ids = ctx.writer.ids(through, len(links))
        ctx.writer.write(
            through,
            ["id", "tradeevent_id", column],
            [(pk, *row) for pk, row in zip(link_ids, links, strict=True)],
        )


def equipment_projects(ctx: Context) -> None:
    """Equipment projects (once the equipment register exists), in every workflow
    state, with the dates and amounts each state implies."""
    try:
        project = apps.get_model("programs", "EquipmentProject")
    except LookupError:
        return
    from programs.models import EquipmentStatus

    rng = ctx.rng
    order = [
        EquipmentStatus.REGISTERED, EquipmentStatus.SURVEYED,
        EquipmentStatus.FORWARDED, EquipmentStatus.APPROVED,
        EquipmentStatus.IMPLEMENTING, EquipmentStatus.ACCEPTED,
        EquipmentStatus.SETTLED,
    ]  # fmt: skip
    ids = ctx.writer.ids(project, ctx.size.projects)
    rows = []
    for n, pk in enumerate(ids):
        year = ctx.size.years[n % len(ctx.size.years)]
        est, _ = rng.choice(ctx.establishments)
        cost = Decimal(rng.randint(200, 2000) * MILLION)
        requested = min(cost / 2, Decimal(300 * MILLION)).quantize(Decimal("1"))
        registered = day_in(rng, year)
        if n % 10 == 9:
            status, step = EquipmentStatus.REJECTED, 1
        else:
            step = rng.randint(0, len(order) - 1)
            status = order[step]

        def on(k: int, _start=registered, _step=step):
            return _start + timedelta(days=30 * k) if _step >= k else None

        approved = requested if step >= 3 and status != "khong_phe_duyet" else None
        created, updated = ctx.timestamps(registered)
        rows.append(
            (pk, ctx.plans[year], est, f"Đề án ứng dụng máy {rng.choice(CRAFTS)} {pk}",
             "thiet_bi", "", "dia_phuong" if n % 4 else "quoc_gia", cost, requested,
             approved, approved if step >= 4 and approved else None,
             approved if step >= 6 and approved else None, status, registered,
             on(1), "", on(2),
             decision(ctx, year) if approved else None, on(3) if approved else None,
             on(4) if approved else None, on(5) if approved else None, "",
             on(6) if approved else None,
             registered + timedelta(days=20) if status == "khong_phe_duyet" else None,
             "Không đủ điều kiện" if status == "khong_phe_duyet" else "",
             created, updated)
        )  # fmt: skip
    ctx.writer.write(
        project,
        ["id", "plan_id", "establishment_id", "title", "activity", "description",
         "funding_source", "total_cost", "requested_support", "approved_support",
         "advanced_amount", "settled_amount", "status", "registered_on",
         "surveyed_on", "survey_notes", "forwarded_on", "decision_id",
         "decided_on", "advanced_on", "accepted_on", "acceptance_notes",
         "settled_on", "rejected_on", "rejection_reason", "created_at",
         "updated_at"],
        rows,
    )  # fmt: skip


GENERATORS = [
    ("plans", plans),
    ("establishments", establishments),
    ("courses and participants", courses),
    ("trade events", trade_events),
    ("equipment projects", equipment_projects),
    ("plan targets", plan_targets),
]
