"""The admin search of the large registers: what staff find, what the list says
about how many rows matched, and the queries it costs (bench/README.md, "Admin
search", for the times at national size)."""

from datetime import date

import pytest
from django.db import connection

from khuyencong.admin_base import RELATED_IDS_CAP, SEARCH_COUNT_CAP
from khuyencong.models import AdministrativeUnit
from programs.models import Participant, TrainingCourse
from programs.participant_counts import count_added
from tests.programs.factories import (
    EstablishmentFactory,
    ParticipantFactory,
    PlanFactory,
    TrainingCourseFactory,
)
from tests.programs.test_admin import result_rows, text, url

pytestmark = pytest.mark.django_db

SEARCH_BUDGET = 12


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def search(client, model: str, term: str, **more):
    return client.get(url(model), {"q": term, **more})


def many_participants(course, n: int, *, name: str, first_id: int = 0):
    count_added(
        Participant.objects.bulk_create(
            Participant(
                course=course,
                full_name=f"{name} {i}",
                birth_year=1990,
                gender="nu",
                id_number=f"{first_id + i:012d}",
            )
            for i in range(n)
        )
    )


# --- what staff find ------------------------------------------------------------


def test_participant_found_by_part_of_name_by_several_words_and_by_id_number(
    staff_client,
):
    ParticipantFactory(full_name="Nguyễn Thị Hằng", id_number="001185000111")
    ParticipantFactory(full_name="Trần Văn Nam", id_number="001085000222")
    assert result_rows(search(staff_client, "participant", "nguy")) == [
        "Nguyễn Thị Hằng"
    ]
    assert result_rows(search(staff_client, "participant", "Thị Hằng")) == [
        "Nguyễn Thị Hằng"
    ]
    # Every word must match (Django admin's rule): "Nguyễn Nam" is nobody.
    assert result_rows(search(staff_client, "participant", "Nguyễn Nam")) == []
    assert result_rows(search(staff_client, "participant", "001085000222")) == [
        "Trần Văn Nam"
    ]
    # The CCCD as a clerk may type it, with spaces or dots.
    assert result_rows(search(staff_client, "participant", "001 085 000 222")) == [
        "Trần Văn Nam"
    ]
    assert result_rows(search(staff_client, "participant", "001.085.000.222")) == [
        "Trần Văn Nam"
    ]
    # An ID number is compared whole: part of one finds nobody.
    assert result_rows(search(staff_client, "participant", "000222")) == []


def test_participant_found_by_course_title_and_certificate_number(staff_client):
    course = TrainingCourseFactory(title="Lớp khảm trai Chuyên Mỹ")
    ParticipantFactory(course=course, full_name="Lê Thị Mai")
    ParticipantFactory(full_name="Phạm Văn Đức", certificate_number="CC-2019-0042")
    assert result_rows(search(staff_client, "participant", "khảm trai")) == [
        "Lê Thị Mai"
    ]
    assert result_rows(search(staff_client, "participant", "2019-0042")) == [
        "Phạm Văn Đức"
    ]
    # A name word and a course word together.
    assert result_rows(search(staff_client, "participant", "Mai Chuyên Mỹ")) == [
        "Lê Thị Mai"
    ]


def test_participant_search_explains_what_it_searches(staff_client):
    page = text(search(staff_client, "participant", "x"))
    assert "Tìm theo họ tên, tên lớp hoặc số chứng chỉ" in page
    assert "số CCCD đủ 12 chữ số" in page


def test_a_word_common_to_hundreds_of_course_titles_still_narrows_with_the_others(
    staff_client,
):
    """Past RELATED_IDS_CAP matching courses a word is searched by subquery;
    the result is the same."""
    plan = PlanFactory(year=2019)
    unit = AdministrativeUnit.objects.districts().first()
    courses = TrainingCourse.objects.bulk_create(
        TrainingCourse(
            plan=plan,
            kind="truyen_nghe",
            title=f"Lớp mây tre đan {i}",
            administrative_unit=unit,
            start_date=date(2019, 3, 1),
            end_date=date(2019, 5, 1),
            planned_participants=1,
        )
        for i in range(RELATED_IDS_CAP + 1)
    )
    ParticipantFactory(course=courses[77], full_name="Hoàng Thu Trang")
    ParticipantFactory(course=courses[78], full_name="Vũ Minh Tâm")
    assert result_rows(search(staff_client, "participant", "mây tre đan 77")) == [
        "Hoàng Thu Trang"
    ]
    assert sorted(result_rows(search(staff_client, "participant", "mây tre"))) == [
        "Hoàng Thu Trang",
        "Vũ Minh Tâm",
    ]


