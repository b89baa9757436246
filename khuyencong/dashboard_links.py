"""Links from a dashboard cell to the admin list behind the number.

A link is offered only when the admin list exists, the user may open it, and the
admin accepts the filter (ModelAdmin.lookup_allowed): a link that answers
"Bad Request" would be worse than none."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from programs.indicators import Indicator
from programs.models import (
    CRAFT_KINDS,
    EQUIPMENT_APPROVED_STATES,
    MANAGEMENT_KINDS,
    EquipmentProject,
    TradeEvent,
    TrainingCourse,
)

NOT_CANCELLED = [
    s.value for s in TrainingCourse.Status if s != TrainingCourse.Status.CANCELLED
]


def _join(values) -> str:
    return ",".join(str(v) for v in values)


def _targets(year_plan_id: int | None, year: int):
    """indicator -> (model, filters without the unit, unit lookup)."""
    from clusters.models import IndustrialCluster
    from villages.models import SUBMITTED_OR_LATER, BrandingApplication

    plan = {"plan__id__exact": year_plan_id} if year_plan_id else {}
    craft = {**plan, "kind__in": _join(CRAFT_KINDS), "status__in": _join(NOT_CANCELLED)}
    mgmt = {
        **plan,
        "kind__in": _join(MANAGEMENT_KINDS),
        "status__in": _join(NOT_CANCELLED),
    }
    approved = {**plan, "status__in": _join(EQUIPMENT_APPROVED_STATES)}
    unit = "administrative_unit__id__exact"
    return {
        Indicator.CRAFT_CLASSES: (TrainingCourse, craft, unit),
        Indicator.CRAFT_TRAINEES: (TrainingCourse, craft, unit),
        Indicator.MGMT_COURSES: (TrainingCourse, mgmt, unit),
        Indicator.MGMT_PARTICIPANTS: (TrainingCourse, mgmt, unit),
        Indicator.EQUIPMENT_PROJECTS: (
            EquipmentProject,
            approved,
            "establishment__administrative_unit__id__exact",
        ),
        Indicator.EQUIPMENT_SUPPORT_VND: (
            EquipmentProject,
            approved,
            "establishment__administrative_unit__id__exact",
        ),
        Indicator.BRANDING_VILLAGES: (
            BrandingApplication,
            {"call__year": year, "status__in": _join(SUBMITTED_OR_LATER)},
            unit,
        ),
        Indicator.TRADE_EVENTS: (TradeEvent, plan, unit),
        Indicator.CLUSTERS_OPERATING: (IndustrialCluster, {}, unit),
        Indicator.CLUSTERS_ESTABLISHED: (IndustrialCluster, {}, unit),
        Indicator.CLUSTERS_WITH_WWTP: (IndustrialCluster, {}, unit),
    }


def _admin_url(model, params: dict, request) -> str | None:
    if not (request.user.is_active and request.user.is_staff):
        return None
    model_admin = admin.site._registry.get(model)
    if model_admin is None or not model_admin.has_view_permission(request):
        return None
    for lookup, value in params.items():
        if not model_admin.lookup_allowed(lookup, str(value), request):
            return None
    opts = model._meta
    try:
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    except NoReverseMatch:
        return None
    return f"{url}?{urlencode(params)}" if params else url


@dataclass(frozen=True)
class Cell:
    value: object
    url: str | None
    is_money: bool = False


@dataclass(frozen=True)
class UnitLine:
    unit: object
    cells: list


def unit_cell_links(board, request) -> list[UnitLine]:
    """The dashboard's table by unit, each cell with the admin list behind it."""
    from khuyencong.tables import UNIT_INDICATORS

    plan_id = board.plan.pk if board.plan else None
    targets = _targets(plan_id, board.year)
    # Whether each admin list accepts its filters does not depend on the unit: ask
    # once per indicator, then add the unit.
    allowed = {}
    for code in UNIT_INDICATORS:
        model, params, unit_lookup = targets[code]
        allowed[code] = _admin_url(model, {**params, unit_lookup: 1}, request)
    # The list's address with its filters is the same for every unit: only the
    # unit's id is appended (urlencode per cell cost 30 ms at 700 units).
    prefixes = {}
    for code in UNIT_INDICATORS:
        if allowed[code]:
            model, params, unit_lookup = targets[code]
            base = allowed[code].split("?", 1)[0]
            query = urlencode({**params, unit_lookup: ""})
            prefixes[code] = f"{base}?{query}"
    columns = [
        (code.value, prefixes.get(code), code.value.endswith("_vnd"))
        for code in UNIT_INDICATORS
    ]
    lines = []
    for row in board.units:
        values = row.values
        pk = row.unit.pk
        if getattr(row, "grouped", False):
            # A province standing for its units: the admin lists filter by one
            # unit, so there is no list to link to.
            lines.append(
                UnitLine(
                    row.unit, [Cell(values.get(c), None, m) for c, _, m in columns]
                )
            )
            continue
        lines.append(
            UnitLine(
                row.unit,
                [
                    Cell(values.get(code), f"{prefix}{pk}" if prefix else None, money)
                    for code, prefix, money in columns
                ],
            )
        )
    return lines
