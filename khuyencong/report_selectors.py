"""The composition of the apps' selectors for the leadership dashboard and the public
report pages (khuyencong/selectors.py holds the core's own reads; the apps import
it, so this module, which imports the apps, is kept apart to avoid an import cycle).

khuyencong/views.py renders what these return and computes nothing itself. Every
function here runs a fixed number of queries whatever the number of rows; the
docstrings say how many when it is more than one. Where an app had no selector for
a figure the pages need, the selector is written here and says so."""

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from clusters import selectors as cluster_selectors
from clusters.models import ClusterPlan, IndustrialCluster, WastewaterPlant
from khuyencong.models import AdministrativeUnit, within_unit_q
from khuyencong.numbers import vn_int
from khuyencong.selectors import UnitRef
from programs import selectors as program_selectors
from programs.models import (
    EQUIPMENT_APPROVED_STATES,
    EquipmentProject,
    EquipmentStatus,
    Plan,
    TradeEvent,
    TrainingCourse,
)
from villages import selectors as village_selectors
from villages.models import (
    BrandingCall,
)

ZERO = Decimal("0")


# ------------------------------------------------------------------ the day counted


def reference_day(year: int, *, today: date | None = None) -> date:
    """The day a year's stock figures (clusters operating, plants) are read at: the
    clusters app's rule (31/12 of a past year, today in the running year)."""
    if today is None:
        return cluster_selectors.status_date_for_year(year)
    return min(date(year, 12, 31), today)


def indicator_sources() -> list:
    """Every app's actual sources (programs.selectors collects them)."""
    return list(program_selectors.actual_sources())


# -------------------------------------------------------------- plan against actual


@dataclass(frozen=True)
class IndicatorProgress:
    code: str
    label: str
    measure: str
    target: Decimal | None
    actual: Decimal
    share: Decimal | None

    @property
    def bar(self) -> int:
        """Width of the progress bar, 0 to 100."""
        if self.share is None:
            return 0
        return int(max(ZERO, min(Decimal(100), self.share)))

    @property
    def is_money(self) -> bool:
        return self.code.endswith("_vnd")


def _dec(value) -> Decimal:
    return ZERO if value is None else Decimal(value)


def _progress(rows) -> list[IndicatorProgress]:
    return [
        IndicatorProgress(
            code=row.indicator,
            label=row.label,
            measure=row.measure,
            target=row.target,
            actual=_dec(row.actual),
            share=row.share,
        )
        for row in rows
    ]


@dataclass(frozen=True)
class UnitRow:
    unit: UnitRef
    values: dict
    # A province standing for the units under it (see `spans_provinces`).
    grouped: bool = False


def unit_refs() -> dict[int, UnitRef]:
    """Every administrative unit by primary key. One query."""
    return {
        ref.pk: ref
        for ref in UnitRef.all_of(AdministrativeUnit.objects.order_by("code"))
    }


def spans_provinces(units: dict[int, UnitRef]) -> bool:
    """Whether the registers hold units of several provinces (the same data model
    holding a whole country): more than one top-level unit has units under it.
    Tables by unit then show one summed row per province (63 rows, not 700
    districts); Hà Nội alone keeps its districts and communes."""
    provinces = {
        ref.parent_id
        for ref in units.values()
        if ref.parent_id is not None and units[ref.parent_id].parent_id is None
    }
    return len(provinces) > 1


def unit_rows(
    *,
    year: int,
    unit: AdministrativeUnit | None = None,
    sources=None,
    units: dict[int, UnitRef] | None = None,
) -> list[UnitRow]:
    """Each administrative unit with an actual in the year; with `unit`, only that
    unit and the units directly under it; without, per province when the
    registers span several (`spans_provinces`). One query for the units unless
    given."""
    sources = sources if sources is not None else indicator_sources()
    units = units if units is not None else unit_refs()
    per_province = unit is None and spans_provinces(units)
    rows = program_selectors.actuals_by_unit(
        year=year, sources=sources, units=units, per_province=per_province
    )
    if unit is not None:
        rows = [r for r in rows if r.unit.pk == unit.pk or r.unit.parent_id == unit.pk]
    return [UnitRow(unit=r.unit, values=r.values, grouped=per_province) for r in rows]


@dataclass(frozen=True)
class TrendPoint:
    year: int
    values: dict  # indicator code -> actual
    targets: dict  # indicator code -> target


TREND_YEARS = 6


def plan_years() -> list[int]:
    """Years that have a plan, newest first. One query."""
    return list(Plan.objects.order_by("-year").values_list("year", flat=True))


