"""Centralised wastewater plants and the clusters each one serves."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clusters.models.clusters import IndustrialCluster
from clusters.models.common import PlantStatus, sees_every_cluster, unit_q
from khuyencong.models import LegalDocument, TimeStampedModel, user_is_officer


def plant_operating_q(day: date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}operating_from__lte": day}) & (
        Q(**{f"{prefix}stopped_on__isnull": True})
        | Q(**{f"{prefix}stopped_on__gt": day})
    )


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
        return self if sees_every_cluster(user) else self.none()

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
        """The clusters one plant serves: at least one. Every cluster has its unit
        (the field is required), so a plant never serves clusters in no unit. A plant
        may serve neighbouring clusters of two units: that is allowed, and it must
        stay allowed after the 2025 reform, when an old district cluster and a new
        commune cluster can share one plant."""
        if not list(clusters):
            raise ValidationError(
                _("Trạm xử lý nước thải phải phục vụ ít nhất một cụm công nghiệp."),
                code="no_cluster",
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
