"""No lost updates: a save based on an outdated copy of a record is refused.

Every register has `updated_at` (TimeStampedModel). A form that edits a record
carries, in a hidden field, the `updated_at` it was loaded with. When it is saved,
the row is locked and its `updated_at` compared: if someone else saved in between,
the save is refused with a message that lists the fields they changed and the
values they left, taken from the record's history (django-simple-history).

Three layers, from the bottom:
- `record_changes_since` and `record_ensure_unchanged`: the service-level check,
  usable from any service or form (the district portal's forms included);
- `ConcurrencyTokenFormMixin`: any ModelForm;
- `ConcurrencyAdminMixin`: the admin, mixed into RegisterAdmin once for all
  registers.

A POST without the token (a script, not a browser showing our form) is not
checked: the protection is for people editing in two browsers at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django import forms
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

TOKEN_FIELD = "concurrency_token"
# Bookkeeping fields never shown as "changed".
_IGNORED = {"created_at", "updated_at"}


@dataclass(frozen=True)
class FieldChange:
    name: str
    label: str
    yours: str  # the value when you opened the record
    theirs: str  # the value saved since


@dataclass(frozen=True)
class ConcurrentEdit:
    by: str
    at: datetime | None
    changes: list[FieldChange]


def token_for(value: datetime | None) -> str:
    return value.isoformat() if value else ""


def _parse_token(token: str | None) -> datetime | None:
    if not token:
        return None
    try:
        parsed = parse_datetime(token)
    except ValueError:
        parsed = None
    if parsed is None:
        raise ValidationError(
            _("Dấu phiên bản của biểu mẫu không hợp lệ; hãy tải lại trang."),
            code="bad_token",
        )
    return parsed


def _display(instance: models.Model, field: models.Field) -> str:
    if field.choices:
        value = getattr(instance, field.attname)
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        try:
            related = getattr(instance, field.name)
        except models.ObjectDoesNotExist:
            related = None
        return str(related) if related is not None else "—"
    value = getattr(instance, field.attname)
    if value is None or value == "":
        return "—"
    if isinstance(value, datetime):
        value = timezone.localtime(value)
    return str(formats.localize(value))


def record_changes_since(
    *, instance: models.Model, loaded_updated_at: datetime
) -> ConcurrentEdit | None:
    """None if the row is still the version loaded; otherwise who changed it,
    when, and which fields (with the values saved since).

    Locks the row (SELECT ... FOR UPDATE) when called inside a transaction, so the
    caller's save that follows cannot be overtaken."""
    model = type(instance)
    manager = model._default_manager
    query = manager.filter(pk=instance.pk)
    if not transaction.get_autocommit(using=query.db):
        query = query.select_for_update()
    current = query.first()
    if current is None:
        raise ValidationError(
            _("Bản ghi này đã bị người khác xóa sau khi bạn mở trang."),
            code="deleted",
        )
    if current.updated_at == loaded_updated_at:
        return None

    history = getattr(model, "history", None)
    loaded_version = latest = None
    if history is not None:
        versions = history.filter(**{model._meta.pk.attname: instance.pk})
        loaded_version = (
            versions.filter(updated_at=loaded_updated_at)
            .order_by("-history_date", "-history_id")
            .first()
        )
        latest = (
            versions.select_related("history_user")
            .order_by("-history_date", "-history_id")
            .first()
        )
    changes = []
    if loaded_version is not None:
        history_fields = {f.attname for f in loaded_version._meta.concrete_fields}
        for field in model._meta.concrete_fields:
            if field.primary_key or field.name in _IGNORED or not field.editable:
                continue
            if field.attname not in history_fields:
                continue  # kept out of the history (a derived count, say)
            if getattr(loaded_version, field.attname) != getattr(
                current, field.attname
            ):
                changes.append(
                    FieldChange(
                        name=field.name,
                        label=str(field.verbose_name),
                        yours=_display(loaded_version.instance, field),
                        theirs=_display(current, field),
                    )
                )
    by = ""
    if latest is not None and latest.history_user is not None:
        by = str(latest.history_user)
    return ConcurrentEdit(
        by=by or _("người khác"), at=current.updated_at, changes=changes
    )


