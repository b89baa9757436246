"""The base of every register's admin.

Cross-cutting admin behaviour plugs in here, once, for every register: history of
changes (django-simple-history), import/export (issue 7), protection against lost
updates (issue 11). App admins subclass RegisterAdmin and never re-implement these."""

from django.core.paginator import Paginator
from django.db import connections, models
from django.db.models import Count, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.functional import cached_property
from simple_history.admin import SimpleHistoryAdmin

from khuyencong.admin_keyset import KeysetChangeList
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


# Above this many rows an unfiltered list shows PostgreSQL's estimate of the
# table's size instead of counting it on every page.
ESTIMATE_ABOVE = 100_000


class LargeTablePaginator(Paginator):
    """A paginator that does not count a whole large table on every page.

    An unfiltered list on PostgreSQL reads the planner's row estimate (pg_class,
    kept by ANALYZE/autovacuum) and counts exactly only when the table is small,
    in ONE query either way; a filtered or searched list is counted exactly, as
    the user asked for those rows. COUNT(*) of two million participants costs
    175 ms per page; the estimate costs nothing (bench/README.md)."""

    estimated = False  # True when `count` is the planner's estimate

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        query = getattr(queryset, "query", None)
        if query is None or query.where or query.combinator or query.distinct:
            return super().count
        db = queryset.db
        connection = connections[db]
        if connection.vendor != "postgresql":
            return super().count
        table = connection.ops.quote_name(queryset.model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT CASE WHEN c.reltuples > %s THEN c.reltuples::bigint "
                f"ELSE (SELECT COUNT(*) FROM {table}) END, "  # noqa: S608
                "c.reltuples > %s "
                "FROM pg_class c WHERE c.oid = %s::regclass",
                [ESTIMATE_ABOVE, ESTIMATE_ABOVE, queryset.model._meta.db_table],
            )
            count, self.estimated = cursor.fetchone()
            return int(count)


class RegisterAdmin(
    ConcurrencyAdminMixin, RegisterImportExportMixin, SimpleHistoryAdmin
):
    list_per_page = 50
    paginator = LargeTablePaginator
    # Counting every row of a large table on each page is what makes changelists
    # slow at scale; the filtered count is still shown.
    show_full_result_count = False
    save_on_top = True

    def get_changelist(self, request, **kwargs):
        # Large lists are paged by keys, not by offsets (khuyencong.admin_keyset).
        return KeysetChangeList
