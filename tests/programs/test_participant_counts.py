"""TrainingCourse.participant_count follows every way participants are written.

(tests/conftest.py also checks, after every test that used the database, that no
course's count differs from its participants.)"""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from khuyencong.importing import files
from programs.models import Participant, TrainingCourse
from programs.resources import ParticipantResource
from tests.khuyencong.spreadsheets import xlsx_bytes
from tests.programs.factories import ParticipantFactory, TrainingCourseFactory

pytestmark = pytest.mark.django_db


def counts(*courses) -> list[int]:
    ids = [c.pk for c in courses]
    found = dict(
        TrainingCourse.objects.filter(pk__in=ids).values_list("pk", "participant_count")
    )
    return [found.get(pk) for pk in ids]


def test_adding_moving_and_deleting_a_participant_moves_the_counts():
    first, second = TrainingCourseFactory(), TrainingCourseFactory()
    anna = ParticipantFactory(course=first)
    ParticipantFactory(course=first)
    assert counts(first, second) == [2, 0]

    # Read back from the database, then moved: one leaves, one arrives.
    moved = Participant.objects.get(pk=anna.pk)
    moved.course = second
    moved.save()
    assert counts(first, second) == [1, 1]
    moved.full_name = "Tên đã sửa"  # a save that keeps the course changes nothing
    moved.save()
    assert counts(first, second) == [1, 1]

    moved.delete()
    assert counts(first, second) == [1, 0]


def test_a_participant_saved_from_an_instance_never_read_still_moves_the_counts():
    first, second = TrainingCourseFactory(), TrainingCourseFactory()
    person = ParticipantFactory(course=first)
    stray = Participant(**{
        f.attname: getattr(person, f.attname) for f in Participant._meta.concrete_fields
    })  # fmt: skip
    stray._state.adding = False
    stray.course = second
    stray.save()
    assert counts(first, second) == [0, 1]


def test_a_version_restored_from_the_history_moves_the_counts():
    first, second = TrainingCourseFactory(), TrainingCourseFactory()
    person = ParticipantFactory(course=first)
    person.course = second
    person.save()
    assert counts(first, second) == [0, 1]
    # The history's earlier version is a new instance with the row's primary key.
    earlier = person.history.order_by("history_date").first().instance
    assert earlier._state.adding and earlier.course_id == first.pk
    earlier.save()
    assert counts(first, second) == [1, 0]


def test_deleting_participants_in_bulk_and_a_whole_course():
    first, second = TrainingCourseFactory(), TrainingCourseFactory()
    ParticipantFactory.create_batch(3, course=first)
    ParticipantFactory.create_batch(2, course=second)
    Participant.objects.filter(course=second).delete()
    assert counts(first, second) == [3, 0]
    first.delete()
    assert not TrainingCourse.objects.filter(pk=first.pk).exists()
    assert counts(second) == [0]


ROSTER = ["Họ và tên", "Năm sinh", "Giới tính", "Số CCCD"]


def roster(course, n: int, start: int = 0) -> bytes:
    return xlsx_bytes(
        [["Lớp đào tạo", *ROSTER]]
        + [
            [f"#{course.pk}", f"Học viên {i}", 1985, "Nam", f"0010850{i:05d}"]
            for i in range(start, start + n)
        ]
    )


def test_an_imported_roster_counts_its_new_rows_and_a_preview_counts_nothing():
    course = TrainingCourseFactory()
    ParticipantFactory(course=course, id_number="001085000000")
    content = roster(course, 5)  # the first ID is already in the course

    dataset = files.read_dataset(io.BytesIO(content), "xlsx")
    preview = ParticipantResource().import_data(dataset, dry_run=True)
    assert preview.totals["new"] == 4
    assert counts(course) == [1]

    dataset = files.read_dataset(io.BytesIO(content), "xlsx")
    result = ParticipantResource().import_data(dataset)
    assert (result.totals["new"], result.totals["update"]) == (4, 1)
    assert counts(course) == [5] == [course.participants.count()]


def test_the_course_admin_shows_the_count_after_participants_are_added(
    client, staff_user
):
    course = TrainingCourseFactory(title="Lớp thêu ren")
    ParticipantFactory.create_batch(3, course=course)
    client.force_login(staff_user)
    response = client.get(reverse("admin:programs_trainingcourse_changelist"))
    [shown] = response.context["cl"].result_list
    assert shown.participant_count == 3
    page = client.get(
        reverse("admin:programs_trainingcourse_change", args=[course.pk])
    ).content.decode()
    box = page[page.index("fieldBox field-participant_count_display") :]
    readonly = box[box.index('class="readonly"') :]
    assert readonly[readonly.index(">") + 1 : readonly.index("</div>")] == "3"


def test_recount_repairs_counts_written_behind_the_applications_back(capsys):
    course = TrainingCourseFactory()
    ParticipantFactory.create_batch(4, course=course)
    TrainingCourse.objects.filter(pk=course.pk).update(participant_count=9)
    call_command("recount_participants")
    assert "Đã sửa số học viên của 1 lớp." in capsys.readouterr().out
    assert counts(course) == [4]
    call_command("recount_participants")
    assert "đều khớp" in capsys.readouterr().out
