"""Import/export of the cluster registers (see khuyencong/importing).

Natural keys: a plan by its title; a cluster by its name within a unit (and plan);
a wastewater plant by its name."""

import re

from django.utils.translation import gettext as _

from clusters.models import ClusterPlan, IndustrialCluster, WastewaterPlant
from khuyencong import parsers
from khuyencong.importing import widgets as w
from khuyencong.importing.resources import Field, RegisterResource


class ClusterPlanWidget(w.NaturalKeyWidget):
    """A cluster plan by its title, or by the year it runs to ("2020") when only
    one plan has that horizon."""

    def __init__(self, **kwargs):
        super().__init__(ClusterPlan, field="title", **kwargs)

    def prefetch(self, values) -> None:
        pass  # a handful of plans: read on first use

    def clean(self, value, row=None, **kwargs):
        key = self.key(value)
        if not key:
            return None
        if key not in self._cache:
            if re.fullmatch(r"\d{4}", key):
                found = list(ClusterPlan.objects.filter(horizon_year=int(key))[:2])
            else:
                found = [
                    plan
                    for plan in ClusterPlan.objects.all()
                    if parsers.text_key(plan.title) == parsers.text_key(key)
                ]
            self._cache[key] = found
        found = self._cache[key]
        if len(found) == 1:
            return found[0]
        if not found:
            raise ValueError(
                _("Không tìm thấy quy hoạch cụm công nghiệp “%(value)s”.")
                % {"value": key}
            )
        raise ValueError(
            _("Có nhiều quy hoạch đến năm %(value)s: ghi đúng tên quy hoạch.")
            % {"value": key}
        )


class ClusterPlanResource(RegisterResource):
    class Meta:
        model = ClusterPlan
        fields = (
            "title",
            "document",
            "horizon_year",
            "vision_year",
            "effective_from",
            "effective_until",
            "note",
        )
        import_id_fields = ("title",)

    def get_queryset(self):
        return super().get_queryset().select_related("document")


class IndustrialClusterResource(RegisterResource):
    plan = Field(attribute="plan", column_name="Quy hoạch", widget=ClusterPlanWidget())

    class Meta:
        model = IndustrialCluster
        fields = (
            "plan",
            "name",
            "administrative_unit",
            "kind",
            "planned_area_ha",
            "industrial_land_ha",
            "leased_land_ha",
            "investor",
            "in_plan_from",
            "established_on",
            "establishment_document",
            "operating_from",
            "removed_on",
            "removal_document",
            "tenant_count",
            "worker_count",
            "note",
        )
        # A cluster's name is unique within its unit (in one plan).
        import_id_fields = ("plan", "administrative_unit", "name")

    def get_queryset(self):
        return super().get_queryset().select_related("plan", "administrative_unit")


class WastewaterPlantResource(RegisterResource):
    class Meta:
        model = WastewaterPlant
        fields = (
            "name",
            "capacity_m3_per_day",
            "built_by",
            "decision",
            "completed_on",
            "operating_from",
            "stopped_on",
            "note",
        )
        import_id_fields = ("name",)

    def get_queryset(self):
        return super().get_queryset().select_related("decision")
