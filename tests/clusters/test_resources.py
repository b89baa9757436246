"""Import/export of the cluster registers, with real .xlsx and .csv files."""

import io
from datetime import date
from decimal import Decimal

import pytest

from clusters.models import ClusterPlan, IndustrialCluster, WastewaterPlant
from clusters.resources import (
    ClusterPlanResource,
    IndustrialClusterResource,
    WastewaterPlantResource,
)
from khuyencong.importing import files
from khuyencong.importing.registry import resource_for
from tests.clusters.factories import (
    ClusterPlanFactory,
    IndustrialClusterFactory,
    WastewaterPlantFactory,
)
from tests.khuyencong.factories import LegalDocumentFactory, unit
from tests.khuyencong.spreadsheets import csv_bytes, read_xlsx, xlsx_bytes

CLUSTER = [
    "Quy hoạch",
    "Tên cụm công nghiệp",
    "Đơn vị hành chính",
    "Loại cụm",
    "Diện tích quy hoạch (ha)",
    "Diện tích đất công nghiệp (ha)",
    "Diện tích đất công nghiệp đã cho thuê (ha)",
    "Ngày thành lập",
    "Hoạt động từ ngày",
]


def run_import(resource_class, content, ext, **kwargs):
    dataset = files.read_dataset(io.BytesIO(content), ext)
    return resource_class(**kwargs).import_data(dataset)


def errors_of(result):
    return [(row.number + 1, row.error.message_dict) for row in result.invalid_rows]


def test_every_cluster_register_has_its_resource():
    assert resource_for(ClusterPlan) is ClusterPlanResource
    assert resource_for(IndustrialCluster) is IndustrialClusterResource
    assert resource_for(WastewaterPlant) is WastewaterPlantResource


@pytest.mark.django_db
def test_clusters_import_with_vietnamese_areas_and_dates_and_reimport():
    plan = ClusterPlanFactory()
    content = xlsx_bytes(
        [
            CLUSTER,
            [
                "2020",
                "Cụm CN Ngọc Sơn",
                "Chương Mỹ",
                "Cụm công nghiệp",
                "30,5",
                "20",
                "12,25",
                "15/05/2018",
                date(2019, 1, 2),
            ],
            [
                plan.title,
                "Cụm CN làng nghề Phú Túc",
                "Huyện Phú Xuyên",
                "Cụm công nghiệp làng nghề",
                "8",
                "",
                "",
                "",
                "",
            ],
        ]
    )
    result = run_import(IndustrialClusterResource, content, "xlsx")
    assert errors_of(result) == []
    ngoc_son = IndustrialCluster.objects.get(name="Cụm CN Ngọc Sơn")
    assert ngoc_son.planned_area_ha == Decimal("30.5")
    assert ngoc_son.leased_land_ha == Decimal("12.25")
    assert ngoc_son.established_on == date(2018, 5, 15)
    assert ngoc_son.operating_from == date(2019, 1, 2)
    assert IndustrialCluster.objects.get(name__endswith="Phú Túc").kind == "lang_nghe"
    again = run_import(IndustrialClusterResource, content, "xlsx")
    assert (again.totals["new"], again.totals["skip"]) == (0, 2)


@pytest.mark.django_db
def test_the_same_cluster_name_in_two_units_is_two_clusters():
    ClusterPlanFactory()
    content = csv_bytes(
        [
            CLUSTER[:5],
            ["2020", "Cụm CN số 1", "277", "Cụm công nghiệp", "20"],
            ["2020", "Cụm CN số 1", "280", "Cụm công nghiệp", "25"],
        ]
    )
    assert errors_of(run_import(IndustrialClusterResource, content, "csv")) == []
    assert IndustrialCluster.objects.filter(name="Cụm CN số 1").count() == 2


@pytest.mark.django_db
def test_a_cluster_leasing_more_than_its_land_is_refused_by_row():
    ClusterPlanFactory()
    content = xlsx_bytes(
        [
            CLUSTER[:7],
            ["2020", "Cụm A", "277", "Cụm công nghiệp", "20", "10", "5"],
            ["2020", "Cụm B", "277", "Cụm công nghiệp", "20", "10", "15"],
        ]
    )
    result = run_import(IndustrialClusterResource, content, "xlsx")
    assert [row for row, _errors in errors_of(result)] == [3]
    assert not IndustrialCluster.objects.exists()


@pytest.mark.django_db
def test_cluster_export_round_trips_and_officer_sees_only_their_unit(officer_a):
    plan = ClusterPlanFactory()
    IndustrialClusterFactory(plan=plan, name="Cụm Chương Mỹ")
    IndustrialClusterFactory(
        plan=plan, name="Cụm Phú Xuyên", administrative_unit=unit("280")
    )
    exported = files.XLSX().export_data(IndustrialClusterResource().export())
    result = run_import(IndustrialClusterResource, exported, "xlsx")
    assert errors_of(result) == [] and result.totals["skip"] == 2
    rows = read_xlsx(
        files.XLSX().export_data(IndustrialClusterResource(user=officer_a).export())
    )
    assert [r[1] for r in rows[1:]] == ["Cụm Chương Mỹ"]


@pytest.mark.django_db
def test_plans_and_plants_import_by_title_and_name():
    LegalDocumentFactory(number="7209/QĐ-UBND")
    plans = csv_bytes(
        [
            [
                "Tên quy hoạch",
                "Quy hoạch đến năm",
                "Có xét đến năm (tầm nhìn)",
                "Có hiệu lực từ ngày",
            ],
            ["Quy hoạch CCN Hà Nội đến 2020", "2020", "2030", "01/01/2013"],
        ]
    )
    assert errors_of(run_import(ClusterPlanResource, plans, "csv")) == []
    assert run_import(ClusterPlanResource, plans, "csv").totals["skip"] == 1
    plants = xlsx_bytes(
        [
            [
                "Tên trạm",
                "Công suất (m³/ngày đêm)",
                "Đầu tư xây dựng bởi",
                "Quyết định đầu tư",
                "Hoàn thành xây dựng ngày",
            ],
            [
                "Trạm XLNT Ngọc Sơn",
                "1.200",
                "Thành phố (chương trình theo quyết định của UBND)",
                "7209/QĐ-UBND",
                "02/12/2015",
            ],
        ]
    )
    assert errors_of(run_import(WastewaterPlantResource, plants, "xlsx")) == []
    plant = WastewaterPlant.objects.get()
    assert plant.capacity_m3_per_day == 1200
    assert plant.built_by == "thanh_pho"
    assert plant.decision.number == "7209/QĐ-UBND"
    WastewaterPlantFactory(name="Trạm khác")
    exported = files.CSV().export_data(WastewaterPlantResource().export())
    assert run_import(WastewaterPlantResource, exported, "csv").totals["skip"] == 2
