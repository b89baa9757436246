"""A cluster's status on any day comes from its dated facts."""

from datetime import date, timedelta

import pytest

from clusters import selectors
from clusters.models import ClusterStatus, IndustrialCluster
from tests.clusters.factories import ClusterPlanFactory, IndustrialClusterFactory

pytestmark = pytest.mark.django_db

ESTABLISHED = date(2018, 9, 14)
OPERATING = date(2019, 3, 1)


def _days():
    """Every first of the month from 2017 to 2020 and both sides of each date."""
    days = {date(y, m, 1) for y in range(2017, 2021) for m in range(1, 13)}
    for d in (ESTABLISHED, OPERATING):
        days |= {d - timedelta(days=1), d, d + timedelta(days=1)}
    return sorted(days)


def _expected(day):
    if day >= OPERATING:
        return ClusterStatus.OPERATING
    if day >= ESTABLISHED:
        return ClusterStatus.ESTABLISHED
    return ClusterStatus.PLANNED


@pytest.fixture
def cluster():
    return IndustrialClusterFactory(
        established_on=ESTABLISHED, operating_from=OPERATING
    )


def test_cluster_established_2018_operating_2019_has_the_right_status_every_day(
    cluster,
):
    for day in _days():
        annotated = IndustrialCluster.objects.with_status(day).get().status
        assert cluster.status_on(day) == annotated == _expected(day), day


def test_cluster_established_2018_operating_2019_is_counted_where_it_belongs(cluster):
    for day in _days():
        counts = selectors.cluster_status_counts(on=day)
        assert selectors.clusters_operating(on=day) == (day >= OPERATING), day
        assert counts.operating == (day >= OPERATING)
        assert counts.established == (ESTABLISHED <= day < OPERATING)
        assert counts.planned == (day < ESTABLISHED)
        assert counts.in_plan == 1
    assert selectors.clusters_established(year=2017) == 0
    assert selectors.clusters_established(year=2018) == 1
    assert selectors.clusters_established(year=2019) == 0
    counts = selectors.cluster_status_counts(
        on=date(2020, 12, 31), established_in=range(2017, 2021)
    )
    assert counts.established_by_year == {
        2017: 0,
        2018: 1,
        2019: 0,
        2020: 0,
    }


def test_removed_cluster_leaves_the_plan_and_the_operating_count_on_its_day():
    plan = ClusterPlanFactory(effective_from=date(2013, 1, 1))
    removed = IndustrialClusterFactory(plan=plan, removed_on=date(2019, 6, 1))
    IndustrialClusterFactory(plan=plan)
    assert removed.status_on(date(2019, 5, 31)) == ClusterStatus.PLANNED
    assert removed.status_on(date(2019, 6, 1)) == ClusterStatus.REMOVED
    assert selectors.clusters_in_plan(on=date(2019, 5, 31), plan=plan) == 2
    assert selectors.clusters_in_plan(on=date(2019, 6, 1), plan=plan) == 1
    counts = selectors.cluster_status_counts(on=date(2019, 6, 1))
    assert (counts.removed, counts.planned, counts.in_plan) == (1, 1, 1)


def test_in_plan_follows_the_plan_validity_and_a_later_addition():
    plan = ClusterPlanFactory(
        effective_from=date(2014, 5, 1), effective_until=date(2024, 12, 31)
    )
    original = IndustrialClusterFactory(plan=plan)
    added = IndustrialClusterFactory(plan=plan, in_plan_from=date(2019, 1, 10))
    assert selectors.clusters_in_plan(on=date(2014, 4, 30)) == 0
    assert selectors.clusters_in_plan(on=date(2018, 12, 31)) == 1
    assert selectors.clusters_in_plan(on=date(2019, 1, 10)) == 2
    assert selectors.clusters_in_plan(on=date(2025, 1, 1)) == 0
    assert added.status_on(date(2018, 12, 31)) == ClusterStatus.NOT_IN_PLAN
    assert original.status_on(date(2018, 12, 31)) == ClusterStatus.PLANNED
    statuses = dict(
        IndustrialCluster.objects.with_status(date(2018, 12, 31)).values_list(
            "pk", "status"
        )
    )
    assert statuses == {
        original.pk: ClusterStatus.PLANNED,
        added.pk: ClusterStatus.NOT_IN_PLAN,
    }


def test_an_old_cluster_operating_without_a_recorded_establishment_still_operates():
    old = IndustrialClusterFactory(operating_from=date(2005, 1, 1))
    assert old.status_on(date(2019, 6, 30)) == ClusterStatus.OPERATING
    assert selectors.clusters_operating(on=date(2019, 6, 30)) == 1
    assert selectors.clusters_established(year=2005) == 0


def test_status_counts_agree_with_each_clusters_status_every_day():
    """The counts are written as filters of their own (cheaper for the ORM than a
    count over the CASE annotation): they must count what `status_on` says."""
    from collections import Counter

    plan = ClusterPlanFactory(
        effective_from=date(2013, 1, 1), effective_until=date(2030, 12, 31)
    )
    later_plan = ClusterPlanFactory(effective_from=date(2019, 7, 1))
    IndustrialClusterFactory(plan=plan)  # planned throughout
    IndustrialClusterFactory(plan=plan, in_plan_from=date(2019, 5, 1))
    IndustrialClusterFactory(plan=later_plan)  # not in a plan before 7/2019
    IndustrialClusterFactory(plan=plan, established_on=ESTABLISHED)
    IndustrialClusterFactory(
        plan=plan, established_on=ESTABLISHED, operating_from=OPERATING
    )
    IndustrialClusterFactory(plan=plan, operating_from=OPERATING)  # no decision date
    IndustrialClusterFactory(
        plan=plan,
        established_on=date(2015, 1, 1),
        operating_from=date(2016, 1, 1),
        removed_on=date(2019, 6, 1),
    )
    for day in _days():
        counts = selectors.cluster_status_counts(
            on=day, established_in=[2015, 2018, 2019]
        )
        statuses = Counter(c.status_on(day) for c in IndustrialCluster.objects.all())
        assert counts.removed == statuses[ClusterStatus.REMOVED], day
        assert counts.operating == statuses[ClusterStatus.OPERATING], day
        assert counts.established == statuses[ClusterStatus.ESTABLISHED], day
        assert counts.planned == statuses[ClusterStatus.PLANNED], day
        assert counts.not_in_plan == statuses[ClusterStatus.NOT_IN_PLAN], day
        assert counts.total == 7
        assert counts.in_plan == sum(
            c.is_in_plan_on(day) for c in IndustrialCluster.objects.all()
        )
        assert counts.established_by_year == {2015: 1, 2018: 2, 2019: 0}
