"""Checks on a spreadsheet before anything is imported, and reading it.

A bad file gets one clear Vietnamese message and changes nothing: not a
spreadsheet, over the size limit, empty, corrupt, missing or unknown columns."""

import csv
import io
import zipfile
from collections.abc import Iterator
from pathlib import PurePath

import tablib
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from import_export.formats import base_formats

from khuyencong.uploads import check_zip_container

_ZIP = b"PK\x03\x04"
IMPORT_EXTENSIONS = ("xlsx", "csv")
# Excel in Vietnamese Windows saves "CSV" in Windows-1258 and "CSV UTF-8" with a BOM.
CSV_ENCODINGS = ("utf-8-sig", "cp1258")


def file_extension(name: str) -> str:
    name = PurePath(name or "").name
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def check_upload(upload, *, max_bytes: int | None = None) -> str:
    """Refuse anything but a readable .xlsx or .csv within the size limit; return
    its extension. `upload` is a Django UploadedFile or any file with .name/.size."""
    limit = max_bytes or settings.IMPORT_MAX_BYTES
    name = PurePath(upload.name or "").name
    ext = file_extension(name)
    if ext not in IMPORT_EXTENSIONS:
        raise ValidationError(
            _(
                "Tệp “%(name)s” không phải là bảng tính được hỗ trợ. Hãy lưu tệp "
                "dưới dạng Excel (.xlsx) hoặc CSV (.csv) rồi chọn lại."
            ),
            code="file_type",
            params={"name": name},
        )
    if upload.size > limit:
        raise ValidationError(
            _(
                "Tệp “%(name)s” dung lượng %(size)s, vượt quá giới hạn %(limit)s. "
                "Hãy chia nhỏ tệp hoặc nhờ quản trị viên nhập bằng lệnh."
            ),
            code="file_size",
            params={
                "name": name,
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(limit),
            },
        )
    if upload.size == 0:
        raise ValidationError(
            _("Tệp “%(name)s” rỗng."), code="file_empty", params={"name": name}
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    if ext == "xlsx" and not head.startswith(_ZIP):
        raise ValidationError(
            _("Tệp “%(name)s” bị hỏng hoặc không phải là tệp Excel .xlsx."),
            code="file_corrupt",
            params={"name": name},
        )
    if ext == "xlsx":
        # A real workbook, and no zip bomb: refused before openpyxl inflates it.
        try:
            check_zip_container(upload, name=name, ext=ext)
        except ValidationError as error:
            if error.code == "file_zip_bomb":
                raise
            raise _corrupt(name) from error
    if ext == "csv" and b"\x00" in head:
        raise ValidationError(
            _("Tệp “%(name)s” không phải là tệp CSV (văn bản)."),
            code="file_corrupt",
            params={"name": name},
        )
    return ext


def _corrupt(name: str) -> ValidationError:
    return ValidationError(
        _(
            "Tệp “%(name)s” bị hỏng hoặc không đọc được. Hãy mở lại bằng Excel, "
            "lưu dưới dạng .xlsx và chọn lại."
        ),
        code="file_corrupt",
        params={"name": name},
    )


def is_blank(values) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def iter_xlsx(source, *, name: str = "") -> tuple[list, Iterator[tuple]]:
    """Header and a generator of data rows of the first sheet, streamed
    (openpyxl read_only): memory does not grow with the number of rows."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(source, read_only=True, data_only=True)
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, IndexError) as exc:
        raise _corrupt(name) from exc
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise _corrupt(name) from exc

    def data():
        try:
            yield from rows
        except Exception as exc:
            raise _corrupt(name) from exc
        finally:
            book.close()

    return list(header or []), data()


def decode_csv(data: bytes, *, name: str = "") -> str:
    for encoding in CSV_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _corrupt(name)


def iter_csv(text: str) -> tuple[list, Iterator[list]]:
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    header = next(reader, None)
    return list(header or []), reader


def iter_rows(source, ext: str, *, name: str = "") -> tuple[list, Iterator]:
    """(header, rows) of a file path or binary file; rows are yielded lazily and
    fully blank rows are left out by the caller (see read_dataset)."""
    if ext == "xlsx":
        return iter_xlsx(source, name=name)
    if hasattr(source, "read"):
        data = source.read()
    else:
        with open(source, "rb") as fh:
            data = fh.read()
    return iter_csv(decode_csv(data, name=name))


def clean_header(header: list) -> list:
    """Drop blank trailing header cells (Excel often keeps empty columns)."""
    header = list(header)
    while header and (header[-1] is None or not str(header[-1]).strip()):
        header.pop()
    return header


def read_dataset(source, ext: str, *, name: str = "") -> tablib.Dataset:
    """The whole file as a Dataset (for the admin's preview). Blank rows at the end
    are dropped; a file without a header or without data rows is refused."""
    header, rows = iter_rows(source, ext, name=name)
    header = clean_header(header)
    if not header:
        raise ValidationError(
            _("Tệp “%(name)s” không có dữ liệu."),
            code="file_empty",
            params={"name": name},
        )
    width = len(header)
    dataset = tablib.Dataset(headers=header)
    pending_blank = []
    try:
        for row in rows:
            values = list(row[:width]) + [None] * (width - len(row))
            if is_blank(values):
                pending_blank.append(values)
                continue
            for blank in pending_blank:  # blank rows in the middle keep numbering
                dataset.append(blank)
            pending_blank = []
            dataset.append(values)
    except ValidationError:
        raise
    except Exception as exc:
        raise _corrupt(name) from exc
    if not len(dataset):
        raise ValidationError(
            _("Tệp “%(name)s” chỉ có dòng tiêu đề, không có dòng dữ liệu nào."),
            code="file_empty",
            params={"name": name},
        )
    return dataset


class XLSX(base_formats.XLSX):
    """Reads with read_dataset (clear messages); exports as tablib does."""

    def create_dataset(self, in_stream):
        return read_dataset(io.BytesIO(in_stream), "xlsx")


class CSV(base_formats.CSV):
    """Read as bytes, so that UTF-8 and Windows-1258 files both work; written
    as UTF-8 with a BOM, so that Excel shows the Vietnamese letters."""

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, str):
            in_stream = in_stream.encode("utf-8")
        return read_dataset(io.BytesIO(in_stream), "csv")

    def export_data(self, dataset, **kwargs):
        data = super().export_data(dataset, **kwargs)
        if isinstance(data, str):
            data = data.encode("utf-8")
        return b"\xef\xbb\xbf" + data


FORMAT_BY_EXTENSION = {"xlsx": XLSX, "csv": CSV}
