"""RegisterResource: the base of every app's resources.py.

What it adds to django-import-export's ModelResource:
- Vietnamese column headers (the model fields' verbose names), matched forgivingly
  (case, spaces, composed/decomposed diacritics), with unknown and missing columns
  refused before any row is read;
- widgets that read Vietnamese numbers, dates, units and choices (widgets.py);
- natural keys for updates, loaded for a whole batch in a few queries, and a row
  that repeats the key of an earlier row refused;
- validation of every row (full_clean without one query per row), then
  bulk_create/bulk_update in one transaction, history rows included; a database
  constraint that fails in a batch is traced back to its rows;
- unchanged rows recognised and left alone, so importing a file twice changes
  nothing;
- formula escaping on export, and export scoped to the user's rows.
"""

import copy
from collections.abc import Iterable

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DatabaseError, models, transaction
from django.db.models.fields import NOT_PROVIDED
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from import_export import resources
from import_export.fields import Field
from import_export.instance_loaders import BaseInstanceLoader
from import_export.results import Error, RowResult

from khuyencong import parsers
from khuyencong.importing import widgets as w


class ImportFileError(Exception):
    """A problem with the whole file (columns, a failed batch): shown as is."""


def scope_for_user(queryset: models.QuerySet, user) -> models.QuerySet:
    """The rows this user may see: `for_user(user)` when the queryset has it."""
    if user is not None and hasattr(queryset, "for_user"):
        return queryset.for_user(user)
    return queryset


def _is_fk(model_field) -> bool:
    return isinstance(model_field, models.ForeignKey)


class NaturalKeyInstanceLoader(BaseInstanceLoader):
    """Existing rows by the resource's import_id_fields (a natural key such as a
    tax code, or a course and an ID number), loaded once for the whole dataset
    in batches of KEYS_PER_QUERY, and the file's own repeated keys refused.

    A resource may name `alternate_import_id_fields`, used for rows whose natural
    key is blank (an establishment without a tax code: its name and unit)."""

    KEYS_PER_QUERY = 500

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        self.model = resource._meta.model
        self.key_sets = [[resource.fields[f] for f in resource.get_import_id_fields()]]
        alternate = getattr(resource, "alternate_import_id_fields", ())
        if alternate:
            self.key_sets.append([resource.fields[f] for f in alternate])
        self.fields = self.key_sets[0]
        self.instances = None
        self.seen = resource.seen_keys

    def key_value(self, field, row):
        value = field.clean(row)
        if isinstance(value, models.Model):
            return value.pk
        model_field = self.resource.model_field(field)
        if value not in (None, "") and model_field is not None:
            # The stored form: a tax code typed "0101 234 567" is "0101234567".
            value = model_field.to_python(value)
        return value

    def row_key(self, row) -> tuple | None:
        for index, fields in enumerate(self.key_sets):
            values = []
            for field in fields:
                if field.column_name not in row:
                    value = ""  # a key column left out of the file: blank
                else:
                    try:
                        value = self.key_value(field, row)
                    except (ValueError, ValidationError):
                        return None  # reported by the field itself when imported
                if value is None:
                    break
                values.append(value)
            else:
                # A blank key (no tax code) matches nothing; a blank part of a
                # longer key (a rule for every funding source) is a value.
                if not all(v == "" for v in values):
                    return (index, *values)
        return None

    def instance_keys(self, obj) -> list[tuple]:
        keys = []
        for index, fields in enumerate(self.key_sets):
            values = []
            for field in fields:
                model_field = self.model._meta.get_field(field.attribute)
                value = getattr(obj, model_field.attname)
                if isinstance(value, str):
                    value = parsers.normalize_text(value)
                values.append(value)
            if index and keys and not all(v == "" for v in keys[0][1:]):
                break  # a record with its natural key is found by it only
            keys.append((index, *values))
        return keys

    def load(self) -> None:
        self.instances = {}
        # Each row's key, by position: computed once for loading, used again
        # when the row is imported.
        self.row_keys = []
        if self.dataset is None or not len(self.dataset):
            return
        keys = set()
        headers = self.dataset.headers
        for data_row in self.dataset:
            key = self.row_key(dict(zip(headers, data_row, strict=False)))
            self.row_keys.append(key)
            if key:
                keys.add(key)
        queryset = self.resource.get_queryset()
        for index, fields in enumerate(self.key_sets):
            wanted = [k[1:] for k in keys if k[0] == index]
            attnames = [self.model._meta.get_field(f.attribute).attname for f in fields]
            for start in range(0, len(wanted), self.KEYS_PER_QUERY):
                batch = wanted[start : start + self.KEYS_PER_QUERY]
                lookups = {
                    f"{attname}__in": {k[i] for k in batch}
                    for i, attname in enumerate(attnames)
                }
                for obj in queryset.filter(**lookups):
                    for key in self.instance_keys(obj):
                        self.instances.setdefault(key, obj)

    def get_instance(self, row):
        if self.instances is None:
            self.load()
        position = self.resource.current_row_number - self.resource.row_offset - 1
        if 0 <= position < len(self.row_keys):
            key = self.row_keys[position]
        else:
            key = self.row_key(row)
        if key is None:
            return None
        number = self.resource.current_row_number
        earlier = self.seen.setdefault(key, number)
        if earlier != number:
            columns = ", ".join(str(f.column_name) for f in self.key_sets[key[0]])
            message = _(
                "Dòng này trùng %(columns)s với dòng %(row)s của tệp: mỗi bản ghi "
                "chỉ được có một dòng."
            ) % {"columns": columns, "row": excel_row(earlier)}
            raise ValidationError({NON_FIELD_ERRORS: [message]})
        found = self.instances.get(key)
        since = self.resource.created_after_pk
        if found is not None and since is not None and found.pk > since:
            # Created by an earlier chunk of this same file (see runner): the
            # chunks keep no keys of each other, so memory stays bounded.
            columns = ", ".join(str(f.column_name) for f in self.key_sets[key[0]])
            message = _(
                "Dòng này trùng %(columns)s với một dòng phía trên của tệp: mỗi "
                "bản ghi chỉ được có một dòng."
            ) % {"columns": columns}
            raise ValidationError({NON_FIELD_ERRORS: [message]})
        return found


