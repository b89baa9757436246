from django.contrib import admin, messages
from django.db.models import Count, Exists, OuterRef, Prefetch
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from clusters.models import (
    ClusterPlan,
    ClusterStatus,
    IndustrialCluster,
    PlantStatus,
    WastewaterPlant,
    WastewaterPlantCluster,
)
from khuyencong.admin import AttachmentAdminMixin, AttachmentInline
from khuyencong.admin_base import RegisterAdmin
from khuyencong.models import AdministrativeUnit


def _links(plant_built_by=None, **filters):
    links = WastewaterPlantCluster.objects.filter(**filters)
    if plant_built_by:
        links = links.filter(plant__built_by=plant_built_by)
    return links


@admin.register(ClusterPlan)
class ClusterPlanAdmin(AttachmentAdminMixin, RegisterAdmin):
    list_display = (
        "title",
        "document",
        "horizon_year",
        "vision_year",
        "effective_from",
        "effective_until",
        "cluster_count",
    )
    list_select_related = ("document",)
    search_fields = ("title", "document__number")
    autocomplete_fields = ("document",)
    inlines = [AttachmentInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_clusters=Count("clusters"))

    @admin.display(description=_("số cụm công nghiệp"), ordering="n_clusters")
    def cluster_count(self, obj):
        return obj.n_clusters


class ClusterStatusFilter(admin.SimpleListFilter):
    title = _("trạng thái hôm nay")
    parameter_name = "trang_thai"

    def lookups(self, request, model_admin):
        return ClusterStatus.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(status=self.value())
        return queryset


class HasPlantFilter(admin.SimpleListFilter):
    title = _("trạm xử lý nước thải")
    parameter_name = "co_tram"

    def lookups(self, request, model_admin):
        return (
            ("dang_hoat_dong", _("Có trạm đang hoạt động")),
            ("co", _("Có trạm (mọi trạng thái)")),
            ("khong", _("Chưa có trạm")),
        )

    def queryset(self, request, queryset):
        any_plant = Exists(_links(cluster=OuterRef("pk")))
        match self.value():
            case "dang_hoat_dong":
                return queryset.filter(has_wwtp=True)
            case "co":
                return queryset.filter(any_plant)
            case "khong":
                return queryset.exclude(any_plant)
        return queryset


class PlantFundingFilter(admin.SimpleListFilter):
    title = _("trạm do ai đầu tư")
    parameter_name = "nguon_tram"

    def lookups(self, request, model_admin):
        return WastewaterPlant.BuiltBy.choices

    def queryset(self, request, queryset):
        if self.value() in WastewaterPlant.BuiltBy.values:
            return queryset.filter(
                Exists(_links(plant_built_by=self.value(), cluster=OuterRef("pk")))
            )
        return queryset


