"""A small streaming .xlsx writer for the exports: text, numbers and dates, a bold
header row and column widths, nothing else.

openpyxl (even in write-only mode) and XlsxWriter spend 8-12 µs per cell in Python:
1.1-1.5 s for the 25,000-project register, over the 150 ms a page may take. A
worksheet is plain XML, so here each cell is one string format (~0.5 µs), text goes
inline (no shared-string table to hold in memory) and the zip is written as it goes:
the first bytes leave after the first rows. The files open in Excel, LibreOffice and
openpyxl (the tests read every export back with openpyxl)."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape, quoteattr

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Rows per piece of XML handed to the zip; each piece is compressed as it comes.
ROWS_PER_CHUNK = 500
# zlib level 1: a third of level 6's time for a file about 20 % larger.
COMPRESS_LEVEL = 1
EPOCH = date(1899, 12, 30)
EPOCH_ORDINAL = EPOCH.toordinal()
# Control characters XML 1.0 cannot hold (openpyxl refuses them): dropped. In
# UTF-8 each is one byte that no other character's encoding contains.
ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
ILLEGAL_BYTES = bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])
# Text that starts or ends with these keeps them only when marked so.
SPACES = " \t\n\r"
# Style indexes in STYLES below.
BOLD, DATE, DATETIME = 1, 2, 3
# Sheet names: at most 31 characters, none of these.
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

STYLES = (
    XML_HEAD + f'<styleSheet xmlns="{NS}">'
    '<numFmts count="2"><numFmt numFmtId="164" formatCode="DD/MM/YYYY"/>'
    '<numFmt numFmtId="165" formatCode="DD/MM/YYYY HH:MM"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border>'
    "</borders>"
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
    "</cellStyleXfs>"
    '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" '
    'applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" '
    'applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
    "</cellStyles></styleSheet>"
)

ROOT_RELS = (
    XML_HEAD + f'<Relationships xmlns="{NS_REL}">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
    '2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)


def column_letter(index: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def text_xml(text: str) -> str:
    return escape(ILLEGAL_XML.sub("", text))


def _cell(ref: str, value: Any) -> str:
    """One <c> element; "" for an empty cell (nothing is written)."""
    kind = type(value)
    if kind is str:
        if not value:
            return ""
        space = ' xml:space="preserve"' if value != value.strip() else ""
        return (
            f'<c r="{ref}" t="inlineStr"><is><t{space}>{text_xml(value)}</t></is></c>'
        )

    if kind is int or kind is float:
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    if kind is Decimal:
        if not value.is_finite():
            return ""
        return f'<c r="{ref}"><v>{value:f}</v></c>'
    if kind is date:
        return f'<c r="{ref}" s="{DATE}"><v>{value.toordinal() - EPOCH_ORDINAL}</v></c>'
    if isinstance(value, datetime):
        serial = (
            value.toordinal()
            - EPOCH_ORDINAL
            + (value.hour * 3600 + value.minute * 60 + value.second) / 86400
        )
        return f'<c r="{ref}" s="{DATETIME}"><v>{serial!r}</v></c>'
    if isinstance(value, date):
        return _cell(ref, date(value.year, value.month, value.day))
    if isinstance(value, bool | int | float | Decimal):
        return _cell(ref, int(value) if isinstance(value, bool) else value)
    if value is None:
        return ""
    return _cell(ref, str(value))


def sheet_name(title: str, taken: set[str]) -> str:
    """At most 31 characters (cut between words), none that Excel forbids, and
    not the name of an earlier sheet."""
    name = SHEET_NAME_FORBIDDEN.sub(" ", str(title)).strip()
    if len(name) > 31:
        cut = name[:32]
        name = cut[: cut.rfind(" ")].rstrip(" ,;-") if " " in cut else name[:31]
    name = name or "Sheet"
    base, number = name, 2
    while name.lower() in taken:
        suffix = f" ({number})"
        name = base[: 31 - len(suffix)] + suffix
        number += 1
    taken.add(name.lower())
    return name


def _sheet_xml(
    headers: Sequence[str], rows: Iterable[Sequence[Any]]
) -> Iterator[bytes]:
    letters = [column_letter(i) for i in range(1, len(headers) + 1)]
    widths = "".join(
        f'<col min="{i}" max="{i}" width="{max(12, len(str(h)) + 4)}" customWidth="1"/>'
        for i, h in enumerate(headers, start=1)
    )
    head = "".join(
        f'<c r="{letter}1" t="inlineStr" s="{BOLD}"><is><t xml:space="preserve">'
        f"{text_xml(str(header))}</t></is></c>"
        for letter, header in zip(letters, headers, strict=True)
    )
    yield (
        f'{XML_HEAD}<worksheet xmlns="{NS}" xmlns:r="{NS_R}">'
        f'<cols>{widths}</cols><sheetData><row r="1">{head}</row>'
    ).encode()
    parts = []
    cell = _cell
    for number, row in enumerate(rows, start=2):
        # Text, the common case, is written inline here; _cell() for the rest.
        # Characters XML cannot hold are dropped from the whole piece at once
        # (they cannot occur in the markup itself).
        parts.append(
            f'<row r="{number}">'
            + "".join(
                [
                    (
                        f'<c r="{letter}{number}" t="inlineStr"><is>'
                        + (
                            '<t xml:space="preserve">'
                            if value[0] in SPACES or value[-1] in SPACES
                            else "<t>"
                        )
                        + value.replace("&", "&amp;")
                        .replace("<", "&lt;")
                        .replace(">", "&gt;")
                        + "</t></is></c>"
                        if value
                        else ""
                    )
                    if type(value) is str
                    else f'<c r="{letter}{number}"><v>{value}</v></c>'
                    if type(value) is int
                    else cell(f"{letter}{number}", value)
                    for letter, value in zip(letters, row, strict=False)
                ]
            )
            + "</row>"
        )
        if len(parts) >= ROWS_PER_CHUNK:
            yield "".join(parts).encode().translate(None, ILLEGAL_BYTES)
            parts = []
    parts.append("</sheetData></worksheet>")
    yield "".join(parts).encode().translate(None, ILLEGAL_BYTES)


class _Sink:
    """Where zipfile writes: the bytes wait here until the generator yields them.
    It cannot seek, so zipfile writes each member's sizes after its data."""

    def __init__(self) -> None:
        self.pieces: list[bytes] = []

    def write(self, data) -> int:
        self.pieces.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self.pieces)
        self.pieces = []
        return data


