from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from programs.models import CourseFamily, CourseKind, Establishment, Participant
from tests.khuyencong.factories import unit
from tests.programs.factories import (
    EstablishmentFactory,
    ParticipantFactory,
    PlanFactory,
    PlanTargetFactory,
    TradeEventFactory,
    TrainingCourseFactory,
)

pytestmark = pytest.mark.django_db


def messages_of(exc: ValidationError, field: str) -> list[str]:
    return exc.value.message_dict[field]


# --- plans -------------------------------------------------------------------


def test_only_one_plan_per_year():
    PlanFactory(year=2019)
    duplicate = PlanFactory.build(year=2019)
    with pytest.raises(ValidationError) as exc:
        duplicate.full_clean()
    assert messages_of(exc, "year") == ["Đã có kế hoạch khuyến công cho năm này."]


def test_plan_year_outside_2000_2100_is_refused():
    with pytest.raises(ValidationError) as exc:
        PlanFactory.build(year=1919).full_clean()
    assert "year" in exc.value.message_dict


def test_a_plan_has_one_target_per_indicator():
    target = PlanTargetFactory(indicator="craft_classes")
    again = PlanTargetFactory.build(plan=target.plan, indicator="craft_classes")
    with pytest.raises(ValidationError) as exc:
        again.full_clean()
    assert "Mỗi chỉ tiêu chỉ được nhập một lần trong một kế hoạch." in str(exc.value)


def test_negative_target_is_refused_by_form_and_database():
    plan = PlanFactory()
    with pytest.raises(ValidationError):
        PlanTargetFactory.build(plan=plan, target_value=Decimal("-1")).full_clean()
    with transaction.atomic(), pytest.raises(IntegrityError):
        PlanTargetFactory(plan=plan, target_value=Decimal("-1"))


def test_target_has_unit_of_measure():
    assert PlanTargetFactory(indicator="craft_trainees").measure == "người"


# --- establishments ------------------------------------------------------------


def test_tax_code_typed_with_separators_is_stored_canonical():
    est = EstablishmentFactory.build(tax_code="0101 234 567 001")
    est.full_clean()
    assert est.tax_code == "0101234567-001"


def test_malformed_tax_code_is_refused_naming_the_field():
    est = EstablishmentFactory.build(tax_code="12345")
    with pytest.raises(ValidationError) as exc:
        est.full_clean()
    assert "Mã số thuế phải gồm 10 chữ số" in messages_of(exc, "tax_code")[0]


def test_tax_code_is_unique_when_present():
    EstablishmentFactory(tax_code="0101234567-001")
    again = EstablishmentFactory.build(tax_code="0101234567001")
    with pytest.raises(ValidationError) as exc:
        again.full_clean()
    assert "Mã số thuế này đã có trong danh sách cơ sở." in str(exc.value)
    with transaction.atomic(), pytest.raises(IntegrityError):
        EstablishmentFactory(tax_code="0101234567-001")


def test_many_household_businesses_may_have_no_tax_code():
    EstablishmentFactory(tax_code="")
    second = EstablishmentFactory.build(tax_code="")
    second.full_clean()
    second.save()
    assert Establishment.objects.filter(tax_code="").count() == 2


def test_every_write_stores_the_canonical_tax_code():
    assert EstablishmentFactory(tax_code="0101234567001").tax_code == "0101234567-001"


def test_database_refuses_a_malformed_tax_code():
    with transaction.atomic(), pytest.raises(IntegrityError):
        EstablishmentFactory(tax_code="01012345")


def test_lookup_by_a_non_numeric_term_finds_nothing_without_error():
    EstablishmentFactory()
    assert not Establishment.objects.filter(tax_code="Nguyễn").exists()
    assert not Participant.objects.filter(id_number="Nguyễn").exists()


# --- courses -------------------------------------------------------------------


def test_course_ending_before_it_starts_is_refused():
    course = TrainingCourseFactory.build(
        plan=PlanFactory(), start_date=date(2019, 5, 1), end_date=date(2019, 4, 1)
    )
    with pytest.raises(ValidationError) as exc:
        course.full_clean()
    assert "Ngày kết thúc phải sau ngày khai giảng." in messages_of(exc, "end_date")


def test_database_refuses_course_ending_before_it_starts():
    with transaction.atomic(), pytest.raises(IntegrityError):
        TrainingCourseFactory(start_date=date(2019, 5, 1), end_date=date(2019, 4, 1))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("planned_participants", 0),
        ("planned_participants", 5000),
        ("total_budget", Decimal("-1")),
        ("average_monthly_income", Decimal("900000000")),
        ("employed_after", 9000),
    ],
)
def test_negative_or_absurd_course_numbers_are_refused(field, value):
    course = TrainingCourseFactory.build(plan=PlanFactory(), **{field: value})
    with pytest.raises(ValidationError) as exc:
        course.full_clean()
    assert field in exc.value.message_dict


