"""A district officer reads only their own unit's rows: in querysets (the portal and
exports use them) and in the admin, even if someone gave the officer admin access."""

import pytest
from django.urls import reverse

from khuyencong.models import AdministrativeUnit
from programs.models import Establishment, Participant, TradeEvent, TrainingCourse
from tests.khuyencong.factories import AdministrativeUnitFactory
from tests.programs.factories import (
    EstablishmentFactory,
    ParticipantFactory,
    TradeEventFactory,
    TrainingCourseFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(unit_a, unit_b):
    commune_of_a = AdministrativeUnitFactory(
        code="10480",
        name="Xã Phú Nghĩa",
        kind=AdministrativeUnit.Kind.COMMUNE,
        parent=unit_a,
    )
    own = {
        "establishment": EstablishmentFactory(
            name="Mây tre Chương Mỹ", administrative_unit=unit_a
        ),
        "commune_establishment": EstablishmentFactory(
            name="Mây tre Phú Nghĩa", administrative_unit=commune_of_a
        ),
        "course": TrainingCourseFactory(
            title="Lớp Chương Mỹ", administrative_unit=unit_a
        ),
    }
    own["participant"] = ParticipantFactory(
        course=own["course"], full_name="Học viên A"
    )
    other_est = EstablishmentFactory(
        name="Sơn mài Phú Xuyên", administrative_unit=unit_b
    )
    other_course = TrainingCourseFactory(
        title="Lớp Phú Xuyên", administrative_unit=unit_b
    )
    other = {
        "establishment": other_est,
        "course": other_course,
        "participant": ParticipantFactory(course=other_course, full_name="Học viên B"),
    }
    own["event"] = TradeEventFactory(
        name="Hội chợ Chương Mỹ", administrative_unit=unit_a
    )
    city_event = TradeEventFactory(name="Hội chợ Thành phố")
    city_event.establishments.add(own["establishment"])
    own["city_event"] = city_event
    other["event"] = TradeEventFactory(
        name="Hội chợ Phú Xuyên", administrative_unit=unit_b
    )
    return own, other


def test_officer_querysets_hold_only_their_unit(rows, officer_a):
    own, other = rows
    assert set(Establishment.objects.for_user(officer_a)) == {
        own["establishment"],
        own["commune_establishment"],
    }
    assert list(TrainingCourse.objects.for_user(officer_a)) == [own["course"]]
    assert list(Participant.objects.for_user(officer_a)) == [own["participant"]]
    assert set(TradeEvent.objects.for_user(officer_a)) == {
        own["event"],
        own["city_event"],
    }


def test_officer_cannot_reach_another_units_row_by_id(rows, officer_a):
    _, other = rows
    for model, key in (
        (Establishment, "establishment"),
        (TrainingCourse, "course"),
        (Participant, "participant"),
        (TradeEvent, "event"),
    ):
        assert not model.objects.for_user(officer_a).filter(pk=other[key].pk).exists()


def test_officer_search_never_returns_another_units_rows(rows, officer_a):
    qs = TrainingCourse.objects.for_user(officer_a)
    assert not qs.filter(title__icontains="Phú Xuyên").exists()
    assert (
        not Participant.objects.for_user(officer_a)
        .filter(id_number=rows[1]["participant"].id_number)
        .exists()
    )


def test_staff_and_leadership_see_every_unit(rows, staff_user, leadership_user):
    for user in (staff_user, leadership_user):
        assert TrainingCourse.objects.for_user(user).count() == 2
        assert Establishment.objects.for_user(user).count() == 3


@pytest.fixture
def officer_in_admin(client, officer_a):
    # Officers do not use the admin; if one is ever let in, the rows stay scoped.
    officer_a.is_staff = True
    officer_a.save(update_fields=["is_staff"])
    client.force_login(officer_a)
    return client


@pytest.mark.parametrize(
    ("model", "own_key", "other_key", "own_text", "other_text"),
    [
        (
            "establishment",
            "establishment",
            "establishment",
            "Mây tre Chương Mỹ",
            "Sơn mài Phú Xuyên",
        ),
        ("trainingcourse", "course", "course", "Lớp Chương Mỹ", "Lớp Phú Xuyên"),
        ("participant", "participant", "participant", "Học viên A", "Học viên B"),
    ],
)
def test_officer_in_admin_sees_own_unit_in_list_detail_and_search(
    rows, officer_in_admin, model, own_key, other_key, own_text, other_text
):
    own, other = rows
    changelist = reverse(f"admin:programs_{model}_changelist")
    listed = list(officer_in_admin.get(changelist).context["cl"].result_list)
    assert own[own_key] in listed
    assert other[other_key] not in listed
    found = officer_in_admin.get(changelist, {"q": other_text}).context["cl"]
    assert list(found.result_list) == []
    found = officer_in_admin.get(changelist, {"q": own_text}).context["cl"]
    assert list(found.result_list) == [own[own_key]]
    detail = officer_in_admin.get(
        reverse(f"admin:programs_{model}_change", args=[other[other_key].pk])
    )
    assert detail.status_code == 302  # "does not exist", back to the admin index
    own_detail = officer_in_admin.get(
        reverse(f"admin:programs_{model}_change", args=[own[own_key].pk])
    )
    assert own_text in own_detail.content.decode()