def stream_workbook(
    sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence[Any]]]],
) -> Iterator[bytes]:
    """The .xlsx of (title, headers, rows of cell values) sheets, piece by piece.
    Values are str, int, float, Decimal, date or datetime (naive); "" and None
    leave the cell empty."""
    sink = _Sink()
    book = zipfile.ZipFile(
        sink, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL
    )
    taken: set[str] = set()
    names = []
    for index, (title, headers, rows) in enumerate(sheets, start=1):
        names.append(sheet_name(title, taken))
        with book.open(f"xl/worksheets/sheet{index}.xml", "w") as member:
            for piece in _sheet_xml(headers, rows):
                member.write(piece)
                data = sink.take()
                if data:
                    yield data
    count = len(names)
    sheet_types = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, count + 1)
    )
    book.writestr(
        "[Content_Types].xml",
        XML_HEAD
        + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        f"{sheet_types}</Types>",
    )
    book.writestr("_rels/.rels", ROOT_RELS)
    book.writestr(
        "xl/workbook.xml",
        XML_HEAD
        + f'<workbook xmlns="{NS}" xmlns:r="{NS_R}"><sheets>'
        + "".join(
            f'<sheet name={quoteattr(name)} sheetId="{i}" r:id="rId{i}"/>'
            for i, name in enumerate(names, start=1)
        )
        + "</sheets></workbook>",
    )
    book.writestr(
        "xl/_rels/workbook.xml.rels",
        XML_HEAD
        + f'<Relationships xmlns="{NS_REL}">'
        + "".join(
            f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/'
            f'officeDocument/2006/relationships/worksheet" '
            f'Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, count + 1)
        )
        + f'<Relationship Id="rId{count + 1}" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/styles" Target="styles.xml"/>'
        "</Relationships>",
    )
    book.writestr("xl/styles.xml", STYLES)
    book.close()
    yield sink.take()
