"""Numbers and dates as the department writes them (khuyencong.numbers)."""

from datetime import date, datetime
from decimal import Decimal
from html import escape

from django import template
from django.utils.safestring import mark_safe

from khuyencong import numbers

register = template.Library()


@register.filter
def so(value):
    """1300 -> 1.300."""
    return numbers.vn_int(value)


@register.filter
def tien(value):
    """25500000000 -> 25,5 tỷ đồng."""
    return numbers.vn_money(value)


@register.filter
def phan_tram(value):
    return numbers.vn_percent(value)


@register.filter
def ngay(value):
    return numbers.vn_date(value)


@register.filter
def o(value):
    """A table cell of any type: 15/05/2019, 1.300, 12,5."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime | date):
        return numbers.vn_date(value)
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, int | Decimal | float):
        value = Decimal(str(value))
        if value == value.to_integral():
            return numbers.vn_int(value)
        return numbers.vn_decimal(value, 2)
    return value


@register.filter
def lay(mapping, key):
    """{{ values|lay:code }}: a dict item by a variable key."""
    if mapping is None:
        return None
    return mapping.get(str(key))


@register.filter
def bs(field):
    """A form field rendered with Bootstrap's class for its widget."""
    from django import forms

    widget = field.field.widget
    css = "form-select" if isinstance(widget, forms.Select) else "form-control"
    return field.as_widget(attrs={"class": css})


# The two tables by unit of the dashboard have a row per unit: 30 in Hà Nội, 700
# at national size, 13 cells each. Written here in Python rather than with a
# template tag per cell, which cost 150 ms a page at that size (bench/README.md).
# Names and links are escaped (the standard library's html.escape, which Django's
# escape wraps) before the row is marked safe; numbers are written by
# khuyencong.numbers, digits and dots only.


def _unit_rows_html(rows) -> str:
    """rows: (unit name, [(value, link or None), ...]) each. A value is linked when
    it has a link and is not 0."""
    out = []
    for name, cells in rows:
        tds = []
        for value, url in cells:
            text = numbers.vn_int(value)
            if url and value:
                text = f'<a href="{escape(url)}">{text}</a>'
            tds.append(f'<td class="text-end">{text}</td>')
        out.append(
            f'<tr><th scope="row" class="fw-normal">{escape(name)}</th>'
            f"{''.join(tds)}</tr>"
        )
    return mark_safe("\n".join(out))  # every part escaped above


@register.simple_tag
def unit_table_rows(lines):
    """Rows of the dashboard's table by unit: name, then each indicator's value,
    linked to the admin list behind it where there is one."""
    return _unit_rows_html(
        (line.unit.name, [(cell.value, cell.url) for cell in line.cells])
        for line in lines
    )


@register.simple_tag
def unit_value_rows(rows, indicators):
    """Rows of the public report's table by unit: name, then each indicator's
    value (no links: the public has no admin)."""
    codes = [str(indicator) for indicator in indicators]
    return _unit_rows_html(
        (row.unit.name, [(row.values.get(code), None) for code in codes])
        for row in rows
    )


@register.simple_tag
def cluster_unit_rows(rows):
    """Rows of the dashboard's cluster table by unit."""
    out = []
    for r in rows:
        numbers_ = (r.in_plan, r.operating, r.established_in_year, r.with_wwtp)
        cells = "".join(
            f'<td class="text-end">{numbers.vn_int(n)}</td>' for n in numbers_
        )
        share = numbers.vn_percent(r.occupancy_percent)
        out.append(
            f'<tr><th scope="row" class="fw-normal">{escape(r.name)}</th>{cells}'
            f'<td class="text-end">{share}</td></tr>'
        )
    return mark_safe("\n".join(out))  # every part escaped above
