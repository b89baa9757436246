"""What the cluster models share: statuses, the ND 32/2024 area range and the
filters that read a status on a day."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from khuyencong.models import AdministrativeUnit, Role, within_unit_q

# ND 32/2024/NĐ-CP art. 3 (as ND 68/2017 before it): the area of a cluster.
AREA_MAX_HA = Decimal("75")
AREA_MIN_HA = Decimal("10")
AREA_MIN_CRAFT_VILLAGE_HA = Decimal("5")

AREA = {"max_digits": 8, "decimal_places": 2, "validators": [MinValueValidator(0)]}


def unit_q(unit: AdministrativeUnit | None, prefix: str = "") -> Q:
    """Rows of a unit or of a unit directly under it (a district and its communes)."""
    return within_unit_q(unit, f"{prefix}administrative_unit")


def sees_every_cluster(user) -> bool:
    """Department staff and leadership see every cluster and plant; officers see
    their unit's (see the querysets' `for_user`); anyone else sees none."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and (user.is_superuser or user.role in (Role.STAFF, Role.LEADERSHIP))
    )


def fmt_day(day: date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


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


def in_plan_q(day: date) -> Q:
    return (
        Q(plan__effective_from__lte=day)
        & (Q(plan__effective_until__isnull=True) | Q(plan__effective_until__gte=day))
        & (Q(in_plan_from__isnull=True) | Q(in_plan_from__lte=day))
        & (Q(removed_on__isnull=True) | Q(removed_on__gt=day))
    )
