"""Filters of the public cluster list (django-filter)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clusters.models import ClusterStatus, IndustrialCluster
from khuyencong.models import AdministrativeUnit


class PublicClusterFilter(django_filters.FilterSet):
    tu_khoa = django_filters.CharFilter(
        label=_("Tên cụm, chủ đầu tư"), method="filter_text"
    )
    don_vi = django_filters.ModelChoiceFilter(
        label=_("Quận, huyện, thị xã"),
        field_name="administrative_unit",
        to_field_name="code",
        queryset=AdministrativeUnit.objects.districts().order_by("code"),
        empty_label=_("Tất cả"),
    )
    loai = django_filters.ChoiceFilter(
        label=_("Loại cụm"),
        field_name="kind",
        choices=IndustrialCluster.Kind.choices,
        empty_label=_("Tất cả"),
    )
    tinh_trang = django_filters.ChoiceFilter(
        label=_("Tình trạng hiện nay"),
        # The list annotates each cluster's status today (public_clusters).
        field_name="status_today",
        choices=[
            (s.value, s.label) for s in ClusterStatus if s != ClusterStatus.NOT_IN_PLAN
        ],
        empty_label=_("Tất cả"),
    )

    class Meta:
        model = IndustrialCluster
        fields: list[str] = []

    def filter_text(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(investor__icontains=value))
