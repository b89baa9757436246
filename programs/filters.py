"""Filters of the public lists of supported projects and trade events
(django-filter)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from khuyencong.models import AdministrativeUnit
from programs.models import EquipmentActivity, EquipmentProject, TradeEvent


def _districts():
    return AdministrativeUnit.objects.districts().order_by("code")


class PublicProjectFilter(django_filters.FilterSet):
    tu_khoa = django_filters.CharFilter(
        label=_("Tên cơ sở, dự án"), method="filter_text"
    )
    nam = django_filters.NumberFilter(label=_("Năm kế hoạch"), field_name="plan__year")
    don_vi = django_filters.ModelChoiceFilter(
        label=_("Quận, huyện, thị xã"),
        field_name="establishment__administrative_unit",
        to_field_name="code",
        queryset=_districts(),
        empty_label=_("Tất cả"),
    )
    noi_dung = django_filters.ChoiceFilter(
        label=_("Nội dung hỗ trợ"),
        field_name="activity",
        choices=EquipmentActivity.choices,
        empty_label=_("Tất cả"),
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
    loai = django_filters.ChoiceFilter(
        label=_("Loại sự kiện"),
        field_name="kind",
        choices=TradeEvent.Kind.choices,
        empty_label=_("Tất cả"),
    )
    noi_to_chuc = django_filters.ChoiceFilter(
        label=_("Trong nước/nước ngoài"),
        field_name="location",
        choices=TradeEvent.Location.choices,
        empty_label=_("Tất cả"),
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
