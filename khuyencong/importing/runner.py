"""Import a file of any size: streamed, in chunks, in one transaction.

For files too large for a web request (a roster of 100,000 participants): rows
are read lazily (openpyxl read_only for .xlsx), validated and written chunk by
chunk so memory stays bounded, and if any row anywhere is wrong nothing is saved.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import reset_queries, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from khuyencong.cache import public_pages_changed
from khuyencong.importing import files
from khuyencong.importing.resources import ImportFileError, excel_row


@dataclass
class ImportReport:
    rows: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    error_count: int = 0
    errors: list[str] = field(default_factory=list)
    saved: bool = False

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def add_error(self, message: str, *, limit: int) -> None:
        self.error_count += 1
        if len(self.errors) < limit:
            self.errors.append(message)


def describe_validation_error(number: int, error: ValidationError) -> str:
    parts = []
    if not hasattr(error, "error_dict"):
        error = ValidationError({NON_FIELD_ERRORS: error.messages})
    for column, messages in error.message_dict.items():
        text = " ".join(str(m) for m in messages)
        parts.append(text if column == NON_FIELD_ERRORS else f"{column}: {text}")
    return _("Dòng %(row)s — %(text)s") % {
        "row": excel_row(number),
        "text": "; ".join(parts),
    }


def file_rows_estimate(path: Path, ext: str) -> int | None:
    """The number of data rows, if cheap to know (for the progress bar)."""
    if ext != "xlsx":
        return None
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True)
        rows = book.worksheets[0].max_row
        book.close()
        return max((rows or 1) - 1, 0)
    except Exception:
        return None


def file_import(
    *,
    resource_class,
    path: str | Path,
    user=None,
    dry_run: bool = False,
    chunk_size: int = 2000,
    max_errors: int = 200,
    progress: Callable[[int], None] | None = None,
    fixed_columns: dict[str, object] | None = None,
    resource_kwargs: dict | None = None,
) -> ImportReport:
    """Import every row of the file at `path` with `resource_class`. Nothing is
    saved when any row is invalid, or when dry_run.

    `fixed_columns` adds a column with one value to every row (the course of a
    roster given on the command line)."""
    path = Path(path)
    report = ImportReport()
    ext = files.file_extension(path.name)
    if ext not in files.IMPORT_EXTENSIONS:
        report.add_error(
            _("Tệp “%(name)s” không phải là bảng tính .xlsx hoặc .csv.")
            % {"name": path.name},
            limit=max_errors,
        )
        return report
    if not resource_class.import_allowed:
        report.add_error(
            _("Sổ này chỉ xuất ra tệp; dữ liệu được nhập qua quy trình xử lý hồ sơ."),
            limit=max_errors,
        )
        return report
    resource = resource_class(user=user, **(resource_kwargs or {}))
    fixed = dict(fixed_columns or {})
    try:
        header, rows = files.iter_rows(path, ext, name=path.name)
        header = files.clean_header(header)
        width = len(header)
        header = header + list(fixed)
        if not header:
            raise ImportFileError(
                _("Tệp “%(name)s” không có dữ liệu.") % {"name": path.name}
            )
        headers = resource.normalize_headers(header)
    except ValidationError as exc:
        report.add_error(" ".join(exc.messages), limit=max_errors)
        return report
    except ImportFileError as exc:
        report.add_error(str(exc), limit=max_errors)
        return report

    extra = list(fixed.values())

    def run_chunk(chunk: list, offset: int) -> None:
        dataset = tablib.Dataset(*chunk, headers=headers)
        resource.row_offset = offset
        # Never a dry run chunk by chunk: later chunks must see the rows of
        # earlier ones; a dry run rolls the whole file back at the end.
        result = resource.import_data(
            dataset, dry_run=False, use_transactions=True, user=user
        )
        report.new += result.totals["new"]
        report.updated += result.totals["update"]
        report.unchanged += result.totals["skip"]
        for error in result.base_errors:
            report.add_error(str(error.error), limit=max_errors)
        for number, errors in result.row_errors():
            for error in errors:
                report.add_error(
                    _("Dòng %(row)s — %(text)s")
                    % {"row": excel_row(number + offset), "text": error.error},
                    limit=max_errors,
                )
        for invalid in result.invalid_rows:
            report.add_error(
                describe_validation_error(invalid.number + offset, invalid.error),
                limit=max_errors,
            )
        # With DEBUG on, Django keeps every query's SQL: a long import would keep
        # them all.
        reset_queries()
        if progress:
            progress(len(chunk))

    try:
        with transaction.atomic():
            model = resource._meta.model
            resource.created_after_pk = (
                model._default_manager.aggregate(last=Max("pk"))["last"] or 0
            )
            chunk, offset, blank = [], 0, 0
            for row in rows:
                values = list(row[:width]) + [None] * (width - len(row))
                if files.is_blank(values):
                    blank += 1  # kept, so that row numbers stay Excel's
                    chunk.append(values + [None] * len(extra))
                else:
                    chunk.append(values + extra)
                report.rows += 1
                if len(chunk) >= chunk_size:
                    run_chunk(chunk, offset)
                    offset += len(chunk)
                    chunk = []
            if chunk:
                run_chunk(chunk, offset)
            # Blank rows were counted as unchanged: they are not records.
            report.rows -= blank
            report.unchanged -= blank
            if report.error_count or dry_run:
                transaction.set_rollback(True)
            else:
                report.saved = True
                # Bulk writes send no post_save: the public pages' cache is told
                # here, once the rows are committed (khuyencong/cache.py).
                transaction.on_commit(public_pages_changed)
    except ValidationError as exc:  # a corrupt file found while streaming
        report.add_error(" ".join(exc.messages), limit=max_errors)
        report.saved = False
    return report
