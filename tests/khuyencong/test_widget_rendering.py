"""InlineRowsRenderer writes the same HTML as Django's widget templates."""

import re

import pytest
from django import forms
from django.contrib import admin
from django.forms.renderers import DjangoTemplates
from django.test import RequestFactory

from khuyencong.models import AdministrativeUnit
from khuyencong.widget_rendering import InlineRowsRenderer
from programs.admin import ParticipantInline
from programs.models import TrainingCourse
from tests.programs.factories import (
    EstablishmentFactory,
    ParticipantFactory,
    TrainingCourseFactory,
)

TEMPLATES = DjangoTemplates()
FAST = InlineRowsRenderer()


def every_widget(form) -> list[str]:
    return [str(form[name]) for name in form.fields]


class Everything(forms.Form):
    name = forms.CharField(
        widget=forms.TextInput(attrs={"size": 18, "data-x": 'a"b<c>&', "x": False})
    )
    year = forms.IntegerField(widget=forms.NumberInput(attrs={"min": 0}))
    secret = forms.CharField(widget=forms.HiddenInput)
    done = forms.BooleanField(required=False)
    kind = forms.ChoiceField(
        choices=[
            ("", "---------"),
            ("Nghề", [("may", "Mây tre <đan>"), ("gom", "Gốm & sứ")]),
            ("khac", "Khác"),
        ]
    )


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"name": 'Lê "Tí" <b>', "year": "1990", "secret": "&", "done": "on"},
        {"name": "", "year": "x", "kind": "gom"},
    ],
)
def test_plain_widgets_match_the_templates(data):
    fast = Everything(data=data, renderer=FAST, initial={"kind": "may"})
    slow = Everything(data=data, renderer=TEMPLATES, initial={"kind": "may"})
    assert every_widget(fast) == every_widget(slow)


@pytest.mark.django_db
def test_participant_inline_rows_match_the_templates(staff_user):
    course = TrainingCourseFactory()
    units = list(AdministrativeUnit.objects.districts()[:2])
    ParticipantFactory(
        course=course,
        full_name='Nguyễn "Tí" <b>&',
        administrative_unit=units[0],
        establishment=EstablishmentFactory(name="HTX <Mây> & Tre"),
        certificate_number="CC&01",
        completed=True,
    )
    ParticipantFactory(course=course, administrative_unit=units[1])
    request = RequestFactory().get("/")
    request.user = staff_user
    course_admin = admin.site._registry[TrainingCourse]
    inline = next(
        i
        for i in course_admin.get_inline_instances(request, course)
        if isinstance(i, ParticipantInline)
    )
    formset_class = inline.get_formset(request, course)
    assert isinstance(formset_class.renderer, InlineRowsRenderer)
    with_templates = type("WithTemplates", (formset_class,), {"renderer": TEMPLATES})

    def html(formset) -> list[str]:
        forms_ = [*formset.forms, formset.empty_form]
        return [str(formset.management_form)] + [
            widget for form in forms_ for widget in every_widget(form)
        ]

    fast = html(formset_class(instance=course, prefix="participants"))
    slow = html(with_templates(instance=course, prefix="participants"))
    assert fast == slow
    page = "".join(fast)
    assert "HTX &lt;Mây&gt; &amp; Tre" in page
    assert 'value="Nguyễn &quot;Tí&quot; &lt;b&gt;&amp;"' in page


def _shape(html: str) -> str:
    """Markup with the whitespace around tags and inside text collapsed: what a
    browser makes of it."""
    html = re.sub(r"\s+", " ", html)
    return re.sub(r"\s*(<[^>]+>)\s*", r"\1", html).strip()


def _tbody(page: str) -> str:
    return re.search(r"<tbody>(.*?)</tbody>", page, flags=re.S).group(1)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "who,with_errors", [("editor", False), ("editor", True), ("viewer", False)]
)
def test_participant_inline_table_matches_djangos_tabular_template(
    client, staff_user, leadership_user, who, with_errors
):
    """The course's participant rows (khuyencong.widget_rendering.tabular_rows)
    are the rows Django's own admin/edit_inline/tabular.html writes: the same
    formset rendered by both templates, on a page, after a failed save, and
    read-only for leadership (who may only view)."""
    from django.template.loader import render_to_string

    from programs.admin import ParticipantInline

    course = TrainingCourseFactory()
    ParticipantFactory(course=course, full_name='Trần "Tèo" <i>&')
    ParticipantFactory(course=course, completed=True, certificate_number="CC-2")
    staff_user.is_superuser = True
    staff_user.save()
    client.force_login(staff_user if who == "editor" else leadership_user)
    url = f"/admin/programs/trainingcourse/{course.pk}/change/"
    if with_errors:
        page = client.get(url)
        data = {}
        for form in [page.context["adminform"].form] + [
            f for s in page.context["inline_admin_formsets"] for f in s.formset.forms
        ]:
            for name in form.fields:
                value = form[name].value()
                if value is not None and value is not False:
                    data[form.add_prefix(name)] = value
        for formset in page.context["inline_admin_formsets"]:
            for name, value in formset.formset.management_form.initial.items():
                data[formset.formset.management_form.add_prefix(name)] = value
        prefix = next(
            s.formset.prefix
            for s in page.context["inline_admin_formsets"]
            if isinstance(s.opts, ParticipantInline)
        )
        data[f"{prefix}-0-birth_year"] = "năm"  # a field error in the first row
        response = client.post(url, data)
        assert response.status_code == 200  # the form again, with its errors
    else:
        response = client.get(url)
    inline_formset = next(
        s
        for s in response.context["inline_admin_formsets"]
        if isinstance(s.opts, ParticipantInline)
    )
    ours = render_to_string(
        "admin/edit_inline/tabular_rows.html",
        {"inline_admin_formset": inline_formset},
    )
    djangos = render_to_string(
        "admin/edit_inline/tabular.html", {"inline_admin_formset": inline_formset}
    )
    assert _shape(ours) == _shape(djangos)
    rows = _tbody(ours)
    if who == "viewer":  # the participants as text, nothing to add or delete
        assert rows.count('class="form-row') == 2
        assert not re.search(r'type="(text|number|checkbox)"|<select', rows)
        assert '<td class="field-birth_year"><p>1985</p></td>' in rows
        assert "Trần &quot;Tèo&quot; &lt;i&gt;&amp;" in rows
        return
    # Two participants, the extra empty row and the template row for "add".
    assert rows.count('class="form-row') == 2 + inline_formset.formset.extra + 1
    assert "Trần &quot;Tèo&quot; &lt;i&gt;&amp;" in rows
    assert ('class="errorlist' in rows) is with_errors
    # And the page itself carries them.
    assert _shape(_tbody(ours)) in _shape(response.content.decode())
