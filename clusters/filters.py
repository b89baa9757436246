"""Filters of the public cluster list (django-filter)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clusters.models import ClusterStatus, IndustrialCluster
from khuyencong.filters import choice_filter, district_filter


class PublicClusterFilter(django_filters.FilterSet):
    tu_khoa = django_filters.CharFilter(
        label=_("Tên cụm, chủ đầu tư"), method="filter_text"
    )
    don_vi = district_filter()
    loai = choice_filter(_("Loại cụm"), "kind", IndustrialCluster.Kind.choices)
    # The list annotates each cluster's status today (public_clusters).
    tinh_trang = choice_filter(
        _("Tình trạng hiện nay"),
        "status_today",
        [(s.value, s.label) for s in ClusterStatus if s != ClusterStatus.NOT_IN_PLAN],
    )

    class Meta:
        model = IndustrialCluster
        fields: list[str] = []

    def filter_text(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(investor__icontains=value))