def progress_and_trends(
    *,
    year: int | None,
    years: Iterable[int],
    unit: AdministrativeUnit | None = None,
    sources=None,
) -> tuple[list[IndicatorProgress], list[TrendPoint]]:
    """The progress of `year` against its plan, and the trend of `years` (the
    newest TREND_YEARS of them, oldest first: actuals and, city-wide, targets),
    counted together: the year shown is almost always one of the trend's years,
    so one pass of the sources serves both, in the queries of one year."""
    sources = sources if sources is not None else indicator_sources()
    trend_years = sorted(years)[-TREND_YEARS:]
    wanted = set(trend_years) | ({year} if year is not None else set())
    by_year = {
        y: _progress(rows)
        for y, rows in program_selectors.plan_vs_actual_by_year(
            years=wanted, unit=unit, sources=sources
        ).items()
    }
    points = [
        TrendPoint(
            year=y,
            values={r.code: r.actual for r in by_year[y]},
            targets={r.code: r.target for r in by_year[y] if r.target is not None},
        )
        for y in trend_years
    ]
    return (by_year[year] if year is not None else []), points


# ------------------------------------------------------------------------ pipelines


@dataclass(frozen=True)
class PipelineStep:
    status: str
    label: str
    count: int


def equipment_pipeline(
    *, year: int, unit: AdministrativeUnit | None = None
) -> list[PipelineStep]:
    """Equipment projects of the year by workflow state, every state listed.
    (Written here: the equipment selectors had none when the dashboard was built.)"""
    counts = dict(
        EquipmentProject.objects.of_year(year)
        .filter(within_unit_q(unit, "establishment__administrative_unit"))
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    return [
        PipelineStep(state.value, str(state.label), counts.get(state.value, 0))
        for state in EquipmentStatus
    ]


def branding_pipeline(
    *, year: int, unit: AdministrativeUnit | None = None
) -> list[PipelineStep]:
    """Branding applications of the year's calls by state, every state listed."""
    return [
        PipelineStep(r.status, r.label, r.count)
        for r in village_selectors.branding_pipeline(year=year, unit=unit)
    ]


# ------------------------------------------------------------------------ deadlines


@dataclass(frozen=True)
class Deadline:
    day: date
    what: str
    detail: str


DEADLINE_HORIZON_DAYS = 60
DEADLINE_LIMIT = 10


def upcoming_deadlines(
    *, unit: AdministrativeUnit | None = None, today: date | None = None
) -> list[Deadline]:
    """Branding call deadlines, course ends and trade fairs of the coming weeks,
    soonest first. Three queries."""
    today = today or timezone.localdate()
    until = today + timedelta(days=DEADLINE_HORIZON_DAYS)
    items: list[Deadline] = []
    for call in BrandingCall.objects.filter(
        deadline__gte=today, deadline__lte=until
    ).order_by("deadline")[:DEADLINE_LIMIT]:
        items.append(Deadline(call.deadline, "Hạn nộp hồ sơ thương hiệu", call.title))
    for course in (
        TrainingCourse.objects.filter(within_unit_q(unit), end_date__gte=today)
        .filter(end_date__lte=until)
        .exclude(status=TrainingCourse.Status.CANCELLED)
        .select_related("administrative_unit")
        .order_by("end_date")[:DEADLINE_LIMIT]
    ):
        items.append(
            Deadline(
                course.end_date,
                "Lớp đào tạo kết thúc",
                f"{course.title} ({course.administrative_unit.name})",
            )
        )
    for event in (
        TradeEvent.objects.filter(within_unit_q(unit), start_date__gte=today)
        .filter(start_date__lte=until)
        .order_by("start_date")[:DEADLINE_LIMIT]
    ):
        items.append(
            Deadline(event.start_date, "Hội chợ, triển lãm khai mạc", event.name)
        )
    items.sort(key=lambda d: d.day)
    return items[:DEADLINE_LIMIT]


# ------------------------------------------------------------------------- clusters


@dataclass(frozen=True)
class ClusterFigures:
    on: date
    plan_title: str
    in_plan: int
    operating: int
    established: int
    established_by_year: tuple[tuple[int, int], ...]  # (year, count), oldest first
    with_plant: int
    plants: int
    investor_clusters: int
    investor_plants: int
    city_clusters: int
    city_plants: int
    city_documents: tuple[str, ...]  # "7209/QĐ-UBND ngày 02/12/2013"
    status_counts: object = None  # clusters.selectors.ClusterStatusCounts

    @property
    def city_documents_text(self) -> str:
        """The City's decisions as a sentence names them: every one up to
        DOCUMENTS_NAMED, then the first of them and how many more (a whole
        country's register holds dozens)."""
        documents = self.city_documents
        if len(documents) <= DOCUMENTS_NAMED:
            return ", ".join(documents)
        shown = ", ".join(documents[:DOCUMENTS_NAMED])
        more = vn_int(len(documents) - DOCUMENTS_NAMED)
        return _("%(shown)s và %(more)s quyết định khác") % {
            "shown": shown,
            "more": more,
        }


DOCUMENTS_NAMED = 5


def _document_label(number: str, issued_on: date | None) -> str:
    if issued_on is None:
        return number
    return f"{number} ngày {issued_on:%d/%m/%Y}"


def cluster_figures(
    *, year: int, unit: AdministrativeUnit | None = None, on: date | None = None
) -> ClusterFigures:
    """The cluster paragraph of a year: the plan, operating clusters, new clusters of
    the year and the year before, clusters served by a central wastewater plant and
    who built the plants. Four queries."""
    on = on or reference_day(year)
    plan = ClusterPlan.objects.in_force_on(on).order_by("-effective_from").first()
    counts = cluster_selectors.cluster_status_counts(
        on=on, unit=unit, established_in=[year - 1, year]
    )
    established = counts.established_by_year
    plants = cluster_selectors.wastewater_plants_by_builder(on=on, unit=unit)
    investor = plants.row(WastewaterPlant.BuiltBy.INVESTOR)
    city = plants.row(WastewaterPlant.BuiltBy.CITY)
    documents = (
        WastewaterPlant.objects.operating_on(on)
        .filter(built_by=WastewaterPlant.BuiltBy.CITY, decision__isnull=False)
        .filter(
            cluster_links__cluster__in=IndustrialCluster.objects.filter(
                within_unit_q(unit)
            )
        )
        .values_list("decision__number", "decision__issued_on")
        .distinct()
        .order_by("decision__number")
    )
    return ClusterFigures(
        on=on,
        plan_title=plan.title if plan else "",
        in_plan=counts.in_plan,
        operating=counts.operating,
        established=established.get(year, 0),
        established_by_year=tuple(sorted(established.items())),
        with_plant=plants.clusters,
        plants=plants.plants,
        investor_clusters=investor.clusters,
        investor_plants=investor.plants,
        city_clusters=city.clusters,
        city_plants=city.plants,
        city_documents=tuple(
            _document_label(number, issued) for number, issued in documents
        ),
        status_counts=counts,
    )


# --------------------------------------------------------------------- annual report


@dataclass(frozen=True)
class AnnualReport:
    year: int
    plan_document: str | None
    plan_document_date: date | None
    plan_budget: Decimal | None
    indicators: dict  # code -> IndicatorProgress
    progress: list  # IndicatorProgress, in the order of Indicator
    equipment_forwarded: int
    branding_deadline: date | None
    branding_villages: int
    branding_units: list[str]
    clusters: ClusterFigures
    units: list = field(default_factory=list)  # UnitRow
    trend: list = field(default_factory=list)  # TrendPoint
    has_plan: bool = False

    @property
    def has_data(self) -> bool:
        """A plan, or something the registers counted for the year. Clusters are a
        stock, present in every year: they alone do not make a year's report."""
        return self.has_plan or any(
            p.actual for p in self.progress if not p.code.startswith("clusters_")
        )


FORWARDED_OR_LATER = (EquipmentStatus.FORWARDED, *EQUIPMENT_APPROVED_STATES)


def equipment_forwarded(*, year: int, unit: AdministrativeUnit | None = None) -> int:
    """Projects of the year in the list forwarded to the City, or further along
    (approved, implementing, accepted, settled). Written here: the equipment selectors
    had none when the report was built."""
    return (
        EquipmentProject.objects.of_year(year)
        .filter(status__in=FORWARDED_OR_LATER)
        .filter(within_unit_q(unit, "establishment__administrative_unit"))
        .count()
    )


@dataclass(frozen=True)
class BrandingFigures:
    deadline: date | None
    villages: int
    unit_names: list[str]


def branding_figures(*, year: int) -> BrandingFigures:
    """Villages registered (submitted or later, never drafts) in the year's calls,
    the units they belong to, and the calls' deadline. Two queries."""
    deadline = (
        BrandingCall.objects.filter(year=year)
        .order_by("-deadline")
        .values_list("deadline", flat=True)
        .first()
    )
    rows = village_selectors.branding_by_unit(year=year)
    return BrandingFigures(
        deadline=deadline,
        villages=sum(r.villages for r in rows),
        unit_names=[r.unit_name for r in rows],
    )


def annual_report(*, year: int) -> AnnualReport:
    """Everything the public report of a year states. A fixed number of queries."""
    sources = indicator_sources()
    plan = Plan.objects.select_related("document").filter(year=year).first()
    progress, trend = progress_and_trends(
        year=year,
        years=[y for y in plan_years() if y <= year] or [year],
        sources=sources,
    )
    branding = branding_figures(year=year)
    return AnnualReport(
        year=year,
        plan_document=plan.document.number if plan and plan.document_id else None,
        plan_document_date=(
            plan.document.issued_on if plan and plan.document_id else None
        ),
        plan_budget=plan.total_budget if plan else None,
        indicators={p.code: p for p in progress},
        progress=progress,
        equipment_forwarded=equipment_forwarded(year=year),
        branding_deadline=branding.deadline,
        branding_villages=branding.villages,
        branding_units=branding.unit_names,
        clusters=cluster_figures(year=year),
        units=unit_rows(year=year, sources=sources),  # one query for the units
        trend=trend,
        has_plan=plan is not None,
    )


# ------------------------------------------------------------------------ dashboard


@dataclass(frozen=True)
class Dashboard:
    year: int
    years: list[int]
    unit: AdministrativeUnit | None
    plan: Plan | None
    progress: list
    units: list
    trend: list
    equipment_pipeline: list
    branding_pipeline: list
    deadlines: list
    clusters: ClusterFigures
    cluster_units: list = field(default_factory=list)
    # The tables by unit show one row per province (`spans_provinces`).
    per_province: bool = False


def _given(values: dict):
    def by_unit(*, year: int, per_province: bool = False) -> dict:
        return values

    return by_unit


def dashboard(
    *, year: int, unit: AdministrativeUnit | None = None, today: date | None = None
) -> Dashboard:
    """The leadership dashboard; with `unit` (a district officer), that unit only.
    A fixed number of queries for a given number of plan years."""
    sources = indicator_sources()
    # Every plan (a row a year) with its document: the years to choose from and
    # the year's plan, in one query.
    plans = list(Plan.objects.select_related("document").order_by("-year"))
    years = [p.year for p in plans]
    progress, trend = progress_and_trends(
        year=year, years=years or [year], unit=unit, sources=sources
    )
    on = reference_day(year, today=today)
    units = unit_refs()
    per_province = unit is None and spans_provinces(units)
    cluster_units = cluster_selectors.cluster_totals_by_unit(
        on=on, year=year, per_province=per_province
    )
    if on == cluster_selectors.status_date_for_year(year):
        # The clusters' source would count these same rows again for the table
        # by unit: it is given them instead (one query, 10 ms at national size).
        sources = [
            replace(s, by_unit=_given(cluster_selectors.unit_values(cluster_units)))
            if s.by_unit is cluster_selectors.cluster_by_unit
            else s
            for s in sources
        ]
    if unit is not None:
        cluster_units = [r for r in cluster_units if r.unit_id == unit.pk]
    return Dashboard(
        year=year,
        years=years,
        unit=unit,
        plan=next((p for p in plans if p.year == year), None),
        progress=progress,
        units=unit_rows(year=year, unit=unit, sources=sources, units=units),
        trend=trend,
        equipment_pipeline=equipment_pipeline(year=year, unit=unit),
        branding_pipeline=branding_pipeline(year=year, unit=unit),
        deadlines=upcoming_deadlines(unit=unit, today=today),
        clusters=cluster_figures(year=year, unit=unit),
        cluster_units=cluster_units,
        per_province=per_province,
    )


# ---------------------------------------------------------------------- public lists
# What the public may read: no personal data (representatives, phones, ID numbers,
# contacts), no drafts and no internal comments (notes, survey and review remarks).
# Written here: the apps had no public list selectors when the pages were built.


def public_clusters(*, today: date | None = None):
    """Clusters with their status, occupancy and central wastewater plant today.
    One query (plus the paginator's count)."""
    today = today or timezone.localdate()
    return (
        IndustrialCluster.objects.select_related("administrative_unit")
        .with_status(today, name="status_today")
        .with_occupancy()
        .with_wwtp(today, name="has_wwtp_today")
        .defer("note")
        .order_by("administrative_unit__code", "name")
    )


def public_villages():
    from villages.models import CraftVillage

    return CraftVillage.objects.select_related(
        "administrative_unit", "recognition_document"
    ).order_by("administrative_unit__code", "name")


def public_projects():
    """Projects approved or further along: the support the City decided. Never a
    project still under review or rejected."""
    return (
        EquipmentProject.objects.filter(status__in=EQUIPMENT_APPROVED_STATES)
        .select_related(
            "plan", "establishment", "establishment__administrative_unit", "decision"
        )
        .defer("survey_notes", "acceptance_notes", "rejection_reason")
        .order_by("-plan__year", "establishment__administrative_unit__code", "title")
    )


def public_events():
    return (
        TradeEvent.objects.select_related("plan", "administrative_unit")
        .defer("note")
        .order_by("-start_date", "name")
    )
