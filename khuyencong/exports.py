"""CSV and .xlsx downloads of public lists and dashboards.

A table is declared once as columns (a Vietnamese header and where a value comes
from); the same declaration serves the HTML table, the CSV and the workbook, so an
export can never show a column the page does not. Every text cell is escaped against
formula injection: a spreadsheet must not run what a register holds.

A column's source is either a field path ("establishment__administrative_unit__name")
or a function of the row object (for rows computed in Python, such as the
dashboard's). Lists of field paths are read from the database with one
`values_list()` query, rows as tuples: a 25,000-row export builds no model instance,
and choice labels are translated once per export, not once per cell."""

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from itertools import islice
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone

from khuyencong import xlsx

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = xlsx.CONTENT_TYPE
EXPORT_FORMATS = ("csv", "xlsx")
# Values that pass escape_cell unchanged and need no format in either file.
NUMBERS = frozenset((int, float, Decimal))
# Rows read from the database per round trip, and CSV lines per piece sent.
CHUNK_ROWS = 2000
CSV_LINES_PER_PIECE = 500


@dataclass(frozen=True)
class Column:
    """`source`: a field path of the list's queryset (an annotation too), or a
    function of the row object. `convert`: what the page shows for the raw value;
    a function, or an object whose `prepare()` returns one (see `Labels`), called
    once per table."""

    header: str
    source: str | Callable[[Any], Any]
    convert: Any = None


class Labels:
    """A choice value shown as its label, as `get_FOO_display()` does: the labels
    are translated once when a table is prepared. `choices` is a Choices class, a
    list of pairs, or a function returning one (read when the table is made)."""

    def __init__(self, choices, *, blank: str = "") -> None:
        self.choices = choices
        self.blank = blank

    @classmethod
    def of(cls, model, field: str, **kwargs) -> "Labels":
        return cls(lambda: model._meta.get_field(field).flatchoices, **kwargs)

    def prepare(self) -> Callable[[Any], Any]:
        choices = self.choices
        if hasattr(choices, "choices"):  # a Choices class
            choices = choices.choices
        elif callable(choices):
            choices = choices()
        pairs = choices
        labels = {value: str(label) for value, label in pairs}
        blank = self.blank

        def label(value):
            if value is None or value == "":
                return blank
            return labels.get(value, value)

        return label


def _prepared(convert) -> Callable[[Any], Any] | None:
    if convert is None:
        return None
    prepare = getattr(convert, "prepare", None)
    return prepare() if prepare is not None else convert


def escape_cell(value: Any) -> Any:
    """A text cell that a spreadsheet would read as a formula gets a leading quote.

    Numbers, dates and empty values pass unchanged."""
    if type(value) is str:  # the common case first
        return "'" + value if value.startswith(FORMULA_PREFIXES) else value
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


def _raw_rows(
    columns: Sequence[Column], rows: Iterable[Any]
) -> tuple[Iterator[Sequence[Any]], list]:
    """The columns' raw values row by row, and each column's prepared convert.
    A queryset is read with one values_list() of the columns' field paths,
    `CHUNK_ROWS` at a time."""
    converts = [_prepared(column.convert) for column in columns]
    if isinstance(rows, QuerySet) and all(isinstance(c.source, str) for c in columns):
        fields = list(dict.fromkeys(c.source for c in columns))
        values = rows.values_list(*fields).iterator(chunk_size=CHUNK_ROWS)
        if len(fields) < len(columns):  # a field shown twice
            index = [fields.index(c.source) for c in columns]
            values = ([row[i] for i in index] for row in values)
        return values, converts
    readers = [_reader(column.source) for column in columns]
    return ([read(row) for read in readers] for row in rows), converts


def table_values(columns: Sequence[Column], rows: Iterable[Any]) -> Iterator[list]:
    """Each row's shown values, column by column (not escaped)."""
    raw, converts = _raw_rows(columns, rows)
    for row in raw:
        yield [
            value if convert is None else convert(value)
            for value, convert in zip(row, converts, strict=True)
        ]


