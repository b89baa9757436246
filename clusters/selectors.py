"""Reads about clusters and wastewater plants for dashboards and public pages.

Every selector runs a fixed number of queries (one, unless its docstring says
otherwise) whatever the number of clusters, and returns plain dataclasses or dicts.
`on` is the day a status is read at, `year` a calendar year, `unit` an optional
administrative unit (the unit and the units directly under it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from clusters.models import (
    ClusterPlan,
    IndustrialCluster,
    WastewaterPlant,
    WastewaterPlantCluster,
    in_plan_q,
    plant_operating_q,
    served_by_operating_plant,
    unit_q,
)
from khuyencong import prepared
from khuyencong.models import AdministrativeUnit, unit_group
from khuyencong.selectors import ActualSource, Totals


def _clusters(unit: AdministrativeUnit | None, plan: ClusterPlan | None = None):
    qs = IndustrialCluster.objects.filter(unit_q(unit))
    if plan is not None:
        qs = qs.filter(plan=plan)
    return qs


def clusters_in_plan(
    *, on: date, unit: AdministrativeUnit | None = None, plan: ClusterPlan | None = None
) -> int:
    """Clusters of a plan in force on `on`, not removed from it by then."""
    return _clusters(unit, plan).in_plan_on(on).count()


def clusters_operating(*, on: date, unit: AdministrativeUnit | None = None) -> int:
    """Clusters operating on `on` (operating from that day or earlier, not removed
    from the plan by then)."""
    return _clusters(unit).operating_on(on).count()


def clusters_established(*, year: int, unit: AdministrativeUnit | None = None) -> int:
    """Clusters whose establishment date falls in `year`."""
    return _clusters(unit).established_in(year).count()


def clusters_with_wwtp(*, on: date, unit: AdministrativeUnit | None = None) -> int:
    """Distinct clusters served on `on` by at least one operating plant, leaving out
    clusters removed from the plan by then. A plant shared by several clusters
    counts each of them once; a cluster with two plants counts once."""
    return (
        _clusters(unit)
        .exclude(removed_on__lte=on)
        .filter(served_by_operating_plant(on))
        .count()
    )


@dataclass(frozen=True)
class ClusterStatusCounts:
    on: date
    in_plan: int
    not_in_plan: int
    planned: int
    established: int
    operating: int
    removed: int
    # {year: clusters established that year}, for the years asked for.
    established_by_year: dict = field(default_factory=dict)

    @property
    def total(self) -> int:
        return (
            self.not_in_plan
            + self.planned
            + self.established
            + self.operating
            + self.removed
        )


def cluster_status_counts(
    *,
    on: date,
    unit: AdministrativeUnit | None = None,
    plan: ClusterPlan | None = None,
    established_in: Iterable[int] = (),
) -> ClusterStatusCounts:
    """How many clusters are in each status on `on` (the rule of
    `IndustrialCluster.status_on`: removed, else operating, else established, else
    planned when in the plan), how many are in the plan, and how many were
    established in each year of `established_in`. One query.

    Each status is its own filter rather than a count over the `with_status`
    annotation: the ORM inlines the annotation's CASE into every count, which
    cost more to build than the query costs to run."""
    removed = Q(removed_on__lte=on)
    operating = Q(operating_from__lte=on)
    established = Q(established_on__lte=on)
    years = sorted(set(established_in))
    counts = prepared.aggregate(
        (
            "cluster_status_counts",
            on,
            prepared.id_of(unit),
            prepared.id_of(plan),
            tuple(years),
        ),
        lambda: _clusters(unit, plan),
        total=Count("pk"),
        in_plan=Count("pk", filter=in_plan_q(on)),
        removed=Count("pk", filter=removed),
        operating=Count("pk", filter=operating & ~removed),
        established=Count("pk", filter=established & ~operating & ~removed),
        planned=Count("pk", filter=in_plan_q(on) & ~established & ~operating),
        **{
            f"established_{year}": Count("pk", filter=Q(established_on__year=year))
            for year in years
        },
    )
    total = counts.pop("total")
    by_year = {year: counts.pop(f"established_{year}") for year in years}
    return ClusterStatusCounts(
        on=on,
        not_in_plan=total
        - sum(counts[s] for s in ("removed", "operating", "established", "planned")),
        established_by_year=by_year,
        **counts,
    )


@dataclass(frozen=True)
class PlantBuilderRow:
    built_by: str
    label: str
    plants: int
    clusters: int


@dataclass(frozen=True)
class WastewaterSummary:
    """Operating plants on a day and the clusters they serve, by who built them.

    `clusters` counts distinct clusters: a cluster served by an investor's plant and
    by a City plant appears in both rows but once in the total."""

    on: date
    rows: tuple[PlantBuilderRow, ...]
    plants: int
    clusters: int
    plants_built_not_operating: int
    plants_under_construction: int

    def row(self, built_by: str) -> PlantBuilderRow:
        return next(r for r in self.rows if r.built_by == built_by)


def wastewater_plants_by_builder(
    *, on: date, unit: AdministrativeUnit | None = None
) -> WastewaterSummary:
    """The split of plants by who built them (the cluster's investor or the City's
    programme), with the clusters each group serves. One query."""
    operating = plant_operating_q(on, "plant__")
    cluster_counted = operating & ~Q(cluster__removed_on__lte=on)
    built = Q(plant__completed_on__lte=on) | Q(plant__operating_from__lte=on)
    aggregates = {
        "plants": Count("plant", distinct=True, filter=operating),
        "clusters": Count("cluster", distinct=True, filter=cluster_counted),
        "built_not_operating": Count("plant", distinct=True, filter=built & ~operating),
        "under_construction": Count("plant", distinct=True, filter=~built),
    }
    for choice in WastewaterPlant.BuiltBy:
        by = Q(plant__built_by=choice)
        aggregates[f"{choice}_plants"] = Count(
            "plant", distinct=True, filter=operating & by
        )
        aggregates[f"{choice}_clusters"] = Count(
            "cluster", distinct=True, filter=cluster_counted & by
        )
    counts = prepared.aggregate(
        ("wastewater_plants_by_builder", on, prepared.id_of(unit)),
        lambda: WastewaterPlantCluster.objects.filter(unit_q(unit, "cluster__")),
        **aggregates,
    )
    return WastewaterSummary(
        on=on,
        rows=tuple(
            PlantBuilderRow(
                built_by=choice.value,
                label=str(choice.label),
                plants=counts[f"{choice}_plants"],
                clusters=counts[f"{choice}_clusters"],
            )
            for choice in WastewaterPlant.BuiltBy
        ),
        plants=counts["plants"],
        clusters=counts["clusters"],
        plants_built_not_operating=counts["built_not_operating"],
        plants_under_construction=counts["under_construction"],
    )


@dataclass(frozen=True)
class UnitClusterTotals:
    unit_id: int
    code: str
    name: str
    in_plan: int
    operating: int
    established_in_year: int
    with_wwtp: int
    planned_area_ha: Decimal
    industrial_land_ha: Decimal
    leased_land_ha: Decimal

    @property
    def occupancy_percent(self) -> Decimal | None:
        """Leased ÷ industrial land of the unit's operating clusters, in %."""
        if not self.industrial_land_ha:
            return None
        return (self.leased_land_ha * 100 / self.industrial_land_ha).quantize(
            Decimal("0.1")
        )


