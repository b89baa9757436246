"""The blank template a clerk downloads from each list: the columns of the
register in order, and a second sheet saying how to fill each one."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from khuyencong.importing import widgets as w


def column_hint(field) -> str:
    widget = field.widget
    if isinstance(widget, w.AdministrativeUnitWidget):
        return _("Mã hoặc tên đơn vị, ví dụ: 277, Chương Mỹ, Huyện Chương Mỹ")
    if isinstance(widget, w.ChoiceWidget):
        return _("Một trong: %s") % "; ".join(label for _c, label in widget.choices)
    if isinstance(widget, w.NaturalKeyWidget):
        return _("Ghi đúng %(key)s của %(model)s đã có trên hệ thống") % {
            "key": _("số, ký hiệu") if widget.field == "number" else widget.field,
            "model": widget.model._meta.verbose_name,
        }
    if isinstance(widget, w.DateWidget):
        return _("Ngày/tháng/năm, ví dụ 15/05/2019, hoặc ô ngày của Excel")
    if isinstance(widget, w.IntegerWidget):
        return _("Số nguyên, ví dụ 1.300")
    if isinstance(widget, w.DecimalWidget):
        return _("Số, ví dụ 1.000.000 hoặc 2,5")
    if isinstance(widget, w.BooleanWidget):
        return _("Có hoặc Không")
    return _("Chữ")


def template_workbook(resource) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Dữ liệu")
    fields = resource.get_import_fields()
    required = set(resource.required_columns())
    keys = {
        str(resource.fields[n].column_name) for n in resource.get_import_id_fields()
    }
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for col, field in enumerate(fields, 1):
        cell = sheet.cell(row=1, column=col, value=str(field.column_name))
        cell.font = bold
        cell.fill = fill
        letter = cell.column_letter
        sheet.column_dimensions[letter].width = max(14, len(str(field.column_name)) + 4)
        if isinstance(field.widget, w.DateWidget):
            for row in range(2, 1002):
                sheet.cell(row=row, column=col).number_format = "DD/MM/YYYY"
        elif isinstance(field.widget, w.TextWidget):
            # Keep leading zeros of ID numbers, tax codes and phone numbers.
            for row in range(2, 1002):
                sheet.cell(row=row, column=col).number_format = "@"
    sheet.freeze_panes = "A2"

    guide = book.create_sheet(_("Hướng dẫn"))
    guide.append([_("Cột"), _("Bắt buộc"), _("Cách ghi")])
    for cell in guide[1]:
        cell.font = bold
    for field in fields:
        name = str(field.column_name)
        note = column_hint(field)
        if name in keys:
            note += " — " + _("dùng để nhận ra bản ghi đã có: nhập lại sẽ cập nhật")
        guide.append([name, _("Có") if name in required else "", note])
    guide.column_dimensions["A"].width = 30
    guide.column_dimensions["B"].width = 10
    guide.column_dimensions["C"].width = 90
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
