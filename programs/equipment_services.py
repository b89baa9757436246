"""Writes on equipment-support projects, and the list the department sends to the
City People's Committee."""

from collections.abc import Iterable
from datetime import date
from io import BytesIO
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from khuyencong.models import WorkflowLog
from khuyencong.workflow import workflow_apply
from programs.models import EquipmentProject
from programs.workflows import EQUIPMENT_WORKFLOW


def equipment_project_step(
    *,
    project: EquipmentProject,
    transition: str,
    by,
    comment: str = "",
    values: dict[str, Any] | None = None,
) -> WorkflowLog:
    """Take one workflow step on a project (checked, saved and logged atomically)."""
    return workflow_apply(
        workflow=EQUIPMENT_WORKFLOW,
        obj=project,
        transition=transition,
        by=by,
        comment=comment,
        values=values,
    )


@transaction.atomic
def equipment_projects_forward(
    *, projects: Iterable[EquipmentProject], by, comment: str = ""
) -> list[EquipmentProject]:
    """Forward surveyed projects to the City, all or none; the error names the
    project that could not be forwarded."""
    forwarded = []
    for project in projects:
        try:
            equipment_project_step(
                project=project, transition="forward", by=by, comment=comment
            )
        except ValidationError as exc:
            raise ValidationError(
                _("“%(project)s”: %(error)s")
                % {"project": project, "error": " ".join(exc.messages)}
            ) from exc
        forwarded.append(project)
    return forwarded


FORWARD_LIST_COLUMNS = (
    ("STT", 6),
    ("Tên cơ sở", 32),
    ("Loại hình", 18),
    ("Mã số thuế", 16),
    ("Địa chỉ", 30),
    ("Đơn vị hành chính", 20),
    ("Tên đề án", 40),
    ("Máy móc, thiết bị", 40),
    ("Nội dung hỗ trợ", 24),
    ("Nguồn kinh phí", 22),
    ("Tổng chi phí (đồng)", 18),
    ("Kinh phí đề nghị hỗ trợ (đồng)", 18),
    ("Kinh phí đối ứng (đồng)", 18),
    ("Ngày khảo sát", 14),
    ("Kết quả khảo sát", 40),
)
MONEY_FORMAT = "#,##0"


def equipment_forward_list_xlsx(
    *, projects: Iterable[EquipmentProject], on: date
) -> bytes:
    """The list of projects the department forwards to the City People's Committee,
    as an Excel workbook: one row per project and a total row."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Danh sách trình UBND"
    ws.append(
        [
            "DANH SÁCH ĐỀ ÁN HỖ TRỢ ỨNG DỤNG MÁY MÓC THIẾT BỊ, CHUYỂN GIAO CÔNG NGHỆ "
            "TRÌNH UBND THÀNH PHỐ"
        ]
    )
    ws.append([f"Ngày trình: {on:%d/%m/%Y}"])
    ws.append([])
    ws.append([title for title, _width in FORWARD_LIST_COLUMNS])
    header_row = ws.max_row
    ws.cell(row=1, column=1).font = Font(bold=True, size=13)
    for col, (_title, width) in enumerate(FORWARD_LIST_COLUMNS, start=1):
        cell = ws.cell(row=header_row, column=col)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(col)].width = width
    totals = [0, 0, 0]
    count = 0
    for count, p in enumerate(projects, start=1):
        est = p.establishment
        ws.append(
            [
                count,
                est.name,
                est.get_kind_display(),
                est.tax_code,
                est.address,
                str(est.administrative_unit),
                p.title,
                p.description,
                p.get_activity_display(),
                p.get_funding_source_display(),
                int(p.total_cost),
                int(p.requested_support),
                int(p.total_cost - p.requested_support),
                p.surveyed_on,
                p.survey_notes,
            ]
        )
        totals[0] += int(p.total_cost)
        totals[1] += int(p.requested_support)
        totals[2] += int(p.total_cost - p.requested_support)
        row = ws.max_row
        ws.cell(row=row, column=14).number_format = "DD/MM/YYYY"
    ws.append(["", f"Tổng cộng: {count} đề án", *[""] * 8, *totals])
    ws.cell(row=ws.max_row, column=2).font = Font(bold=True)
    for row in ws.iter_rows(min_row=header_row + 1, min_col=11, max_col=13):
        for cell in row:
            cell.number_format = MONEY_FORMAT
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
