"""Reads for the portal, the admin and the dashboards (fixed number of queries)."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q

from khuyencong import prepared
from khuyencong.models import (
    AdministrativeUnit,
    Attachment,
    WorkflowLog,
    unit_group,
    within_unit_q,
)
from khuyencong.selectors import ActualSource, Totals
from villages.models import (
    SUBMITTED_OR_LATER,
    ApplicationStatus,
    BrandingActivity,
    BrandingApplication,
)

SNAPSHOT_FIELDS = ("village", "contact_name", "contact_phone", "note")


def _money(value) -> str:
    return "" if value is None else str(int(value))


def application_snapshot(application: BrandingApplication) -> dict:
    """What the officer submitted: fields, activities with costs, document list.
    Stored in the submit step's WorkflowLog.data so that staff can compare."""
    opts = BrandingApplication._meta
    fields = {}
    for name in SNAPSHOT_FIELDS:
        field = opts.get_field(name)
        value = getattr(application, name)
        fields[name] = {
            "label": str(field.verbose_name),
            "value": "" if value is None else str(value),
        }
    activities = {
        a.kind: {
            "label": a.get_kind_display(),
            "cost": _money(a.cost),
            "description": a.description,
        }
        for a in BrandingActivity.objects.filter(application=application)
    }
    documents = [
        {
            "uid": str(d.uid),
            "name": d.original_name,
            "title": d.title,
            "kind": d.get_kind_display(),
            "size": d.size,
        }
        for d in Attachment.objects.for_object(application)
    ]
    return {"fields": fields, "activities": activities, "documents": documents}


@dataclass(frozen=True)
class Change:
    what: str
    before: str
    after: str


def _vnd_text(raw: str) -> str:
    from villages.models import _vnd

    return f"{_vnd(int(raw))} đồng" if raw else ""


def snapshot_diff(before: dict, after: dict) -> list[Change]:
    changes = []
    for name, item in after.get("fields", {}).items():
        old = before.get("fields", {}).get(name, {}).get("value", "")
        if old != item["value"]:
            changes.append(Change(item["label"], old, item["value"]))
    old_acts = before.get("activities", {})
    new_acts = after.get("activities", {})
    for kind in sorted(set(old_acts) | set(new_acts)):
        old, new = old_acts.get(kind), new_acts.get(kind)
        label = (new or old)["label"]
        if old is None:
            changes.append(Change(label, "", _vnd_text(new["cost"])))
        elif new is None:
            changes.append(Change(label, _vnd_text(old["cost"]), ""))
        elif (old["cost"], old["description"]) != (new["cost"], new["description"]):
            changes.append(
                Change(
                    label,
                    " ".join(
                        filter(None, [_vnd_text(old["cost"]), old["description"]])
                    ),
                    " ".join(
                        filter(None, [_vnd_text(new["cost"]), new["description"]])
                    ),
                )
            )
    old_docs = {d["uid"]: d for d in before.get("documents", [])}
    new_docs = {d["uid"]: d for d in after.get("documents", [])}
    for uid, doc in new_docs.items():
        if uid not in old_docs:
            changes.append(
                Change(f"Tài liệu: {doc['kind']}", "", doc["title"] or doc["name"])
            )
    for uid, doc in old_docs.items():
        if uid not in new_docs:
            changes.append(
                Change(f"Tài liệu: {doc['kind']}", doc["title"] or doc["name"], "")
            )
    return changes


def submission_logs(application: BrandingApplication) -> list[WorkflowLog]:
    from villages.workflow import SUBMIT_STEPS

    return list(
        WorkflowLog.objects.for_object(application)
        .filter(transition__in=SUBMIT_STEPS)
        .select_related("by")
        .order_by("at", "pk")
    )


def application_changes(application: BrandingApplication) -> list[Change] | None:
    """What changed between the last two submissions (None: submitted once or
    never)."""
    logs = submission_logs(application)
    if len(logs) < 2:
        return None
    before = logs[-2].data.get("snapshot", {})
    after = logs[-1].data.get("snapshot", {})
    return snapshot_diff(before, after)