def cluster_totals_by_unit(
    *,
    on: date,
    year: int,
    plan: ClusterPlan | None = None,
    per_province: bool = False,
) -> list[UnitClusterTotals]:
    """Per administrative unit with clusters (with `per_province`, per province,
    summed over the units under it): in the plan and operating on `on`,
    established in `year`, served by an operating plant on `on`; planned area of the
    clusters in the plan; land of the operating clusters (latest figures). One query,
    ordered by unit code."""
    in_plan = in_plan_q(on)
    operating = Q(operating_from__lte=on) & ~Q(removed_on__lte=on)
    zero = Decimal("0")
    groups = [f"_unit_{field}" for field in ("id", "code", "name")]
    aggregates = {
        "in_plan": Count("pk", filter=in_plan),
        "operating": Count("pk", filter=operating),
        "established_in_year": Count("pk", filter=Q(established_on__year=year)),
        "with_wwtp": Count("pk", filter=Q(_wwtp=True) & ~Q(removed_on__lte=on)),
        "planned_area": Sum("planned_area_ha", filter=in_plan),
        "industrial_land": Sum("industrial_land_ha", filter=operating),
        "leased_land": Sum("leased_land_ha", filter=operating),
    }
    rows = prepared.rows(
        ("cluster_totals_by_unit", on, year, prepared.id_of(plan), per_province),
        lambda: (
            _clusters(None, plan)
            .annotate(_wwtp=served_by_operating_plant(on))
            .values(
                **{
                    name: unit_group(per_province=per_province, field=name[6:])
                    for name in groups
                }
            )
            .annotate(**aggregates)
            .order_by("_unit_code")
            .values_list(*groups, *aggregates)
        ),
    )
    return [
        UnitClusterTotals(
            unit_id=unit_id,
            code=code,
            name=name,
            in_plan=in_plan_count,
            operating=operating_count,
            established_in_year=established_count,
            with_wwtp=with_wwtp,
            planned_area_ha=Decimal(planned or zero),
            industrial_land_ha=Decimal(industrial or zero),
            leased_land_ha=Decimal(leased or zero),
        )
        for (
            unit_id,
            code,
            name,
            in_plan_count,
            operating_count,
            established_count,
            with_wwtp,
            planned,
            industrial,
            leased,
        ) in rows
    ]


