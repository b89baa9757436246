"""EquipmentProject on its own: amounts, one-row rules, scoping, warnings."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from khuyencong.models import Role
from programs.models import EquipmentProject, EquipmentStatus
from tests.khuyencong.factories import UserFactory, unit
from tests.programs.factories import EquipmentProjectFactory, EstablishmentFactory

pytestmark = pytest.mark.django_db
M = Decimal("1000000")


def test_counterpart_is_cost_minus_the_support_that_counts():
    project = EquipmentProjectFactory.build(
        total_cost=800 * M, requested_support=350 * M
    )
    assert project.counterpart == 450 * M
    project.approved_support = 300 * M
    assert project.counterpart == 500 * M


def test_request_above_cost_is_refused_by_clean_and_by_the_database():
    project = EquipmentProjectFactory.build(
        total_cost=100 * M, requested_support=101 * M
    )
    project.plan.save()
    project.establishment.save()
    with pytest.raises(ValidationError) as exc:
        project.full_clean()
    assert exc.value.message_dict["requested_support"] == [
        "Kinh phí đề nghị hỗ trợ không được lớn hơn tổng chi phí."
    ]
    with pytest.raises(IntegrityError), transaction.atomic():
        project.save()


def test_settled_above_approved_is_refused_even_outside_the_workflow():
    project = EquipmentProjectFactory()
    project.approved_support = 300 * M
    project.settled_amount = 300 * M + 1
    with pytest.raises(ValidationError) as exc:
        project.full_clean()
    assert exc.value.message_dict["settled_amount"] == [
        "Kinh phí quyết toán (300.000.001 đồng) không được lớn hơn kinh phí được "
        "phê duyệt (300.000.000 đồng)."
    ]
    with pytest.raises(IntegrityError), transaction.atomic():
        EquipmentProject.objects.filter(pk=project.pk).update(
            approved_support=300 * M, settled_amount=300 * M + 1
        )


def test_cost_must_be_positive():
    project = EquipmentProjectFactory.build(total_cost=0, requested_support=0)
    project.plan.save()
    project.establishment.save()
    with pytest.raises(ValidationError) as exc:
        project.full_clean()
    assert "Tổng chi phí đề án phải lớn hơn 0." in exc.value.message_dict["total_cost"]


def test_officer_sees_only_projects_of_establishments_in_their_unit(
    officer_a, staff_user, leadership_user
):
    mine = EquipmentProjectFactory(
        establishment=EstablishmentFactory(administrative_unit=unit("277"))
    )
    EquipmentProjectFactory(
        establishment=EstablishmentFactory(administrative_unit=unit("280"))
    )
    assert list(EquipmentProject.objects.for_user(officer_a)) == [mine]
    assert EquipmentProject.objects.for_user(staff_user).count() == 2
    assert EquipmentProject.objects.for_user(leadership_user).count() == 2
    # IT administrators and the public see no project (programs.models.unit_scope).
    admin_role = UserFactory(role=Role.ADMINISTRATOR)
    assert EquipmentProject.objects.for_user(admin_role).count() == 0
    assert EquipmentProject.objects.for_user(AnonymousUser()).count() == 0


def test_project_in_an_urban_district_is_flagged_as_ineligible():
    urban = EquipmentProjectFactory(
        establishment=EstablishmentFactory(
            name="Cơ sở Hoàn Kiếm", administrative_unit=unit("002")
        )
    )
    assert urban.warnings() == [
        "Cơ sở “Cơ sở Hoàn Kiếm” ở Quận Hoàn Kiếm: địa bàn này không thuộc diện "
        "được hỗ trợ khuyến công vào ngày 01/03/2019."
    ]
    assert EquipmentProjectFactory().warnings() == []


def test_status_values_are_stable_strings():
    # Stored in the database and in log rows: changing one is a data migration.
    assert EquipmentStatus.values == [
        "dang_ky",
        "bo_sung",
        "khao_sat",
        "trinh_ubnd",
        "phe_duyet",
        "trien_khai",
        "nghiem_thu",
        "quyet_toan",
        "khong_phe_duyet",
    ]


def test_leadership_group_holds_the_decide_permission(leadership_user, staff_user):
    assert leadership_user.has_perm("programs.decide_equipmentproject")
    assert leadership_user.has_perm("programs.view_equipmentproject")
    assert not leadership_user.has_perm("programs.change_equipmentproject")
    assert staff_user.has_perm("programs.change_equipmentproject")
