"""Filters of the public craft-village list (django-filter)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from khuyencong.filters import choice_filter, district_filter
from villages.models import CraftVillage


class PublicVillageFilter(django_filters.FilterSet):
    tu_khoa = django_filters.CharFilter(label=_("Tên làng, nghề"), method="filter_text")
    don_vi = district_filter()
    danh_hieu = choice_filter(_("Danh hiệu"), "title", CraftVillage.Title.choices)

    class Meta:
        model = CraftVillage
        fields: list[str] = []

    def filter_text(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value)
            | Q(crafts__icontains=value)
            | Q(hamlet__icontains=value)
        )
