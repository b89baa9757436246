"""Build the POST a browser would send from an admin change form."""


def form_post_data(response) -> dict[str, object]:
    """Every field of the admin form and its inline formsets, as rendered."""
    data: dict[str, object] = {}
    form = response.context["adminform"].form
    for name in form.fields:
        value = form[name].value()
        if value is None:
            value = ""
        if isinstance(value, bool):
            if value:
                data[form.add_prefix(name)] = "on"
            continue
        data[form.add_prefix(name)] = value
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        for name, field in formset.management_form.fields.items():
            key = formset.management_form.add_prefix(name)
            data[key] = formset.management_form[name].value()
            del field
        for sub in formset.forms:
            for name in sub.fields:
                value = sub[name].value()
                if value is None or value is False:
                    continue
                data[sub.add_prefix(name)] = value
    return data
