"""The leadership's questions, answered from the registers (DOMAIN.md §5, §6)."""

from datetime import date
from decimal import Decimal

import pytest

from clusters import selectors
from clusters.models import IndustrialCluster, WastewaterPlant
from tests.clusters.factories import (
    ClusterPlanFactory,
    IndustrialClusterFactory,
    WastewaterPlantFactory,
)
from tests.khuyencong.factories import LegalDocumentFactory, unit

pytestmark = pytest.mark.django_db

JUNE_2019 = date(2019, 6, 30)
INVESTOR = WastewaterPlant.BuiltBy.INVESTOR
CITY = WastewaterPlant.BuiltBy.CITY


def build_article_2019(scale: int = 1):
    """The clusters of the 2019 article, `scale` times over: 159 in the plan, 70
    operating at 30/6/2019, 5 established in 2018 and 3 in 2019, 21 with a plant
    (9 by their investors, 12 served by 11 plants of 7209/QĐ-UBND)."""
    units = [unit("277"), unit("280"), unit("279"), unit("271")]
    plan = ClusterPlanFactory(effective_from=date(2013, 1, 1))
    decision = LegalDocumentFactory(number="7209/QĐ-UBND", issued_on=date(2013, 12, 2))
    made = []

    def cluster(i, **kw):
        c = IndustrialClusterFactory.build(
            plan=plan, administrative_unit=units[i % len(units)], **kw
        )
        made.append(c)
        return c

    for _ in range(scale):
        n = len(made)
        operating = [cluster(n + i, operating_from=date(2010, 1, 1)) for i in range(62)]
        operating += [
            cluster(
                n + 62 + i,
                established_on=date(2018, 3, 1 + i),
                operating_from=date(2019, 1, 1 + i),
            )
            for i in range(5)
        ]
        operating += [
            cluster(
                n + 67 + i,
                established_on=date(2019, 2, 1 + i),
                operating_from=date(2019, 6, 1 + i),
            )
            for i in range(3)
        ]
        # Not operating at 30/6/2019: planned, and a later start.
        for i in range(88):
            cluster(n + 70 + i)
        cluster(n + 158, operating_from=date(2019, 7, 1))
        # Removed before: not in the plan any more.
        cluster(n + 159, removed_on=date(2015, 1, 1))
        IndustrialCluster.objects.bulk_create(made[n:])
        for c in operating[:9]:
            WastewaterPlantFactory(built_by=INVESTOR, serves=[c])
        city = operating[9:21]
        # 11 plants for 12 clusters: the first plant serves two neighbours of a unit.
        WastewaterPlantFactory(
            built_by=CITY, decision=decision, serves=[city[0], city[4]]
        )
        for c in city[1:4] + city[5:]:
            WastewaterPlantFactory(built_by=CITY, decision=decision, serves=[c])
        # Neither counts: a plant under construction, one built but idle.
        WastewaterPlantFactory(
            built_by=CITY,
            completed_on=None,
            operating_from=None,
            serves=[operating[30]],
        )
        WastewaterPlantFactory(
            built_by=INVESTOR,
            completed_on=date(2016, 1, 1),
            operating_from=None,
            serves=[operating[31]],
        )
    return plan


def test_the_2019_article_figures_come_out_of_the_registers():
    plan = build_article_2019()
    assert selectors.clusters_in_plan(on=JUNE_2019, plan=plan) == 159
    assert selectors.clusters_operating(on=JUNE_2019) == 70
    counts = selectors.cluster_status_counts(on=JUNE_2019, established_in=[2018, 2019])
    assert counts.established_by_year == {
        2018: 5,
        2019: 3,
    }
    assert selectors.clusters_with_wwtp(on=JUNE_2019) == 21
    summary = selectors.wastewater_plants_by_builder(on=JUNE_2019)
    assert (summary.row(INVESTOR).plants, summary.row(INVESTOR).clusters) == (9, 9)
    assert (summary.row(CITY).plants, summary.row(CITY).clusters) == (11, 12)
    assert (summary.plants, summary.clusters) == (20, 21)
    assert summary.plants_built_not_operating == 1
    assert summary.plants_under_construction == 1
    overview = selectors.cluster_overview(on=JUNE_2019, year=2019)
    assert (
        overview.in_plan,
        overview.operating,
        overview.established_in_year,
        overview.with_wwtp,
    ) == (159, 70, 3, 21)
    assert overview.wastewater == summary


