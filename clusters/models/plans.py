"""The City's plan of industrial clusters."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from khuyencong.models import LegalDocument, TimeStampedModel


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
