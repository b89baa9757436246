"""Warnings shown to staff after saving a course: they never block saving."""

from datetime import date

import pytest

from khuyencong.models import AdministrativeUnit
from programs.models import CourseKind, TrainingCourse
from tests.khuyencong.factories import AdministrativeUnitFactory, unit
from tests.programs.factories import (
    ParticipantFactory,
    PlanFactory,
    TrainingCourseFactory,
)

pytestmark = pytest.mark.django_db


def test_course_in_a_rural_district_has_no_warning():
    course = TrainingCourseFactory(administrative_unit=unit("277"))
    ParticipantFactory(course=course)
    assert course.warnings() == []


def test_course_in_an_urban_district_is_warned_as_ineligible():
    course = TrainingCourseFactory(title="Lớp thêu", administrative_unit=unit("001"))
    [warning] = course.warnings()
    assert "Lớp “Lớp thêu” tổ chức tại Quận Ba Đình" in warning
    assert "không thuộc diện được hỗ trợ khuyến công vào ngày 01/03/2019" in warning


def test_course_in_a_ward_after_the_2025_reform_is_warned():
    ward = AdministrativeUnitFactory(
        code="99001",
        name="Phường Demo",
        kind=AdministrativeUnit.Kind.WARD,
        valid_from=date(2025, 7, 1),
    )
    commune = AdministrativeUnitFactory(code="99002", valid_from=date(2025, 7, 1))
    plan = PlanFactory(year=2026)
    assert TrainingCourseFactory(plan=plan, administrative_unit=ward).warnings()
    assert (
        TrainingCourseFactory(plan=plan, administrative_unit=commune).warnings() == []
    )


def test_participants_beyond_planned_size_are_warned():
    course = TrainingCourseFactory(planned_participants=2)
    ParticipantFactory.create_batch(3, course=course)
    assert course.warnings() == [
        f"Lớp “{course.title}” có 3 học viên, vượt số dự kiến (2)."
    ]


def test_more_employed_than_participants_is_warned():
    course = TrainingCourseFactory(employed_after=5)
    ParticipantFactory(course=course)
    assert course.warnings() == [
        "Số học viên có việc làm (5) lớn hơn số học viên của lớp (1)."
    ]


def test_same_id_in_two_craft_classes_of_a_year_is_warned_not_refused():
    first = TrainingCourseFactory(title="Lớp mây tre đan Phú Nghĩa")
    second = TrainingCourseFactory(
        title="Lớp sơn mài", kind=CourseKind.CRAFT_UPGRADE, start_date=date(2019, 8, 1)
    )
    ParticipantFactory(course=first, full_name="Đỗ Văn An", id_number="001085000111")
    ParticipantFactory(course=second, full_name="Đỗ Văn An", id_number="001085000111")
    assert second.warnings() == [
        "Học viên Đỗ Văn An (CCCD 001085000111) đã học lớp nghề "
        "“Lớp mây tre đan Phú Nghĩa” trong năm 2019."
    ]
    assert len(first.warnings()) == 1


def test_same_id_in_other_years_management_or_cancelled_courses_is_not_warned():
    course = TrainingCourseFactory()
    ParticipantFactory(course=course, id_number="001085000222")
    other_year = TrainingCourseFactory(plan=PlanFactory(year=2018))
    management = TrainingCourseFactory(kind=CourseKind.MARKETING)
    cancelled = TrainingCourseFactory(status=TrainingCourse.Status.CANCELLED)
    for other in (other_year, management, cancelled):
        ParticipantFactory(course=other, id_number="001085000222")
    assert course.warnings() == []


def test_course_starting_outside_its_plan_year_is_warned():
    course = TrainingCourseFactory(start_date=date(2020, 1, 5))
    assert course.warnings() == [
        f"Lớp “{course.title}” khai giảng năm 2020 nhưng thuộc kế hoạch năm 2019."
    ]


def test_warnings_take_a_fixed_number_of_queries(django_assert_max_num_queries):
    course = TrainingCourseFactory(planned_participants=500)
    ParticipantFactory.create_batch(60, course=course)
    course = TrainingCourse.objects.select_related("plan", "administrative_unit").get(
        pk=course.pk
    )
    with django_assert_max_num_queries(2):
        course.warnings()


def test_id_number_disagreeing_with_gender_or_birth_year_is_warned():
    course = TrainingCourseFactory()
    # 4th digit 1: a woman born in the 1900s; 5th-6th: born in '85.
    ParticipantFactory(
        course=course,
        full_name="Nguyễn Văn Nam",
        gender="nam",
        birth_year=1986,
        id_number="001185000001",
    )
    assert course.warnings() == [
        "Học viên Nguyễn Văn Nam: số CCCD 001185000001 không khớp với giới tính, "
        "năm sinh đã nhập, hãy kiểm tra lại."
    ]


def test_a_long_list_of_warnings_is_cut_to_ten_and_a_count():
    course = TrainingCourseFactory(planned_participants=100)
    for n in range(15):
        ParticipantFactory(course=course, gender="nu", id_number=f"00108500{n:04d}")
    shown = course.warnings()
    assert len(shown) == 11
    assert shown[-1] == "… và 5 trường hợp tương tự khác."
