"""The base of every register's admin.

Cross-cutting admin behaviour plugs in here, once, for every register: history of
changes (django-simple-history), import/export (issue 7), protection against lost
updates (issue 11). App admins subclass RegisterAdmin and never re-implement these."""

from django.db import models
from django.db.models import Count, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from simple_history.admin import SimpleHistoryAdmin

from khuyencong.concurrency import ConcurrencyAdminMixin
from khuyencong.importing.admin import RegisterImportExportMixin

def related_count(model: type[models.Model], field: str) -> Coalesce:
    """How many `model` rows point at the outer row through `field`, as a
    correlated subquery. A changelist column counted this way costs one index
    lookup per row on the page; `Count()` over a join groups the whole table
    before the LIMIT, and the date hierarchy and the paginator's count inherit
    that join (bench/README.md)."""
    rows = (
        model._default_manager.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=models.IntegerField()), 0)


def related_sum(model: type[models.Model], field: str, column: str) -> Subquery:
    """The sum of `column` over the `model` rows pointing at the outer row (None
    when there are none); a correlated subquery, see `related_count`."""
    rows = (
        model._default_manager.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(total=Sum(column))
        .values("total")
    )
    return Subquery(rows, output_field=model._meta.get_field(column))


class RegisterAdmin(
    ConcurrencyAdminMixin, RegisterImportExportMixin, SimpleHistoryAdmin
):
    list_per_page = 50
    # Counting every row of a large table on each page is what makes changelists
    # slow at scale; the filtered count is still shown.
    show_full_result_count = False
    save_on_top = True
