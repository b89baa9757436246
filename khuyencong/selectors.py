from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from khuyencong.models import Attachment

Totals = dict[str, Decimal]


@dataclass(frozen=True)
class UnitRef:
    """An administrative unit as figures name it: what a table by unit shows and
    links to. Light to build and to keep in the cache, where the model instance
    of each of 700 units cost 20 ms to pickle for every dashboard."""

    pk: int
    code: str
    name: str
    kind: str
    parent_id: int | None

    @property
    def full_name(self) -> str:
        from khuyencong.models import unit_full_name

        return unit_full_name(self.kind, self.name)

    def __str__(self) -> str:
        return self.full_name

    @classmethod
    def all_of(cls, queryset) -> list["UnitRef"]:
        """The units of an AdministrativeUnit queryset, in its order. One query."""
        return [
            cls(*row)
            for row in queryset.values_list("pk", "code", "name", "kind", "parent_id")
        ]


@dataclass(frozen=True)
class ActualSource:
    """Where the actual of some indicators (DOMAIN.md §5) is counted. Each app's
    ``selectors`` module lists its sources in ``ACTUAL_SOURCES``;
    ``programs.selectors.actual_sources()`` collects them.

    ``totals(*, year, unit=None) -> {indicator: Decimal}``,
    ``by_unit(*, year, per_province=False) -> {unit_id: {indicator: Decimal}}``
    (with `per_province`, keyed by the province above each row's unit:
    ``khuyencong.models.unit_group``) and, optionally,
    ``by_year(*, years, unit=None) -> {year: {indicator: Decimal}}`` run a fixed
    number of queries whatever the data size (and, for `by_year`, whatever the
    number of years: the trend of several years costs what one year costs).
    A source without `by_year` is asked year by year."""

    name: str
    indicators: tuple[str, ...]
    totals: Callable[..., Totals]
    by_unit: Callable[..., dict[int, Totals]]
    by_year: Callable[..., dict[int, Totals]] | None = None


def attachment_visible_to(attachment: Attachment, user) -> bool:
    """A user may download a file when they may see the record it belongs to.

    A model whose manager has `for_user(user)` decides by that row scope; any other
    model needs the user's view permission on it."""
    if not user.is_authenticated or not user.is_active:
        return False
    model = attachment.content_type.model_class()
    if model is None:
        return False
    manager = model._default_manager
    if hasattr(manager, "for_user"):
        return manager.for_user(user).filter(pk=attachment.object_id).exists()
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.view_{opts.model_name}")