def test_course_lasting_more_than_a_year_is_refused():
    course = TrainingCourseFactory.build(
        plan=PlanFactory(), start_date=date(2019, 1, 1), end_date=date(2020, 3, 1)
    )
    with pytest.raises(ValidationError) as exc:
        course.full_clean()
    assert "Một lớp không thể kéo dài quá một năm." in messages_of(exc, "end_date")


def test_support_above_total_budget_is_refused():
    course = TrainingCourseFactory.build(
        plan=PlanFactory(),
        total_budget=Decimal("100000000"),
        support_budget=Decimal("150000000"),
    )
    with pytest.raises(ValidationError) as exc:
        course.full_clean()
    assert messages_of(exc, "support_budget") == [
        "Kinh phí hỗ trợ không được lớn hơn tổng kinh phí."
    ]


def test_outcome_only_for_finished_course():
    course = TrainingCourseFactory.build(
        plan=PlanFactory(), status="dang_hoc", employed_after=20
    )
    with pytest.raises(ValidationError) as exc:
        course.full_clean()
    assert "khi lớp đã kết thúc" in messages_of(exc, "status")[0]


def test_counterpart_and_duration_are_computed():
    course = TrainingCourseFactory.build(
        total_budget=Decimal("120000000"),
        support_budget=Decimal("100000000"),
        start_date=date(2019, 3, 1),
        end_date=date(2019, 5, 30),
    )
    assert course.counterpart_budget == Decimal("20000000")
    assert course.duration_days == 91


def test_course_kinds_fall_into_two_families():
    assert TrainingCourseFactory.build(kind=CourseKind.CRAFT_UPGRADE).family == (
        CourseFamily.CRAFT
    )
    assert TrainingCourseFactory.build(kind=CourseKind.MARKETING).family == (
        CourseFamily.MANAGEMENT
    )


# --- participants ----------------------------------------------------------------


def test_same_id_twice_in_a_course_is_refused():
    first = ParticipantFactory(id_number="001090000123")
    again = ParticipantFactory.build(course=first.course, id_number="001 090 000 123")
    with pytest.raises(ValidationError) as exc:
        again.full_clean()
    assert "Số CCCD này đã có trong danh sách học viên của lớp." in str(exc.value)
    with transaction.atomic(), pytest.raises(IntegrityError):
        ParticipantFactory(course=first.course, id_number="001090000123")


def test_id_number_must_have_twelve_digits():
    person = ParticipantFactory.build(course=TrainingCourseFactory(), id_number="123")
    with pytest.raises(ValidationError) as exc:
        person.full_clean()
    assert "Số CCCD phải gồm đúng 12 chữ số" in messages_of(exc, "id_number")[0]


@pytest.mark.parametrize("birth_year", [1900, 2015])
def test_absurd_birth_year_is_refused(birth_year):
    person = ParticipantFactory.build(
        course=TrainingCourseFactory(), birth_year=birth_year
    )
    with pytest.raises(ValidationError) as exc:
        person.full_clean()
    assert "không hợp lý" in messages_of(exc, "birth_year")[0]


def test_certificate_only_for_completed_participant():
    person = ParticipantFactory.build(
        course=TrainingCourseFactory(), certificate_number="CC-01", completed=False
    )
    with pytest.raises(ValidationError) as exc:
        person.full_clean()
    assert "certificate_number" in exc.value.message_dict


def test_participant_shows_name_and_id():
    person = ParticipantFactory.build(full_name="Lê Thị Hoa", id_number="001190000001")
    assert str(person) == "Lê Thị Hoa (001190000001)"
    assert Participant.Gender.FEMALE.label == "Nữ"


# --- trade events ------------------------------------------------------------------


def test_trade_event_supported_booths_within_booths():
    event = TradeEventFactory.build(plan=PlanFactory(), booths=10, supported_booths=12)
    with pytest.raises(ValidationError) as exc:
        event.full_clean()
    assert "supported_booths" in exc.value.message_dict


def test_trade_event_end_before_start_is_refused():
    event = TradeEventFactory.build(
        plan=PlanFactory(), start_date=date(2019, 10, 5), end_date=date(2019, 10, 1)
    )
    with pytest.raises(ValidationError) as exc:
        event.full_clean()
    assert messages_of(exc, "end_date") == ["Ngày kết thúc phải sau ngày bắt đầu."]


def test_trade_event_keeps_participating_establishments_with_history():
    event = TradeEventFactory()
    est = EstablishmentFactory(administrative_unit=unit("280"))
    event.establishments.add(est)
    assert list(est.trade_events.all()) == [event]
    assert event.history.count() >= 1
