from django import template
from django.utils.safestring import mark_safe

from khuyencong.widget_rendering import tabular_rows as rows_html

register = template.Library()


@register.simple_tag
def tabular_rows(inline_admin_formset):
    """The rows of a tabular inline (khuyencong.widget_rendering.tabular_rows)."""
    # Every value is escaped where the rows are written.
    return mark_safe(rows_html(inline_admin_formset))
