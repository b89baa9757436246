"""Establishments in craft villages, villages at trade events."""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.urls import reverse

from khuyencong.models import AdministrativeUnit, Role
from programs.models import Establishment, Participant, TradeEvent, TrainingCourse
from tests.clusters.factories import IndustrialClusterFactory
from tests.khuyencong.factories import AdministrativeUnitFactory, UserFactory, unit
from tests.programs.factories import (
    EstablishmentFactory,
    ParticipantFactory,
    PlanFactory,
    TradeEventFactory,
    TrainingCourseFactory,
)
from tests.villages.factories import CraftVillageFactory

pytestmark = pytest.mark.django_db


def test_establishment_may_sit_in_a_village_of_its_unit():
    village = CraftVillageFactory(administrative_unit=unit("277"))
    est = EstablishmentFactory.build(
        administrative_unit=unit("277"), craft_village=village
    )
    est.full_clean()


def test_establishment_in_a_commune_may_sit_in_its_districts_village():
    commune = AdministrativeUnitFactory(
        code="10481", kind=AdministrativeUnit.Kind.COMMUNE, parent=unit("277")
    )
    village = CraftVillageFactory(administrative_unit=unit("277"))
    EstablishmentFactory.build(
        administrative_unit=commune, craft_village=village
    ).full_clean()


def test_village_of_another_district_is_refused_naming_both():
    village = CraftVillageFactory(
        name="Làng sơn mài Hạ Thái", administrative_unit=unit("279")
    )
    est = EstablishmentFactory.build(
        administrative_unit=unit("277"), craft_village=village
    )
    with pytest.raises(ValidationError) as exc:
        est.full_clean()
    [message] = exc.value.message_dict["craft_village"]
    assert message == (
        "Làng nghề “Làng sơn mài Hạ Thái” thuộc Huyện Thường Tín, không thuộc đơn vị "
        "hành chính của cơ sở (Huyện Chương Mỹ)."
    )


def test_course_hosted_in_a_craft_village_of_a_ward_is_eligible_after_2025():
    ward = AdministrativeUnitFactory(
        code="99011", kind=AdministrativeUnit.Kind.WARD, valid_from=date(2025, 7, 1)
    )
    village = CraftVillageFactory(administrative_unit=ward)
    host = EstablishmentFactory(administrative_unit=ward, craft_village=village)
    plan = PlanFactory(year=2026)
    hosted = TrainingCourseFactory(
        plan=plan, administrative_unit=ward, host_establishment=host
    )
    elsewhere = TrainingCourseFactory(plan=plan, administrative_unit=ward)
    assert hosted.warnings() == []
    assert "không thuộc diện được hỗ trợ" in elsewhere.warnings()[0]


def test_officer_sees_events_their_villages_attend(officer_a, officer_b):
    event = TradeEventFactory(name="Hội chợ làng nghề Thành phố")
    event.villages.add(CraftVillageFactory(administrative_unit=unit("277")))
    assert list(TradeEvent.objects.for_user(officer_a)) == [event]
    assert list(TradeEvent.objects.for_user(officer_b)) == []


def test_the_public_and_it_administrators_see_no_rows():
    EstablishmentFactory()
    ParticipantFactory()
    TradeEventFactory()
    it_admin = UserFactory(role=Role.ADMINISTRATOR)
    for user in (AnonymousUser(), it_admin):
        assert not Establishment.objects.for_user(user).exists()
        assert not TrainingCourse.objects.for_user(user).exists()
        assert not Participant.objects.for_user(user).exists()
        assert not TradeEvent.objects.for_user(user).exists()


def test_staff_link_villages_in_the_admin(client, staff_user):
    client.force_login(staff_user)
    village = CraftVillageFactory(
        name="Làng mây tre đan Phú Vinh", administrative_unit=unit("277")
    )
    response = client.post(
        reverse("admin:programs_establishment_add"),
        {
            "name": "HTX Phú Vinh",
            "kind": "hop_tac_xa",
            "administrative_unit": unit("277").pk,
            "craft_village": village.pk,
        },
    )
    assert response.status_code == 302
    assert Establishment.objects.get().craft_village == village
    page = client.get(reverse("admin:programs_establishment_changelist"))
    assert "Làng mây tre đan Phú Vinh" in page.content.decode()

    event = TradeEventFactory()
    event.villages.add(village)
    event.establishments.add(Establishment.objects.get())
    page = client.get(reverse("admin:programs_tradeevent_changelist")).content.decode()
    assert '<td class="field-village_count">1</td>' in page
    assert '<td class="field-establishment_count">1</td>' in page


def test_establishment_in_a_cluster_of_another_district_is_refused():
    cluster = IndustrialClusterFactory(
        name="Cụm công nghiệp Phú Xuyên", administrative_unit=unit("280")
    )
    est = EstablishmentFactory.build(
        administrative_unit=unit("277"), industrial_cluster=cluster
    )
    with pytest.raises(ValidationError) as exc:
        est.full_clean()
    assert exc.value.message_dict["industrial_cluster"] == [
        "Cụm công nghiệp “Cụm công nghiệp Phú Xuyên” thuộc Huyện Phú Xuyên, không "
        "thuộc đơn vị hành chính của cơ sở (Huyện Chương Mỹ)."
    ]
    est.administrative_unit = unit("280")
    est.full_clean()
    est.save()
    assert list(cluster.establishments.all()) == [est]
