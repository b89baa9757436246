"""What the public lists' filters share (django-filter)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from khuyencong.models import AdministrativeUnit


def district_filter(field_name: str = "administrative_unit"):
    """The "Quận, huyện, thị xã" choice of a public list, by official code
    (?don_vi=277), over the foreign key `field_name`."""
    return django_filters.ModelChoiceFilter(
        label=_("Quận, huyện, thị xã"),
        field_name=field_name,
        to_field_name="code",
        queryset=AdministrativeUnit.objects.districts().order_by("code"),
        empty_label=_("Tất cả"),
    )


def choice_filter(label, field_name: str, choices):
    """One of a field's choices, or all of them ("Tất cả")."""
    return django_filters.ChoiceFilter(
        label=label, field_name=field_name, choices=choices, empty_label=_("Tất cả")
    )
