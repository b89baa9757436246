"""Checks on uploaded files: type by extension AND by content, and size."""

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
    return mime
