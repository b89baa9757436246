"""A form renderer for long inline formsets: the simple widgets in Python.

A course's change form lists its participants inline, eleven widgets a row: 60
rows are 660 widgets, and Django renders each through its template engine (about
0.2 ms each, 130 of the page's 200 ms at national size). `InlineRowsRenderer`
produces the same HTML, byte for byte, for the widgets such a row holds (text,
number, hidden and checkbox inputs, selects, the admin's raw-id input) with plain
string building, and hands every other template to Django's engine as usual.

`tabular_rows` does the same for the rows of admin/edit_inline/tabular.html (the
template of templates/admin/edit_inline/tabular_rows.html): once the widgets were
fast, Django's loop over the rows' cells was most of what was left.
tests/khuyencong/test_widget_rendering.py checks both against Django's templates."""

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html"""
    html = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            html.append(f" {conditional_escape(name)}")
        else:
            value_html = conditional_escape(str(value))
            html.append(f' {conditional_escape(name)}="{value_html}"')
    return "".join(html)


def _input(widget: dict) -> str:
    """django/forms/widgets/input.html"""
    value = widget["value"]
    value_html = "" if value is None else f' value="{conditional_escape(str(value))}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" '
        f'name="{conditional_escape(widget["name"])}"'
        f"{value_html}{_attrs(widget['attrs'])}>\n"
    )


def _input_widget(context: dict) -> str:
    """text.html, number.html, hidden.html, checkbox.html: input.html."""
    return _input(context["widget"])


def _option(option: dict) -> str:
    """django/forms/widgets/select_option.html"""
    return (
        f'<option value="{conditional_escape(str(option["value"]))}"'
        f"{_attrs(option['attrs'])}>{conditional_escape(option['label'])}</option>\n"
    )


def _select(context: dict) -> str:
    """django/forms/widgets/select.html"""
    widget = context["widget"]
    html = [f'<select name="{conditional_escape(widget["name"])}"']
    html.append(f"{_attrs(widget['attrs'])}>")
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            html.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in group_choices:
            html.append("\n  " + _option(option))
        if group_name:
            html.append("\n  </optgroup>")
    html.append("\n</select>\n")
    return "".join(html)


def _raw_id(context: dict) -> str:
    """admin/widgets/foreign_key_raw_id.html"""
    widget = context["widget"]
    related_url = context.get("related_url")
    link_label = context.get("link_label")
    link_url = context.get("link_url")
    html = ["<div>" if related_url else "", _input(widget)]
    if related_url:
        html.append(
            f'<a href="{conditional_escape(related_url)}" class="related-lookup" '
            f'id="lookup_id_{conditional_escape(widget["name"])}" '
            f'title="{conditional_escape(context.get("link_title", ""))}"></a>'
        )
    if link_label:
        label = conditional_escape(link_label)
        if link_url:
            label = f'<a href="{conditional_escape(link_url)}">{label}</a>'
        html.append(f"\n<strong>{label}</strong>")
    if related_url:
        html.append("</div>")
    html.append("\n")
    return "".join(html)


PYTHON_TEMPLATES = {
    "django/forms/widgets/text.html": _input_widget,
    "django/forms/widgets/number.html": _input_widget,
    "django/forms/widgets/hidden.html": _input_widget,
    "django/forms/widgets/checkbox.html": _input_widget,
    "django/forms/widgets/select.html": _select,
    "admin/widgets/foreign_key_raw_id.html": _raw_id,
}


class InlineRowsRenderer(DjangoTemplates):
    """Django's default form renderer, with the widgets of PYTHON_TEMPLATES
    rendered without the template engine. The project overrides none of those
    templates; one that did would have to leave this table."""

    def render(self, template_name, context, request=None):
        render = PYTHON_TEMPLATES.get(template_name)
        if render is None:
            return super().render(template_name, context, request=request)
        # Django strips what a template renders (BaseRenderer.render).
        return render(context).strip()


INLINE_ROWS_RENDERER = InlineRowsRenderer()


# ------------------------------------------------------------- tabular inline rows


def _original_cell(inline_admin_formset, inline_admin_form) -> str:
    """The first cell of admin/edit_inline/tabular.html's row."""
    from django.contrib.admin.templatetags.admin_urls import admin_urlname
    from django.contrib.admin.utils import quote
    from django.urls import reverse
    from django.utils.translation import gettext

    html = ['<td class="original">']
    original = inline_admin_form.original
    if original or inline_admin_form.show_url:
        html.append("<p>")
        if original:
            html.append(conditional_escape(str(original)))
            model_admin = inline_admin_form.model_admin
            if model_admin.show_change_link and model_admin.has_registered_model:
                url = reverse(
                    admin_urlname(model_admin.opts, "change"),
                    args=(quote(original.pk),),
                )
                can_change = inline_admin_formset.has_change_permission
                html.append(
                    f'<a href="{conditional_escape(url)}" class="'
                    f'{"inlinechangelink" if can_change else "inlineviewlink"}">'
                    f"{conditional_escape(gettext('Change' if can_change else 'View'))}"
                    "</a>"
                )
        if inline_admin_form.show_url:
            html.append(
                f'<a href="{conditional_escape(inline_admin_form.absolute_url)}">'
                f"{conditional_escape(gettext('View on site'))}</a>"
            )
        html.append("</p>")
    if inline_admin_form.needs_explicit_pk_field():
        html.append(str(inline_admin_form.pk_field().field))
    if inline_admin_form.fk_field():
        html.append(str(inline_admin_form.fk_field().field))
    html.append("</td>")
    return "".join(html)


