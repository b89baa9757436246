"""Filters of the public lists of supported projects and trade events
(django-filter)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from khuyencong.filters import choice_filter, district_filter
from programs.models import EquipmentActivity, EquipmentProject, TradeEvent


class PublicProjectFilter(django_filters.FilterSet):
    tu_khoa = django_filters.CharFilter(
        label=_("Tên cơ sở, dự án"), method="filter_text"
    )
    nam = django_filters.NumberFilter(label=_("Năm kế hoạch"), field_name="plan__year")
    don_vi = district_filter("establishment__administrative_unit")
    noi_dung = choice_filter(
        _("Nội dung hỗ trợ"), "activity", EquipmentActivity.choices
    )

    class Meta:
        model = EquipmentProject
        fields: list[str] = []

    def filter_text(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value) | Q(establishment__name__icontains=value)
        )


class PublicEventFilter(django_filters.FilterSet):
    tu_khoa = django_filters.CharFilter(
        label=_("Tên sự kiện, địa điểm"), method="filter_text"
    )
    nam = django_filters.NumberFilter(label=_("Năm kế hoạch"), field_name="plan__year")
    loai = choice_filter(_("Loại sự kiện"), "kind", TradeEvent.Kind.choices)
    noi_to_chuc = choice_filter(
        _("Trong nước/nước ngoài"), "location", TradeEvent.Location.choices
    )

    class Meta:
        model = TradeEvent
        fields: list[str] = []

    def filter_text(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value)
            | Q(venue__icontains=value)
            | Q(organiser__icontains=value)
        )
