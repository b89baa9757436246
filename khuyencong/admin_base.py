"""The base of every register's admin.

Cross-cutting admin behaviour plugs in here, once, for every register: history of
changes (django-simple-history), import/export (issue 7), protection against lost
updates (issue 11). App admins subclass RegisterAdmin and never re-implement these."""

from functools import reduce
from operator import or_

from django.contrib.admin.utils import lookup_spawns_duplicates
from django.contrib.admin.views.main import SEARCH_VAR
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db import connections, models, router
from django.db.models import (
    Count,
    F,
    Func,
    OuterRef,
    Q,
    Subquery,
    Sum,
)
from django.db.models.constants import LOOKUP_SEP
from django.db.models.functions import Cast, Coalesce
from django.utils.functional import cached_property
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import gettext
from simple_history.admin import SimpleHistoryAdmin

from khuyencong.admin_keyset import KeysetChangeList
from khuyencong.concurrency import ConcurrencyAdminMixin
from khuyencong.importing.admin import RegisterImportExportMixin
from khuyencong.numbers import vn_int


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


class AnyOf(Func):
    """`field` is one of the values the (uncorrelated) subquery returns.

    On PostgreSQL `field = ANY(ARRAY(subquery))`: the subquery runs once, before
    the scan (an InitPlan), so an index on `field` serves the condition even
    inside an OR, where the planner combines the indexes of every branch
    (BitmapOr); written `field IN (subquery)` it becomes a SubPlan checked row by
    row, and that one branch turns the whole OR into a sequential scan. For
    subqueries that return few rows: the array is compared one element at a time.
    Elsewhere `field IN (subquery)`."""

    conditional = True
    output_field = models.BooleanField()

    def __init__(self, field: str, queryset: models.QuerySet):
        # Unordered: the model's default ordering would sort every match.
        super().__init__(F(field), Subquery(queryset.order_by()))

    def as_sql(self, compiler, connection, **extra_context):
        field, subquery = self.get_source_expressions()
        field_sql, field_params = compiler.compile(field)
        subquery_sql, subquery_params = compiler.compile(subquery)
        if connection.vendor == "postgresql":
            sql = f"{field_sql} = ANY(ARRAY{subquery_sql})"
        else:
            sql = f"{field_sql} IN {subquery_sql}"
        return sql, (*field_params, *subquery_params)


def _search_lookup(model: type[models.Model], field_name: str):
    """The ORM lookup of one search field, with Django admin's meaning: `^` starts
    with, `=` is case-insensitively equal, `@` full-text, a trailing lookup is
    used as written (`exact` on a non-text field compares its text), anything else
    contains, case-insensitively. Returns (lookup, alias expression or None)."""
    if field_name.startswith("^"):
        return f"{field_name[1:]}__istartswith", None
    if field_name.startswith("="):
        return f"{field_name[1:]}__iexact", None
    if field_name.startswith("@"):
        return f"{field_name[1:]}__search", None
    opts = model._meta
    parts = field_name.split(LOOKUP_SEP)
    previous = None
    for i, part in enumerate(parts):
        if part == "pk":
            part = opts.pk.name
        try:
            field = opts.get_field(part)
        except FieldDoesNotExist:
            if previous is not None and previous.get_lookup(part):
                if part == "exact" and not isinstance(
                    previous, models.CharField | models.TextField
                ):
                    path = LOOKUP_SEP.join(parts[:i])
                    alias = "_".join(parts[:i]) + "_str"
                    return alias, Cast(path, output_field=models.CharField())
                return field_name, None
        else:
            previous = field
            if hasattr(field, "path_infos"):
                opts = field.path_infos[-1].to_opts
    return f"{field_name}__icontains", None


def _forward_relation(model: type[models.Model], lookup: str):
    """(foreign key, lookup on the related model) when `lookup` reaches a field
    of a row the model points to, e.g. `course__title__icontains`; else None."""
    first, _, rest = lookup.partition(LOOKUP_SEP)
    try:
        field = model._meta.get_field(first)
    except FieldDoesNotExist:
        return None
    if (
        field.is_relation
        and field.concrete
        and (field.many_to_one or field.one_to_one)
        and LOOKUP_SEP in rest
    ):
        return field, rest
    return None


# A search word that matches at most this many rows of a related table is sent
# to the list's query as a list of their ids; one that matches more, as a
# subquery.
RELATED_IDS_CAP = 500


def _ids_per_word(
    model: type[models.Model], column: str, conditions: list[Q]
) -> list[list[int] | None]:
    """For each condition, the `column` values (integer ids) of up to
    RELATED_IDS_CAP rows matching it, or None when more match: ONE query
    whatever the number of conditions, each a subquery with its own LIMIT."""
    using = router.db_for_read(model)
    connection = connections[using]
    if connection.vendor == "postgresql":
        aggregate = "STRING_AGG(CAST(found_id AS text), ',')"
    else:
        aggregate = "GROUP_CONCAT(found_id)"
    parts, params = [], []
    for condition in conditions:
        rows = (
            model._base_manager.db_manager(using)
            .filter(condition)
            .order_by()
            .values(found_id=F(column))[: RELATED_IDS_CAP + 1]
        )
        sql, rows_params = rows.query.sql_with_params()
        parts.append(f"(SELECT {aggregate} FROM ({sql}) found)")
        params.extend(rows_params)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}", params)
        found = cursor.fetchone()
    lists = [[int(i) for i in text.split(",")] if text else [] for text in found]
    return [ids if len(ids) <= RELATED_IDS_CAP else None for ids in lists]