def _field_cell(field) -> str:
    bound = field.field
    if field.is_readonly:
        name = bound["name"]
        hidden = bound.get("is_hidden", False)
        inner = f"<p>{conditional_escape(field.contents())}</p>"
    else:
        name = bound.name
        hidden = bound.is_hidden
        inner = f"{bound.errors.as_ul()}{bound}"
    classes = (f"field-{name}" if name else "") + (" hidden" if hidden else "")
    return f'<td class="{conditional_escape(classes)}">{inner}</td>'


def tabular_rows(inline_admin_formset) -> str:
    """The <tbody> rows of admin/edit_inline/tabular.html, written without the
    template engine (the same elements, attributes and text; whitespace aside):
    a course's sixty participants are 700 cells, whose template loop cost more
    than their widgets. tests/khuyencong/test_widget_rendering.py compares both."""
    from django.contrib.admin.templatetags.admin_modify import cell_count

    formset = inline_admin_formset.formset
    prefix = conditional_escape(formset.prefix)
    can_delete = formset.can_delete and inline_admin_formset.has_delete_permission
    forms = list(inline_admin_formset)
    html = []
    for index, inline_admin_form in enumerate(forms):
        errors = inline_admin_form.form.non_field_errors()
        if errors:
            html.append(
                f'<tr class="row-form-errors"><td colspan="'
                f'{cell_count(inline_admin_form)}">{errors}</td></tr>'
            )
        empty = index == len(forms) - 1 and inline_admin_formset.has_add_permission
        has_original = inline_admin_form.original or inline_admin_form.show_url
        html.append(
            f'<tr class="form-row {"has_original" if has_original else ""}'
            f'{" empty-form" if empty else ""}" '
            f'id="{prefix}-{"empty" if empty else index}">'
        )
        html.append(_original_cell(inline_admin_formset, inline_admin_form))
        for fieldset in inline_admin_form:
            for line in fieldset:
                for field in line:
                    html.append(_field_cell(field))
        deletion = (
            str(inline_admin_form.deletion_field().field)
            if can_delete and inline_admin_form.original
            else ""
        )
        html.append(f'<td class="delete">{deletion}</td></tr>')
    return "\n".join(html)