def test_a_plant_shared_by_two_clusters_counts_once_and_each_cluster_once():
    a = IndustrialClusterFactory(operating_from=date(2012, 1, 1))
    b = IndustrialClusterFactory(operating_from=date(2012, 1, 1))
    WastewaterPlantFactory(built_by=CITY, serves=[a, b])
    # b also has its investor's own plant: still one cluster with a plant.
    WastewaterPlantFactory(built_by=INVESTOR, serves=[b])
    summary = selectors.wastewater_plants_by_builder(on=JUNE_2019)
    assert selectors.clusters_with_wwtp(on=JUNE_2019) == 2
    assert (summary.plants, summary.clusters) == (2, 2)
    assert (summary.row(CITY).plants, summary.row(CITY).clusters) == (1, 2)
    assert (summary.row(INVESTOR).plants, summary.row(INVESTOR).clusters) == (1, 1)


def test_clusters_with_wwtp_follows_the_plant_operating_dates():
    cluster = IndustrialClusterFactory(operating_from=date(2012, 1, 1))
    WastewaterPlantFactory(
        completed_on=date(2016, 1, 1),
        operating_from=date(2017, 7, 1),
        stopped_on=date(2020, 1, 1),
        serves=[cluster],
    )
    assert selectors.clusters_with_wwtp(on=date(2017, 6, 30)) == 0
    assert selectors.clusters_with_wwtp(on=date(2017, 7, 1)) == 1
    assert selectors.clusters_with_wwtp(on=date(2019, 12, 31)) == 1
    assert selectors.clusters_with_wwtp(on=date(2020, 1, 1)) == 0
    before = selectors.wastewater_plants_by_builder(on=date(2015, 1, 1))
    idle = selectors.wastewater_plants_by_builder(on=date(2016, 6, 1))
    stopped = selectors.wastewater_plants_by_builder(on=date(2020, 1, 1))
    assert (before.plants_under_construction, before.plants) == (1, 0)
    assert (idle.plants_built_not_operating, idle.plants) == (1, 0)
    assert (stopped.plants_built_not_operating, stopped.plants) == (1, 0)


def test_selectors_restricted_to_a_unit_count_only_that_unit():
    chuong_my, phu_xuyen = unit("277"), unit("280")
    here = IndustrialClusterFactory(
        administrative_unit=chuong_my,
        established_on=date(2018, 5, 1),
        operating_from=date(2019, 1, 2),
    )
    there = IndustrialClusterFactory(
        administrative_unit=phu_xuyen, operating_from=date(2010, 1, 1)
    )
    WastewaterPlantFactory(built_by=CITY, serves=[there])
    assert selectors.clusters_operating(on=JUNE_2019, unit=chuong_my) == 1
    assert selectors.clusters_established(year=2018, unit=chuong_my) == 1
    assert selectors.clusters_established(year=2018, unit=phu_xuyen) == 0
    assert selectors.clusters_with_wwtp(on=JUNE_2019, unit=chuong_my) == 0
    assert selectors.clusters_with_wwtp(on=JUNE_2019, unit=phu_xuyen) == 1
    assert (
        selectors.wastewater_plants_by_builder(on=JUNE_2019, unit=chuong_my).plants == 0
    )
    assert selectors.clusters_in_plan(on=JUNE_2019, unit=phu_xuyen) == 1
    assert here.pk != there.pk


