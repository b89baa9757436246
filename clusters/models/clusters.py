"""Industrial clusters and the status they have on any day."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.db.models.functions import Round
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clusters.models.common import (
    AREA,
    AREA_MAX_HA,
    AREA_MIN_CRAFT_VILLAGE_HA,
    AREA_MIN_HA,
    ClusterStatus,
    fmt_day,
    in_plan_q,
    sees_every_cluster,
    unit_q,
)
from clusters.models.plans import ClusterPlan
from khuyencong.models import (
    AdministrativeUnit,
    LegalDocument,
    TimeStampedModel,
    user_is_officer,
)


class IndustrialClusterQuerySet(models.QuerySet):
    def for_user(self, user) -> IndustrialClusterQuerySet:
        """A district officer sees the clusters of their unit (and of its
        communes); staff and leadership see them all; anyone else none."""
        if user_is_officer(user):
            return self.filter(unit_q(user.administrative_unit))
        return self if sees_every_cluster(user) else self.none()

    def in_unit(self, unit: AdministrativeUnit | None) -> IndustrialClusterQuerySet:
        return self.filter(unit_q(unit))

    def with_status(self, on: date, name: str = "status") -> IndustrialClusterQuerySet:
        """Annotate each cluster's status on a day (same rule as `status_on`)."""
        return self.annotate(**{name: self.status_expression(on)})

    @staticmethod
    def status_expression(on: date) -> Case:
        return Case(
            When(removed_on__lte=on, then=Value(ClusterStatus.REMOVED)),
            When(operating_from__lte=on, then=Value(ClusterStatus.OPERATING)),
            When(established_on__lte=on, then=Value(ClusterStatus.ESTABLISHED)),
            When(in_plan_q(on), then=Value(ClusterStatus.PLANNED)),
            default=Value(ClusterStatus.NOT_IN_PLAN),
            output_field=models.CharField(),
        )

    def in_plan_on(self, on: date) -> IndustrialClusterQuerySet:
        """Clusters of a plan in force on that day, not removed from it by then."""
        return self.filter(in_plan_q(on))

    def operating_on(self, on: date) -> IndustrialClusterQuerySet:
        return self.filter(operating_from__lte=on).exclude(removed_on__lte=on)

    def established_in(self, year: int) -> IndustrialClusterQuerySet:
        return self.filter(established_on__year=year)

    def with_occupancy(self) -> IndustrialClusterQuerySet:
        """Occupancy (tỷ lệ lấp đầy, %) = leased ÷ industrial land, one decimal."""
        return self.annotate(
            occupancy=Case(
                When(
                    industrial_land_ha__gt=0,
                    leased_land_ha__isnull=False,
                    then=Round(
                        F("leased_land_ha")
                        * Value(Decimal("100"))
                        / F("industrial_land_ha"),
                        1,
                    ),
                ),
                default=None,
                output_field=models.DecimalField(max_digits=6, decimal_places=1),
            )
        )

    def with_wwtp(self, on: date, name: str = "has_wwtp") -> IndustrialClusterQuerySet:
        """Annotate whether a plant operating on that day serves the cluster."""
        return self.annotate(**{name: served_by_operating_plant(on)})

    def served_by_operating_plant(self, on: date) -> IndustrialClusterQuerySet:
        return self.filter(served_by_operating_plant(on))


def served_by_operating_plant(on: date) -> Exists:
    """True for a cluster that a plant operating on `on` serves."""
    # The link model is defined with the plants, which depend on this module.
    from clusters.models.plants import WastewaterPlantCluster, plant_operating_q

    return Exists(
        WastewaterPlantCluster.objects.filter(
            plant_operating_q(on, "plant__"), cluster=OuterRef("pk")
        )
    )