def last_return_comment(application: BrandingApplication) -> str:
    log = (
        WorkflowLog.objects.for_object(application)
        .filter(to_state=ApplicationStatus.NEEDS_SUPPLEMENT)
        .order_by("-at", "-pk")
        .first()
    )
    return log.comment if log else ""


def _registered(*, year: int):
    return BrandingApplication.objects.filter(
        call__year=year, status__in=SUBMITTED_OR_LATER
    )


def _unit_filter(unit: AdministrativeUnit) -> Q:
    return within_unit_q(unit)


def branding_villages(*, year: int, unit: AdministrativeUnit | None = None) -> int:
    """Indicator branding_villages: distinct villages with an application in a call
    of that year, submitted or in any later workflow state (never drafts). One
    query."""
    qs = _registered(year=year)
    if unit is not None:
        qs = qs.filter(_unit_filter(unit))
    return qs.aggregate(n=Count("village", distinct=True))["n"]


@dataclass(frozen=True)
class PipelineRow:
    status: str
    label: str
    count: int


def branding_pipeline(
    *, year: int, unit: AdministrativeUnit | None = None
) -> list[PipelineRow]:
    """Applications of the year's calls by workflow state, every state listed;
    with `unit`, that unit's and its communes'. One query."""
    qs = BrandingApplication.objects.filter(call__year=year)
    if unit is not None:
        qs = qs.filter(_unit_filter(unit))
    counts = dict(qs.values_list("status").annotate(n=Count("pk")).order_by())
    return [
        PipelineRow(state.value, str(state.label), counts.get(state.value, 0))
        for state in ApplicationStatus
    ]


@dataclass(frozen=True)
class UnitRow:
    unit_id: int
    unit_code: str
    unit_name: str
    villages: int
    applications: int
    approved: int


def branding_by_unit(*, year: int) -> list[UnitRow]:
    """Registered villages and applications per unit (submitted or later)."""
    approved_states = (ApplicationStatus.APPROVED, ApplicationStatus.DONE)
    rows = (
        _registered(year=year)
        .values(
            "administrative_unit_id",
            "administrative_unit__code",
            "administrative_unit__name",
        )
        .annotate(
            villages=Count("village", distinct=True),
            applications=Count("pk"),
            approved=Count("pk", filter=Q(status__in=approved_states)),
        )
        .order_by("administrative_unit__code")
    )
    return [
        UnitRow(
            r["administrative_unit_id"],
            r["administrative_unit__code"],
            r["administrative_unit__name"],
            r["villages"],
            r["applications"],
            r["approved"],
        )
        for r in rows
    ]


def _branding_totals(*, year: int, unit: AdministrativeUnit | None = None) -> Totals:
    return {"branding_villages": Decimal(branding_villages(year=year, unit=unit))}


def _branding_by_year(
    *, years: Iterable[int], unit: AdministrativeUnit | None = None
) -> dict[int, Totals]:
    """branding_villages of several years in one query (same rule as
    `branding_villages`)."""
    wanted = sorted(set(years))

    def build():
        qs = BrandingApplication.objects.filter(
            call__year__in=wanted, status__in=SUBMITTED_OR_LATER
        )
        if unit is not None:
            qs = qs.filter(_unit_filter(unit))
        return (
            qs.order_by()
            .values_list("call__year")
            .annotate(n=Count("village", distinct=True))
        )

    counts = dict(
        prepared.rows(("branding_by_year", tuple(wanted), prepared.id_of(unit)), build)
    )
    return {
        year: {"branding_villages": Decimal(counts.get(year, 0))} for year in wanted
    }


def _branding_by_unit(*, year: int, per_province: bool = False) -> dict[int, Totals]:
    """branding_villages by unit (or province) in one grouped query."""
    rows = prepared.rows(
        ("branding_by_unit", year, per_province),
        lambda: (
            _registered(year=year)
            .order_by()
            .values(_unit=unit_group(per_province=per_province))
            .annotate(n=Count("village", distinct=True))
            .values_list("_unit", "n")
        ),
    )
    return {unit_id: {"branding_villages": Decimal(n)} for unit_id, n in rows}


ACTUAL_SOURCES = (
    ActualSource(
        name="villages.branding",
        indicators=("branding_villages",),
        totals=_branding_totals,
        by_unit=_branding_by_unit,
        by_year=_branding_by_year,
    ),
)
