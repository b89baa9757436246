"""Imports: a file that fails halfway leaves no rows; a zip bomb is refused before
it is opened."""

import io
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from khuyencong.models import LegalDocument
from tests.faults.db_faults import insert_fails
from tests.khuyencong.spreadsheets import upload, xlsx_bytes

pytestmark = pytest.mark.django_db

HEADER = ["Số, ký hiệu", "Loại văn bản", "Cơ quan ban hành", "Ngày ban hành"]


def rows(count):
    return [HEADER] + [
        [f"{n}/TB-SCT", "Khác", "Sở Công Thương", "15/05/2019"] for n in range(count)
    ]


def test_an_import_that_fails_halfway_leaves_no_rows(tmp_path):
    path = tmp_path / "vanban.xlsx"
    path.write_bytes(xlsx_bytes(rows(120)))
    # Rows 0..99 are written in two chunks of 50; the database fails on row 100:
    # the import reports it as a row error and rolls everything back.
    with (
        insert_fails("khuyencong_legaldocument", when="NEW.number = '100/TB-SCT'"),
        pytest.raises(CommandError, match="không có gì được lưu"),
    ):
        call_command(
            "import_register",
            "khuyencong.LegalDocument",
            str(path),
            "--chunk-size=50",
            "--no-progress",
        )
    assert not LegalDocument.objects.filter(number__endswith="/TB-SCT").exists()
    assert not LegalDocument.history.filter(number__endswith="/TB-SCT").exists()


def zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (8 * 1024 * 1024))
    return buffer.getvalue()


def test_a_zip_bomb_workbook_is_refused_by_the_import_form(client, staff_user):
    client.force_login(staff_user)
    before = LegalDocument.objects.count()
    bomb = zip_bomb()
    assert len(bomb) < 64 * 1024
    response = client.post(
        reverse("admin:khuyencong_legaldocument_import"),
        {"import_file": upload("bom.xlsx", bomb), "format": ""},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["import_file"]
    assert "nội dung nén bất thường" in errors[0]
    assert LegalDocument.objects.count() == before