class IndustrialCluster(TimeStampedModel):
    class Kind(models.TextChoices):
        GENERAL = "chung", _("Cụm công nghiệp")
        CRAFT_VILLAGE = "lang_nghe", _("Cụm công nghiệp làng nghề")

    plan = models.ForeignKey(
        ClusterPlan,
        verbose_name=_("quy hoạch"),
        on_delete=models.PROTECT,
        related_name="clusters",
    )
    name = models.CharField(_("tên cụm công nghiệp"), max_length=200)
    administrative_unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("đơn vị hành chính"),
        on_delete=models.PROTECT,
        related_name="industrial_clusters",
    )
    kind = models.CharField(
        _("loại cụm"), max_length=12, choices=Kind.choices, default=Kind.GENERAL
    )
    planned_area_ha = models.DecimalField(_("diện tích quy hoạch (ha)"), **AREA)
    industrial_land_ha = models.DecimalField(
        _("diện tích đất công nghiệp (ha)"), null=True, blank=True, **AREA
    )
    leased_land_ha = models.DecimalField(
        _("diện tích đất công nghiệp đã cho thuê (ha)"),
        null=True,
        blank=True,
        help_text=_("Tỷ lệ lấp đầy được tính từ diện tích này, không nhập tay."),
        **AREA,
    )
    investor = models.CharField(_("chủ đầu tư hạ tầng"), max_length=255, blank=True)
    in_plan_from = models.DateField(
        _("bổ sung vào quy hoạch từ ngày"),
        null=True,
        blank=True,
        help_text=_("Để trống nếu cụm có từ khi quy hoạch được phê duyệt."),
    )
    established_on = models.DateField(_("ngày thành lập"), null=True, blank=True)
    establishment_document = models.ForeignKey(
        LegalDocument,
        verbose_name=_("quyết định thành lập"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="established_clusters",
    )
    operating_from = models.DateField(
        _("hoạt động từ ngày"),
        null=True,
        blank=True,
        help_text=_("Ngày cụm bắt đầu hoạt động; để trống nếu chưa hoạt động."),
    )
    removed_on = models.DateField(
        _("ngày đưa ra khỏi quy hoạch"), null=True, blank=True
    )
    removal_document = models.ForeignKey(
        LegalDocument,
        verbose_name=_("quyết định đưa ra khỏi quy hoạch"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="removed_clusters",
    )
    tenant_count = models.PositiveIntegerField(
        _("số cơ sở, doanh nghiệp thuê đất"), null=True, blank=True
    )
    worker_count = models.PositiveIntegerField(_("số lao động"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    objects = IndustrialClusterQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cụm công nghiệp")
        verbose_name_plural = _("cụm công nghiệp")
        ordering = ["administrative_unit__code", "name"]
        indexes = [
            models.Index(fields=["established_on"]),
            models.Index(fields=["operating_from"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "administrative_unit", "name"],
                name="cluster_unique_name_per_unit_and_plan",
                violation_error_message=_(
                    "Đơn vị hành chính này đã có cụm công nghiệp cùng tên trong "
                    "quy hoạch."
                ),
            ),
            models.CheckConstraint(
                condition=Q(planned_area_ha__gt=0),
                name="cluster_area_positive",
                violation_error_message=_("Diện tích quy hoạch phải lớn hơn 0."),
            ),
            models.CheckConstraint(
                condition=Q(leased_land_ha__isnull=True)
                | Q(
                    industrial_land_ha__isnull=False,
                    leased_land_ha__lte=F("industrial_land_ha"),
                ),
                name="cluster_leased_within_industrial_land",
                violation_error_message=_(
                    "Diện tích đất đã cho thuê không được lớn hơn diện tích đất "
                    "công nghiệp."
                ),
            ),
            models.CheckConstraint(
                condition=Q(operating_from__isnull=True)
                | Q(established_on__isnull=True)
                | Q(operating_from__gte=F("established_on")),
                name="cluster_operating_after_established",
                violation_error_message=_(
                    "Ngày bắt đầu hoạt động không được trước ngày thành lập."
                ),
            ),
            models.CheckConstraint(
                condition=Q(removed_on__isnull=True)
                | (
                    (
                        Q(established_on__isnull=True)
                        | Q(removed_on__gte=F("established_on"))
                    )
                    & (
                        Q(operating_from__isnull=True)
                        | Q(removed_on__gte=F("operating_from"))
                    )
                ),
                name="cluster_removed_after_other_dates",
                violation_error_message=_(
                    "Ngày đưa ra khỏi quy hoạch không được trước ngày thành lập "
                    "hoặc ngày bắt đầu hoạt động."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list] = {}
        if self.leased_land_ha is not None:
            if self.industrial_land_ha is None:
                errors.setdefault("industrial_land_ha", []).append(
                    _(
                        "Nhập diện tích đất công nghiệp để tính tỷ lệ lấp đầy từ "
                        "diện tích đã cho thuê."
                    )
                )
            elif self.leased_land_ha > self.industrial_land_ha:
                errors.setdefault("leased_land_ha", []).append(
                    _(
                        "Diện tích đất đã cho thuê (%(leased)s ha) không được lớn "
                        "hơn diện tích đất công nghiệp (%(industrial)s ha)."
                    )
                    % {
                        "leased": number_format(self.leased_land_ha, 2),
                        "industrial": number_format(self.industrial_land_ha, 2),
                    }
                )
        if (
            self.operating_from
            and self.established_on
            and self.operating_from < self.established_on
        ):
            errors.setdefault("operating_from", []).append(
                _(
                    "Ngày bắt đầu hoạt động (%(operating)s) không được trước ngày "
                    "thành lập (%(established)s)."
                )
                % {
                    "operating": fmt_day(self.operating_from),
                    "established": fmt_day(self.established_on),
                }
            )
        if self.establishment_document_id and not self.established_on:
            errors.setdefault("established_on", []).append(
                _("Nhập ngày thành lập theo quyết định thành lập.")
            )
        if self.removal_document_id and not self.removed_on:
            errors.setdefault("removed_on", []).append(
                _("Nhập ngày đưa ra khỏi quy hoạch theo quyết định.")
            )
        if self.removed_on:
            latest = max(
                (d for d in (self.established_on, self.operating_from) if d),
                default=None,
            )
            if latest and self.removed_on < latest:
                errors.setdefault("removed_on", []).append(
                    _(
                        "Ngày đưa ra khỏi quy hoạch không được trước ngày thành lập "
                        "hoặc ngày bắt đầu hoạt động (%(day)s)."
                    )
                    % {"day": fmt_day(latest)}
                )
        if errors:
            raise ValidationError(errors)

    def status_on(self, day: date) -> str:
        """The status on a day; the database twin is `with_status`."""
        if self.removed_on and self.removed_on <= day:
            return ClusterStatus.REMOVED
        if self.operating_from and self.operating_from <= day:
            return ClusterStatus.OPERATING
        if self.established_on and self.established_on <= day:
            return ClusterStatus.ESTABLISHED
        if self.is_in_plan_on(day):
            return ClusterStatus.PLANNED
        return ClusterStatus.NOT_IN_PLAN

    def is_in_plan_on(self, day: date) -> bool:
        plan = self.plan
        return (
            plan.effective_from <= day
            and (plan.effective_until is None or day <= plan.effective_until)
            and (self.in_plan_from is None or self.in_plan_from <= day)
            and (self.removed_on is None or day < self.removed_on)
        )

    @property
    def current_status(self) -> str:
        return self.status_on(timezone.localdate())

    def get_current_status_display(self) -> str:
        return ClusterStatus(self.current_status).label

    @property
    def occupancy_percent(self) -> Decimal | None:
        """Leased ÷ industrial land in %, one decimal; None when not computable."""
        if self.leased_land_ha is None or not self.industrial_land_ha:
            return None
        return (self.leased_land_ha * 100 / self.industrial_land_ha).quantize(
            Decimal("0.1")
        )

    @property
    def area_range(self) -> tuple[Decimal, Decimal]:
        low = (
            AREA_MIN_CRAFT_VILLAGE_HA
            if self.kind == self.Kind.CRAFT_VILLAGE
            else AREA_MIN_HA
        )
        return low, AREA_MAX_HA

    def warnings(self) -> list[str]:
        """What staff should look at, without blocking the save."""
        found = []
        low, high = self.area_range
        if self.planned_area_ha is not None and not (
            low <= self.planned_area_ha <= high
        ):
            found.append(
                _(
                    "Diện tích quy hoạch %(area)s ha nằm ngoài khoảng %(low)s–%(high)s "
                    "ha cho %(kind)s (Nghị định 32/2024/NĐ-CP)."
                )
                % {
                    "area": number_format(self.planned_area_ha, 2),
                    "low": number_format(low, 0),
                    "high": number_format(high, 0),
                    "kind": self.get_kind_display().lower(),
                }
            )
        if (
            self.industrial_land_ha is not None
            and self.planned_area_ha is not None
            and self.industrial_land_ha > self.planned_area_ha
        ):
            found.append(
                _(
                    "Diện tích đất công nghiệp (%(industrial)s ha) lớn hơn diện tích "
                    "quy hoạch (%(area)s ha)."
                )
                % {
                    "industrial": number_format(self.industrial_land_ha, 2),
                    "area": number_format(self.planned_area_ha, 2),
                }
            )
        if self.established_on and not self.establishment_document_id:
            found.append(_("Cụm đã có ngày thành lập nhưng chưa gắn quyết định."))
        return [str(w) for w in found]
