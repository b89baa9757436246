"""What is refused, what is only warned, and who sees which clusters."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from clusters.models import (
    IndustrialCluster,
    WastewaterPlant,
    WastewaterPlantCluster,
)
from clusters.services import wastewater_plant_save
from tests.clusters.factories import (
    ClusterPlanFactory,
    IndustrialClusterFactory,
    WastewaterPlantFactory,
)
from tests.khuyencong.factories import LegalDocumentFactory, unit

pytestmark = pytest.mark.django_db

GENERAL = IndustrialCluster.Kind.GENERAL
CRAFT = IndustrialCluster.Kind.CRAFT_VILLAGE


@pytest.mark.parametrize(
    ("kind", "area", "warned"),
    [
        (GENERAL, "9.99", True),
        (GENERAL, "10", False),
        (GENERAL, "75", False),
        (GENERAL, "75.01", True),
        (CRAFT, "4.99", True),
        (CRAFT, "5", False),
        (CRAFT, "9", False),
        (CRAFT, "76", True),
    ],
)
def test_area_outside_the_nd32_range_is_warned_not_refused(kind, area, warned):
    cluster = IndustrialClusterFactory.build(
        plan=ClusterPlanFactory(),
        kind=kind,
        planned_area_ha=Decimal(area),
        industrial_land_ha=None,
        leased_land_ha=None,
    )
    cluster.full_clean()  # not refused
    messages = [w for w in cluster.warnings() if "nằm ngoài khoảng" in w]
    assert bool(messages) is warned
    if warned and kind == CRAFT:
        assert "khoảng 5–75 ha cho cụm công nghiệp làng nghề" in messages[0]


def test_industrial_land_above_the_planned_area_is_warned():
    cluster = IndustrialClusterFactory.build(
        planned_area_ha=Decimal("20"),
        industrial_land_ha=Decimal("22"),
        leased_land_ha=None,
    )
    assert cluster.warnings() == [
        "Diện tích đất công nghiệp (22,00 ha) lớn hơn diện tích quy hoạch (20,00 ha)."
    ]


def test_leased_land_above_industrial_land_is_refused_by_clean_and_database():
    cluster = IndustrialClusterFactory.build(
        plan=ClusterPlanFactory(),
        administrative_unit=unit("277"),
        industrial_land_ha=Decimal("10"),
        leased_land_ha=Decimal("10.5"),
    )
    with pytest.raises(ValidationError) as err:
        cluster.full_clean()
    assert err.value.message_dict == {
        "leased_land_ha": [
            "Diện tích đất đã cho thuê (10,50 ha) không được lớn hơn diện tích "
            "đất công nghiệp (10,00 ha)."
        ]
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        cluster.save()
    assert not IndustrialCluster.objects.exists()


def test_leased_land_without_industrial_land_is_refused():
    cluster = IndustrialClusterFactory.build(
        plan=ClusterPlanFactory(), industrial_land_ha=None, leased_land_ha=Decimal("3")
    )
    with pytest.raises(ValidationError) as err:
        cluster.full_clean()
    assert "industrial_land_ha" in err.value.message_dict


def test_operating_before_establishment_is_refused_by_clean_and_database():
    cluster = IndustrialClusterFactory.build(
        plan=ClusterPlanFactory(),
        established_on=date(2019, 3, 1),
        operating_from=date(2019, 2, 28),
    )
    with pytest.raises(ValidationError) as err:
        cluster.full_clean()
    assert err.value.message_dict == {
        "operating_from": [
            "Ngày bắt đầu hoạt động (28/02/2019) không được trước ngày thành lập "
            "(01/03/2019)."
        ]
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        cluster.save()


def test_operating_on_the_establishment_day_is_accepted():
    IndustrialClusterFactory.build(
        plan=ClusterPlanFactory(),
        established_on=date(2019, 3, 1),
        operating_from=date(2019, 3, 1),
    ).full_clean()


def test_removal_before_establishment_is_refused():
    cluster = IndustrialClusterFactory.build(
        plan=ClusterPlanFactory(),
        established_on=date(2019, 3, 1),
        removed_on=date(2018, 1, 1),
    )
    with pytest.raises(ValidationError) as err:
        cluster.full_clean()
    assert "removed_on" in err.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        cluster.save()


def test_an_establishment_decision_needs_its_date_and_a_date_wants_its_decision():
    plan = ClusterPlanFactory()
    undated = IndustrialClusterFactory.build(
        plan=plan, establishment_document=LegalDocumentFactory()
    )
    with pytest.raises(ValidationError) as err:
        undated.full_clean()
    assert err.value.message_dict["established_on"] == [
        "Nhập ngày thành lập theo quyết định thành lập."
    ]
    no_decision = IndustrialClusterFactory.build(
        plan=plan, established_on=date(2018, 1, 1)
    )
    no_decision.full_clean()
    assert "Cụm đã có ngày thành lập nhưng chưa gắn quyết định." in (
        no_decision.warnings()
    )


def test_occupancy_is_computed_from_the_land_figures():
    cluster = IndustrialClusterFactory(
        industrial_land_ha=Decimal("37.50"), leased_land_ha=Decimal("25.00")
    )
    assert cluster.occupancy_percent == Decimal("66.7")
    annotated = IndustrialCluster.objects.with_occupancy().get().occupancy
    assert annotated == Decimal("66.7")
    empty = IndustrialClusterFactory(industrial_land_ha=None, leased_land_ha=None)
    assert empty.occupancy_percent is None
    assert IndustrialCluster.objects.with_occupancy().get(pk=empty.pk).occupancy is None


def test_a_plant_cannot_operate_before_it_is_built_or_stop_before_it_operates():
    plant = WastewaterPlantFactory.build(
        completed_on=date(2016, 1, 1), operating_from=date(2015, 1, 1)
    )
    with pytest.raises(ValidationError) as err:
        plant.full_clean()
    assert err.value.message_dict == {
        "operating_from": ["Ngày vận hành không được trước ngày hoàn thành xây dựng."]
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        plant.save()
    stopped = WastewaterPlantFactory.build(
        operating_from=None, stopped_on=date(2019, 1, 1)
    )
    with pytest.raises(ValidationError) as err:
        stopped.full_clean()
    assert "stopped_on" in err.value.message_dict


def test_the_plant_service_saves_a_plant_with_its_clusters():
    a, b = IndustrialClusterFactory(), IndustrialClusterFactory()
    plant = WastewaterPlantFactory.build(decision=LegalDocumentFactory())
    wastewater_plant_save(plant=plant, clusters=[a, b])
    assert set(plant.clusters.all()) == {a, b}
    c = IndustrialClusterFactory()
    wastewater_plant_save(plant=plant, clusters=[b, c])
    assert set(plant.clusters.all()) == {b, c}
    # Every link added or removed is in the history.
    assert WastewaterPlantCluster.history.filter(history_type="-").count() == 1
    assert WastewaterPlantCluster.history.filter(history_type="+").count() == 3


def test_the_plant_service_accepts_a_plant_shared_by_clusters_of_two_units():
    a = IndustrialClusterFactory(name="Cụm A")
    b = IndustrialClusterFactory(name="Cụm B", administrative_unit=unit("280"))
    plant = wastewater_plant_save(plant=WastewaterPlantFactory.build(), clusters=[a, b])
    assert set(plant.clusters.all()) == {a, b}


def test_the_plant_service_refuses_a_plant_serving_no_cluster():
    with pytest.raises(ValidationError) as err:
        wastewater_plant_save(plant=WastewaterPlantFactory.build(), clusters=[])
    assert err.value.messages == [
        "Trạm xử lý nước thải phải phục vụ ít nhất một cụm công nghiệp."
    ]
    assert not WastewaterPlant.objects.exists()


def test_a_cluster_is_listed_once_per_plant():
    cluster = IndustrialClusterFactory()
    plant = WastewaterPlantFactory(serves=[cluster])
    with pytest.raises(IntegrityError), transaction.atomic():
        WastewaterPlantCluster.objects.create(plant=plant, cluster=cluster)


def test_officers_see_only_their_units_clusters_and_plants(
    officer_a, staff_user, leadership_user
):
    mine = IndustrialClusterFactory(administrative_unit=unit("277"))
    other = IndustrialClusterFactory(administrative_unit=unit("280"))
    my_plant = WastewaterPlantFactory(serves=[mine])
    WastewaterPlantFactory(serves=[other])
    assert list(IndustrialCluster.objects.for_user(officer_a)) == [mine]
    assert list(WastewaterPlant.objects.for_user(officer_a)) == [my_plant]
    assert IndustrialCluster.objects.for_user(staff_user).count() == 2
    assert WastewaterPlant.objects.for_user(staff_user).count() == 2
    assert IndustrialCluster.objects.for_user(leadership_user).count() == 2


def test_users_without_a_cluster_role_see_no_cluster_or_plant(admin_user_role):
    from django.contrib.auth.models import AnonymousUser

    from tests.khuyencong.factories import UserFactory

    WastewaterPlantFactory(serves=[IndustrialClusterFactory()])
    for user in (AnonymousUser(), UserFactory(role=""), admin_user_role):
        assert not IndustrialCluster.objects.for_user(user).exists()
        assert not WastewaterPlant.objects.for_user(user).exists()


def test_an_officers_unit_includes_its_communes(officer_a):
    from tests.khuyencong.factories import AdministrativeUnitFactory

    commune = AdministrativeUnitFactory(parent=unit("277"))
    cluster = IndustrialClusterFactory(administrative_unit=commune)
    assert list(IndustrialCluster.objects.for_user(officer_a)) == [cluster]


def test_a_plans_vision_year_cannot_precede_its_horizon():
    plan = ClusterPlanFactory.build(
        document=LegalDocumentFactory(), horizon_year=2030, vision_year=2020
    )
    with pytest.raises(ValidationError) as err:
        plan.full_clean()
    assert err.value.messages == ["Năm tầm nhìn không được trước năm quy hoạch."]