@dataclass(frozen=True)
class ClusterOverview:
    """The leadership's questions in one object: for the dashboard and public page."""

    on: date
    year: int
    in_plan: int
    operating: int
    established_in_year: int
    with_wwtp: int
    wastewater: WastewaterSummary


def cluster_overview(
    *, on: date, year: int, unit: AdministrativeUnit | None = None
) -> ClusterOverview:
    """Clusters in the plan and operating on `on`, established in `year`, served by
    an operating plant on `on`, and the plants by who built them. Two queries."""
    counts = (
        _clusters(unit)
        .annotate(_wwtp=served_by_operating_plant(on))
        .aggregate(
            in_plan=Count("pk", filter=in_plan_q(on)),
            operating=Count(
                "pk", filter=Q(operating_from__lte=on) & ~Q(removed_on__lte=on)
            ),
            established_in_year=Count("pk", filter=Q(established_on__year=year)),
            with_wwtp=Count("pk", filter=Q(_wwtp=True) & ~Q(removed_on__lte=on)),
        )
    )
    return ClusterOverview(
        on=on,
        year=year,
        wastewater=wastewater_plants_by_builder(on=on, unit=unit),
        **counts,
    )


def status_date_for_year(year: int) -> date:
    """The day a year's cluster figures are read at: 31/12 of a past year, today for
    the current one."""
    return min(date(year, 12, 31), timezone.localdate())


def _cluster_totals(*, year: int, unit: AdministrativeUnit | None = None) -> Totals:
    on = status_date_for_year(year)
    return {
        "clusters_operating": Decimal(clusters_operating(on=on, unit=unit)),
        "clusters_established": Decimal(clusters_established(year=year, unit=unit)),
        "clusters_with_wwtp": Decimal(clusters_with_wwtp(on=on, unit=unit)),
    }


def _cluster_by_year(
    *, years: Iterable[int], unit: AdministrativeUnit | None = None
) -> dict[int, Totals]:
    """The three cluster indicators of several years in two queries: each year read
    at its own day (`status_date_for_year`), by the same rules as
    `clusters_operating`, `clusters_established` and `clusters_with_wwtp` (the
    last counted over the plant-cluster links, as `wastewater_plants_by_builder`
    does: a few hundred links, where an EXISTS per cluster and year is slow)."""
    wanted = sorted(set(years))
    if not wanted:
        return {}
    on_of = {year: status_date_for_year(year) for year in wanted}
    clusters = {}
    links = {}
    for year, on in on_of.items():
        clusters[f"operating_{year}"] = Count(
            "pk", filter=Q(operating_from__lte=on) & ~Q(removed_on__lte=on)
        )
        clusters[f"established_{year}"] = Count(
            "pk", filter=Q(established_on__year=year)
        )
        links[f"wwtp_{year}"] = Count(
            "cluster",
            distinct=True,
            filter=plant_operating_q(on, "plant__") & ~Q(cluster__removed_on__lte=on),
        )
    key = (tuple(on_of.items()), prepared.id_of(unit))
    counts = prepared.aggregate(
        ("cluster_by_year", *key), lambda: _clusters(unit), **clusters
    )
    counts |= prepared.aggregate(
        ("cluster_wwtp_by_year", *key),
        lambda: WastewaterPlantCluster.objects.filter(unit_q(unit, "cluster__")),
        **links,
    )
    return {
        year: {
            "clusters_operating": Decimal(counts[f"operating_{year}"]),
            "clusters_established": Decimal(counts[f"established_{year}"]),
            "clusters_with_wwtp": Decimal(counts[f"wwtp_{year}"]),
        }
        for year in wanted
    }


def unit_values(rows: Iterable[UnitClusterTotals]) -> dict[int, Totals]:
    """The cluster indicators by unit, from `cluster_totals_by_unit`'s rows."""
    return {
        row.unit_id: {
            "clusters_operating": Decimal(row.operating),
            "clusters_established": Decimal(row.established_in_year),
            "clusters_with_wwtp": Decimal(row.with_wwtp),
        }
        for row in rows
    }


def cluster_by_unit(*, year: int, per_province: bool = False) -> dict[int, Totals]:
    """The clusters source's `by_unit`: one query."""
    return unit_values(
        cluster_totals_by_unit(
            on=status_date_for_year(year), year=year, per_province=per_province
        )
    )


ACTUAL_SOURCES = (
    ActualSource(
        name="clusters",
        indicators=("clusters_operating", "clusters_established", "clusters_with_wwtp"),
        totals=_cluster_totals,
        by_unit=cluster_by_unit,
        by_year=_cluster_by_year,
    ),
)