def concurrent_edit_message(edit: ConcurrentEdit) -> str:
    when = formats.date_format(timezone.localtime(edit.at), "d/m/Y H:i:s")
    message = _(
        "Bản ghi này đã được %(by)s sửa lúc %(when)s, sau khi bạn mở trang. "
        "Thay đổi của bạn CHƯA được lưu, để không ghi đè lên thay đổi đó."
    ) % {"by": edit.by, "when": when}
    if edit.changes:
        listed = "; ".join(
            _("%(label)s: “%(yours)s” → “%(theirs)s”")
            % {"label": c.label, "yours": c.yours, "theirs": c.theirs}
            for c in edit.changes
        )
        message += " " + _("Các trường đã thay đổi: %(fields)s.") % {"fields": listed}
    message += " " + _(
        "Hãy xem lại; nếu vẫn muốn lưu giá trị của mình, bấm Lưu một lần nữa."
    )
    return message


def record_ensure_unchanged(
    *, instance: models.Model, loaded_updated_at: datetime | str | None
) -> None:
    """Raise ValidationError (Vietnamese, listing the changes) if the row moved on
    since `loaded_updated_at`. Call it inside the transaction that saves."""
    if isinstance(loaded_updated_at, str):
        loaded_updated_at = _parse_token(loaded_updated_at)
    if loaded_updated_at is None or instance.pk is None:
        return
    edit = record_changes_since(instance=instance, loaded_updated_at=loaded_updated_at)
    if edit is not None:
        raise ValidationError(concurrent_edit_message(edit), code="concurrent_edit")


def concurrency_token_field() -> forms.CharField:
    """The hidden field, for a plain Form (a ModelForm uses the mixin below)."""
    return forms.CharField(widget=forms.HiddenInput, required=False)


def form_token_refresh(form: forms.BaseForm, instance: models.Model) -> None:
    """After a refusal: carry the current version, so that saving again, having
    seen what changed, applies this user's values on purpose."""
    current = (
        type(instance)
        ._default_manager.filter(pk=instance.pk)
        .values_list("updated_at", flat=True)
        .first()
    )
    form.data = form.data.copy()
    form.data[form.add_prefix(TOKEN_FIELD)] = token_for(current)


class ConcurrencyTokenFormMixin:
    """For a ModelForm editing a TimeStampedModel: put it before the form class,
    e.g. `class ApplicationForm(ConcurrencyTokenFormMixin, forms.ModelForm)`, and
    render `{{ form.concurrency_token }}` (a hidden input) in the template."""

    concurrency_initial: datetime | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[TOKEN_FIELD] = concurrency_token_field()
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk is not None:
            loaded = self.concurrency_initial or instance.updated_at
            self.initial[TOKEN_FIELD] = token_for(loaded)

    @property
    def changed_data(self):
        return [name for name in super().changed_data if name != TOKEN_FIELD]

    def clean(self):
        cleaned = super().clean()
        instance = self.instance
        if instance.pk is None or self.has_error(TOKEN_FIELD):
            return cleaned
        token = self.cleaned_data.get(TOKEN_FIELD)
        try:
            record_ensure_unchanged(instance=instance, loaded_updated_at=token)
        except ValidationError as error:
            if error.code == "concurrent_edit":
                form_token_refresh(self, instance)
            raise
        return cleaned


class ConcurrencyAdminMixin:
    """Adds the token to every change form of a ModelAdmin (see module doc)."""

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not self.has_change_permission(request, obj):
            return fieldsets
        *head, (name, options) = fieldsets
        fields = [f for f in options.get("fields", ()) if f != TOKEN_FIELD]
        return [*head, (name, {**options, "fields": [*fields, TOKEN_FIELD]})]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None or ("fields" in kwargs and kwargs["fields"] is None):
            # Adding, or ModelAdmin.get_fields() asking for the model's fields.
            return super().get_form(request, obj, change, **kwargs)
        if "fields" not in kwargs:
            kwargs["fields"] = flatten_fieldsets(self.get_fieldsets(request, obj))
        kwargs["fields"] = [f for f in kwargs["fields"] if f != TOKEN_FIELD]
        form = super().get_form(request, obj, change, **kwargs)
        attrs = {}
        if getattr(request, "_concurrency_revert", False):
            # Reverting: the form shows an old version, but the token must be
            # the version in the database now.
            attrs["concurrency_initial"] = (
                type(obj)
                ._default_manager.filter(pk=obj.pk)
                .values_list("updated_at", flat=True)
                .first()
            )
        return type(form.__name__, (ConcurrencyTokenFormMixin, form), attrs)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        request._concurrency_revert = True
        return super().history_form_view(
            request, object_id, version_id, extra_context=extra_context
        )