@admin.register(IndustrialCluster)
class IndustrialClusterAdmin(AttachmentAdminMixin, RegisterAdmin):
    list_display = (
        "name",
        "administrative_unit",
        "kind",
        "planned_area_ha",
        "occupancy_display",
        "status_display",
        "established_on",
        "operating_from",
        "has_wwtp_display",
    )
    list_filter = (
        ("administrative_unit", admin.RelatedOnlyFieldListFilter),
        ClusterStatusFilter,
        "kind",
        HasPlantFilter,
        PlantFundingFilter,
        "plan",
    )
    list_select_related = ("administrative_unit",)
    search_fields = (
        "name",
        "investor",
        "administrative_unit__name",
        "establishment_document__number",
    )
    date_hierarchy = "established_on"
    autocomplete_fields = (
        "plan",
        "administrative_unit",
        "establishment_document",
        "removal_document",
    )
    readonly_fields = (
        "occupancy_readonly",
        "status_readonly",
        "plants_readonly",
        "warnings_readonly",
    )
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "plan",
                    "name",
                    "administrative_unit",
                    "kind",
                    "investor",
                    "warnings_readonly",
                )
            },
        ),
        (
            _("Diện tích"),
            {
                "fields": (
                    "planned_area_ha",
                    "industrial_land_ha",
                    "leased_land_ha",
                    "occupancy_readonly",
                )
            },
        ),
        (
            _("Các mốc: quy hoạch, thành lập, hoạt động"),
            {
                "description": _(
                    "Trạng thái của cụm được tính từ các ngày này, không nhập tay."
                ),
                "fields": (
                    "status_readonly",
                    "in_plan_from",
                    ("established_on", "establishment_document"),
                    "operating_from",
                    ("removed_on", "removal_document"),
                ),
            },
        ),
        (
            _("Doanh nghiệp, lao động, xử lý nước thải"),
            {"fields": ("tenant_count", "worker_count", "plants_readonly", "note")},
        ),
    )
    inlines = [AttachmentInline]

    def get_queryset(self, request):
        today = timezone.localdate()
        return (
            super()
            .get_queryset(request)
            .for_user(request.user)
            .with_status(today)
            .with_occupancy()
            .with_wwtp(today)
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        for warning in obj.warnings():
            messages.warning(request, warning)

    @admin.display(description=_("tỷ lệ lấp đầy"), ordering="occupancy")
    def occupancy_display(self, obj):
        if obj.occupancy is None:
            return "–"
        return f"{number_format(obj.occupancy, 1)} %"

    @admin.display(description=_("trạng thái hôm nay"), ordering="status")
    def status_display(self, obj):
        return ClusterStatus(obj.status).label

    @admin.display(description=_("có trạm XLNT hoạt động"), boolean=True)
    def has_wwtp_display(self, obj):
        return obj.has_wwtp

    @admin.display(description=_("tỷ lệ lấp đầy (tính tự động)"))
    def occupancy_readonly(self, obj):
        value = obj.occupancy_percent if obj.pk else None
        return "–" if value is None else f"{number_format(value, 1)} %"

    @admin.display(description=_("trạng thái hôm nay"))
    def status_readonly(self, obj):
        return obj.get_current_status_display() if obj.pk else "–"

    @admin.display(description=_("trạm xử lý nước thải phục vụ cụm"))
    def plants_readonly(self, obj):
        if not obj.pk:
            return "–"
        plants = obj.wastewater_plants.all()
        if not plants:
            return _("Chưa có trạm xử lý nước thải tập trung.")
        return format_html_join(
            ", ",
            "{} ({})",
            ((p.name, p.get_current_status_display()) for p in plants),
        )

    @admin.display(description=_("cảnh báo"))
    def warnings_readonly(self, obj):
        found = obj.warnings() if obj.pk else []
        if not found:
            return "–"
        return format_html_join("", "<p>⚠ {}</p>", ((w,) for w in found))


class PlantClusterFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        clusters = [
            form.cleaned_data["cluster"]
            for form in self.forms
            if form.cleaned_data.get("cluster") and not form.cleaned_data.get("DELETE")
        ]
        WastewaterPlant.validate_clusters(clusters)


class PlantClusterInline(admin.TabularInline):
    model = WastewaterPlantCluster
    formset = PlantClusterFormSet
    fields = ("cluster",)
    autocomplete_fields = ("cluster",)
    extra = 1
    verbose_name = _("cụm công nghiệp được phục vụ")
    verbose_name_plural = _("các cụm công nghiệp do trạm phục vụ")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("cluster")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "cluster":
            kwargs["queryset"] = IndustrialCluster.objects.for_user(
                request.user
            ).select_related("administrative_unit")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class PlantStatusFilter(admin.SimpleListFilter):
    title = _("trạng thái hôm nay")
    parameter_name = "trang_thai"

    def lookups(self, request, model_admin):
        return PlantStatus.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(status=self.value())
        return queryset


class PlantUnitFilter(admin.SimpleListFilter):
    title = _("đơn vị hành chính")
    parameter_name = "don_vi"

    def lookups(self, request, model_admin):
        units = AdministrativeUnit.objects.filter(
            industrial_clusters__plant_links__isnull=False
        ).distinct()
        return [(u.pk, u.full_name) for u in units]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(
                Exists(
                    _links(
                        plant=OuterRef("pk"),
                        cluster__administrative_unit_id=int(self.value()),
                    )
                )
            )
        return queryset


@admin.register(WastewaterPlant)
class WastewaterPlantAdmin(AttachmentAdminMixin, RegisterAdmin):
    list_display = (
        "name",
        "built_by",
        "capacity_m3_per_day",
        "status_display",
        "decision",
        "clusters_display",
    )
    list_filter = (
        "built_by",
        PlantStatusFilter,
        PlantUnitFilter,
        ("decision", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("decision",)
    search_fields = ("name", "clusters__name", "decision__number")
    autocomplete_fields = ("decision",)
    readonly_fields = ("status_readonly",)
    fields = (
        "name",
        "built_by",
        "capacity_m3_per_day",
        "decision",
        "status_readonly",
        "completed_on",
        "operating_from",
        "stopped_on",
        "note",
    )
    inlines = [PlantClusterInline, AttachmentInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .for_user(request.user)
            .with_status(timezone.localdate())
            .prefetch_related(
                Prefetch(
                    "clusters",
                    queryset=IndustrialCluster.objects.select_related(
                        "administrative_unit"
                    ),
                )
            )
        )

    @admin.display(description=_("trạng thái hôm nay"), ordering="status")
    def status_display(self, obj):
        return PlantStatus(obj.status).label

    @admin.display(description=_("trạng thái hôm nay"))
    def status_readonly(self, obj):
        return obj.get_current_status_display() if obj.pk else "–"

    @admin.display(description=_("cụm công nghiệp được phục vụ"))
    def clusters_display(self, obj):
        return "; ".join(
            f"{c.name} ({c.administrative_unit.name})" for c in obj.clusters.all()
        )
