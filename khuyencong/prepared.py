"""Report queries compiled once per process, then sent as they are.

The dashboard's figures come from about thirty grouped and filtered aggregate
queries. At national size PostgreSQL answers each in 0.5–6 ms, and Django's ORM
took about as long again to build and compile it: every lookup of every filter of
every aggregate is resolved anew on each request (bench/README.md). Their SQL
depends only on their arguments (years, days, a unit's id, a flag), never on the
rows, so `rows(key, build)` compiles `build()` the first time a process meets `key`
and afterwards sends the kept SQL with the kept parameters: the very same query,
without the ORM's cost. This is what a prepared statement is, kept on the Python
side.

The rule that makes it correct: **`key` names everything `build` reads.** A
function's name and each of its arguments (a day, not the year it came from when
the day depends on today's date), never a model instance (its id), never the
clock. What `build` reads from the database (a unit's communes, say) must be a
subquery in the SQL, not values fetched while building.

Results are the rows of a `values_list()` queryset, converted as Django converts
them (SQLite's decimals and dates), as plain tuples. Keys are kept per database
vendor and at most `KEPT_MAX` of them (a few kB each), the least recently used
dropped first.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet, Value

# Enough for every unit's dashboard of a few years at national size (700 units).
KEPT_MAX = 4096

_kept: OrderedDict[tuple, _Compiled | None] = OrderedDict()
_lock = threading.Lock()


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple
    # Columns the queryset selects; the SQL may add ordering columns after them.
    width: int
    # Django's converters of each column that has any: (position, (functions,
    # expression)), as SQLCompiler.get_converters() gives them.
    converters: tuple


def _compile(queryset: QuerySet) -> _Compiled | None:
    if queryset.db != DEFAULT_DB_ALIAS:
        raise ValueError("prepared queries run on the default database only")
    compiler = queryset.query.get_compiler(using=queryset.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:  # e.g. an IN of nothing: no rows, whatever the data
        return None
    columns = [select[0] for select in compiler.select[: compiler.col_count]]
    return _Compiled(
        sql=sql,
        params=tuple(params),
        width=compiler.col_count,
        converters=tuple(compiler.get_converters(columns).items()),
    )


def rows(key: tuple, build: Callable[[], QuerySet]) -> list[tuple]:
    """The rows of `build()`, a values_list() queryset, compiled once per `key`
    (see the module's rule on keys). One query."""
    connection = connections[DEFAULT_DB_ALIAS]
    full_key = (connection.vendor, *key)
    with _lock:
        found = full_key in _kept
        compiled = _kept.get(full_key)
        if found:
            _kept.move_to_end(full_key)
    if not found:
        compiled = _compile(build())
        with _lock:
            _kept[full_key] = compiled
            while len(_kept) > KEPT_MAX:
                _kept.popitem(last=False)
    if compiled is None:
        return []
    with connection.cursor() as cursor:
        cursor.execute(compiled.sql, compiled.params)
        result = cursor.fetchall()
    if result and len(result[0]) > compiled.width:
        result = [row[: compiled.width] for row in result]
    if not compiled.converters:
        return result
    converted = []
    for row in result:
        row = list(row)
        for position, (functions, expression) in compiled.converters:
            value = row[position]
            for function in functions:
                value = function(value, expression, connection)
            row[position] = value
        converted.append(tuple(row))
    return converted


def aggregate(key: tuple, build: Callable[[], QuerySet], **aggregates) -> dict:
    """`build().aggregate(**aggregates)`, compiled once per `key`: the aggregates
    are selected over one group of every row (a constant, which Django leaves out
    of GROUP BY), so an empty queryset still gives its one row of counts of 0 and
    sums of None, as aggregate() does."""
    names = list(aggregates)
    found = rows(
        key,
        lambda: (
            build()
            .order_by()
            .values(_all=Value(1))
            .annotate(**aggregates)
            .values_list(*names)
        ),
    )
    if found:
        return dict(zip(names, found[0], strict=True))
    # Nothing to select from (an IN of nothing): what aggregate() answers then,
    # which only the database knows for an aggregate without a value of its own.
    empty = {name: aggregates[name].empty_result_set_value for name in names}
    if NotImplemented in empty.values():
        return build().aggregate(**aggregates)
    return empty


def id_of(instance) -> int | None:
    """What a key holds for a model instance (a unit, a plan), an id or None."""
    return getattr(instance, "pk", instance)


def forget() -> None:
    """Drop every kept query (tests that change how a query is built)."""
    with _lock:
        _kept.clear()
