"""The trend of several years is counted in the queries of one year, and gives the
same figures as counting each year on its own."""

import dataclasses

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from khuyencong import report_selectors
from khuyencong.models import AdministrativeUnit
from programs import selectors as program_selectors
from programs.models import Plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=open("/dev/null", "w"))


def year_by_year(sources):
    """The same sources, asked one year at a time (as before `by_year`)."""
    return [dataclasses.replace(s, by_year=None) for s in sources]


@pytest.mark.parametrize("unit_code", [None, "277", "268"])
def test_every_year_of_the_trend_equals_that_year_counted_alone(demo, unit_code):
    unit = AdministrativeUnit.objects.get(code=unit_code) if unit_code else None
    years = sorted(Plan.objects.values_list("year", flat=True))
    assert len(years) >= 2
    sources = report_selectors.indicator_sources()
    assert all(s.by_year is not None for s in sources)
    together = program_selectors.plan_vs_actual_by_year(
        years=years, unit=unit, sources=sources
    )
    for year in years:
        alone = program_selectors.plan_vs_actual(
            year=year, unit=unit, sources=year_by_year(sources)
        )
        assert together[year] == alone, year
    # And the figures are not all zero: the comparison compares something.
    assert any(row.actual for row in together[2019])


def test_the_trend_costs_the_same_queries_for_two_years_and_six(demo):
    def queries(years):
        with CaptureQueriesContext(connection) as captured:
            report_selectors.progress_and_trends(year=2019, years=years)
        return len(captured.captured_queries)

    assert queries([2018, 2019]) == queries(range(2014, 2020))


def test_the_dashboard_table_by_unit_equals_each_source_counted_alone(demo):
    board = report_selectors.dashboard(year=2019)
    alone = report_selectors.unit_rows(
        year=2019, sources=report_selectors.indicator_sources()
    )
    assert [(r.unit.code, r.values) for r in board.units] == [
        (r.unit.code, r.values) for r in alone
    ]
    assert any(r.values.get("clusters_operating") for r in board.units)
