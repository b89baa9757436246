import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from khuyencong.uploads import validate_upload


def test_a_real_pdf_is_accepted():
    f = SimpleUploadedFile("cong-van.pdf", b"%PDF-1.4\n...", "application/pdf")
    assert validate_upload(f) == "application/pdf"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ...", "không đúng loại cho phép"),
        ("gia-mao.pdf", b"MZ not a pdf", "không phải là tệp PDF hợp lệ"),
    ],
)
def test_wrong_type_is_refused_by_name_and_by_content(name, content, message):
    with pytest.raises(ValidationError) as err:
        validate_upload(SimpleUploadedFile(name, content))
    assert message in err.value.messages[0]


def test_too_large_file_is_refused_with_the_limit():
    f = SimpleUploadedFile("lon.pdf", b"%PDF-" + b"0" * 2048)
    with pytest.raises(ValidationError) as err:
        validate_upload(f, max_bytes=1024)
    assert "vượt quá giới hạn" in err.value.messages[0]
