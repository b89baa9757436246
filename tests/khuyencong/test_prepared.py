"""Report queries compiled once per process (khuyencong.prepared): the kept SQL
gives what the queryset gives, reads the rows as they are now, and is the same SQL
the next time."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Count, Max, Sum
from django.test.utils import CaptureQueriesContext

from khuyencong import prepared
from programs.models import TrainingCourse
from tests.programs.factories import PlanFactory, TrainingCourseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def nothing_kept():
    prepared.forget()
    yield
    prepared.forget()


def courses_of(year):
    return TrainingCourse.objects.filter(plan__year=year).order_by("title")


def test_rows_are_what_the_queryset_gives_converted_as_django_converts_them():
    plan = PlanFactory(year=2019)
    TrainingCourseFactory(plan=plan, title="A", support_budget=Decimal("1500000"))
    TrainingCourseFactory(plan=plan, title="B", start_date=date(2019, 4, 2))

    def build():
        return courses_of(2019).values_list("title", "support_budget", "start_date")

    found = prepared.rows(("test-courses", 2019), build)
    assert found == list(build())
    # Decimals and dates come back as such on SQLite too (Django's converters).
    assert found[0][1] == Decimal("1500000") and type(found[0][1]) is Decimal
    assert found[1][2] == date(2019, 4, 2)


def test_the_kept_sql_reads_the_rows_as_they_are_now():
    plan = PlanFactory(year=2019)
    TrainingCourseFactory(plan=plan, title="A")
    built = []

    def build():
        built.append(1)
        return courses_of(2019).values_list("title")

    assert prepared.rows(("test-titles", 2019), build) == [("A",)]
    TrainingCourseFactory(plan=plan, title="B")
    with CaptureQueriesContext(connection) as captured:
        assert prepared.rows(("test-titles", 2019), build) == [("A",), ("B",)]
    assert len(built) == 1  # compiled once
    assert len(captured) == 1


def test_a_different_key_is_a_different_query():
    TrainingCourseFactory(plan=PlanFactory(year=2018), title="Năm 2018")
    TrainingCourseFactory(plan=PlanFactory(year=2019), title="Năm 2019")
    for year in (2018, 2019):
        titles = prepared.rows(
            ("test-by-year", year), lambda y=year: courses_of(y).values_list("title")
        )
        assert titles == [(f"Năm {year}",)]


def test_aggregate_gives_one_row_even_when_nothing_matches():
    plan = PlanFactory(year=2019)
    TrainingCourseFactory.create_batch(2, plan=plan, support_budget=Decimal("10"))
    aggregates = {"n": Count("pk"), "budget": Sum("support_budget")}
    found = prepared.aggregate(
        ("test-sum", 2019), lambda: courses_of(2019), **aggregates
    )
    assert found == {"n": 2, "budget": Decimal("20")}
    assert found == courses_of(2019).aggregate(**aggregates)
    empty = prepared.aggregate(
        ("test-sum", 2030), lambda: courses_of(2030), **aggregates
    )
    assert empty == {"n": 0, "budget": None} == courses_of(2030).aggregate(**aggregates)
    # An IN of nothing is no query at all, and the answer aggregate() gives.
    with CaptureQueriesContext(connection) as captured:
        nothing = prepared.aggregate(
            ("test-none",),
            lambda: TrainingCourse.objects.filter(pk__in=[]),
            n=Count("pk"),
            latest=Max("start_date"),
        )
    assert nothing == {"n": 0, "latest": None}
    assert len(captured) == 0


def test_at_most_kept_max_queries_are_kept(monkeypatch):
    monkeypatch.setattr(prepared, "KEPT_MAX", 3)
    for year in range(2015, 2020):
        prepared.rows(
            ("test-bound", year), lambda y=year: courses_of(y).values_list("pk")
        )
    assert len(prepared._kept) == 3
    assert ("test-bound", 2019) in {key[1:] for key in prepared._kept}
    assert ("test-bound", 2015) not in {key[1:] for key in prepared._kept}


def test_rows_hold_only_the_selected_columns():
    """A DISTINCT ordered by a column it does not select makes Django add that
    column to the SQL; the rows leave it out, as the queryset does."""
    plan = PlanFactory(year=2019)
    TrainingCourseFactory(plan=plan, title="B", craft="Gốm")
    TrainingCourseFactory(plan=plan, title="A", craft="Mây tre")

    def build():
        return courses_of(2019).values_list("craft").distinct().order_by("title")

    assert prepared.rows(("test-distinct",), build) == list(build())
    assert prepared.rows(("test-distinct",), build) == [("Mây tre",), ("Gốm",)]
