"""Synthetic cluster plans, industrial clusters and wastewater plants for
`seed_scale` (see khuyencong/scale.py)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from clusters.models import (
    ClusterPlan,
    IndustrialCluster,
    WastewaterPlant,
    WastewaterPlantCluster,
)
from khuyencong.scale import HAMLET_WORDS, Context, decision


def clusters(ctx: Context) -> None:
    """One plan per province; clusters spread over the rural districts, with
    dates that respect the cluster's sequence (established, then operating)."""
    rng = ctx.rng
    size = ctx.size
    plan_ids = ctx.writer.ids(ClusterPlan, len(ctx.provinces))
    created, _ = ctx.timestamps(date(2012, 1, 1))
    ctx.writer.write(
        ClusterPlan,
        ["id", "title", "horizon_year", "vision_year", "effective_from", "note",
         "created_at", "updated_at"],
        [
            (pk, f"Quy hoạch phát triển cụm công nghiệp {n + 1} đến năm 2020",
             2020, 2030, date(2012, 1, 1), "", created, created)
            for n, pk in enumerate(plan_ids)
        ],
    )  # fmt: skip
    plan_of = dict(zip(ctx.provinces, plan_ids, strict=True))
    ids = ctx.writer.ids(IndustrialCluster, size.clusters)
    units = ctx.spread(size.clusters, ctx.rural_districts)
    kinds = list(IndustrialCluster.Kind)
    rows = []
    for n, pk in enumerate(ids):
        unit = next(units)
        kind = kinds[n % 4 == 0]
        area = Decimal(rng.randint(500, 7500)) / 100
        industrial = (area * Decimal("0.7")).quantize(Decimal("0.01"))
        established = operating = None
        leased = None
        doc = None
        stage = rng.random()
        if stage < 0.7:
            established = date(rng.choice(ctx.size.years), rng.randint(1, 12), 1)
            doc = decision(ctx, established.year)
            if stage < 0.5:
                operating = established + timedelta(days=rng.randint(180, 1500))
                leased = (industrial * Decimal(rng.randint(20, 100)) / 100).quantize(
                    Decimal("0.01")
                )
        day = established or date(2012, 1, 1)
        created, updated = ctx.timestamps(day)
        rows.append(
            (
                pk, plan_of[ctx.district_province[unit]],
                f"Cụm công nghiệp {HAMLET_WORDS[n % len(HAMLET_WORDS)]} {n + 1}",
                unit, kind, area, industrial, leased, f"Công ty hạ tầng {n + 1}",
                None, established, doc, operating, None, None,
                rng.randint(5, 120) if operating else None,
                rng.randint(100, 5000) if operating else None, "", created, updated,
            )
        )  # fmt: skip
        ctx.clusters.append((pk, unit))
    ctx.writer.write(
        IndustrialCluster,
        [
            "id",
            "plan_id",
            "name",
            "administrative_unit_id",
            "kind",
            "planned_area_ha",
            "industrial_land_ha",
            "leased_land_ha",
            "investor",
            "in_plan_from",
            "established_on",
            "establishment_document_id",
            "operating_from",
            "removed_on",
            "removal_document_id",
            "tenant_count",
            "worker_count",
            "note",
            "created_at",
            "updated_at",
        ],  # fmt: skip
        rows,
    )
    plants(ctx)


def plants(ctx: Context) -> None:
    """Plants serve one to three clusters each, none twice."""
    rng = ctx.rng
    ids = ctx.writer.ids(WastewaterPlant, ctx.size.plants)
    served = rng.sample(
        [pk for pk, _ in ctx.clusters], min(len(ctx.clusters), ctx.size.plants * 2)
    )
    rows, links = [], []
    builders = list(WastewaterPlant.BuiltBy)
    for n, pk in enumerate(ids):
        completed = date(rng.randint(2010, 2024), rng.randint(1, 12), 1)
        operating = completed + timedelta(days=90) if n % 5 else None
        created, updated = ctx.timestamps(completed)
        builder = builders[n % 2]
        rows.append(
            (pk, f"Trạm xử lý nước thải {n + 1}", rng.randint(200, 3000), builder,
             decision(ctx, completed.year) if builder == "thanh_pho" else None,
             completed, operating, None, "", created, updated)
        )  # fmt: skip
        for cluster in served[n * 2 : n * 2 + rng.randint(1, 2)]:
            links.append((pk, cluster, created, updated))
    ctx.writer.write(
        WastewaterPlant,
        ["id", "name", "capacity_m3_per_day", "built_by", "decision_id",
         "completed_on", "operating_from", "stopped_on", "note", "created_at",
         "updated_at"],
        rows,
    )  # fmt: skip
    link_ids = ctx.writer.ids(WastewaterPlantCluster, len(links))
    ctx.writer.write(
        WastewaterPlantCluster,
        ["id", "plant_id", "cluster_id", "created_at", "updated_at"],
        [(pk, *row) for pk, row in zip(link_ids, links, strict=True)],
    )


GENERATORS = [("clusters", clusters)]
