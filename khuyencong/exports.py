"""CSV and .xlsx downloads of public lists and dashboards.

A table is declared once as columns (a Vietnamese header and how to read a value
from a row); the same declaration serves the HTML table, the CSV and the workbook, so
an export can never show a column the page does not. Every text cell is escaped
against formula injection: a spreadsheet must not run what a register holds."""

import csv
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_FORMATS = ("csv", "xlsx")


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], Any]


def escape_cell(value: Any) -> Any:
    """A text cell that a spreadsheet would read as a formula gets a leading quote.

    Numbers, dates and empty values pass unchanged."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, int | float | Decimal | date | datetime):
        return value
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def _row_values(columns: Sequence[Column], row: Any) -> list[Any]:
    return [escape_cell(column.value(row)) for column in columns]


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return value


def csv_response(
    *, columns: Sequence[Column], rows: Iterable[Any], filename: str
) -> StreamingHttpResponse:
    """UTF-8 with a byte-order mark, so that Excel opens the diacritics correctly."""
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff" + writer.writerow([c.header for c in columns])
        for row in rows:
            yield writer.writerow([_csv_cell(v) for v in _row_values(columns, row)])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def workbook_bytes(
    sheets: Sequence[tuple[str, Sequence[Column], Iterable[Any]]],
) -> bytes:
    """One worksheet per (title, columns, rows)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook(write_only=False)
    book.remove(book.active)
    for title, columns, rows in sheets:
        sheet = book.create_sheet(title=str(title)[:31])
        sheet.append([str(c.header) for c in columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        # Rows are numbered here: `sheet.max_row` scans every cell written so
        # far, which made a 10,000-row export quadratic (80 s; bench/README.md).
        for row_number, row in enumerate(rows, start=2):
            for column_number, value in enumerate(_row_values(columns, row), start=1):
                if isinstance(value, Decimal):
                    value = int(value) if value == value.to_integral() else float(value)
                if isinstance(value, datetime) and value.tzinfo is not None:
                    value = value.replace(tzinfo=None)
                cell = sheet.cell(row=row_number, column=column_number, value=value)
                # A text cell stays text: openpyxl would otherwise store "=..."
                # as a formula even after escaping removed the risk.
                if isinstance(value, str):
                    cell.data_type = "s"
                elif isinstance(value, date):
                    cell.number_format = "DD/MM/YYYY"
        for index, column in enumerate(columns, start=1):
            letter = sheet.cell(row=1, column=index).column_letter
            sheet.column_dimensions[letter].width = max(12, len(str(column.header)) + 4)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx_response(
    *, sheets: Sequence[tuple[str, Sequence[Column], Iterable[Any]]], filename: str
) -> HttpResponse:
    response = HttpResponse(workbook_bytes(sheets), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def table_response(
    fmt: str,
    *,
    title: str,
    columns: Sequence[Column],
    rows: Iterable[Any],
    filename: str,
) -> HttpResponse | StreamingHttpResponse:
    if fmt == "csv":
        return csv_response(columns=columns, rows=rows, filename=filename)
    return xlsx_response(sheets=[(title, columns, rows)], filename=filename)
