"""The one workflow mechanism (ARCHITECTURE.md, "Workflows").

A workflow is a status field (TextChoices, stable stored strings) plus a declared map of
transitions: from which states, to which state, which roles may take it, which fields
the step must fill, and an optional rule check. `workflow_apply` is the one service that
checks a step, saves it and writes the WorkflowLog row, in one transaction, with the row
locked so that a double click moves the record once. `transitions_for` answers "what may
this user do next". No workflow library is involved: migrations see plain CharFields.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from khuyencong.models import Role, WorkflowLog


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: tuple[str, ...]
    target: str
    roles: tuple[str, ...]
    # Model fields the step asks for (the confirmation form shows them).
    fields: tuple[str, ...] = ()
    # Fields that must hold a value once the step is taken.
    required: tuple[str, ...] = ()
    comment_required: bool = False
    # Extra rule: raise ValidationError (Vietnamese) to refuse the step.
    check: Callable[[Any], None] | None = None
    # Set derived values on the record (dates of the step...), after the check.
    effect: Callable[[Any, Any], None] | None = None
    # Run once the step is saved and logged, inside the same transaction, with
    # (record, log, by): snapshots into log.data, mail via transaction.on_commit...
    after: Callable[[Any, Any, Any], None] | None = None
    # Styling hint for buttons: "primary", "danger", "secondary".
    style: str = "primary"


@dataclass
class Workflow:
    status_field: str
    states: type[models.TextChoices]
    transitions: tuple[Transition, ...]
    final_states: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        names = [t.name for t in self.transitions]
        if len(names) != len(set(names)):
            raise ValueError("transition names must be unique")
        for t in self.transitions:
            if set(t.sources) & set(self.final_states):
                raise ValueError(f"{t.name} leaves a final state")

    def get(self, name: str) -> Transition:
        for t in self.transitions:
            if t.name == name:
                return t
        raise ValidationError(
            _("Không có bước xử lý “%(name)s”."), params={"name": name}
        )

    def state_label(self, value: str) -> str:
        try:
            return str(self.states(value).label)
        except ValueError:
            return value


def user_may(transition: Transition, user) -> bool:
    if not user or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.role in transition.roles


def transitions_for(workflow: Workflow, obj, user) -> list[Transition]:
    """The steps this user may take on this record now."""
    state = getattr(obj, workflow.status_field)
    return [t for t in workflow.transitions if state in t.sources and user_may(t, user)]


def _is_empty(value) -> bool:
    # A reason of blanks is no reason.
    if isinstance(value, str):
        return not value.strip()
    return value is None or value == [] or value == {}


def _jsonable(value):
    if isinstance(value, models.Model):
        return {"id": value.pk, "text": str(value)}
    if isinstance(value, (int, float, bool, str)) or value is None:
        return value
    return str(value)


@transaction.atomic
def workflow_apply(
    *,
    workflow: Workflow,
    obj,
    transition: str,
    by,
    comment: str = "",
    values: dict[str, Any] | None = None,
) -> WorkflowLog:
    """Take one step. Refuses with ValidationError and changes nothing when the step
    is not allowed (state, role, missing field or comment, rule). On success the
    caller's `obj` is refreshed to the saved state."""
    step = workflow.get(transition)
    model = type(obj)
    # Lock the row (PostgreSQL); on SQLite the write below is serialised anyway and
    # the conditional update guards against a second click.
    locked = model._default_manager.select_for_update().get(pk=obj.pk)
    state = getattr(locked, workflow.status_field)

    if state in workflow.final_states:
        raise ValidationError(
            _("Hồ sơ đang ở trạng thái “%(state)s”, không thể chuyển tiếp."),
            code="final_state",
            params={"state": workflow.state_label(state)},
        )
    if state not in step.sources:
        raise ValidationError(
            _(
                "Không thể thực hiện bước “%(step)s” khi hồ sơ đang ở trạng thái "
                "“%(state)s”."
            ),
            code="wrong_state",
            params={"step": step.label, "state": workflow.state_label(state)},
        )
    if not user_may(step, by):
        raise ValidationError(
            _("Bạn không có quyền thực hiện bước “%(step)s”."),
            code="wrong_role",
            params={"step": step.label},
        )
    comment = (comment or "").strip()
    if step.comment_required and not comment:
        raise ValidationError(
            {
                "comment": _("Bước “%(step)s” cần ghi rõ ý kiến hoặc lý do.")
                % {"step": step.label}
            },
            code="comment_required",
        )

    values = values or {}
    unknown = set(values) - set(step.fields)
    if unknown:
        raise ValidationError(
            _("Bước “%(step)s” không nhận trường: %(fields)s."),
            params={"step": step.label, "fields": ", ".join(sorted(unknown))},
        )
    for name, value in values.items():
        setattr(locked, name, value)
    missing = {
        name: _("Trường “%(field)s” là bắt buộc ở bước “%(step)s”.")
        % {"field": model._meta.get_field(name).verbose_name, "step": step.label}
        for name in step.required
        if _is_empty(getattr(locked, name))
    }
    if missing:
        raise ValidationError(missing, code="required")
    if step.check:
        step.check(locked)
    previous = state
    setattr(locked, workflow.status_field, step.target)
    if step.effect:
        step.effect(locked, by)
    locked.full_clean()
    # Guard: only a row still in the state we checked moves (a second click that
    # got past the lock on a database without row locks finds 0 rows here).
    moved = model._default_manager.filter(
        pk=locked.pk, **{workflow.status_field: previous}
    ).update(**{workflow.status_field: step.target})
    if moved != 1:
        raise ValidationError(
            _("Hồ sơ vừa được người khác xử lý. Hãy tải lại trang và kiểm tra."),
            code="concurrent",
        )
    locked.save()

    log = WorkflowLog.objects.create(
        target=locked,
        transition=step.name,
        from_state=previous,
        to_state=step.target,
        by=by,
        comment=comment,
        data={name: _jsonable(getattr(locked, name)) for name in step.fields},
    )
    if step.after:
        step.after(locked, log, by)
    # Hand the saved state back to the caller's instance.
    for f in model._meta.concrete_fields:
        setattr(obj, f.attname, getattr(locked, f.attname))
    return log


def history_for(obj) -> Iterable[WorkflowLog]:
    return WorkflowLog.objects.for_object(obj).select_related("by")


ALL_STAFF = (Role.STAFF,)
DECIDERS = (Role.STAFF, Role.LEADERSHIP)
