"""Import and export in the admin: the clerk's journey on the legal documents list."""

import pytest
from django.test import override_settings
from django.urls import reverse

from khuyencong.models import AdministrativeUnit, LegalDocument
from tests.khuyencong.factories import LegalDocumentFactory
from tests.khuyencong.spreadsheets import (
    csv_bytes,
    read_csv,
    read_xlsx,
    upload,
    xlsx_bytes,
)

HEADER = ["Số, ký hiệu", "Loại văn bản", "Cơ quan ban hành", "Ngày ban hành"]
IMPORT_URL = reverse("admin:khuyencong_legaldocument_import")
CONFIRM_URL = reverse("admin:khuyencong_legaldocument_process_import")
TEMPLATE_URL = reverse("admin:khuyencong_legaldocument_import_template")
EXPORT_URL = reverse("admin:khuyencong_legaldocument_export")
CHANGELIST_URL = reverse("admin:khuyencong_legaldocument_changelist")


def post_file(client, name, content):
    return client.post(IMPORT_URL, {"import_file": upload(name, content), "format": ""})


def export(client, url, fmt):
    """Post the export form as the page offers it: every column ticked."""
    form = client.get(url).context["form"]
    data = {"format": fmt}
    for name, field in form.fields.items():
        if getattr(field, "is_selectable_field", False):
            data[name] = "on"
    return client.post(url, data)


def form_errors(response) -> list[str]:
    return list(response.context["form"].errors.get("import_file", []))


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.mark.django_db
def test_list_offers_import_export_and_a_blank_template(staff_client):
    page = staff_client.get(CHANGELIST_URL).content.decode()
    assert f"href='{TEMPLATE_URL}'" in page
    assert "Tải mẫu trống" in page
    assert "Nhập từ tệp" in page and "Xuất ra tệp" in page


@pytest.mark.django_db
def test_blank_template_has_the_vietnamese_columns_and_a_guide(staff_client):
    response = staff_client.get(TEMPLATE_URL)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = [r for r in read_xlsx(response.content) if any(r)]
    assert rows == [HEADER + ["Trích yếu"]]
    from io import BytesIO

    from openpyxl import load_workbook

    guide = load_workbook(BytesIO(response.content))["Hướng dẫn"]
    notes = {row[0]: row[1:] for row in guide.iter_rows(min_row=2, values_only=True)}
    assert notes["Số, ký hiệu"][0] == "Có"
    assert "nhập lại sẽ cập nhật" in notes["Số, ký hiệu"][1]
    assert "15/05/2019" in notes["Ngày ban hành"][1]
    assert "Quyết định" in notes["Loại văn bản"][1]


@pytest.mark.django_db
def test_preview_counts_new_updated_unchanged_and_saves_nothing(staff_client):
    LegalDocumentFactory(number="1/QĐ-UBND", issuer="UBND", issued_on=None, summary="")
    LegalDocumentFactory(number="2/QĐ-UBND", issuer="Cũ", issued_on=None, summary="")
    content = xlsx_bytes(
        [
            HEADER,
            ["1/QĐ-UBND", "Quyết định", "UBND", None],
            ["2/QĐ-UBND", "Quyết định", "Mới", None],
            ["3/QĐ-UBND", "Quyết định", "UBND", "15/05/2019"],
        ]
    )
    response = post_file(staff_client, "vanban.xlsx", content)
    page = response.content.decode()
    assert "1 dòng mới, 1 dòng cập nhật, 1 dòng không đổi." in page
    assert "Xác nhận nhập" in page
    assert not LegalDocument.objects.filter(number="3/QĐ-UBND").exists()
    assert LegalDocument.objects.get(number="2/QĐ-UBND").issuer == "Cũ"

    confirm = response.context["confirm_form"].initial
    response = staff_client.post(CONFIRM_URL, confirm, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "Đã nhập xong: 1 mới, 1 cập nhật, 0 xóa và 1 không đổi (văn bản)."
    ]
    assert LegalDocument.objects.get(number="3/QĐ-UBND").issuer == "UBND"
    assert LegalDocument.objects.get(number="2/QĐ-UBND").issuer == "Mới"


