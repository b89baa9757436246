"""Synthetic craft villages, branding calls, applications and their activities for
`seed_scale` (see khuyencong/scale.py)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from khuyencong.scale import CRAFTS, HAMLET_WORDS, Context, decision
from villages.models import (
    ApplicationStatus,
    BrandingActivity,
    BrandingApplication,
    BrandingCall,
    CraftVillage,
)


def villages(ctx: Context) -> None:
    rng = ctx.rng
    size = ctx.size
    ids = ctx.writer.ids(CraftVillage, size.villages)
    units = ctx.spread(size.villages, ctx.rural_districts)
    titles = list(CraftVillage.Title)
    rows = []
    for n, pk in enumerate(ids):
        unit = next(units)
        if n == 0 and ctx.officer_unit:
            unit = ctx.officer_unit  # the bench officer's portal has a village
        total = rng.randint(120, 1500)
        in_trade = rng.randint(total // 5, total)
        started = rng.randint(1400, 2015)
        year = rng.choice(size.years)
        created, updated = ctx.timestamps(date(year, 6, 1))
        word = HAMLET_WORDS[n % len(HAMLET_WORDS)]
        rows.append(
            (
                pk,
                f"Làng nghề {word} {n + 1}",
                unit,
                f"Thôn {word}",
                rng.choice(CRAFTS),
                titles[n % 3 == 0],
                decision(ctx, year),
                year,
                total,
                in_trade,
                in_trade * rng.randint(1, 4),
                started,
                max(started, 1990),
                f"TH-{pk}" if n % 7 == 0 else "",
                date(year, 9, 1) if n % 7 == 0 else None,
                created,
                updated,
            )
        )
        ctx.villages.append((pk, unit))
    ctx.writer.write(
        CraftVillage,
        [
            "id",
            "name",
            "administrative_unit_id",
            "hamlet",
            "crafts",
            "title",
            "recognition_document_id",
            "recognition_year",
            "households_total",
            "households_in_trade",
            "workers",
            "craft_started_year",
            "stable_production_since",
            "trademark_number",
            "trademark_date",
            "created_at",
            "updated_at",
        ],  # fmt: skip
        rows,
    )


def branding(ctx: Context) -> None:
    """One call a year; applications spread over the years, never twice for a
    village in one call; one to five activities each."""
    rng = ctx.rng
    size = ctx.size
    years = size.years
    call_ids = ctx.writer.ids(BrandingCall, len(years))
    calls = []
    for pk, year in zip(call_ids, years, strict=True):
        opens = date(year, 3, 1)
        created, updated = ctx.timestamps(opens)
        calls.append(
            (pk, year, f"Đợt đăng ký xây dựng thương hiệu năm {year}", opens,
             date(year, 5, 15), created, updated)
        )  # fmt: skip
    ctx.writer.write(
        BrandingCall,
        ["id", "year", "title", "opens_on", "deadline", "created_at", "updated_at"],
        calls,
    )
    statuses = list(ApplicationStatus)
    per_call = max(1, size.branding_applications // len(years))
    app_rows, act_rows = [], []
    kinds = list(BrandingActivity.Kind)
    app_ids = iter(ctx.writer.ids(BrandingApplication, per_call * len(years)))
    for call_id, year in zip(call_ids, years, strict=True):
        chosen = rng.sample(ctx.villages[1:], min(per_call, len(ctx.villages)) - 1)
        # The first village (the bench officer's) applies every year.
        for village, unit in [ctx.villages[0], *chosen]:
            pk = next(app_ids)
            status = rng.choice(statuses)
            submitted = None
            day = date(year, 4, 1) + timedelta(days=rng.randrange(40))
            created, updated = ctx.timestamps(day)
            if status != ApplicationStatus.DRAFT:
                submitted = created
            approved = status in (ApplicationStatus.APPROVED, ApplicationStatus.DONE)
            app_rows.append(
                (
                    pk, call_id, village, unit, None, ctx.person(), "0912345678", "",
                    status, submitted, decision(ctx, year) if approved else None,
                    Decimal(rng.randint(100, 400) * 1_000_000) if approved else None,
                    status == ApplicationStatus.DONE, "chua_nop", "", created, updated,
                )
            )  # fmt: skip
            for kind in rng.sample(kinds, rng.randint(1, 5)):
                cost = Decimal(rng.randint(20, 100) * 1_000_000)
                act_rows.append((pk, kind, cost, "", created, updated))
    ctx.writer.write(
        BrandingApplication,
        [
            "id",
            "call_id",
            "village_id",
            "administrative_unit_id",
            "filed_by_id",
            "contact_name",
            "contact_phone",
            "note",
            "status",
            "submitted_at",
            "decision_id",
            "approved_amount",
            "logo_done",
            "trademark_status",
            "result_note",
            "created_at",
            "updated_at",
        ],  # fmt: skip
        app_rows,
    )
    act_ids = ctx.writer.ids(BrandingActivity, len(act_rows))
    ctx.writer.write(
        BrandingActivity,
        [
            "id",
            "application_id",
            "kind",
            "cost",
            "description",
            "created_at",
            "updated_at",
        ],
        [(pk, *row) for pk, row in zip(act_ids, act_rows, strict=True)],
    )


GENERATORS = [("villages", villages), ("branding", branding)]
