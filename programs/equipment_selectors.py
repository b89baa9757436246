"""Plan indicators counted from equipment-project workflow states (DOMAIN.md §5):
equipment_projects (projects approved or later) and equipment_support_vnd (sum of
approved support), by year and administrative unit, in one query."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Sum

from programs.models import EquipmentProject


@dataclass(frozen=True)
class EquipmentActual:
    year: int
    unit_id: int
    projects: int
    support_vnd: Decimal


def equipment_actuals(*, years: Iterable[int], user=None) -> list[EquipmentActual]:
    """Approved-or-later projects and their approved support per (year, unit of the
    establishment). One query whatever the number of projects."""
    qs = EquipmentProject.objects.approved_or_later().filter(plan__year__in=list(years))
    if user is not None:
        qs = qs.for_user(user)
    rows = (
        qs.values("plan__year", "establishment__administrative_unit_id")
        .annotate(projects=Count("pk"), support=Sum("approved_support"))
        .order_by("plan__year", "establishment__administrative_unit_id")
    )
    return [
        EquipmentActual(
            year=row["plan__year"],
            unit_id=row["establishment__administrative_unit_id"],
            projects=row["projects"],
            support_vnd=row["support"] or Decimal("0"),
        )
        for row in rows
    ]