def _related_conditions(
    fk: models.ForeignKey, lookups: list[str], terms: list[str]
) -> list[Q]:
    """For each search word, the rows whose `fk` points to a related row that
    matches the word.

    Joining the related table for the search (Django's way) makes the list's
    query a join that no index answers. A short list of ids is what PostgreSQL
    answers best: `course_id IN (1, 2, ...)` is one more index the planner
    combines with the trigram indexes of the other searched fields (BitmapOr),
    estimated from the real ids. So the related rows are read first, in one
    query for all the words (`_ids_per_word`). A word found in very many related
    rows ("Lớp" in every course title) stays a subquery: it narrows nothing, and
    is checked with a hash on the rows the other words found (a list of 50,000
    ids would be compared one by one on each row)."""
    per_word = [
        reduce(or_, (Q(**{lookup: term}) for lookup in lookups)) for term in terms
    ]
    target = fk.target_field
    if not isinstance(target, models.IntegerField):
        found = [None] * len(terms)
    else:
        found = _ids_per_word(fk.related_model, target.attname, per_word)
    conditions = []
    for condition, ids in zip(per_word, found, strict=True):
        if ids is None:
            matching = fk.related_model._base_manager.filter(condition)
            ids = matching.order_by().values(target.attname)
        conditions.append(Q(**{f"{fk.attname}__in": ids}))
    return conditions


class IndexedSearchMixin:
    """Django admin's search (the same search fields with the same meaning)
    written so that PostgreSQL answers it from indexes: a searched field of a
    related row (`course__title`) is looked up in its own table first (one query
    per foreign key, see `_related_conditions`), and the list's query has no
    join for it.
    With the trigram indexes of the large registers (programs migration 0008) a
    search of two million participants reads only the rows that match
    (bench/README.md, "Admin search")."""

    def get_search_results(self, request, queryset, search_term):
        search_fields = self.get_search_fields(request)
        if not (search_fields and search_term):
            return queryset, False
        model = queryset.model
        local: list[str] = []
        related: dict[models.Field, list[str]] = {}
        for field_name in search_fields:
            lookup, alias = _search_lookup(model, str(field_name))
            if alias is not None:
                queryset = queryset.alias(**{lookup: alias})
            relation = _forward_relation(model, lookup)
            if relation is None:
                local.append(lookup)
            else:
                related.setdefault(relation[0], []).append(relation[1])
        terms = []
        for bit in smart_split(search_term):
            if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
                bit = unescape_string_literal(bit)
            terms.append(bit)
        if not terms:
            return queryset, False
        conditions = [[Q(**{lookup: term}) for lookup in local] for term in terms]
        for fk, lookups in related.items():
            for i, condition in enumerate(_related_conditions(fk, lookups, terms)):
                conditions[i].append(condition)
        may_have_duplicates = any(
            lookup_spawns_duplicates(self.opts, lookup) for lookup in local
        )
        return (
            queryset.filter(*(reduce(or_, either) for either in conditions)),
            may_have_duplicates,
        )


# Above this many rows an unfiltered list shows PostgreSQL's estimate of the
# table's size instead of counting it on every page.
ESTIMATE_ABOVE = 100_000
# A search is counted up to this many rows; past it the list says "hơn 1.000".
SEARCH_COUNT_CAP = 1000


class LargeTablePaginator(Paginator):
    """A paginator that does not count a whole large table on every page.

    An unfiltered list on PostgreSQL reads the planner's row estimate (pg_class,
    kept by ANALYZE/autovacuum) and counts exactly only when the table is small,
    in ONE query either way; a filtered or searched list is counted exactly, as
    the user asked for those rows. COUNT(*) of two million participants costs
    175 ms per page; the estimate costs nothing (bench/README.md).

    A searched list (`count_cap`) is counted up to `count_cap` rows: a word such
    as "Nguyễn" matches a large share of two million names, and counting them
    all costs more than a second, while reading the first page of them costs a
    few milliseconds. Past the cap the count is the cap (its pages can be
    browsed) and `count_capped` is set; the templates then say "hơn 1.000"."""

    estimated = False  # True when `count` is the planner's estimate

    def __init__(self, *args, count_cap: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.count_cap = count_cap
        self.count_capped = False

    @property
    def count_text(self) -> str:
        """The count as the list shows it: "hơn 1.000" past the cap."""
        shown = vn_int(self.count)
        if self.count_capped:
            return gettext("hơn %(count)s") % {"count": shown}
        return shown

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        query = getattr(queryset, "query", None)
        if self.count_cap is not None and query is not None and query.where:
            # Only the ids, unordered: sorting every match would defeat the LIMIT,
            # and annotations (sums per row) would be computed for nothing.
            found = queryset.order_by().values("pk")[: self.count_cap + 1].count()
            if found > self.count_cap:
                self.count_capped = True
                return self.count_cap
            return found
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
    IndexedSearchMixin,
    ConcurrencyAdminMixin,
    RegisterImportExportMixin,
    SimpleHistoryAdmin,
):
    list_per_page = 50
    paginator = LargeTablePaginator
    # Counting every row of a large table on each page is what makes changelists
    # slow at scale; the filtered count is still shown.
    show_full_result_count = False
    save_on_top = True

    def get_paginator(
        self, request, queryset, per_page, orphans=0, allow_empty_first_page=True
    ):
        # A changelist's search (q) or an autocomplete's (term).
        searched = any(request.GET.get(key, "").strip() for key in (SEARCH_VAR, "term"))
        return self.paginator(
            queryset,
            per_page,
            orphans,
            allow_empty_first_page,
            count_cap=SEARCH_COUNT_CAP if searched else None,
        )

    def get_changelist(self, request, **kwargs):
        # Large lists are paged by keys, not by offsets (khuyencong.admin_keyset).
        return KeysetChangeList
