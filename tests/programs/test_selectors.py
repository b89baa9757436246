"""Plan against actual, counted from hand-made data."""

from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from programs.models import CourseKind, TrainingCourse
from programs.selectors import (
    ACTUAL_SOURCES,
    actual_sources,
    actuals_by_unit,
    indicator_actuals,
    plan_vs_actual,
)
from tests.khuyencong.factories import unit
from tests.programs.factories import (
    ParticipantFactory,
    PlanFactory,
    PlanTargetFactory,
    TradeEventFactory,
    TrainingCourseFactory,
)

pytestmark = pytest.mark.django_db

M = Decimal("1000000")


@pytest.fixture
def data_2019():
    plan = PlanFactory(year=2019)
    for code, value in {
        "craft_classes": 38,
        "craft_trainees": 1300,
        "mgmt_courses": 15,
        "mgmt_participants": 1500,
        "trade_events": 4,
        "budget_vnd": 25_000 * M,
    }.items():
        PlanTargetFactory(plan=plan, indicator=code, target_value=Decimal(value))
    chuong_my, phu_xuyen = unit("277"), unit("280")

    def course(unit_, people, **kwargs):
        c = TrainingCourseFactory(plan=plan, administrative_unit=unit_, **kwargs)
        ParticipantFactory.create_batch(people, course=c)
        return c

    course(chuong_my, 3, employed_after=2, support_budget=100 * M)
    course(phu_xuyen, 2, employed_after=1, support_budget=80 * M)
    course(
        chuong_my,
        4,
        status=TrainingCourse.Status.CANCELLED,
        support_budget=70 * M,
    )
    course(
        chuong_my,
        5,
        kind=CourseKind.MANAGEMENT,
        status=TrainingCourse.Status.RUNNING,
        support_budget=50 * M,
    )
    TradeEventFactory(plan=plan, administrative_unit=chuong_my, support_amount=500 * M)
    TradeEventFactory(plan=plan, support_amount=300 * M)
    # Another year: never counted in 2019.
    plan_2018 = PlanFactory(year=2018)
    c2018 = TrainingCourseFactory(plan=plan_2018, administrative_unit=chuong_my)
    ParticipantFactory.create_batch(6, course=c2018)
    TradeEventFactory(plan=plan_2018, support_amount=999 * M)
    return plan


def test_actuals_for_the_city_count_the_registers(data_2019):
    assert indicator_actuals(year=2019, sources=ACTUAL_SOURCES) == {
        "craft_classes": 2,
        "craft_trainees": 5,
        "craft_employed": 3,
        "mgmt_courses": 1,
        "mgmt_participants": 5,
        "trade_events": 2,
        "budget_vnd": 1030 * M,
        "equipment_projects": 0,
        "equipment_support_vnd": 0,
    }


def test_actuals_for_a_unit_count_only_its_rows(data_2019):
    assert indicator_actuals(year=2019, unit=unit("277"), sources=ACTUAL_SOURCES) == {
        "craft_classes": 1,
        "craft_trainees": 3,
        "craft_employed": 2,
        "mgmt_courses": 1,
        "mgmt_participants": 5,
        "trade_events": 1,
        "budget_vnd": 650 * M,
        "equipment_projects": 0,
        "equipment_support_vnd": 0,
    }
    phu_xuyen = indicator_actuals(year=2019, unit=unit("280"))
    assert phu_xuyen["craft_trainees"] == 2
    assert phu_xuyen["trade_events"] == 0
    assert phu_xuyen["budget_vnd"] == 80 * M


def test_actuals_of_a_year_without_data_are_zero(data_2019):
    assert set(indicator_actuals(year=2017).values()) == {Decimal("0")}


def test_plan_vs_actual_rows_have_target_actual_and_share(data_2019):
    rows = {row.indicator: row for row in plan_vs_actual(year=2019)}
    craft = rows["craft_classes"]
    assert (craft.target, craft.actual, craft.share) == (38, 2, Decimal("5.3"))
    assert craft.label == "Lớp truyền nghề, cấy nghề, nâng cao tay nghề"
    assert craft.measure == "lớp"
    events = rows["trade_events"]
    assert (events.target, events.actual, events.share) == (4, 2, Decimal("50.0"))
    # An indicator no installed register counts yet has neither.
    assert rows["clusters_operating"].actual == 0  # counted, none in this data
    assert rows["clusters_operating"].target is None
    assert rows["equipment_projects"].share is None
    assert [r.indicator for r in plan_vs_actual(year=2019)][:2] == [
        "craft_classes",
        "craft_trainees",
    ]


def test_plan_vs_actual_for_a_unit_has_no_city_targets(data_2019):
    rows = {r.indicator: r for r in plan_vs_actual(year=2019, unit=unit("280"))}
    assert rows["craft_classes"].target is None
    assert rows["craft_classes"].actual == 1


def test_actuals_by_unit_give_each_unit_its_figures(data_2019):
    table = actuals_by_unit(year=2019)
    assert [row.unit.code for row in table] == ["277", "280"]
    chuong_my, phu_xuyen = table
    assert chuong_my.values["craft_trainees"] == 3
    assert chuong_my.values["trade_events"] == 1
    assert chuong_my.values["budget_vnd"] == 650 * M
    assert phu_xuyen.values["craft_classes"] == 1
    assert "trade_events" not in phu_xuyen.values


def test_selectors_take_a_fixed_number_of_queries_whatever_the_data(data_2019):
    def count(fn):
        with CaptureQueriesContext(connection) as ctx:
            fn()
        return len(ctx.captured_queries)

    calls = (
        lambda: indicator_actuals(year=2019, sources=ACTUAL_SOURCES),
        lambda: plan_vs_actual(year=2019, sources=ACTUAL_SOURCES),
        lambda: actuals_by_unit(year=2019, sources=ACTUAL_SOURCES),
    )
    before = [count(fn) for fn in calls]
    assert before == [3, 4, 4]
    plan = data_2019
    for code in ("271", "272", "279"):
        c = TrainingCourseFactory(plan=plan, administrative_unit=unit(code))
        ParticipantFactory.create_batch(20, course=c)
        TradeEventFactory(plan=plan, administrative_unit=unit(code))
    assert [count(fn) for fn in calls] == before
    assert len(actuals_by_unit(year=2019)) == 5


@dataclass(frozen=True)
class FakeEquipmentSource:
    indicators = ("equipment_projects", "budget_vnd")

    def totals(self, *, year, unit=None):
        return {"equipment_projects": Decimal(14), "budget_vnd": 4000 * M}

    def by_unit(self, *, year, per_province=False):
        return {unit("280").pk: {"equipment_projects": Decimal(2)}}


def test_other_registers_plug_in_their_sources_and_budgets_add_up(data_2019):
    sources = (*ACTUAL_SOURCES, FakeEquipmentSource())
    actuals = indicator_actuals(year=2019, sources=sources)
    assert actuals["equipment_projects"] == 14
    assert actuals["budget_vnd"] == 5030 * M
    table = {r.unit.code: r.values for r in actuals_by_unit(year=2019, sources=sources)}
    assert table["280"]["equipment_projects"] == 2


def test_sources_are_discovered_from_installed_apps():
    names = [getattr(s, "name", "") for s in actual_sources()]
    assert names[:3] == [
        "programs.training",
        "programs.trade_events",
        "programs.equipment",
    ]
