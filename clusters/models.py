"""Industrial clusters (cụm công nghiệp), their plan and their wastewater plants.

Status is never typed in: a cluster stores the dated facts of its life (in the plan
from, established on, operating from, removed from the plan on) and its status on any
day is derived from them, in Python (`status_on`) and in the database
(`IndustrialClusterQuerySet.with_status`), so the portal can answer "how many operated
on 30/6/2019" for any day. A cluster's life is one fixed sequence with at most one date
per step and one deciding document per step, so dated columns (ordered by check
constraints) say everything an event table would, without a subquery per cluster and
without allowing an incoherent sequence of events. Wastewater plants follow the same
idea (completed on, operating from, stopped on).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.db.models.functions import Round
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from khuyencong.models import (
    AdministrativeUnit,
    LegalDocument,
    TimeStampedModel,
    user_is_officer,
)

# ND 32/2024/NĐ-CP art. 3 (as ND 68/2017 before it): the area of a cluster.
AREA_MAX_HA = Decimal("75")
AREA_MIN_HA = Decimal("10")
AREA_MIN_CRAFT_VILLAGE_HA = Decimal("5")

AREA = {"max_digits": 8, "decimal_places": 2, "validators": [MinValueValidator(0)]}


def unit_q(unit: AdministrativeUnit | None, prefix: str = "") -> Q:
    """Rows of a unit or of a unit directly under it (a district and its communes)."""
    if unit is None:
        return Q()
    return Q(**{f"{prefix}administrative_unit": unit}) | Q(
        **{f"{prefix}administrative_unit__parent": unit}
    )


def _fmt_day(day: date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


class ClusterPlanQuerySet(models.QuerySet):
    def in_force_on(self, day: date) -> ClusterPlanQuerySet:
        return self.filter(
            Q(effective_from__lte=day),
            Q(effective_until__isnull=True) | Q(effective_until__gte=day),
        )


class ClusterPlan(TimeStampedModel):
    """The City's plan of industrial clusters (quy hoạch phát triển cụm công nghiệp)."""

    title = models.CharField(
        _("tên quy hoạch"),
        max_length=255,
        help_text=_(
            "Ví dụ: Quy hoạch phát triển cụm công nghiệp thành phố Hà Nội đến năm "
            "2020, có xét đến năm 2030."
        ),
    )
    document = models.ForeignKey(
        LegalDocument,
        verbose_name=_("quyết định phê duyệt"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cluster_plans",
    )
    horizon_year = models.PositiveSmallIntegerField(_("quy hoạch đến năm"))
    vision_year = models.PositiveSmallIntegerField(
        _("có xét đến năm (tầm nhìn)"), null=True, blank=True
    )
    effective_from = models.DateField(
        _("có hiệu lực từ ngày"),
        help_text=_("Thường là ngày ký quyết định phê duyệt quy hoạch."),
    )
    effective_until = models.DateField(
        _("hết hiệu lực ngày"),
        null=True,
        blank=True,
        help_text=_("Để trống khi quy hoạch còn hiệu lực."),
    )
    note = models.TextField(_("ghi chú"), blank=True)

    objects = ClusterPlanQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("quy hoạch cụm công nghiệp")
        verbose_name_plural = _("quy hoạch cụm công nghiệp")
        ordering = ["-effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(vision_year__isnull=True)
                | Q(vision_year__gte=F("horizon_year")),
                name="clusterplan_vision_after_horizon",
                violation_error_message=_(
                    "Năm tầm nhìn không được trước năm quy hoạch."
                ),
            ),
            models.CheckConstraint(
                condition=Q(effective_until__isnull=True)
                | Q(effective_until__gte=F("effective_from")),
                name="clusterplan_valid_range",
                violation_error_message=_(
                    "Ngày hết hiệu lực phải sau ngày có hiệu lực của quy hoạch."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ClusterStatus(models.TextChoices):
    NOT_IN_PLAN = "chua_quy_hoach", _("Chưa có trong quy hoạch")
    PLANNED = "quy_hoach", _("Có trong quy hoạch, chưa thành lập")
    ESTABLISHED = "da_thanh_lap", _("Đã thành lập, chưa hoạt động")
    OPERATING = "dang_hoat_dong", _("Đang hoạt động")
    REMOVED = "dua_ra_khoi_quy_hoach", _("Đã đưa ra khỏi quy hoạch")


class PlantStatus(models.TextChoices):
    UNDER_CONSTRUCTION = "dang_xay_dung", _("Đang xây dựng")
    BUILT_NOT_OPERATING = "chua_hoat_dong", _("Đã xây dựng, chưa/không hoạt động")
    OPERATING = "dang_hoat_dong", _("Đang hoạt động")


def plant_operating_q(day: date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}operating_from__lte": day}) & (
        Q(**{f"{prefix}stopped_on__isnull": True})
        | Q(**{f"{prefix}stopped_on__gt": day})
    )


def in_plan_q(day: date) -> Q:
    return (
        Q(plan__effective_from__lte=day)
        & (Q(plan__effective_until__isnull=True) | Q(plan__effective_until__gte=day))
        & (Q(in_plan_from__isnull=True) | Q(in_plan_from__lte=day))
        & (Q(removed_on__isnull=True) | Q(removed_on__gt=day))
    )


class IndustrialClusterQuerySet(models.QuerySet):
    def for_user(self, user) -> IndustrialClusterQuerySet:
        """A district officer sees the clusters of their unit (and of its
        communes); everyone else who may see clusters sees them all."""
        if user_is_officer(user):
            return self.filter(unit_q(user.administrative_unit))
        return self

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
                    "operating": _fmt_day(self.operating_from),
                    "established": _fmt_day(self.established_on),
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
                    % {"day": _fmt_day(latest)}
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


class WastewaterPlantQuerySet(models.QuerySet):
    def for_user(self, user) -> WastewaterPlantQuerySet:
        if user_is_officer(user):
            return self.filter(
                Exists(
                    WastewaterPlantCluster.objects.filter(
                        unit_q(user.administrative_unit, "cluster__"),
                        plant=OuterRef("pk"),
                    )
                )
            )
        return self

    def with_status(self, on: date, name: str = "status") -> WastewaterPlantQuerySet:
        return self.annotate(
            **{
                name: Case(
                    When(plant_operating_q(on), then=Value(PlantStatus.OPERATING)),
                    When(
                        Q(completed_on__lte=on) | Q(operating_from__lte=on),
                        then=Value(PlantStatus.BUILT_NOT_OPERATING),
                    ),
                    default=Value(PlantStatus.UNDER_CONSTRUCTION),
                    output_field=models.CharField(),
                )
            }
        )

    def operating_on(self, on: date) -> WastewaterPlantQuerySet:
        return self.filter(plant_operating_q(on))


class WastewaterPlant(TimeStampedModel):
    """A centralised wastewater plant (trạm xử lý nước thải tập trung) serving one or
    more clusters."""

    class BuiltBy(models.TextChoices):
        INVESTOR = "chu_dau_tu", _("Chủ đầu tư hạ tầng cụm công nghiệp")
        CITY = "thanh_pho", _("Thành phố (chương trình theo quyết định của UBND)")

    name = models.CharField(_("tên trạm"), max_length=200)
    capacity_m3_per_day = models.PositiveIntegerField(
        _("công suất (m³/ngày đêm)"), validators=[MinValueValidator(1)]
    )
    built_by = models.CharField(
        _("đầu tư xây dựng bởi"), max_length=12, choices=BuiltBy.choices
    )
    decision = models.ForeignKey(
        LegalDocument,
        verbose_name=_("quyết định đầu tư"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="wastewater_plants",
        help_text=_("Ví dụ: 7209/QĐ-UBND ngày 02/12/2013 của UBND Thành phố."),
    )
    completed_on = models.DateField(
        _("hoàn thành xây dựng ngày"),
        null=True,
        blank=True,
        help_text=_("Để trống khi trạm đang xây dựng."),
    )
    operating_from = models.DateField(
        _("vận hành từ ngày"),
        null=True,
        blank=True,
        help_text=_(
            "Để trống khi trạm chưa vận hành. Nếu không rõ ngày, nhập ngày gần đúng "
            "đã biết (ví dụ ngày báo cáo)."
        ),
    )
    stopped_on = models.DateField(_("ngừng vận hành từ ngày"), null=True, blank=True)
    clusters = models.ManyToManyField(
        IndustrialCluster,
        through="WastewaterPlantCluster",
        verbose_name=_("cụm công nghiệp được phục vụ"),
        related_name="wastewater_plants",
    )
    note = models.TextField(_("ghi chú"), blank=True)

    objects = WastewaterPlantQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("trạm xử lý nước thải tập trung")
        verbose_name_plural = _("trạm xử lý nước thải tập trung")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity_m3_per_day__gt=0),
                name="wwtp_capacity_positive",
                violation_error_message=_("Công suất phải lớn hơn 0 m³/ngày đêm."),
            ),
            models.CheckConstraint(
                condition=Q(operating_from__isnull=True)
                | Q(completed_on__isnull=True)
                | Q(operating_from__gte=F("completed_on")),
                name="wwtp_operating_after_completed",
                violation_error_message=_(
                    "Ngày vận hành không được trước ngày hoàn thành xây dựng."
                ),
            ),
            models.CheckConstraint(
                condition=Q(stopped_on__isnull=True)
                | Q(
                    operating_from__isnull=False,
                    stopped_on__gt=F("operating_from"),
                ),
                name="wwtp_stopped_after_operating",
                violation_error_message=_(
                    "Ngày ngừng vận hành phải sau ngày bắt đầu vận hành."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if (
            self.operating_from
            and self.completed_on
            and self.operating_from < self.completed_on
        ):
            raise ValidationError(
                {
                    "operating_from": _(
                        "Ngày vận hành không được trước ngày hoàn thành xây dựng."
                    )
                }
            )
        if self.stopped_on and (
            not self.operating_from or self.stopped_on <= self.operating_from
        ):
            raise ValidationError(
                {"stopped_on": _("Ngày ngừng vận hành phải sau ngày bắt đầu vận hành.")}
            )

    def status_on(self, day: date) -> str:
        if (
            self.operating_from
            and self.operating_from <= day
            and (self.stopped_on is None or day < self.stopped_on)
        ):
            return PlantStatus.OPERATING
        if (self.completed_on and self.completed_on <= day) or (
            self.operating_from and self.operating_from <= day
        ):
            return PlantStatus.BUILT_NOT_OPERATING
        return PlantStatus.UNDER_CONSTRUCTION

    @property
    def current_status(self) -> str:
        return self.status_on(timezone.localdate())

    def get_current_status_display(self) -> str:
        return PlantStatus(self.current_status).label

    @staticmethod
    def validate_clusters(clusters: Iterable[IndustrialCluster]) -> None:
        """The clusters one plant serves: at least one, all in one unit.

        A shared plant serves neighbouring clusters; clusters of different units
        under one plant are almost always a typing error, and they would make the
        plant count by unit ambiguous."""
        clusters = list(clusters)
        if not clusters:
            raise ValidationError(
                _("Trạm xử lý nước thải phải phục vụ ít nhất một cụm công nghiệp."),
                code="no_cluster",
            )
        units = {c.administrative_unit_id for c in clusters}
        if len(units) > 1:
            listing = "; ".join(
                f"{c.name} ({c.administrative_unit})"
                for c in sorted(clusters, key=lambda c: c.name)
            )
            raise ValidationError(
                _(
                    "Các cụm công nghiệp do một trạm phục vụ phải thuộc cùng một đơn "
                    "vị hành chính: %(clusters)s."
                )
                % {"clusters": listing},
                code="several_units",
            )


class WastewaterPlantCluster(TimeStampedModel):
    """One cluster served by one plant. Its own row so the link has a history."""

    plant = models.ForeignKey(
        WastewaterPlant,
        verbose_name=_("trạm xử lý nước thải"),
        on_delete=models.CASCADE,
        related_name="cluster_links",
    )
    cluster = models.ForeignKey(
        IndustrialCluster,
        verbose_name=_("cụm công nghiệp"),
        on_delete=models.PROTECT,
        related_name="plant_links",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cụm công nghiệp được phục vụ")
        verbose_name_plural = _("cụm công nghiệp được phục vụ")
        ordering = ["cluster__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["plant", "cluster"],
                name="wwtp_cluster_once",
                violation_error_message=_(
                    "Cụm công nghiệp này đã có trong danh sách của trạm."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.plant} – {self.cluster}"