def _reader(source) -> Callable[[Any], Any]:
    if callable(source):
        return source
    parts = source.split("__")

    def read(row):
        for part in parts:
            if row is None:
                return None
            row = row[part] if isinstance(row, dict) else getattr(row, part)
        return row

    return read


def table_cells(columns: Sequence[Column], rows: Iterable[Any]) -> list[list]:
    """The values of a page of rows, column by column, for the HTML table."""
    return list(table_values(columns, rows))


def export_values(
    columns: Sequence[Column], rows: Iterable[Any], other=escape_cell
) -> Iterator[list]:
    """Shown values, escaped for a spreadsheet; `other(value)` for what is not
    text (escape_cell, or escape_cell then a format)."""
    prefixes = FORMULA_PREFIXES
    raw, converts = _raw_rows(columns, rows)
    for row in raw:
        # table_values() and escape_cell() in one pass, escape_cell's common case
        # (text) inlined: 10 columns × 25,000 rows are as many calls saved.
        yield [
            (("'" + v) if v.startswith(prefixes) else v)
            if type(v) is str
            else v
            if type(v) in NUMBERS
            else other(v)
            for value, convert in zip(row, converts, strict=True)
            for v in [value if convert is None else convert(value)]
        ]


# ------------------------------------------------------------------------------ CSV


def _csv_cell(value: Any) -> Any:
    value = escape_cell(value)
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return value


def csv_lines(columns: Sequence[Column], rows: Iterable[Any]) -> Iterator[str]:
    """UTF-8 with a byte-order mark, so that Excel opens the diacritics correctly;
    dates as dd/mm/yyyy. Lines go out `CSV_LINES_PER_PIECE` at a time, each piece
    written by csv's own loop (writerows) into a buffer."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([str(c.header) for c in columns])
    yield "\ufeff" + buffer.getvalue()
    values = export_values(columns, rows, _csv_cell)
    while True:
        buffer.seek(0)
        buffer.truncate()
        writer.writerows(islice(values, CSV_LINES_PER_PIECE))
        piece = buffer.getvalue()
        if not piece:
            return
        yield piece


def csv_response(
    *, columns: Sequence[Column], rows: Iterable[Any], filename: str
) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        csv_lines(columns, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


# ----------------------------------------------------------------------------- xlsx


def _xlsx_cell(value: Any) -> Any:
    value = escape_cell(value)
    if type(value) is datetime and timezone.is_aware(value):
        return timezone.make_naive(value)
    return value


def workbook_stream(
    sheets: Sequence[tuple[str, Sequence[Column], Iterable[Any]]],
) -> Iterator[bytes]:
    """One worksheet per (title, columns, rows): bold Vietnamese headers, numbers as
    numbers, dates as dates shown dd/mm/yyyy, every text cell stored as text."""
    return xlsx.stream_workbook(
        (
            str(title),
            [str(c.header) for c in columns],
            export_values(columns, rows, _xlsx_cell),
        )
        for title, columns, rows in sheets
    )


def workbook_bytes(
    sheets: Sequence[tuple[str, Sequence[Column], Iterable[Any]]],
) -> bytes:
    return b"".join(workbook_stream(sheets))


def xlsx_response(
    *,
    sheets: Sequence[tuple[str, Sequence[Column], Iterable[Any]]],
    filename: str,
    stream: bool = False,
) -> HttpResponse | StreamingHttpResponse:
    """Streamed for long lists (the first bytes leave after the first rows); whole
    for small workbooks."""
    if not stream:
        return xlsx_bytes_response(workbook_bytes(sheets), filename=filename)
    response = StreamingHttpResponse(
        workbook_stream(sheets), content_type=XLSX_CONTENT_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def xlsx_bytes_response(content: bytes, *, filename: str) -> HttpResponse:
    """A workbook made earlier (workbook_bytes), e.g. kept in the cache."""
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def table_response(
    fmt: str,
    *,
    title: str,
    columns: Sequence[Column],
    rows: Iterable[Any],
    filename: str,
) -> StreamingHttpResponse:
    if fmt == "csv":
        return csv_response(columns=columns, rows=rows, filename=filename)
    return xlsx_response(
        sheets=[(title, columns, rows)], filename=filename, stream=True
    )
