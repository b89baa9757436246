"""Numbers and dates as the department writes them (khuyencong.numbers)."""

from datetime import date, datetime
from decimal import Decimal

from django import template

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