def excel_row(number: int) -> int:
    """The row number a clerk sees in Excel: data row 1 is below the header."""
    return number + 1


class RegisterResource(resources.ModelResource):
    """Base of every register's resource. A subclass names its model, its fields
    (`fields`) and its natural key (`import_id_fields`)."""

    # Bulk writes in one transaction, validation of every row, unchanged rows
    # recognised without a deep copy of each instance.
    class Meta:
        use_bulk = True
        batch_size = 1000
        skip_unchanged = True
        report_skipped = True
        skip_diff = True
        clean_model_instances = True
        use_transactions = True
        instance_loader_class = NaturalKeyInstanceLoader

    WIDGETS = {
        "DateField": w.DateWidget,
        "DateTimeField": w.DateTimeWidget,
        "DecimalField": w.DecimalWidget,
        "FloatField": w.DecimalWidget,
        "IntegerField": w.IntegerWidget,
        "PositiveIntegerField": w.IntegerWidget,
        "PositiveSmallIntegerField": w.IntegerWidget,
        "PositiveBigIntegerField": w.IntegerWidget,
        "SmallIntegerField": w.IntegerWidget,
        "BigIntegerField": w.IntegerWidget,
        "BooleanField": w.BooleanWidget,
        "CharField": w.TextWidget,
        "TextField": w.TextWidget,
        "EmailField": w.TextWidget,
        "SlugField": w.TextWidget,
        "URLField": w.TextWidget,
    }
    # False for a register whose rows move only through its workflow (its
    # resource then serves exports only).
    import_allowed = True
    # Related models and the field that names them in a spreadsheet.
    NATURAL_KEYS = {
        "khuyencong.legaldocument": "number",
    }

    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)
        # The library writes to _meta while importing (store_instance): keep that
        # on this instance, not on the class every later import shares.
        self._meta = copy.copy(type(self)._meta)
        self.user = user
        # Natural keys already met in this dataset (one chunk of a long file).
        self.seen_keys = {}
        # Set by the runner: records with a greater pk were created by this import.
        self.created_after_pk = None
        self.current_row_number = 0
        self.row_offset = 0
        self._snapshot = None
        self._row_of = {}
        self.change_reason = _("Nhập từ tệp")

    # --- fields and headers ---------------------------------------------------

    @classmethod
    def widget_for(cls, django_field):
        if django_field.choices and not _is_fk(django_field):
            return w.ChoiceWidget(django_field.choices, allow_blank=django_field.blank)
        if _is_fk(django_field):
            related = django_field.related_model
            if related._meta.label_lower == "khuyencong.administrativeunit":
                return w.AdministrativeUnitWidget(related)
            key = cls.NATURAL_KEYS.get(related._meta.label_lower, "pk")
            return w.NaturalKeyWidget(related, field=key)
        widget_class = cls.WIDGETS.get(django_field.get_internal_type())
        if widget_class is None:
            return w.TextWidget()
        return widget_class()

    @classmethod
    def field_from_django_field(cls, field_name, django_field, readonly):
        column = capfirst(str(getattr(django_field, "verbose_name", field_name)))
        return cls.DEFAULT_RESOURCE_FIELD(
            attribute=field_name,
            column_name=column,
            widget=cls.widget_for(django_field),
            readonly=readonly,
            default=getattr(django_field, "default", NOT_PROVIDED),
        )

    def model_field(self, field):
        cache = self.__dict__.setdefault("_model_fields", {})
        if field.attribute not in cache:
            try:
                found = self._meta.model._meta.get_field(field.attribute)
            except Exception:
                found = None
            cache[field.attribute] = found
        return cache[field.attribute]

    def get_import_fields(self):
        # Asked for several times per row: computed once.
        if "_import_fields" not in self.__dict__:
            self._import_fields = super().get_import_fields()
        return self._import_fields

    def required_columns(self) -> list[str]:
        required = []
        # With an alternate key (an establishment's name and unit), the natural
        # key's column (the tax code) may be left out of the file.
        keys = getattr(self, "alternate_import_id_fields", ()) or (
            self.get_import_id_fields()
        )
        for name in keys:
            required.append(str(self.fields[name].column_name))
        for field in self.get_import_fields():
            model_field = self.model_field(field)
            if (
                model_field is not None
                and not model_field.blank
                and model_field.default is NOT_PROVIDED
                and str(field.column_name) not in required
            ):
                required.append(str(field.column_name))
        return required

    def header_map(self) -> dict[str, str]:
        """text_key of every accepted header -> the resource's column name."""
        mapping = {}
        for name, field in self.fields.items():
            if field.readonly or not field.attribute:
                continue
            column = str(field.column_name)
            mapping[parsers.text_key(column)] = column
            mapping.setdefault(parsers.text_key(name), column)
        return mapping

    def normalize_headers(self, headers: Iterable) -> list[str]:
        """The file's headers as the resource's column names; ImportFileError
        naming every unknown, repeated or missing column."""
        mapping = self.header_map()
        result, unknown, repeated = [], [], []
        for position, header in enumerate(headers, 1):
            text = parsers.normalize_text(header)
            if not text:
                unknown.append(_("cột thứ %(n)s không có tên") % {"n": position})
                result.append(f"__blank_{position}")
                continue
            column = mapping.get(parsers.text_key(text))
            if column is None:
                unknown.append(f"“{text}”")
                result.append(text)
            elif column in result:
                repeated.append(f"“{column}”")
                result.append(text)
            else:
                result.append(column)
        missing = [f"“{c}”" for c in self.required_columns() if c not in result]
        problems = []
        if missing:
            problems.append(_("Thiếu cột bắt buộc: %s.") % ", ".join(missing))
        if unknown:
            problems.append(_("Cột không nhận ra: %s.") % ", ".join(unknown))
        if repeated:
            problems.append(_("Cột lặp lại: %s.") % ", ".join(repeated))
        if problems:
            expected = ", ".join(f"“{f.column_name}”" for f in self.get_import_fields())
            problems.append(_("Các cột của mẫu: %s.") % expected)
            raise ImportFileError(" ".join(problems))
        return result

    # --- import -----------------------------------------------------------------

    def import_data(self, dataset, dry_run=False, raise_errors=False, **kwargs):
        # One bad row means nothing is saved, whoever calls.
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(
            dataset, dry_run=dry_run, raise_errors=raise_errors, **kwargs
        )

    def import_data_inner(
        self,
        dataset,
        dry_run,
        raise_errors,
        using_transactions,
        collect_failed_rows,
        **kwargs,
    ):
        self.user = kwargs.get("user") or self.user
        self.seen_keys.clear()
        try:
            dataset.headers = self.normalize_headers(dataset.headers or [])
        except ImportFileError as exc:
            result = self.get_result_class()()
            result.total_rows = len(dataset)
            result.append_base_error(Error(exc))
            return result
        self.prefetch(dataset)
        return super().import_data_inner(
            dataset,
            dry_run,
            raise_errors,
            using_transactions,
            collect_failed_rows,
            **kwargs,
        )

    def get_instance(self, instance_loader, row):
        # The loader copes with a key column left out of the file.
        return instance_loader.get_instance(row)

    def _check_import_id_fields(self, headers):
        pass  # normalize_headers names every missing column, in Vietnamese

    def prefetch(self, dataset) -> None:
        """Widgets that look records up get each column's values at once."""
        for field in self.get_import_fields():
            prefetch = getattr(field.widget, "prefetch", None)
            if prefetch is not None and field.column_name in dataset.headers:
                prefetch(dataset.get_col(dataset.headers.index(field.column_name)))

    def import_row(self, row, instance_loader, **kwargs):
        self.current_row_number = kwargs.get("row_number", 0) + self.row_offset
        if all(parsers.normalize_text(v) == "" for v in row.values()):
            row_result = self.get_row_result_class()()
            row_result.import_type = RowResult.IMPORT_TYPE_SKIP
            return row_result
        row_result = super().import_row(row, instance_loader, **kwargs)
        if row_result.validation_error is not None:
            row_result.validation_error = self.columnize(row_result.validation_error)
        return row_result

    def columnize(self, error: ValidationError) -> ValidationError:
        """Errors keyed by the column a clerk sees, not by the model field."""
        if not hasattr(error, "error_dict"):
            return error
        by_attribute = {f.attribute: str(f.column_name) for f in self.fields.values()}
        for f in self.fields.values():
            model_field = self.model_field(f)
            if model_field is not None:
                by_attribute.setdefault(model_field.name, str(f.column_name))
                by_attribute.setdefault(model_field.attname, str(f.column_name))
        errors = {}
        for key, messages in error.message_dict.items():
            label = (
                NON_FIELD_ERRORS
                if key == NON_FIELD_ERRORS
                else by_attribute.get(key, self.verbose_name_of(key))
            )
            errors.setdefault(label, []).extend(messages)
        return ValidationError(errors)

    def verbose_name_of(self, name: str) -> str:
        try:
            return capfirst(str(self._meta.model._meta.get_field(name).verbose_name))
        except Exception:
            return name

    def state(self, instance) -> dict:
        values = {}
        for field in self.get_import_fields():
            model_field = self.model_field(field)
            if model_field is not None and model_field.concrete:
                values[field.attribute] = getattr(instance, model_field.attname)
            else:
                values[field.attribute] = field.get_value(instance)
        return values

    def after_init_instance(self, instance, new, row, **kwargs):
        self._snapshot = None if new else self.state(instance)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors or self._snapshot is None:
            return False
        return self.state(instance) == self._snapshot

    def validate_instance(
        self, instance, import_validation_errors=None, validate_unique=True
    ):
        """full_clean without a query per row: related records were found by the
        widgets, unique keys by the loader; the database checks the rest when the
        batch is written (see write_batch)."""
        errors = dict(import_validation_errors or {})
        exclude = set(errors) | self.fields_not_imported()
        for field in self.get_import_fields():
            model_field = self.model_field(field)
            if model_field is None or not _is_fk(model_field):
                continue
            exclude.add(model_field.name)
            if (
                model_field.name not in errors
                and not model_field.blank
                and getattr(instance, model_field.attname) is None
            ):
                errors[model_field.name] = [
                    ValidationError(_("Ô này không được để trống."))
                ]
        try:
            instance.full_clean(
                exclude=list(exclude), validate_unique=False, validate_constraints=False
            )
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def fields_not_imported(self) -> set[str]:
        """Model fields no column sets (timestamps, the id): nothing to check."""
        if "_not_imported" not in self.__dict__:
            imported = {
                mf.name
                for f in self.get_import_fields()
                if (mf := self.model_field(f)) is not None
            }
            self._not_imported = {
                f.name
                for f in self._meta.model._meta.concrete_fields
                if f.name not in imported
            }
        return self._not_imported

    def save_instance(self, instance, is_create, row, **kwargs):
        self._row_of[id(instance)] = self.current_row_number
        super().save_instance(instance, is_create, row, **kwargs)

    def has_history(self) -> bool:
        return hasattr(self._meta.model, "history")

    def bulk_create(
        self, using_transactions, dry_run, raise_errors, batch_size=None, result=None
    ):
        self.write_batch(
            self.create_instances,
            create=True,
            dry_run=dry_run,
            using_transactions=using_transactions,
            raise_errors=raise_errors,
            result=result,
        )

    def bulk_update(
        self, using_transactions, dry_run, raise_errors, batch_size=None, result=None
    ):
        self.write_batch(
            self.update_instances,
            create=False,
            dry_run=dry_run,
            using_transactions=using_transactions,
            raise_errors=raise_errors,
            result=result,
        )

    def write_batch(
        self, instances, *, create, dry_run, using_transactions, raise_errors, result
    ):
        if not instances or not (using_transactions or not dry_run):
            instances.clear()
            return
        from simple_history.utils import (
            bulk_create_with_history,
            bulk_update_with_history,
        )

        model = self._meta.model
        size = self._meta.batch_size
        reason = str(self.change_reason)
        user = self.user if getattr(self.user, "pk", None) else None
        try:
            with transaction.atomic(using=self.get_db_connection_name()):
                if create and self.has_history():
                    bulk_create_with_history(
                        instances,
                        model,
                        batch_size=size,
                        default_user=user,
                        default_change_reason=reason,
                    )
                elif create:
                    model.objects.bulk_create(instances, batch_size=size)
                elif self.has_history():
                    bulk_update_with_history(
                        instances,
                        model,
                        self.get_bulk_update_fields(),
                        batch_size=size,
                        default_user=user,
                        default_change_reason=reason,
                    )
                else:
                    model.objects.bulk_update(
                        instances, self.get_bulk_update_fields(), batch_size=size
                    )
                self.after_bulk_write(instances, create=create)
        except DatabaseError as exc:
            for message in self.explain_batch_failure(instances, create=create):
                self.handle_import_error(result, ImportFileError(message))
            if raise_errors:
                raise
            if not result or not result.has_errors():
                self.handle_import_error(result, exc, raise_errors)
        finally:
            self._row_of = {}
            instances.clear()

    def after_bulk_write(self, instances, *, create: bool) -> None:
        """Rows written in bulk send no signal: a register that keeps something in
        step with its rows (a count, say) does it here, in the same transaction."""

    def explain_batch_failure(self, instances, *, create) -> list[str]:
        """The database refused a batch: find the rows and say why, in Vietnamese."""
        messages = []
        for obj in instances:
            if create:
                obj.pk = None
                obj._state.adding = True
            try:
                obj.validate_unique()
                obj.validate_constraints()
            except (TypeError, ValueError):
                # A constraint whose message cannot be formatted: name the row.
                text = _("dữ liệu không thỏa điều kiện của hệ thống.")
                row = excel_row(self._row_of.get(id(obj), 0))
                messages.append(
                    _("Dòng %(row)s: %(text)s") % {"row": row, "text": text}
                )
                continue
            except ValidationError as exc:
                error = self.columnize(exc)
                text = "; ".join(
                    (f"{k}: " if k != NON_FIELD_ERRORS else "") + " ".join(v)
                    for k, v in error.message_dict.items()
                )
                row = excel_row(self._row_of.get(id(obj), 0))
                messages.append(
                    _("Dòng %(row)s: %(text)s") % {"row": row, "text": text}
                )
        if not messages:
            messages.append(
                _("Cơ sở dữ liệu từ chối một nhóm dòng; không dòng nào được lưu.")
            )
        return messages

    def get_bulk_update_fields(self):
        names = []
        for field in self.get_import_fields():
            model_field = self.model_field(field)
            if model_field is not None and model_field.concrete:
                if field.attribute not in self.get_import_id_fields():
                    names.append(model_field.name)
        return names

    # --- export -----------------------------------------------------------------

    def filter_export(self, queryset, **kwargs):
        queryset = scope_for_user(queryset, kwargs.get("user") or self.user)
        related = [
            f.attribute
            for f in self.get_export_fields()
            if (mf := self.model_field(f)) is not None and _is_fk(mf)
        ]
        return queryset.select_related(*related) if related else queryset

    def export_field(self, field, instance, **kwargs):
        return parsers.escape_formula(super().export_field(field, instance, **kwargs))

    def get_queryset(self):
        return self._meta.model._default_manager.all()


def resource_factory(model) -> type[RegisterResource]:
    """A RegisterResource over every editable field, for a register whose app has
    not written one yet (used for export only: no natural key to update by)."""
    names = [
        f.name
        for f in model._meta.concrete_fields
        if f.editable
        and not f.primary_key
        and f.name not in ("created_at", "updated_at")
    ]
    meta = type("Meta", (), {"model": model, "fields": names})
    return type(f"{model.__name__}AutoResource", (RegisterResource,), {"Meta": meta})


__all__ = [
    "Field",
    "ImportFileError",
    "NaturalKeyInstanceLoader",
    "RegisterResource",
    "excel_row",
    "resource_factory",
    "scope_for_user",
]