@pytest.mark.django_db
def test_preview_lists_each_error_with_row_column_and_message(staff_client):
    rows = [HEADER] + [[f"{n}/KH", "Kế hoạch", "UBND", "15/05/2019"] for n in range(9)]
    rows[4][3] = "32/05/2019"
    rows[7][1] = "Chỉ thị"
    response = post_file(staff_client, "vanban.csv", csv_bytes(rows))
    page = response.content.decode()
    assert "confirm_form" not in response.context or not response.context.get(
        "confirm_form"
    )
    invalid = [
        (row.number + 1, dict(row.field_specific_errors))
        for row in response.context["result"].invalid_rows
    ]
    assert invalid[0] == (
        5,
        {"Ngày ban hành": ["Ngày “32/05/2019” không có trên lịch."]},
    )
    assert invalid[1][0] == 8
    assert "“Chỉ thị” không có trong danh mục" in invalid[1][1]["Loại văn bản"][0]
    assert "<td>5</td>" in page and "Ngày ban hành" in page
    assert "Xác nhận nhập" not in page
    assert not LegalDocument.objects.filter(number__endswith="/KH").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("baocao.pdf", b"%PDF-1.4", "không phải là bảng tính được hỗ trợ"),
        ("vanban.xlsx", b"this is not a zip file", "bị hỏng hoặc không phải"),
        ("vanban.xlsx", b"PK\x03\x04broken zip", "bị hỏng hoặc không đọc được"),
        ("vanban.csv", b"", "rỗng"),
        ("vanban.csv", b"\x00\x01\x02binary", "không phải là tệp CSV"),
        ("vanban.xlsx", xlsx_bytes([HEADER]), "không có dòng dữ liệu"),
        ("vanban.xlsx", xlsx_bytes([]), "không có dữ liệu"),
        (
            "vanban.xlsx",
            xlsx_bytes([HEADER[1:], ["Quyết định", "UBND", None]]),
            "Thiếu cột bắt buộc: “Số, ký hiệu”",
        ),
        (
            "vanban.csv",
            csv_bytes([HEADER + ["Số tiền"], ["1/QĐ", "Khác", "UBND", "", "5"]]),
            "Cột không nhận ra: “Số tiền”",
        ),
    ],
)
def test_bad_files_get_a_clear_message_and_change_nothing(
    staff_client, name, content, message
):
    before = LegalDocument.objects.count()
    response = post_file(staff_client, name, content)
    assert response.status_code == 200
    [error] = form_errors(response)
    assert message in error
    assert "result" not in response.context or response.context["result"] is None
    assert LegalDocument.objects.count() == before


@pytest.mark.django_db
@override_settings(IMPORT_MAX_BYTES=1000)
def test_a_file_over_the_size_limit_is_refused(staff_client):
    rows = [HEADER] + [[f"{n}/QĐ", "Khác", "UBND", ""] for n in range(200)]
    response = post_file(staff_client, "lon.csv", csv_bytes(rows))
    [error] = form_errors(response)
    assert "vượt quá giới hạn 1000" in error
    assert not LegalDocument.objects.filter(number="1/QĐ").exists()


@pytest.mark.django_db
def test_only_users_with_the_import_permission_may_import(client, leadership_user):
    client.force_login(leadership_user)
    assert client.get(IMPORT_URL).status_code == 403
    assert client.get(TEMPLATE_URL).status_code == 403
    response = post_file(
        client, "vanban.csv", csv_bytes([HEADER, ["9/QĐ", "Khác", "", ""]])
    )
    assert response.status_code == 403
    assert not LegalDocument.objects.filter(number="9/QĐ").exists()
    page = client.get(CHANGELIST_URL).content.decode()
    assert "Tải mẫu trống" not in page
    assert "Xuất ra tệp" in page  # leadership exports


@pytest.mark.django_db
def test_staff_may_export_units_but_not_import_them(client, staff_user):
    client.force_login(staff_user)
    assert (
        client.get(reverse("admin:khuyencong_administrativeunit_import")).status_code
        == 403
    )
    response = export(
        client, reverse("admin:khuyencong_administrativeunit_export"), "0"
    )
    rows = read_xlsx(response.content)
    assert len(rows) == AdministrativeUnit.objects.count() + 1


@pytest.mark.django_db
def test_admin_export_escapes_formulas_and_keeps_vietnamese(staff_client):
    LegalDocumentFactory(number="7/QĐ-UBND", summary='=HYPERLINK("http://x","Bấm")')
    for fmt, read in (("0", read_xlsx), ("1", read_csv)):
        response = export(staff_client, EXPORT_URL, fmt)
        assert response.status_code == 200
        rows = read(response.content)
        assert rows[0] == HEADER + ["Trích yếu"]
        row = next(r for r in rows if r[0] == "7/QĐ-UBND")
        assert row[4] == '\'=HYPERLINK("http://x","Bấm")'


@pytest.mark.django_db
def test_export_page_labels_columns_in_vietnamese(staff_client):
    page = staff_client.get(EXPORT_URL).content.decode()
    assert "Ngày ban hành" in page
    assert "Issued On" not in page


@pytest.mark.django_db
def test_import_pages_are_in_vietnamese(staff_client):
    page = staff_client.get(IMPORT_URL).content.decode()
    assert "Tệp cần nhập (.xlsx hoặc .csv)" in page
    assert "Kiểm tra tệp" in page
    for english in ("This importer", "Submit", "File to import", "Format"):
        assert english not in page


def test_every_register_admin_exports_with_vietnamese_headers():
    from django.contrib import admin

    from khuyencong.importing.admin import RegisterImportExportMixin
    from khuyencong.importing.registry import export_resource_for

    registers = [
        model
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, RegisterImportExportMixin)
    ]
    assert registers
    for model in registers:
        headers = export_resource_for(model)().get_export_headers()
        assert headers, model
        for header in headers:
            # A Vietnamese label, never a field name such as "planned_area_ha".
            assert "_" not in header and header[0].isupper(), (model, header)
