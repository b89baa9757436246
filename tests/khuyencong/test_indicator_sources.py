"""Every indicator of DOMAIN.md §5 is counted by some app's selectors."""

from datetime import date

import pytest

from clusters.selectors import status_date_for_year
from programs.indicators import Indicator
from programs.selectors import actual_sources, indicator_actuals
from tests.clusters.factories import IndustrialClusterFactory

pytestmark = pytest.mark.django_db


def test_every_indicator_has_a_source():
    counted = {code for source in actual_sources() for code in source.indicators}
    assert {str(i) for i in Indicator} - counted == set()


def test_cluster_figures_of_a_past_year_are_read_on_31_december():
    assert status_date_for_year(2019) == date(2019, 12, 31)


def test_branding_and_cluster_actuals_reach_the_plan_vs_actual_registry(unit_a):
    IndustrialClusterFactory(
        administrative_unit=unit_a,
        established_on=date(2019, 3, 1),
        operating_from=date(2019, 6, 1),
    )
    actuals = indicator_actuals(year=2019)
    assert actuals["clusters_established"] == 1
    assert actuals["clusters_operating"] == 1
    assert actuals["branding_villages"] == 0
    assert indicator_actuals(year=2019, unit=unit_a)["clusters_operating"] == 1
