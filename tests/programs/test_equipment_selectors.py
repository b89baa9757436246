"""equipment_projects and equipment_support_vnd are counted from workflow states."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from programs.models import EquipmentProject, EquipmentStatus
from programs.selectors import (
    actuals_by_unit,
    equipment_totals,
    equipment_totals_by_unit,
    indicator_actuals,
    plan_vs_actual,
)
from tests.khuyencong.factories import unit
from tests.programs.factories import (
    EquipmentProjectFactory,
    EstablishmentFactory,
    PlanFactory,
    PlanTargetFactory,
)

pytestmark = pytest.mark.django_db

M = Decimal("1000000")
S = EquipmentStatus


def project(*, status, approved=None, unit_code="277", year=2019):
    """A project put straight into a state: selectors read states, they do not
    care how the project got there (the workflow tests cover that)."""
    p = EquipmentProjectFactory(
        plan=PlanFactory(year=year),
        establishment=EstablishmentFactory(administrative_unit=unit(unit_code)),
    )
    EquipmentProject.objects.filter(pk=p.pk).update(
        status=status, approved_support=approved
    )
    return p


@pytest.fixture
def projects_2019():
    project(status=S.APPROVED, approved=300 * M)
    project(status=S.IMPLEMENTING, approved=200 * M)
    project(status=S.ACCEPTED, approved=100 * M, unit_code="280")
    project(status=S.SETTLED, approved=250 * M, unit_code="280")
    # Not counted: not (yet) approved, or rejected.
    for status in (S.REGISTERED, S.NEEDS_SUPPLEMENT, S.SURVEYED, S.FORWARDED):
        project(status=status)
    project(status=S.REJECTED)
    # Another year.
    project(status=S.SETTLED, approved=299 * M, year=2018)


def test_projects_approved_or_later_count_with_their_approved_support(projects_2019):
    assert equipment_totals(year=2019) == {
        "equipment_projects": 4,
        "equipment_support_vnd": 850 * M,
        "budget_vnd": 850 * M,
    }
    assert equipment_totals(year=2018)["equipment_projects"] == 1
    assert equipment_totals(year=2017) == {
        "equipment_projects": 0,
        "equipment_support_vnd": 0,
        "budget_vnd": 0,
    }


def test_equipment_totals_of_a_unit_count_its_establishments(projects_2019):
    chuong_my = equipment_totals(year=2019, unit=unit("277"))
    assert chuong_my["equipment_projects"] == 2
    assert chuong_my["equipment_support_vnd"] == 500 * M
    assert equipment_totals(year=2019, unit=unit("280"))["equipment_projects"] == 2
    assert equipment_totals(year=2019, unit=unit("271"))["equipment_projects"] == 0


def test_equipment_totals_by_unit_group_by_the_establishment_unit(projects_2019):
    by_unit = equipment_totals_by_unit(year=2019)
    assert by_unit == {
        unit("277").pk: {
            "equipment_projects": 2,
            "equipment_support_vnd": 500 * M,
            "budget_vnd": 500 * M,
        },
        unit("280").pk: {
            "equipment_projects": 2,
            "equipment_support_vnd": 350 * M,
            "budget_vnd": 350 * M,
        },
    }


def test_plan_vs_actual_shows_equipment_against_the_target(projects_2019):
    plan = PlanFactory(year=2019)
    PlanTargetFactory(plan=plan, indicator="equipment_projects", target_value=14)
    rows = {row.indicator: row for row in plan_vs_actual(year=2019)}
    row = rows["equipment_projects"]
    assert (row.target, row.actual, row.share) == (14, 4, Decimal("28.6"))
    assert rows["equipment_support_vnd"].actual == 850 * M
    assert indicator_actuals(year=2019)["budget_vnd"] == 850 * M
    table = {r.unit.code: r.values for r in actuals_by_unit(year=2019)}
    assert table["280"]["equipment_projects"] == 2


def test_equipment_selectors_take_one_query_whatever_the_data(projects_2019):
    def count(fn):
        with CaptureQueriesContext(connection) as ctx:
            fn()
        return len(ctx.captured_queries)

    chuong_my = unit("277")
    calls = (
        lambda: equipment_totals(year=2019),
        lambda: equipment_totals(year=2019, unit=chuong_my),
        lambda: equipment_totals_by_unit(year=2019),
    )
    assert [count(fn) for fn in calls] == [1, 1, 1]
    for code in ("271", "272", "279"):
        for _ in range(3):
            project(status=S.APPROVED, approved=10 * M, unit_code=code)
    assert [count(fn) for fn in calls] == [1, 1, 1]
    assert len(equipment_totals_by_unit(year=2019)) == 5
