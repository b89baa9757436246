"""Plan against actual (DOMAIN.md §5): actuals are counted from the registers, never
typed in, so a dashboard cannot disagree with the data behind it.

Each register that counts indicators contributes an *actual source*: an object with

- ``indicators``: the indicator codes it counts;
- ``totals(*, year, unit=None) -> dict[code, Decimal]``: a fixed number of queries;
- ``by_unit(*, year, per_province=False) -> dict[unit_id, dict[code, Decimal]]``:
  one grouped query per aggregate, whatever the number of units; with
  `per_province`, grouped by the province above each row's unit
  (``khuyencong.models.unit_group``).

This app's sources are in ``ACTUAL_SOURCES`` below. Another app (villages, clusters,
the equipment projects of this app) plugs its own in by defining a module-level
``ACTUAL_SOURCES`` iterable in its ``selectors`` module; `actual_sources()` collects
them from every installed app. An indicator counted by several sources (budget_vnd:
courses, events and equipment projects) is their sum.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import import_module

from django.apps import apps
from django.db.models import Count, Q, Sum
from django.utils.module_loading import module_has_submodule

from khuyencong import prepared
from khuyencong.models import AdministrativeUnit, unit_group, within_unit_q
from khuyencong.selectors import ActualSource, Totals, UnitRef
from programs.indicators import Indicator
from programs.models import (
    CRAFT_KINDS,
    MANAGEMENT_KINDS,
    EquipmentProject,
    PlanTarget,
    TradeEvent,
    TrainingCourse,
)

ZERO = Decimal("0")


@dataclass(frozen=True)
class PlanVsActualRow:
    indicator: str
    label: str
    measure: str
    target: Decimal | None
    actual: Decimal | None
    share: Decimal | None = None  # actual ÷ target, in per cent (one decimal)


@dataclass(frozen=True)
class UnitActuals:
    unit: UnitRef
    values: Totals = field(default_factory=dict)


def in_unit(unit: AdministrativeUnit | None, path: str = "administrative_unit") -> Q:
    """Rows of a unit and of the units directly under it; every row when None."""
    return within_unit_q(unit, path)


def _dec(value) -> Decimal:
    return ZERO if value is None else Decimal(value)


# ------------------------------------------------------------------ courses


def _courses(year: int):
    return TrainingCourse.objects.of_year(year).not_cancelled()


def _per_year(
    key: str, queryset, *, years: Iterable[int], unit, aggregates: dict
) -> dict[int, Totals]:
    """{year: totals} of `queryset()` (rows with a plan, of `unit`), grouped by the
    plan's year in one query; a year without rows is present with zeros. Compiled
    once per process for `key`, the years and the unit (khuyencong.prepared)."""
    wanted = sorted(set(years))
    names = [str(k) for k in aggregates]
    out = {year: dict.fromkeys(names, ZERO) for year in wanted}
    found = prepared.rows(
        (key, tuple(wanted), prepared.id_of(unit)),
        lambda: (
            queryset()
            .filter(plan__year__in=wanted)
            .order_by()
            .values("plan__year")
            .annotate(**aggregates)
            .values_list("plan__year", *aggregates)
        ),
    )
    for year, *values in found:
        out[year] = {k: _dec(v) for k, v in zip(names, values, strict=True)}
    return out


CRAFT = Q(kind__in=CRAFT_KINDS)
MGMT = Q(kind__in=MANAGEMENT_KINDS)


def _course_aggregates() -> dict:
    # Participants are summed from the courses' kept counts
    # (programs.participant_counts), not counted row by row. Every column here is
    # in course_year_totals_idx (courses are counted by their non-null `kind`,
    # not their id), so PostgreSQL answers from the index alone.
    return {
        Indicator.CRAFT_CLASSES.value: Count("kind", filter=CRAFT),
        Indicator.MGMT_COURSES.value: Count("kind", filter=MGMT),
        Indicator.CRAFT_TRAINEES.value: Sum("participant_count", filter=CRAFT),
        Indicator.MGMT_PARTICIPANTS.value: Sum("participant_count", filter=MGMT),
        Indicator.CRAFT_EMPLOYED.value: Sum("employed_after", filter=CRAFT),
        Indicator.BUDGET_VND.value: Sum("support_budget"),
    }


def course_totals(*, year: int, unit: AdministrativeUnit | None = None) -> Totals:
    """One query."""
    row = _courses(year).filter(in_unit(unit)).aggregate(**_course_aggregates())
    return {str(k): _dec(v) for k, v in row.items()}


def course_totals_by_year(
    *, years: Iterable[int], unit: AdministrativeUnit | None = None
) -> dict[int, Totals]:
    """One query."""
    return _per_year(
        "course_totals_by_year",
        lambda: TrainingCourse.objects.not_cancelled().filter(in_unit(unit)),
        years=years,
        unit=unit,
        aggregates=_course_aggregates(),
    )


def _by_unit(
    key: str,
    queryset,
    *,
    year: int,
    per_province: bool,
    aggregates: dict,
    path="administrative_unit",
) -> dict[int, Totals]:
    """{unit id: totals} of `queryset()` (rows of `year`) grouped by the rows' unit
    (`path`), or by the province above it (`unit_group`), in one query compiled
    once per process for `key`, the year and the grouping (khuyencong.prepared)."""
    names = [str(k) for k in aggregates]
    found = prepared.rows(
        (key, year, per_province),
        lambda: (
            queryset()
            .order_by()
            .values(_unit=unit_group(path, per_province=per_province))
            .annotate(**aggregates)
            .values_list("_unit", *aggregates)
        ),
    )
    return {
        unit_id: {k: _dec(v) for k, v in zip(names, values, strict=True)}
        for unit_id, *values in found
    }


def course_totals_by_unit(
    *, year: int, per_province: bool = False
) -> dict[int, Totals]:
    """One grouped query."""
    return _by_unit(
        "course_totals_by_unit",
        lambda: _courses(year),
        year=year,
        per_province=per_province,
        aggregates=_course_aggregates(),
    )


# ------------------------------------------------------------------- events


def _event_aggregates() -> dict:
    return {
        Indicator.TRADE_EVENTS.value: Count("pk"),
        Indicator.BUDGET_VND.value: Sum("support_amount"),
    }


def event_totals(*, year: int, unit: AdministrativeUnit | None = None) -> Totals:
    """One query. With a unit: the events held in it (city-wide events have none)."""
    row = TradeEvent.objects.of_year(year).filter(in_unit(unit))
    return {str(k): _dec(v) for k, v in row.aggregate(**_event_aggregates()).items()}


def event_totals_by_year(
    *, years: Iterable[int], unit: AdministrativeUnit | None = None
) -> dict[int, Totals]:
    """One query."""
    return _per_year(
        "event_totals_by_year",
        lambda: TradeEvent.objects.filter(in_unit(unit)),
        years=years,
        unit=unit,
        aggregates=_event_aggregates(),
    )


def event_totals_by_unit(*, year: int, per_province: bool = False) -> dict[int, Totals]:
    """One grouped query; events without a unit (city-wide) are left out."""
    return _by_unit(
        "event_totals_by_unit",
        lambda: TradeEvent.objects.of_year(year).filter(
            administrative_unit__isnull=False
        ),
        year=year,
        per_province=per_province,
        aggregates=_event_aggregates(),
    )


# ------------------------------------------------------------ equipment projects


def _equipment_aggregates() -> dict:
    # Counted from the workflow states: projects approved or later and the support
    # approved for them (DOMAIN.md §5). Projects are counted by their non-null
    # status, which with the support and the establishment is in
    # equipment_year_totals_idx: PostgreSQL answers from the index.
    return {
        Indicator.EQUIPMENT_PROJECTS.value: Count("status"),
        Indicator.EQUIPMENT_SUPPORT_VND.value: Sum("approved_support"),
        Indicator.BUDGET_VND.value: Sum("approved_support"),
    }


def _equipment(year: int):
    return EquipmentProject.objects.of_year(year).approved_or_later()


def equipment_totals(*, year: int, unit: AdministrativeUnit | None = None) -> Totals:
    """One query. With a unit: projects of establishments in it."""
    row = (
        _equipment(year)
        .filter(in_unit(unit, "establishment__administrative_unit"))
        .aggregate(**_equipment_aggregates())
    )
    return {str(k): _dec(v) for k, v in row.items()}


def equipment_totals_by_year(
    *, years: Iterable[int], unit: AdministrativeUnit | None = None
) -> dict[int, Totals]:
    """One query."""
    return _per_year(
        "equipment_totals_by_year",
        lambda: EquipmentProject.objects.approved_or_later().filter(
            in_unit(unit, "establishment__administrative_unit")
        ),
        years=years,
        unit=unit,
        aggregates=_equipment_aggregates(),
    )


def equipment_totals_by_unit(
    *, year: int, per_province: bool = False
) -> dict[int, Totals]:
    """One grouped query, by the establishment's unit."""
    return _by_unit(
        "equipment_totals_by_unit",
        lambda: _equipment(year),
        year=year,
        per_province=per_province,
        aggregates=_equipment_aggregates(),
        path="establishment__administrative_unit",
    )