def test_course_found_by_host_establishment_and_establishment_by_village(
    staff_client,
):
    host = EstablishmentFactory(name="HTX gốm Bát Tràng")
    TrainingCourseFactory(title="Lớp gốm 2019", host_establishment=host)
    TrainingCourseFactory(title="Lớp mộc 2019")
    assert result_rows(search(staff_client, "trainingcourse", "Bát Tràng")) == [
        "Lớp gốm 2019"
    ]
    assert result_rows(search(staff_client, "establishment", "gốm bát")) == [
        "HTX gốm Bát Tràng"
    ]


def test_establishment_found_by_part_of_tax_code_and_representative(staff_client):
    EstablishmentFactory(
        name="Cơ sở sơn mài Hạ Thái", tax_code="0101234567", representative="Đỗ Văn An"
    )
    assert result_rows(search(staff_client, "establishment", "01234567")) == [
        "Cơ sở sơn mài Hạ Thái"
    ]
    assert result_rows(search(staff_client, "establishment", "Đỗ Văn")) == [
        "Cơ sở sơn mài Hạ Thái"
    ]


# --- how many matched -------------------------------------------------------------


def test_a_search_matching_more_than_the_cap_says_more_than_and_pages_through(
    staff_client,
):
    course = TrainingCourseFactory()
    many_participants(course, SEARCH_COUNT_CAP + 5, name="Nguyễn Văn")
    response = search(staff_client, "participant", "Nguyễn")
    page = text(response)
    assert "hơn 1.000 kết quả" in page
    assert "hơn 1.000 học viên" in page
    # "Select all" acts on every row found: it does not claim a thousand.
    assert "Chọn tất cả hơn 1.000 học viên" in page
    assert "1000 học viên" not in page
    assert len(response.context["cl"].result_list) == 50
    # Its pages can be browsed, up to the cap.
    last = search(staff_client, "participant", "Nguyễn", p=SEARCH_COUNT_CAP // 50)
    assert last.status_code == 200
    assert len(last.context["cl"].result_list) == 50


def test_a_search_under_the_cap_shows_the_exact_count(staff_client):
    course = TrainingCourseFactory()
    many_participants(course, 120, name="Nguyễn Văn")
    many_participants(course, 3, name="Trần Thị", first_id=5000)
    page = text(search(staff_client, "participant", "Nguyễn"))
    assert "120 kết quả" in page
    assert "120 học viên" in page
    assert "hơn" not in page.split('id="changelist-search"')[1].split("</form>")[0]


def test_an_unsearched_list_counts_everything(staff_client):
    course = TrainingCourseFactory()
    many_participants(course, SEARCH_COUNT_CAP + 5, name="Nguyễn Văn")
    response = staff_client.get(url("participant"))
    assert response.context["cl"].result_count == SEARCH_COUNT_CAP + 5
    assert "hơn 1.000" not in text(response)


# --- queries ----------------------------------------------------------------------


def test_searches_run_a_fixed_number_of_queries(
    staff_client, django_assert_max_num_queries
):
    course = TrainingCourseFactory(
        title="Lớp thêu ren 2019", host_establishment=EstablishmentFactory()
    )
    many_participants(course, 300, name="Nguyễn Thị")
    EstablishmentFactory.create_batch(5)
    searches = [
        ("participant", "Nguyễn"),
        ("participant", "Nguyễn Thị 17"),
        ("participant", "thêu ren"),
        ("participant", "000000000017"),
        ("trainingcourse", "thêu ren"),
        ("trainingcourse", "000000000017"),
        ("establishment", "Cơ sở 3"),
        ("equipmentproject", "máy"),
    ]
    for model, term in searches:
        with django_assert_max_num_queries(SEARCH_BUDGET):
            response = search(staff_client, model, term)
        assert response.status_code == 200, (model, term)


# --- PostgreSQL -------------------------------------------------------------------


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="trigram indexes are PostgreSQL's"
)
def test_searched_columns_have_trigram_indexes():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE indexname LIKE %s",
            ["%\\_trgm"],
        )
        indexes = dict(cursor.fetchall())
    definition = indexes["programs_participant_full_name_trgm"]
    assert "gin_trgm_ops" in definition
    assert "upper((full_name)::text)" in definition
    for name in (
        "programs_participant_certificate_number_trgm",
        "programs_trainingcourse_title_trgm",
        "programs_establishment_name_trgm",
        "programs_equipmentproject_title_trgm",
    ):
        assert name in indexes