def test_totals_by_unit_give_counts_land_and_occupancy_per_unit():
    chuong_my, phu_xuyen = unit("277"), unit("280")
    a = IndustrialClusterFactory(
        administrative_unit=chuong_my,
        operating_from=date(2010, 1, 1),
        planned_area_ha=Decimal("40"),
        industrial_land_ha=Decimal("30"),
        leased_land_ha=Decimal("24"),
    )
    IndustrialClusterFactory(
        administrative_unit=chuong_my,
        established_on=date(2019, 4, 1),
        operating_from=date(2019, 5, 1),
        planned_area_ha=Decimal("20"),
        industrial_land_ha=Decimal("10"),
        leased_land_ha=Decimal("1"),
    )
    IndustrialClusterFactory(
        administrative_unit=chuong_my,
        planned_area_ha=Decimal("12"),
        industrial_land_ha=None,
        leased_land_ha=None,
    )
    IndustrialClusterFactory(
        administrative_unit=phu_xuyen, planned_area_ha=Decimal("15.5")
    )
    WastewaterPlantFactory(serves=[a])
    rows = {
        r.code: r for r in selectors.cluster_totals_by_unit(on=JUNE_2019, year=2019)
    }
    assert list(rows) == ["277", "280"]
    cm = rows["277"]
    assert (
        cm.name,
        cm.in_plan,
        cm.operating,
        cm.established_in_year,
        cm.with_wwtp,
    ) == (
        "Chương Mỹ",
        3,
        2,
        1,
        1,
    )
    assert cm.planned_area_ha == Decimal("72")
    assert (cm.industrial_land_ha, cm.leased_land_ha) == (Decimal("40"), Decimal("25"))
    assert cm.occupancy_percent == Decimal("62.5")
    px = rows["280"]
    assert (px.in_plan, px.operating, px.with_wwtp) == (1, 0, 0)
    assert px.planned_area_ha == Decimal("15.5")
    assert px.occupancy_percent is None


UNIT = object()  # replaced by Chương Mỹ in the test


def test_cluster_overview_runs_two_queries_at_two_data_sizes(
    django_assert_num_queries,
):
    chuong_my = unit("277")
    build_article_2019(scale=1)
    with django_assert_num_queries(2):
        small = selectors.cluster_overview(on=JUNE_2019, year=2019, unit=chuong_my)
    build_article_2019(scale=2)
    with django_assert_num_queries(2):
        large = selectors.cluster_overview(on=JUNE_2019, year=2019, unit=chuong_my)
    assert large.operating == 3 * small.operating > 0  # 1 + 2 builds
    assert large.with_wwtp == 3 * small.with_wwtp > 0


@pytest.mark.parametrize(
    ("selector", "kwargs"),
    [
        (selectors.clusters_in_plan, {"on": JUNE_2019, "unit": UNIT}),
        (selectors.clusters_operating, {"on": JUNE_2019, "unit": UNIT}),
        (selectors.clusters_established, {"year": 2019, "unit": UNIT}),
        (selectors.clusters_with_wwtp, {"on": JUNE_2019, "unit": UNIT}),
        (
            selectors.cluster_status_counts,
            {"on": JUNE_2019, "unit": UNIT, "established_in": [2018, 2019]},
        ),
        (selectors.wastewater_plants_by_builder, {"on": JUNE_2019, "unit": UNIT}),
        (selectors.cluster_totals_by_unit, {"on": JUNE_2019, "year": 2019}),
    ],
)
def test_selectors_run_one_query_at_two_data_sizes(
    selector, kwargs, django_assert_num_queries
):
    chuong_my = unit("277")
    scoped = {k: chuong_my if v is UNIT else v for k, v in kwargs.items()}
    everywhere = {k: v for k, v in kwargs.items() if v is not UNIT}
    build_article_2019(scale=1)
    with django_assert_num_queries(1):
        small = selector(**everywhere)
    with django_assert_num_queries(1):
        small_scoped = selector(**scoped)
    build_article_2019(scale=3)
    with django_assert_num_queries(1):
        large = selector(**everywhere)
    with django_assert_num_queries(1):
        large_scoped = selector(**scoped)
    assert small != large
    if scoped != everywhere:
        assert small_scoped != small
        assert large_scoped != large
