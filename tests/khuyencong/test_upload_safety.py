"""Uploaded files: checked by content, never served but through the checking view,
always as a download; Office files guarded against zip bombs."""

import io
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from khuyencong.models import Attachment
from khuyencong.uploads import validate_upload
from tests.khuyencong.admin_forms import form_post_data
from tests.khuyencong.factories import LegalDocumentFactory

pytestmark = pytest.mark.django_db


def xlsx_bytes() -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["Tên cơ sở", "Mã số thuế"])
    book.active.append(["HTX Mây tre đan Phú Vinh", "0101234567"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_real_workbook_is_accepted():
    upload = SimpleUploadedFile("danh-sach-ho.xlsx", xlsx_bytes())
    assert validate_upload(upload).endswith("spreadsheetml.sheet")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        # Renamed files: the name says one thing, the bytes another.
        ("bao-cao.pdf", b"<html><script>alert(1)</script>", "không phải là tệp PDF"),
        ("anh.png", b"%PDF-1.4 not an image", "không phải là tệp PNG"),
        ("anh.jpg", b"GIF89a", "không phải là tệp JPG"),
        ("cong-van.doc", b"PK\x03\x04", "không phải là tệp DOC"),
        # A ZIP that is not an Office document (an archive, a Java program...).
        ("danh-sach.xlsx", zip_bytes({"a.txt": b"x"}), "không phải là tệp XLSX"),
        ("to-trinh.docx", zip_bytes({"a.txt": b"x"}), "không phải là tệp DOCX"),
        ("hong.xlsx", b"PK\x03\x04 truncated", "không phải là tệp XLSX"),
        # Types never accepted, whatever the content.
        ("trang.html", b"<html>", "không đúng loại cho phép"),
        ("anh.svg", b"<svg onload=alert(1)>", "không đúng loại cho phép"),
        ("chay.exe", b"MZ", "không đúng loại cho phép"),
        ("khong-duoi", b"%PDF-1.4", "không đúng loại cho phép"),
        ("hai-duoi.pdf.exe", b"%PDF-1.4", "không đúng loại cho phép"),
    ],
)
def test_files_are_checked_by_content_not_only_by_name(name, content, message):
    with pytest.raises(ValidationError) as err:
        validate_upload(SimpleUploadedFile(name, content))
    assert message in err.value.messages[0]


def test_a_zip_bomb_disguised_as_a_workbook_is_refused(settings):
    settings.UPLOAD_MAX_UNCOMPRESSED_BYTES = 1024 * 1024
    bomb = zip_bytes(
        {
            "[Content_Types].xml": b"<Types/>",
            "xl/workbook.xml": b"<workbook/>",
            "xl/worksheets/sheet1.xml": b"0" * (3 * 1024 * 1024),
        }
    )
    assert len(bomb) < 20 * 1024  # tiny on the wire
    with pytest.raises(ValidationError) as err:
        validate_upload(SimpleUploadedFile("bom.xlsx", bomb))
    assert "nội dung nén bất thường" in err.value.messages[0]
    assert err.value.error_list[0].code == "file_zip_bomb"


def test_an_abnormally_compressed_member_is_refused_even_under_the_size_limit():
    bomb = zip_bytes(
        {
            "[Content_Types].xml": b"<Types/>",
            "word/document.xml": b"A" * (512 * 1024),
        }
    )
    with pytest.raises(ValidationError) as err:
        validate_upload(SimpleUploadedFile("to-trinh.docx", bomb))
    assert "nội dung nén bất thường" in err.value.messages[0]


def test_an_archive_with_paths_leaving_its_folder_is_refused():
    evil = zip_bytes(
        {
            "[Content_Types].xml": b"<Types/>",
            "xl/workbook.xml": b"<workbook/>",
            "../../etc/cron.d/x": b"x",
        }
    )
    with pytest.raises(ValidationError):
        validate_upload(SimpleUploadedFile("x.xlsx", evil))


def test_the_admin_refuses_a_disguised_file_with_a_message_naming_it(
    client, staff_user, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(staff_user)
    document = LegalDocumentFactory()
    url = reverse("admin:khuyencong_legaldocument_change", args=[document.pk])
    data = form_post_data(client.get(url))
    prefix = "khuyencong-attachment-content_type-object_id"
    data[f"{prefix}-TOTAL_FORMS"] = 1
    data[f"{prefix}-0-kind"] = Attachment.Kind.DECISION
    data[f"{prefix}-0-title"] = "Quyết định"
    data[f"{prefix}-0-file"] = SimpleUploadedFile("quyet-dinh.pdf", b"MZ\x90\x00")
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Nội dung tệp “quyet-dinh.pdf” không phải là tệp PDF hợp lệ" in (
        response.content.decode()
    )
    assert not Attachment.objects.exists()
    assert not any(tmp_path.rglob("*.pdf"))


@pytest.fixture
def stored_file(settings, tmp_path, staff_user):
    settings.MEDIA_ROOT = tmp_path
    document = LegalDocumentFactory()
    attachment = Attachment(
        target=document,
        original_name="Quyết định 7209.pdf",
        size=9,
        mime_type="application/pdf",
        uploaded_by=staff_user,
    )
    attachment.file.save("x.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    attachment.save()
    return attachment


def test_a_file_is_served_as_a_download_with_nosniff(client, staff_user, stored_file):
    client.force_login(staff_user)
    response = client.get(stored_file.get_absolute_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4\n"
    assert response["Content-Disposition"].startswith("attachment;")
    assert (
        "Quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh%207209.pdf"
        in (response["Content-Disposition"])
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]


def test_files_are_never_reachable_by_their_storage_path(
    client, staff_user, stored_file
):
    client.force_login(staff_user)
    assert client.get(stored_file.file.url).status_code == 404
    assert client.get("/media/" + stored_file.file.name).status_code == 404


def test_the_stored_name_is_random_and_keeps_nothing_of_the_original(stored_file):
    stored = stored_file.file.name
    assert stored.startswith("private/")
    assert "7209" not in stored
    assert "Quy" not in stored


def test_anonymous_users_are_sent_to_login_for_a_file(client, stored_file):
    response = client.get(stored_file.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_officer_without_access_to_the_record_gets_404(
    client, officer_a, stored_file
):
    client.force_login(officer_a)
    assert client.get(stored_file.get_absolute_url()).status_code == 404


def test_a_missing_file_on_disk_is_404_not_a_crash(client, staff_user, stored_file):
    stored_file.file.delete(save=False)
    client.force_login(staff_user)
    assert client.get(stored_file.get_absolute_url()).status_code == 404