ACTUAL_SOURCES: tuple[ActualSource, ...] = (
    ActualSource(
        name="programs.training",
        indicators=(
            Indicator.CRAFT_CLASSES,
            Indicator.CRAFT_TRAINEES,
            Indicator.CRAFT_EMPLOYED,
            Indicator.MGMT_COURSES,
            Indicator.MGMT_PARTICIPANTS,
            Indicator.BUDGET_VND,
        ),
        totals=course_totals,
        by_unit=course_totals_by_unit,
        by_year=course_totals_by_year,
    ),
    ActualSource(
        name="programs.trade_events",
        indicators=(Indicator.TRADE_EVENTS, Indicator.BUDGET_VND),
        totals=event_totals,
        by_unit=event_totals_by_unit,
        by_year=event_totals_by_year,
    ),
    ActualSource(
        name="programs.equipment",
        indicators=(
            Indicator.EQUIPMENT_PROJECTS,
            Indicator.EQUIPMENT_SUPPORT_VND,
            Indicator.BUDGET_VND,
        ),
        totals=equipment_totals,
        by_unit=equipment_totals_by_unit,
        by_year=equipment_totals_by_year,
    ),
)


# ----------------------------------------------------------------- registry


def actual_sources() -> list:
    """This app's sources and those of every installed app's ``selectors`` module."""
    sources: list = list(ACTUAL_SOURCES)
    for config in apps.get_app_configs():
        if config.name == __package__ or not module_has_submodule(
            config.module, "selectors"
        ):
            continue
        module = import_module(f"{config.name}.selectors")
        sources.extend(getattr(module, "ACTUAL_SOURCES", ()))
    return sources


