"""import-export widgets that read values as Vietnamese clerks type them."""

from datetime import date

from django.utils.translation import gettext as _
from import_export import widgets

from khuyencong import parsers


class TextWidget(widgets.CharWidget):
    """Text with spaces and Unicode normalised; an escaped formula read back."""

    def __init__(self, allow_blank=True, **kwargs):
        super().__init__(allow_blank=allow_blank, **kwargs)

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, date):
            return value.strftime("%d/%m/%Y")
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # an ID or phone number typed into a number cell
        text = parsers.unescape_formula(parsers.normalize_text(value))
        if not text and not self.allow_blank:
            return None
        return text

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class DecimalWidget(widgets.DecimalWidget):
    def clean(self, value, row=None, **kwargs):
        return parsers.parse_decimal(value)

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        if kwargs.get("force_native_type"):
            return value
        # Plain digits and a decimal comma: "1300000", "2,5"; read back by
        # parse_decimal whichever way the clerk's Excel displays it.
        return format(value, "f").replace(".", ",")


class IntegerWidget(widgets.IntegerWidget):
    def clean(self, value, row=None, **kwargs):
        return parsers.parse_integer(value)

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return value if kwargs.get("force_native_type") else str(value)


class DateWidget(widgets.DateWidget):
    def __init__(self, **kwargs):
        super().__init__(format="%d/%m/%Y", **kwargs)

    def clean(self, value, row=None, **kwargs):
        return parsers.parse_date(value)


class DateTimeWidget(widgets.DateTimeWidget):
    """A moment in Hanoi time: "15/05/2019 08:30", or an Excel date-time cell."""

    def clean(self, value, row=None, **kwargs):
        from datetime import datetime, time

        from django.utils import timezone

        if isinstance(value, datetime):
            moment = value
        else:
            text = parsers.normalize_text(value)
            if not text:
                return None
            day_part, _sep, time_part = text.partition(" ")
            day = parsers.parse_date(day_part)
            try:
                clock = (
                    datetime.strptime(time_part, "%H:%M").time()
                    if time_part
                    else time()
                )
            except ValueError as exc:
                raise ValueError(
                    _("Giờ “%(value)s” không đúng dạng giờ:phút.")
                    % {"value": time_part}
                ) from exc
            moment = datetime.combine(day, clock)
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment

    def render(self, value, obj=None, **kwargs):
        from django.utils import timezone

        if value is None:
            return ""
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        if kwargs.get("force_native_type"):
            return local.replace(tzinfo=None)  # Excel has no time zones
        return local.strftime("%d/%m/%Y %H:%M")


class BooleanWidget(widgets.BooleanWidget):
    def clean(self, value, row=None, **kwargs):
        return parsers.parse_bool(value)

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return str(_("Có") if value else _("Không"))


class ChoiceWidget(widgets.Widget):
    """A choice by its code ("huyen") or its Vietnamese label ("Huyện")."""

    def __init__(self, choices, allow_blank=True, **kwargs):
        super().__init__(**kwargs)
        self.choices = [(str(code), str(label)) for code, label in choices]
        self.allow_blank = allow_blank
        self._lookup = None

    def lookup(self):
        if self._lookup is None:
            self._lookup = {}
            for code, label in self.choices:
                self._lookup[parsers.text_key(code)] = code
                self._lookup[parsers.text_key(label)] = code
        return self._lookup

    def clean(self, value, row=None, **kwargs):
        key = parsers.text_key(value)
        if not key:
            return "" if self.allow_blank else None
        try:
            return self.lookup()[key]
        except KeyError:
            labels = ", ".join(label for _code, label in self.choices)
            raise ValueError(
                _("“%(value)s” không có trong danh mục. Chọn một trong: %(labels)s.")
                % {"value": parsers.normalize_text(value), "labels": labels}
            ) from None

    def render(self, value, obj=None, **kwargs):
        return dict(self.choices).get(str(value), "" if value is None else str(value))


class NaturalKeyWidget(widgets.ForeignKeyWidget):
    """A related record by a natural key (a document number, a tax code, ...).

    Each distinct value costs one query per import, not one per row."""

    def __init__(self, model, field="pk", **kwargs):
        super().__init__(model, field=field, **kwargs)
        self._cache = {}

    def key(self, value):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return parsers.normalize_text(value)

    def prefetch(self, values) -> None:
        """Look up every distinct value of a column in a few queries."""
        keys = {self.key(v) for v in values} - {""} - set(self._cache)
        keys = sorted(keys)
        for start in range(0, len(keys), 500):
            batch = keys[start : start + 500]
            found = {
                parsers.normalize_text(getattr(obj, self.field)): obj
                for obj in self.model._default_manager.filter(
                    **{f"{self.field}__in": batch}
                )
            }
            for key in batch:
                self._cache[key] = found.get(key)

    def clean(self, value, row=None, **kwargs):
        key = self.key(value)
        if not key:
            return None
        if key not in self._cache:
            self._cache[key] = (
                self.get_queryset(value, row, **kwargs)
                .filter(**{self.field: key})
                .first()
            )
        found = self._cache[key]
        if found is None:
            raise ValueError(
                _("Không tìm thấy %(model)s “%(value)s”.")
                % {"model": self.model._meta.verbose_name, "value": key}
            )
        return found

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return str(getattr(value, self.field, value))


class AdministrativeUnitWidget(widgets.ForeignKeyWidget):
    """A unit by code ("277"), by name ("Chương Mỹ") or by kind and name
    ("Huyện Chương Mỹ", "H. Chương Mỹ"). All units are read once per import."""

    def __init__(self, model=None, **kwargs):
        from khuyencong.models import AdministrativeUnit

        super().__init__(model or AdministrativeUnit, field="code", **kwargs)
        self._index = None

    def index(self):
        if self._index is None:
            self._index = UnitIndex(self.model.objects.all())
        return self._index

    def clean(self, value, row=None, **kwargs):
        if not parsers.normalize_text(value):
            return None
        return self.index().resolve(value)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value.full_name


class UnitIndex:
    """Administrative units by code, by name and by (kind, name)."""

    def __init__(self, units):
        self.by_code = {}
        self.by_name = {}
        self.by_kind_name = {}
        for unit in units:
            self.by_code[parsers.text_key(unit.code)] = unit
            name = parsers.text_key(unit.name)
            self.by_name.setdefault(name, []).append(unit)
            self.by_kind_name.setdefault((unit.kind, name), []).append(unit)

    def resolve(self, value):
        text = parsers.normalize_text(value)
        if isinstance(value, float) and value.is_integer():
            text = str(int(value))
        code = parsers.text_key(text)
        if code in self.by_code:
            return self.by_code[code]
        if code.isdigit() and code.zfill(3) in self.by_code:
            return self.by_code[code.zfill(3)]  # "1" typed for "001"
        kind, name = parsers.split_unit_name(text)
        if kind:
            found = self.by_kind_name.get((kind, name), [])
        else:
            found = self.by_name.get(name, [])
        if len(found) == 1:
            return found[0]
        if not found:
            raise ValueError(
                _("Không tìm thấy đơn vị hành chính “%(value)s”.") % {"value": text}
            )
        raise ValueError(
            _(
                "Có %(count)s đơn vị hành chính tên “%(value)s”: ghi rõ cấp "
                "(ví dụ “Huyện %(value)s”) hoặc mã đơn vị."
            )
            % {"count": len(found), "value": text}
        )
