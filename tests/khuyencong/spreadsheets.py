"""Real .xlsx and .csv files made in the tests."""

import csv
import io
import unicodedata

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_bytes(rows, *, number_formats=None) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(list(row))
    for (row, col), fmt in (number_formats or {}).items():
        sheet.cell(row=row, column=col).number_format = fmt
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def windows_1258(text: str) -> str:
    """Vietnamese as Windows-1258 holds it: the letter, then the tone mark."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        try:
            char.encode("cp1258")
            out.append(char)
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", char)
            base = "".join(c for c in parts if c not in TONE_MARKS)
            tones = "".join(c for c in parts if c in TONE_MARKS)
            out.append(unicodedata.normalize("NFC", base) + tones)
    return "".join(out)


def csv_bytes(rows, *, encoding="utf-8-sig", delimiter=",") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    text = out.getvalue()
    if encoding == "cp1258":
        text = windows_1258(text)
    return text.encode(encoding)


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    content_type = XLSX_TYPE if name.endswith(".xlsx") else "text/csv"
    return SimpleUploadedFile(name, content, content_type=content_type)


def read_xlsx(content: bytes) -> list[list]:
    book = load_workbook(io.BytesIO(content))
    return [list(row) for row in book.active.iter_rows(values_only=True)]


def read_csv(content: bytes) -> list[list]:
    text = content.decode("utf-8-sig")
    return [row for row in csv.reader(io.StringIO(text))]
