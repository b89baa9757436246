"""InlineRowsRenderer writes the same HTML as Django's widget templates."""

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
