"""Checks on uploaded files: type by extension AND by content, and size; Office
files (ZIP containers) also against zip bombs."""

import zipfile
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# extension -> (MIME type, test on the first bytes)
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ALLOWED_UPLOADS: dict[str, tuple[str, tuple[bytes, ...]]] = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "doc": ("application/msword", (_OLE,)),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (_ZIP,),
    ),
    "xls": ("application/vnd.ms-excel", (_OLE,)),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        (_ZIP,),
    ),
}


# Office Open XML: the part that makes a ZIP a Word document or a workbook.
OOXML_REQUIRED = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
# A real workbook inflates 5 to 30 times; a zip bomb thousands of times.
ZIP_MAX_RATIO = 200
ZIP_MAX_MEMBERS = 5000


def check_zip_container(upload, *, name: str, ext: str) -> None:
    """Refuse a .docx/.xlsx that is not a real Office file or would inflate
    beyond the limits (zip bomb), reading only the ZIP directory: nothing is
    decompressed here, and Python's zipfile never inflates a member beyond the
    size its directory entry declares."""
    limit = settings.UPLOAD_MAX_UNCOMPRESSED_BYTES
    broken = ValidationError(
        _("Tệp “%(name)s” bị hỏng hoặc không phải là tệp %(ext)s hợp lệ."),
        code="file_content",
        params={"name": name, "ext": ext.upper()},
    )
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise broken from exc
    finally:
        upload.seek(0)
    names = {m.filename for m in members}
    required = OOXML_REQUIRED.get(ext)
    if required and (required not in names or "[Content_Types].xml" not in names):
        raise broken
    total = sum(m.file_size for m in members)
    worst = max((m.file_size / max(m.compress_size, 1) for m in members), default=0)
    unsafe = any(
        m.flag_bits & 0x1 or m.filename.startswith("/") or ".." in m.filename
        for m in members
    )
    if (
        len(members) > ZIP_MAX_MEMBERS
        or total > limit
        or worst > ZIP_MAX_RATIO
        or unsafe
    ):
        raise ValidationError(
            _(
                "Tệp “%(name)s” bị từ chối: nội dung nén bất thường (giải nén ra "
                "%(size)s, giới hạn %(limit)s). Hãy mở bằng Excel/Word, lưu lại "
                "rồi chọn lại."
            ),
            code="file_zip_bomb",
            params={
                "name": name,
                "size": filesizeformat(total),
                "limit": filesizeformat(limit),
            },
        )


def validate_upload(upload, *, max_bytes: int | None = None) -> str:
    """Refuse a file of another type or too large; return its MIME type."""
    limit = max_bytes or settings.UPLOAD_MAX_BYTES
    name = PurePath(upload.name or "").name
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in ALLOWED_UPLOADS:
        raise ValidationError(
            _(
                "Tệp “%(name)s” không đúng loại cho phép. Chỉ nhận PDF, ảnh (JPG, "
                "PNG), Word (DOC, DOCX) và Excel (XLS, XLSX)."
            ),
            code="file_type",
            params={"name": name},
        )
    if upload.size > limit:
        raise ValidationError(
            _("Tệp “%(name)s” dung lượng %(size)s, vượt quá giới hạn %(limit)s."),
            code="file_size",
            params={
                "name": name,
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(limit),
            },
        )
    mime, signatures = ALLOWED_UPLOADS[ext]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(sig) for sig in signatures):
        raise ValidationError(
            _("Nội dung tệp “%(name)s” không phải là tệp %(ext)s hợp lệ."),
            code="file_content",
            params={"name": name, "ext": ext.upper()},
        )
    if head.startswith(_ZIP):
        check_zip_container(upload, name=name, ext=ext)
    return mime
