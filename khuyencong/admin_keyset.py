"""Pagination by keys for the admin lists of large tables.

Django's admin pages with `?p=N`: the database reads and throws away the N-1 pages
before the one shown (OFFSET). That is free on the first pages and slow deep into a
large table: page 20,000 of two million participants took 1.7 s, the last page
3.7 s (bench/README.md). A list of more than `settings.ADMIN_KEYSET_ABOVE` rows is
therefore paged by keys: "Trang sau" asks for the rows that come after the last row
shown (`?sau=<its key>`), "Trang trước" for those before the first (`?truoc=`),
"Trang cuối" for the end of the list read backwards (`?cuoi=1`). Each page costs
what the first page costs, however deep.

The key of a row is its values in the list's order, which the admin makes total by
ending it with the primary key. Ordering by a foreign key orders by the related
model's ordering (as Django does), so a participant's key is (course start date,
course title, name, id). Keys work for orderings by non-null model fields; a list
sorted by anything else (a computed column, a nullable field) keeps page numbers.
A key is signed: a hand-edited one is refused with a message, not trusted.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.views.main import PAGE_VAR, ChangeList
from django.core import signing
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import F, OrderBy, Q
from django.utils.translation import gettext as _

AFTER = "sau"
BEFORE = "truoc"
LAST = "cuoi"
KEYSET_PARAMS = (AFTER, BEFORE, LAST)
SALT = "khuyencong.admin-keyset"


@dataclass(frozen=True)
class KeyPart:
    path: str  # a lookup path, e.g. "course__start_date"
    descending: bool
    field: object  # the model field at the end of the path


def key_parts(model, ordering) -> list[KeyPart] | None:
    """The list's ordering as plain columns (a foreign key expanded into the related
    model's ordering, as Django orders by it), or None when a part is not a
    non-null model field."""
    parts: list[KeyPart] = []
    for item in ordering:
        if isinstance(item, str):
            name, descending = item.lstrip("-"), item.startswith("-")
        elif isinstance(item, OrderBy) and isinstance(item.expression, F):
            name, descending = item.expression.name, item.descending
        else:
            return None
        expanded = _expand(model, name, descending, depth=0)
        if expanded is None:
            return None
        parts.extend(expanded)
    return parts or None


def _expand(model, name: str, descending: bool, depth: int) -> list[KeyPart] | None:
    if name == "?" or depth > 3:
        return None
    current = model
    names = name.split("__")
    path = []
    for position, field_name in enumerate(names):
        try:
            field = (
                current._meta.pk
                if field_name == "pk"
                else current._meta.get_field(field_name)
            )
        except FieldDoesNotExist:
            return None
        if not getattr(field, "concrete", False) or field.many_to_many or field.null:
            return None
        path.append(field.name)
        if not field.is_relation:
            if position != len(names) - 1:
                return None
            return [KeyPart("__".join(path), descending, field)]
        related = field.related_model
        if position < len(names) - 1:
            current = related
            continue
        # Ordering by a foreign key: by the related model's ordering, else its pk.
        prefix = "__".join(path)
        related_ordering = related._meta.ordering or ["pk"]
        parts = []
        for item in related_ordering:
            if not isinstance(item, str):
                return None
            sub = _expand(
                related,
                item.lstrip("-"),
                descending != item.startswith("-"),
                depth + 1,
            )
            if sub is None:
                return None
            parts.extend(
                KeyPart(f"{prefix}__{p.path}", p.descending, p.field) for p in sub
            )
        return parts
    return None


def _plain(value):
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def make_token(values) -> str:
    return signing.dumps([_plain(v) for v in values], salt=SALT, compress=True)


def read_token(token: str, parts: list[KeyPart]) -> list | None:
    """The key values of a token, or None if it was altered or does not fit."""
    try:
        raw = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(raw, list) or len(raw) != len(parts):
        return None
    try:
        return [
            part.field.to_python(value) for part, value in zip(parts, raw, strict=True)
        ]
    except (ValidationError, TypeError, ValueError):
        return None


def beyond(parts: list[KeyPart], values: list, *, forward: bool) -> Q:
    """Rows after (forward) or before the row with these key values, in the list's
    order: (a > x) or (a = x and b > y) or ..., each comparison turned round for a
    descending part; plus the first part's range (a >= x), which the database can
    seek in an index instead of reading from the start."""

    def cmp(part: KeyPart, strict: bool) -> str:
        greater = forward != part.descending
        return ("gt" if greater else "lt") + ("" if strict else "e")

    condition = Q()
    equal = Q()
    for part, value in zip(parts, values, strict=True):
        condition |= equal & Q(**{f"{part.path}__{cmp(part, True)}": value})
        equal &= Q(**{part.path: value})
    first = parts[0]
    return Q(**{f"{first.path}__{cmp(first, False)}": values[0]}) & condition


@dataclass(frozen=True)
class KeysetLinks:
    first_url: str | None
    previous_url: str | None
    next_url: str | None
    last_url: str | None


class KeysetChangeList(ChangeList):
    """A ChangeList that pages large lists by keys (see the module docstring)."""

    def __init__(self, request, *args, **kwargs):
        self.keyset = None
        self._keyset_request = {
            name: request.GET.get(name) for name in KEYSET_PARAMS if name in request.GET
        }
        super().__init__(request, *args, **kwargs)

    def get_filters_params(self, params=None):
        lookup_params = super().get_filters_params(params)
        for name in KEYSET_PARAMS:
            lookup_params.pop(name, None)
        return lookup_params

    def get_query_string(self, new_params=None, remove=None):
        # A key belongs to the page it was made on: sorting, filtering or searching
        # starts again from the first page.
        new_params = dict(new_params or {})
        remove = list(remove or [])
        for name in KEYSET_PARAMS:
            if name not in new_params:
                new_params[name] = None
        return super().get_query_string(new_params, remove)

    def get_results(self, request):
        super().get_results(request)
        threshold = getattr(settings, "ADMIN_KEYSET_ABOVE", 10_000)
        if self.show_all or not self.multi_page or self.result_count <= threshold:
            return
        if self.page_num != 1 and not self._keyset_request:
            return  # an explicit ?p=N keeps working, by offset
        parts = key_parts(self.model, self.queryset.query.order_by)
        if parts is None:
            return
        self._page_by_keys(request, parts)

    def _page_by_keys(self, request, parts: list[KeyPart]) -> None:
        size = self.list_per_page
        names = [f"_key{i}" for i in range(len(parts))]
        rows = self.queryset.annotate(
            **{name: F(part.path) for name, part in zip(names, parts, strict=True)}
        )
        forward_order = [
            F(p.path).desc() if p.descending else F(p.path).asc() for p in parts
        ]
        backward_order = [
            F(p.path).asc() if p.descending else F(p.path).desc() for p in parts
        ]
        wanted = self._keyset_request
        direction, values = "first", None
        for name, forward in ((AFTER, True), (BEFORE, False)):
            if name in wanted:
                values = read_token(wanted[name] or "", parts)
                if values is None:
                    messages.error(
                        request,
                        _(
                            "Đường dẫn trang không hợp lệ (có thể đã bị sửa tay); "
                            "đang hiển thị trang đầu của danh sách."
                        ),
                    )
                else:
                    direction = "after" if forward else "before"
                break
        else:
            if LAST in wanted:
                direction = "last"

        if direction == "after":
            page = list(
                rows.filter(beyond(parts, values, forward=True)).order_by(
                    *forward_order
                )[: size + 1]
            )
            has_next, has_previous = len(page) > size, True
            page = page[:size]
        elif direction == "before":
            page = list(
                rows.filter(beyond(parts, values, forward=False)).order_by(
                    *backward_order
                )[: size + 1]
            )
            has_previous, has_next = len(page) > size, True
            page = page[:size][::-1]
        elif direction == "last":
            page = list(rows.order_by(*backward_order)[: size + 1])
            has_previous, has_next = len(page) > size, False
            page = page[:size][::-1]
        else:
            page = list(rows.order_by(*forward_order)[: size + 1])
            has_previous, has_next = False, len(page) > size
            page = page[:size]

        def key_of(obj):
            return [getattr(obj, name) for name in names]

        def url(params):
            return self.get_query_string({**params, PAGE_VAR: None})

        self.result_list = page
        self.keyset = KeysetLinks(
            first_url=url({}) if has_previous else None,
            previous_url=(
                url({BEFORE: make_token(key_of(page[0]))})
                if has_previous and page
                else None
            ),
            next_url=(
                url({AFTER: make_token(key_of(page[-1]))})
                if has_next and page
                else None
            ),
            last_url=url({LAST: "1"}) if has_next else None,
        )
