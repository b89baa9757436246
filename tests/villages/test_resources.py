"""Import/export of the village registers, with real .xlsx and .csv files."""

import io
from datetime import date

import pytest
from django.urls import reverse

from khuyencong.importing import files
from khuyencong.importing.registry import resource_for
from tests.khuyencong.factories import LegalDocumentFactory, unit
from tests.khuyencong.spreadsheets import csv_bytes, read_xlsx, xlsx_bytes
from tests.villages.factories import (
    BrandingApplicationFactory,
    BrandingCallFactory,
    CraftVillageFactory,
)
from villages.models import BrandingApplication, BrandingCall, CraftVillage
from villages.resources import (
    BrandingApplicationResource,
    BrandingCallResource,
    CraftVillageResource,
)

VILLAGE = [
    "Tên làng nghề",
    "Đơn vị hành chính",
    "Nghề",
    "Danh hiệu",
    "Quyết định công nhận",
    "Năm công nhận",
    "Tổng số hộ",
    "Số hộ làm nghề",
    "Số lao động",
]


def run_import(resource_class, content, ext, **kwargs):
    dataset = files.read_dataset(io.BytesIO(content), ext)
    return resource_class(**kwargs).import_data(dataset)


def errors_of(result):
    return [(row.number + 1, row.error.message_dict) for row in result.invalid_rows]


def test_every_village_register_has_its_resource():
    assert resource_for(CraftVillage) is CraftVillageResource
    assert resource_for(BrandingCall) is BrandingCallResource
    assert resource_for(BrandingApplication) is BrandingApplicationResource


@pytest.mark.django_db
def test_villages_import_by_name_within_a_unit_and_reimport():
    LegalDocumentFactory(number="1234/QĐ-UBND")
    content = xlsx_bytes(
        [
            VILLAGE,
            [
                "Làng mây tre đan Phú Vinh",
                "Huyện Chương Mỹ",
                "Mây tre đan",
                "Làng nghề truyền thống",
                "1234/QĐ-UBND",
                2005,
                "1.300",
                800,
                "2.500",
            ],
            [
                "Làng mây tre đan Phú Vinh",
                "Phú Xuyên",
                "Mây tre đan",
                "Làng nghề",
                "",
                "",
                100,
                30,
                60,
            ],
        ]
    )
    result = run_import(CraftVillageResource, content, "xlsx")
    assert errors_of(result) == []
    phu_vinh = CraftVillage.objects.get(administrative_unit=unit("277"))
    assert phu_vinh.households_total == 1300
    assert phu_vinh.workers == 2500
    assert phu_vinh.title == CraftVillage.Title.TRADITIONAL
    assert phu_vinh.recognition_document.number == "1234/QĐ-UBND"
    assert CraftVillage.objects.filter(name="Làng mây tre đan Phú Vinh").count() == 2
    again = run_import(CraftVillageResource, content, "xlsx")
    assert (again.totals["new"], again.totals["skip"]) == (0, 2)


@pytest.mark.django_db
def test_a_village_with_more_trade_households_than_households_is_refused():
    content = csv_bytes(
        [
            VILLAGE,
            ["Làng A", "277", "Gốm", "Làng nghề", "", "", "100", "50", "0"],
            ["Làng B", "277", "Gốm", "Làng nghề", "", "", "100", "150", "0"],
        ]
    )
    result = run_import(CraftVillageResource, content, "csv")
    assert result.has_errors()
    assert [str(e.error) for e in result.base_errors] == [
        "Dòng 3: Số hộ làm nghề không được lớn hơn tổng số hộ."
    ]
    assert not CraftVillage.objects.exists()


@pytest.mark.django_db
def test_village_export_round_trips_and_officer_sees_only_their_unit(officer_a):
    CraftVillageFactory(name="Làng Chương Mỹ")
    CraftVillageFactory(name="Làng Phú Xuyên", administrative_unit=unit("280"))
    exported = files.XLSX().export_data(CraftVillageResource().export())
    result = run_import(CraftVillageResource, exported, "xlsx")
    assert errors_of(result) == [] and result.totals["skip"] == 2
    rows = read_xlsx(
        files.XLSX().export_data(CraftVillageResource(user=officer_a).export())
    )
    assert [r[0] for r in rows[1:]] == ["Làng Chương Mỹ"]


@pytest.mark.django_db
def test_branding_calls_import_by_year_and_title():
    content = csv_bytes(
        [
            ["Năm kế hoạch", "Tên đợt đăng ký", "Mở từ ngày", "Hạn nộp hồ sơ"],
            ["2019", "Đợt đăng ký năm 2019", "01/04/2019", "15/05/2019"],
        ]
    )
    assert errors_of(run_import(BrandingCallResource, content, "csv")) == []
    call = BrandingCall.objects.get()
    assert call.deadline == date(2019, 5, 15)
    assert run_import(BrandingCallResource, content, "csv").totals["skip"] == 1


@pytest.mark.django_db
def test_applications_are_exported_scoped_but_never_imported(
    client, staff_user, officer_b
):
    application = BrandingApplicationFactory(
        call=BrandingCallFactory(title="Đợt 2019"),
        village=CraftVillageFactory(name="Làng gốm"),
    )
    rows = read_xlsx(files.XLSX().export_data(BrandingApplicationResource().export()))
    assert rows[0][:3] == ["Đợt đăng ký", "Làng nghề", "Đơn vị hành chính"]
    assert rows[1][:3] == ["Đợt 2019", "Làng gốm", "Huyện Chương Mỹ"]
    assert rows[1][5] == application.get_status_display()
    assert len(BrandingApplicationResource(user=officer_b).export()) == 0

    client.force_login(staff_user)
    page = client.get(reverse("admin:villages_brandingapplication_changelist"))
    assert "Xuất ra tệp" in page.content.decode()
    assert "Tải mẫu trống" not in page.content.decode()
    url = reverse("admin:villages_brandingapplication_import")
    assert client.get(url).status_code == 403
