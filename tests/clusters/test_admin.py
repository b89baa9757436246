from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from clusters.models import IndustrialCluster, WastewaterPlant
from khuyencong.models import Attachment
from tests.clusters.factories import (
    ClusterPlanFactory,
    IndustrialClusterFactory,
    WastewaterPlantFactory,
)
from tests.khuyencong.factories import PASSWORD, LegalDocumentFactory, unit

pytestmark = pytest.mark.django_db

CLUSTERS = "/admin/clusters/industrialcluster/"
PLANTS = "/admin/clusters/wastewaterplant/"
PLANS = "/admin/clusters/clusterplan/"
ATTACHMENTS = "khuyencong-attachment-content_type-object_id"


@pytest.fixture
def staff(client, staff_user):
    client.force_login(staff_user)
    return client


def _management(prefix, total=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def _cluster_post(plan, **overrides):
    data = {
        "plan": plan.pk,
        "name": "Cụm công nghiệp Phú Nghĩa mở rộng",
        "administrative_unit": unit("277").pk,
        "kind": IndustrialCluster.Kind.GENERAL,
        "investor": "Công ty Hạ tầng Demo",
        "planned_area_ha": "30",
        "industrial_land_ha": "20",
        "leased_land_ha": "15",
        "in_plan_from": "",
        "established_on": "",
        "establishment_document": "",
        "operating_from": "",
        "removed_on": "",
        "removal_document": "",
        "tenant_count": "",
        "worker_count": "",
        "note": "",
        **_management(ATTACHMENTS),
    }
    data.update(overrides)
    return data


def _three_clusters_with_a_plant(n=1):
    for _ in range(n):
        a = IndustrialClusterFactory(
            operating_from=date(2015, 1, 1),
            establishment_document=LegalDocumentFactory(),
            established_on=date(2014, 1, 1),
        )
        IndustrialClusterFactory(administrative_unit=unit("280"))
        c = IndustrialClusterFactory(operating_from=date(2016, 1, 1))
        WastewaterPlantFactory(serves=[a, c], decision=LegalDocumentFactory())


def test_cluster_changelist_shows_status_occupancy_and_plant(staff):
    IndustrialClusterFactory(
        name="Cụm công nghiệp Ngọc Sơn",
        established_on=date(2018, 5, 2),
        operating_from=date(2019, 1, 2),
        industrial_land_ha=Decimal("40"),
        leased_land_ha=Decimal("30"),
    )
    response = staff.get(CLUSTERS)
    body = response.content.decode()
    assert "Cụm công nghiệp Ngọc Sơn" in body
    assert "Đang hoạt động" in body
    assert "75,0 %" in body
    assert "Huyện Chương Mỹ" in body


@pytest.mark.parametrize(("url", "budget"), [(CLUSTERS, 10), (PLANTS, 9), (PLANS, 6)])
def test_changelists_stay_within_a_query_budget_at_two_data_sizes(
    staff, url, budget, django_assert_max_num_queries
):
    _three_clusters_with_a_plant(2)
    with django_assert_max_num_queries(budget) as small:
        assert staff.get(url).status_code == 200
    _three_clusters_with_a_plant(12)
    with django_assert_max_num_queries(budget) as large:
        response = staff.get(url)
    assert len(small) == len(large)
    assert len(response.context["cl"].result_list) > 12


def test_cluster_search_finds_by_name_investor_and_unit(staff):
    IndustrialClusterFactory(
        name="Cụm công nghiệp Quất Động", investor="Công ty An Phát"
    )
    IndustrialClusterFactory(name="Cụm công nghiệp Phú Thị")
    names = lambda r: {c.name for c in r.context["cl"].result_list}  # noqa: E731
    assert names(staff.get(CLUSTERS, {"q": "Quất Động"})) == {
        "Cụm công nghiệp Quất Động"
    }
    assert names(staff.get(CLUSTERS, {"q": "An Phát"})) == {"Cụm công nghiệp Quất Động"}
    assert len(names(staff.get(CLUSTERS, {"q": "Chương Mỹ"}))) == 2


def test_cluster_filters_by_status_unit_kind_and_plant(staff):
    today = timezone.localdate()
    operating = IndustrialClusterFactory(
        name="A hoạt động", operating_from=date(2010, 1, 1)
    )
    planned = IndustrialClusterFactory(
        name="B quy hoạch",
        administrative_unit=unit("280"),
        kind=IndustrialCluster.Kind.CRAFT_VILLAGE,
    )
    city = IndustrialClusterFactory(
        name="C có trạm TP", operating_from=date(2010, 1, 1)
    )
    idle = IndustrialClusterFactory(name="D trạm chưa chạy")
    WastewaterPlantFactory(built_by=WastewaterPlant.BuiltBy.CITY, serves=[city])
    WastewaterPlantFactory(completed_on=today, operating_from=None, serves=[idle])

    def names(**params):
        return {c.name for c in staff.get(CLUSTERS, params).context["cl"].result_list}

    assert names(trang_thai="dang_hoat_dong") == {operating.name, city.name}
    assert names(trang_thai="quy_hoach") == {planned.name, idle.name}
    assert names(administrative_unit__id__exact=unit("280").pk) == {planned.name}
    assert names(kind__exact="lang_nghe") == {planned.name}
    assert names(co_tram="dang_hoat_dong") == {city.name}
    assert names(co_tram="co") == {city.name, idle.name}
    assert names(co_tram="khong") == {operating.name, planned.name}
    assert names(nguon_tram="thanh_pho") == {city.name}
    assert names(nguon_tram="chu_dau_tu") == {idle.name}


def test_adding_a_small_cluster_saves_it_and_warns_about_the_area(staff):
    plan = ClusterPlanFactory()
    response = staff.post(
        CLUSTERS + "add/", _cluster_post(plan, planned_area_ha="8.5"), follow=True
    )
    body = response.content.decode()
    assert IndustrialCluster.objects.filter(planned_area_ha=Decimal("8.5")).exists()
    assert (
        "Diện tích quy hoạch 8,50 ha nằm ngoài khoảng 10–75 ha cho cụm công nghiệp "
        "(Nghị định 32/2024/NĐ-CP)."
    ) in body


def test_a_craft_village_cluster_of_six_hectares_gets_no_warning(staff):
    plan = ClusterPlanFactory()
    response = staff.post(
        CLUSTERS + "add/",
        _cluster_post(plan, planned_area_ha="6", kind="lang_nghe"),
        follow=True,
    )
    assert IndustrialCluster.objects.count() == 1
    assert "nằm ngoài khoảng" not in response.content.decode()


def test_admin_refuses_leased_land_above_industrial_land(staff):
    plan = ClusterPlanFactory()
    response = staff.post(
        CLUSTERS + "add/",
        _cluster_post(plan, industrial_land_ha="20", leased_land_ha="25"),
    )
    assert response.status_code == 200
    assert (
        "Diện tích đất đã cho thuê (25,00 ha) không được lớn hơn diện tích đất "
        "công nghiệp (20,00 ha)."
    ) in response.content.decode()
    assert not IndustrialCluster.objects.exists()


def test_admin_refuses_operating_before_establishment(staff):
    plan = ClusterPlanFactory()
    response = staff.post(
        CLUSTERS + "add/",
        _cluster_post(plan, established_on="01/03/2019", operating_from="01/02/2019"),
    )
    assert response.status_code == 200
    assert (
        "Ngày bắt đầu hoạt động (01/02/2019) không được trước ngày thành lập "
        "(01/03/2019)."
    ) in response.content.decode()
    assert not IndustrialCluster.objects.exists()


def test_cluster_change_form_shows_status_warnings_plants_and_documents(staff):
    cluster = IndustrialClusterFactory(
        planned_area_ha=Decimal("80"),
        established_on=date(2018, 5, 2),
        operating_from=date(2019, 1, 2),
    )
    WastewaterPlantFactory(name="Trạm XLNT Ngọc Hòa", serves=[cluster])
    body = staff.get(f"{CLUSTERS}{cluster.pk}/change/").content.decode()
    assert "Đang hoạt động" in body
    assert "80,00 ha nằm ngoài khoảng 10–75 ha" in body
    assert "Cụm đã có ngày thành lập nhưng chưa gắn quyết định." in body
    assert "Trạm XLNT Ngọc Hòa (Đang hoạt động)" in body
    assert "75,0 %" in body
    assert "tài liệu đính kèm" in body.lower()


def _plant_post(clusters, **overrides):
    data = {
        "name": "Trạm XLNT cụm Thanh Oai",
        "built_by": WastewaterPlant.BuiltBy.CITY,
        "capacity_m3_per_day": "800",
        "decision": LegalDocumentFactory(number="7209/QĐ-UBND").pk,
        "completed_on": "01/06/2015",
        "operating_from": "01/09/2015",
        "stopped_on": "",
        "note": "",
        **_management("cluster_links", len(clusters)),
        **_management(ATTACHMENTS),
    }
    for i, cluster in enumerate(clusters):
        data[f"cluster_links-{i}-cluster"] = cluster.pk
    data.update(overrides)
    return data


def test_admin_saves_a_plant_serving_two_clusters_of_one_unit(staff):
    a, b = IndustrialClusterFactory(), IndustrialClusterFactory()
    response = staff.post(PLANTS + "add/", _plant_post([a, b]))
    assert response.status_code == 302
    plant = WastewaterPlant.objects.get()
    assert set(plant.clusters.all()) == {a, b}
    assert plant.decision.number == "7209/QĐ-UBND"
    body = staff.get(PLANTS).content.decode()
    assert a.name in body and b.name in body
    assert "Đang hoạt động" in body


def test_admin_saves_a_plant_shared_by_clusters_of_two_units(staff):
    a = IndustrialClusterFactory(name="Cụm A")
    b = IndustrialClusterFactory(name="Cụm B", administrative_unit=unit("280"))
    response = staff.post(PLANTS + "add/", _plant_post([a, b]))
    assert response.status_code == 302
    assert set(WastewaterPlant.objects.get().clusters.all()) == {a, b}


def test_admin_refuses_a_plant_serving_no_cluster(staff):
    response = staff.post(PLANTS + "add/", _plant_post([]))
    assert response.status_code == 200
    assert (
        "Trạm xử lý nước thải phải phục vụ ít nhất một cụm công nghiệp."
        in response.content.decode()
    )
    assert not WastewaterPlant.objects.exists()


def test_plant_filters_by_builder_status_and_unit(staff):
    today = timezone.localdate()
    here = IndustrialClusterFactory(name="Cụm công nghiệp Đồng Phú")
    there = IndustrialClusterFactory(administrative_unit=unit("280"))
    WastewaterPlantFactory(name="P1", built_by="thanh_pho", serves=[here])
    WastewaterPlantFactory(
        name="P2",
        built_by="chu_dau_tu",
        completed_on=None,
        operating_from=None,
        serves=[there],
    )
    WastewaterPlantFactory(
        name="P3",
        built_by="chu_dau_tu",
        completed_on=today,
        operating_from=None,
        serves=[there],
    )

    def names(**params):
        return {p.name for p in staff.get(PLANTS, params).context["cl"].result_list}

    assert names(built_by__exact="thanh_pho") == {"P1"}
    assert names(trang_thai="dang_hoat_dong") == {"P1"}
    assert names(trang_thai="dang_xay_dung") == {"P2"}
    assert names(trang_thai="chua_hoat_dong") == {"P3"}
    assert names(don_vi=unit("280").pk) == {"P2", "P3"}
    assert names(q="Đồng Phú") == {"P1"}


def test_plan_changelist_counts_its_clusters(staff):
    plan = ClusterPlanFactory(title="Quy hoạch CCN Hà Nội đến 2020")
    IndustrialClusterFactory.create_batch(3, plan=plan)
    response = staff.get(PLANS)
    (row,) = response.context["cl"].result_list
    assert row.n_clusters == 3
    assert "Quy hoạch CCN Hà Nội đến 2020" in response.content.decode()


def test_officers_cannot_open_the_cluster_admin(client, officer_a):
    client.login(username=officer_a.username, password=PASSWORD)
    response = client.get(CLUSTERS)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_leadership_reads_clusters_but_cannot_add(client, leadership_user):
    IndustrialClusterFactory(name="Cụm công nghiệp Thanh Oai")
    client.login(username=leadership_user.username, password=PASSWORD)
    assert "Cụm công nghiệp Thanh Oai" in client.get(CLUSTERS).content.decode()
    assert client.get(CLUSTERS + "add/").status_code == 403


def test_staff_add_a_plan_with_its_decision_and_find_it(staff):
    decision = LegalDocumentFactory(number="1292/QĐ-UBND")
    response = staff.post(
        PLANS + "add/",
        {
            "title": "Quy hoạch phát triển cụm công nghiệp đến năm 2020",
            "document": decision.pk,
            "horizon_year": "2020",
            "vision_year": "2030",
            "effective_from": "29/03/2013",
            "effective_until": "",
            "note": "",
            **_management(ATTACHMENTS),
        },
    )
    assert response.status_code == 302
    found = staff.get(PLANS, {"q": "1292"}).context["cl"].result_list
    assert [p.title for p in found] == [
        "Quy hoạch phát triển cụm công nghiệp đến năm 2020"
    ]
    assert found[0].effective_from == date(2013, 3, 29)


def test_plant_inline_finds_clusters_by_autocomplete(staff):
    IndustrialClusterFactory(name="Cụm công nghiệp Kim Bài")
    response = staff.get(
        "/admin/autocomplete/",
        {
            "term": "Kim Bài",
            "app_label": "clusters",
            "model_name": "wastewaterplantcluster",
            "field_name": "cluster",
        },
    )
    assert [r["text"] for r in response.json()["results"]] == [
        "Cụm công nghiệp Kim Bài"
    ]


def test_a_decision_attached_to_a_cluster_downloads_only_for_its_unit(
    staff, settings, tmp_path, officer_a, officer_b
):
    settings.MEDIA_ROOT = tmp_path
    cluster = IndustrialClusterFactory(plan=ClusterPlanFactory())
    data = _cluster_post(
        cluster.plan,
        name=cluster.name,
        **{
            f"{ATTACHMENTS}-TOTAL_FORMS": "1",
            f"{ATTACHMENTS}-0-kind": "quyet_dinh",
            f"{ATTACHMENTS}-0-title": "Quyết định thành lập cụm",
            f"{ATTACHMENTS}-0-file": SimpleUploadedFile(
                "qd-thanh-lap.pdf", b"%PDF-1.4\n...", "application/pdf"
            ),
        },
    )
    response = staff.post(f"{CLUSTERS}{cluster.pk}/change/", data)
    assert response.status_code == 302
    attachment = Attachment.objects.for_object(cluster).get()
    assert attachment.original_name == "qd-thanh-lap.pdf"
    # The form shows the file by its name, linked to the checked download, never
    # by its private storage path.
    page = staff.get(f"{CLUSTERS}{cluster.pk}/change/").content.decode()
    assert f'href="{attachment.get_absolute_url()}">qd-thanh-lap.pdf</a>' in page
    assert attachment.file.name not in page
    for officer, status in ((officer_a, 200), (officer_b, 404)):
        browser = Client()
        browser.force_login(officer)
        assert browser.get(attachment.get_absolute_url()).status_code == status


def test_change_forms_stay_within_a_query_budget(staff, django_assert_max_num_queries):
    clusters = IndustrialClusterFactory.create_batch(2)
    plant = WastewaterPlantFactory(serves=clusters)
    IndustrialClusterFactory.create_batch(20)
    with django_assert_max_num_queries(11):
        body = staff.get(f"{CLUSTERS}{clusters[0].pk}/change/").content.decode()
    assert plant.name in body
    # The plant form: one query per cluster row (its autocomplete widget).
    with django_assert_max_num_queries(14):
        body = staff.get(f"{PLANTS}{plant.pk}/change/").content.decode()
    assert clusters[1].name in body
    with django_assert_max_num_queries(4):
        staff.get(CLUSTERS + "add/")
