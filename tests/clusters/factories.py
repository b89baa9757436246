from datetime import date
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from clusters.models import (
    ClusterPlan,
    IndustrialCluster,
    WastewaterPlant,
    WastewaterPlantCluster,
)
from tests.khuyencong.factories import LegalDocumentFactory, unit


class ClusterPlanFactory(DjangoModelFactory):
    class Meta:
        model = ClusterPlan

    title = (
        "Quy hoạch phát triển cụm công nghiệp thành phố Hà Nội đến năm 2020, "
        "có xét đến năm 2030 (dữ liệu mẫu)"
    )
    document = factory.SubFactory(LegalDocumentFactory)
    horizon_year = 2020
    vision_year = 2030
    effective_from = date(2013, 1, 1)


class IndustrialClusterFactory(DjangoModelFactory):
    class Meta:
        model = IndustrialCluster

    plan = factory.SubFactory(ClusterPlanFactory)
    name = factory.Sequence(lambda n: f"Cụm công nghiệp mẫu số {n}")
    administrative_unit = factory.LazyFunction(lambda: unit("277"))
    kind = IndustrialCluster.Kind.GENERAL
    planned_area_ha = Decimal("30.00")
    industrial_land_ha = Decimal("20.00")
    leased_land_ha = Decimal("15.00")
    investor = "Công ty Cổ phần Hạ tầng Mẫu (dữ liệu mẫu)"


class WastewaterPlantFactory(DjangoModelFactory):
    class Meta:
        model = WastewaterPlant
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Trạm xử lý nước thải mẫu số {n}")
    capacity_m3_per_day = 500
    built_by = WastewaterPlant.BuiltBy.INVESTOR
    completed_on = date(2015, 1, 1)
    operating_from = date(2015, 3, 1)

    @factory.post_generation
    def serves(obj, create, extracted, **kwargs):
        if create and extracted:
            for cluster in extracted:
                WastewaterPlantCluster.objects.create(plant=obj, cluster=cluster)
