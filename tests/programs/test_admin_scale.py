"""Changelists stay within a fixed query budget at the size of a busy year:
1,000 courses and 30,000 participants."""

from datetime import date, timedelta
from decimal import Decimal
from itertools import cycle

import pytest
from django.urls import reverse

from khuyencong.models import AdministrativeUnit
from programs.models import (
    CourseKind,
    Establishment,
    Participant,
    TradeEvent,
    TrainingCourse,
)
from programs.participant_counts import count_added
from tests.programs.factories import (
    EstablishmentFactory,
    PlanFactory,
    PlanTargetFactory,
    TrainingCourseFactory,
)

pytestmark = pytest.mark.django_db

COURSES = 1000
PER_COURSE = 30
BUDGET = 12


@pytest.fixture
def busy_year():
    plans = [PlanFactory(year=2018), PlanFactory(year=2019)]
    for plan in plans:
        PlanTargetFactory(plan=plan)
    units = list(AdministrativeUnit.objects.districts())
    unit_cycle = cycle(units)
    establishments = Establishment.objects.bulk_create(
        Establishment(
            name=f"Cơ sở {i}",
            kind=Establishment.Kind.HOUSEHOLD,
            tax_code=f"{i:010d}",
            administrative_unit=next(unit_cycle),
        )
        for i in range(1, 1001)
    )
    kinds = cycle(CourseKind.values)
    courses = TrainingCourse.objects.bulk_create(
        TrainingCourse(
            plan=plans[i % 2],
            kind=next(kinds),
            title=f"Lớp {i}",
            administrative_unit=next(unit_cycle),
            host_establishment=establishments[i],
            start_date=date(2018 + i % 2, 1, 1) + timedelta(days=i % 300),
            end_date=date(2018 + i % 2, 1, 1) + timedelta(days=i % 300 + 60),
            planned_participants=PER_COURSE,
            total_budget=Decimal("100000000"),
            support_budget=Decimal("80000000"),
        )
        for i in range(COURSES)
    )
    count_added(
        Participant.objects.bulk_create(
            (
                Participant(
                    course=course,
                    full_name=f"Học viên {n}",
                    birth_year=1980 + n % 20,
                    gender="nam" if n % 2 else "nu",
                    id_number=f"{n:012d}",
                    administrative_unit=course.administrative_unit,
                    establishment=establishments[n % 1000],
                )
                for n, course in enumerate(
                    (c for c in courses for _ in range(PER_COURSE)), start=1
                )
            ),
            batch_size=5000,
        )
    )
    events = TradeEvent.objects.bulk_create(
        TradeEvent(
            plan=plans[i % 2],
            name=f"Hội chợ {i}",
            kind=TradeEvent.Kind.FAIR,
            start_date=date(2019, 10, 1),
            end_date=date(2019, 10, 5),
            administrative_unit=next(unit_cycle),
        )
        for i in range(200)
    )
    through = TradeEvent.establishments.through
    through.objects.bulk_create(
        through(tradeevent=event, establishment=establishments[j])
        for i, event in enumerate(events)
        for j in range(i, i + 20)
    )
    return courses


def test_changelists_stay_within_query_budget(
    busy_year, client, staff_user, django_assert_max_num_queries
):
    client.force_login(staff_user)
    assert Participant.objects.count() == COURSES * PER_COURSE
    pages = [
        ("plan", {}),
        ("establishment", {}),
        ("establishment", {"q": "Cơ sở 99"}),
        ("trainingcourse", {}),
        (
            "trainingcourse",
            {"nam": "2019", "nhom": "nghe", "status__exact": "ke_hoach"},
        ),
        ("trainingcourse", {"q": "000000000031"}),
        ("trainingcourse", {"start_date__year": "2019"}),
        ("participant", {}),
        ("participant", {"nam": "2019", "gender__exact": "nu"}),
        ("participant", {"q": "Học viên 15"}),
        ("tradeevent", {}),
    ]
    for model, query in pages:
        with django_assert_max_num_queries(BUDGET):
            response = client.get(reverse(f"admin:programs_{model}_changelist"), query)
        assert response.status_code == 200
        assert len(response.context["cl"].result_list) > 0, (model, query)


def test_course_page_with_hundreds_of_participants_runs_few_queries(
    client, staff_user, django_assert_max_num_queries
):
    course = TrainingCourseFactory(planned_participants=300)
    units = list(AdministrativeUnit.objects.districts()[:10])
    establishments = EstablishmentFactory.create_batch(5)
    count_added(
        Participant.objects.bulk_create(
            Participant(
                course=course,
                full_name=f"Học viên {n}",
                birth_year=1990,
                gender="nu",
                id_number=f"9{n:011d}",
                administrative_unit=units[n % 10],
                establishment=establishments[n % 5],
            )
            for n in range(300)
        )
    )
    client.force_login(staff_user)
    with django_assert_max_num_queries(16):
        response = client.get(
            reverse("admin:programs_trainingcourse_change", args=[course.pk])
        )
    page = response.content.decode()
    assert page.count('name="participants-') > 300 * 8
    # Labels of the raw-id fields, found without a query per row.
    assert establishments[4].name in page
    assert units[9].name in page
