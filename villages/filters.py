"""Filters of the public craft-village list (django-filter)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from khuyencong.models import AdministrativeUnit
from villages.models import CraftVillage


class PublicVillageFilter(django_filters.FilterSet):
    tu_khoa = django_filters.CharFilter(label=_("Tên làng, nghề"), method="filter_text")
    don_vi = django_filters.ModelChoiceFilter(
        label=_("Quận, huyện, thị xã"),
        field_name="administrative_unit",
        to_field_name="code",
        queryset=AdministrativeUnit.objects.districts().order_by("code"),
        empty_label=_("Tất cả"),
    )
    danh_hieu = django_filters.ChoiceFilter(
        label=_("Danh hiệu"),
        field_name="title",
        choices=CraftVillage.Title.choices,
        empty_label=_("Tất cả"),
    )

    class Meta:
        model = CraftVillage
        fields: list[str] = []

    def filter_text(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value)
            | Q(crafts__icontains=value)
            | Q(hamlet__icontains=value)
        )