def _merge(into: Totals, values: Totals) -> None:
    for code, value in values.items():
        if type(value) is not Decimal:
            value = _dec(value)
        current = into.get(code)
        into[code] = value if current is None else current + value


def indicator_actuals_by_year(
    *,
    years: Iterable[int],
    unit: AdministrativeUnit | None = None,
    sources: Iterable = (),
) -> dict[int, Totals]:
    """{year: actual of every counted indicator} for several years at once (and a
    unit and the units under it). Each source answers for all the years in its
    fixed number of queries (`by_year`), or year by year if it has no `by_year`."""
    years = sorted(set(years))
    actuals: dict[int, Totals] = {year: {} for year in years}
    for source in sources or actual_sources():
        if getattr(source, "by_year", None) is not None:
            per_year = source.by_year(years=years, unit=unit)
        else:
            per_year = {year: source.totals(year=year, unit=unit) for year in years}
        for year in years:
            _merge(actuals[year], per_year.get(year, {}))
    return actuals


def indicator_actuals(
    *, year: int, unit: AdministrativeUnit | None = None, sources: Iterable = ()
) -> Totals:
    """Actual of every counted indicator for a year (and a unit and the units under
    it). Indicators no source counts are absent. A fixed number of queries."""
    return indicator_actuals_by_year(years=[year], unit=unit, sources=sources)[year]


def plan_vs_actual_by_year(
    *,
    years: Iterable[int],
    unit: AdministrativeUnit | None = None,
    sources: Iterable = (),
) -> dict[int, list[PlanVsActualRow]]:
    """`plan_vs_actual` of several years, in the queries of one: one for the
    targets plus the sources' fixed number."""
    years = sorted(set(years))
    targets: dict[int, dict[str, Decimal]] = {year: {} for year in years}
    if unit is None:
        for year, indicator, value in PlanTarget.objects.filter(
            plan__year__in=years
        ).values_list("plan__year", "indicator", "target_value"):
            targets[year][indicator] = value
    actuals = indicator_actuals_by_year(years=years, unit=unit, sources=sources)
    return {year: _rows(targets[year], actuals[year]) for year in years}


def plan_vs_actual(
    *, year: int, unit: AdministrativeUnit | None = None, sources: Iterable = ()
) -> list[PlanVsActualRow]:
    """One row per indicator, in the order of `Indicator`.

    Targets belong to the City's plan: they are given for the whole city only
    (unit None); a unit's rows carry its actuals with no target. One query for the
    targets plus the sources' fixed number."""
    return plan_vs_actual_by_year(years=[year], unit=unit, sources=sources)[year]


def _rows(targets: dict[str, Decimal], actuals: Totals) -> list[PlanVsActualRow]:
    rows = []
    for indicator in Indicator:
        target = targets.get(indicator.value)
        actual = actuals.get(indicator.value)
        share = None
        if target and actual is not None:
            share = (actual * 100 / target).quantize(Decimal("0.1"))
        rows.append(
            PlanVsActualRow(
                indicator=indicator.value,
                label=str(indicator.label),
                measure=str(indicator.measure),
                target=target,
                actual=actual,
                share=share,
            )
        )
    return rows


def actuals_by_unit(
    *,
    year: int,
    sources: Iterable = (),
    units: dict[int, UnitRef] | None = None,
    per_province: bool = False,
) -> list[UnitActuals]:
    """Each unit that has an actual in the year, with its values, ordered by the
    unit's official code; with `per_province`, each province, its values summed
    over the units under it. One grouped query per source aggregate, plus one for
    the units unless they are given (`units`: every unit by primary key)."""
    per_unit: dict[int, Totals] = defaultdict(dict)
    for source in sources or actual_sources():
        for unit_id, values in source.by_unit(
            year=year, per_province=per_province
        ).items():
            if unit_id is not None:
                _merge(per_unit[unit_id], values)
    # Every unit (a few hundred rows), picked here: an IN of 700 ids costs more
    # to build and to plan than the rows it leaves out.
    if units is None:
        ordered = UnitRef.all_of(AdministrativeUnit.objects.order_by("code"))
    else:
        ordered = sorted(units.values(), key=lambda u: u.code)
    return [
        UnitActuals(unit=unit, values=per_unit[unit.pk])
        for unit in ordered
        if unit.pk in per_unit
    ]
