"""Writes of the villages app: applications, their activities and documents, the
workflow steps officers take, and mail to officers."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from khuyencong.concurrency import record_ensure_unchanged
from khuyencong.models import Attachment, WorkflowLog, user_is_officer
from khuyencong.uploads import validate_upload
from khuyencong.workflow import workflow_apply
from villages.models import (
    EDITABLE_STATES,
    PLAIN_STATUS,
    ApplicationStatus,
    BrandingActivity,
    BrandingApplication,
    BrandingCall,
    CraftVillage,
    _vnd,
    branding_activities_check,
)
from villages.workflow import BRANDING_WORKFLOW, RESUBMIT, SUBMIT


@dataclass(frozen=True)
class ActivityInput:
    kind: str
    cost: Decimal
    description: str = ""


def _ensure_village_allowed(*, village: CraftVillage, by) -> None:
    if not CraftVillage.objects.for_user(by).filter(pk=village.pk).exists():
        raise PermissionDenied(_("Làng nghề không thuộc đơn vị của bạn."))


def _ensure_editable(*, application: BrandingApplication, by) -> None:
    if not BrandingApplication.objects.for_user(by).filter(pk=application.pk).exists():
        raise PermissionDenied(_("Hồ sơ không thuộc đơn vị của bạn."))
    if user_is_officer(by) and application.status not in EDITABLE_STATES:
        raise ValidationError(
            _(
                "Hồ sơ đang ở trạng thái “%(status)s”: chỉ sửa được khi đang soạn "
                "hoặc khi Sở yêu cầu bổ sung."
            ),
            code="not_editable",
            params={"status": PLAIN_STATUS[application.status]},
        )


def _ensure_call_open(call: BrandingCall) -> None:
    if timezone.localdate() > call.deadline:
        raise ValidationError(
            {
                "call": _("Đợt đăng ký đã hết hạn nộp ngày %(d)s.")
                % {"d": f"{call.deadline:%d/%m/%Y}"}
            },
            code="late",
        )


def _activities_save(
    *, application: BrandingApplication, activities: Iterable[ActivityInput]
) -> None:
    activities = list(activities)
    kinds = [a.kind for a in activities]
    if len(kinds) != len(set(kinds)):
        raise ValidationError(
            _("Mỗi nội dung chỉ được đề nghị một lần."), code="duplicate_kind"
        )
    branding_activities_check(
        call=application.call, activities=[(a.kind, a.cost) for a in activities]
    )
    application.activities.exclude(kind__in=kinds).delete()
    for a in activities:
        row = application.activities.filter(kind=a.kind).first() or BrandingActivity(
            application=application, kind=a.kind
        )
        row.cost = a.cost
        row.description = a.description
        row.full_clean(exclude=["application"])
        row.save()


@transaction.atomic
def application_create(
    *,
    by,
    call: BrandingCall,
    village: CraftVillage,
    activities: Iterable[ActivityInput],
    contact_name: str = "",
    contact_phone: str = "",
    note: str = "",
) -> BrandingApplication:
    _ensure_village_allowed(village=village, by=by)
    _ensure_call_open(call)
    application = BrandingApplication(
        call=call,
        village=village,
        administrative_unit_id=village.administrative_unit_id,
        filed_by=by,
        contact_name=contact_name,
        contact_phone=contact_phone,
        note=note,
    )
    application.full_clean()
    application.save()
    _activities_save(application=application, activities=activities)
    return application


@transaction.atomic
def application_update(
    *,
    application: BrandingApplication,
    by,
    activities: Iterable[ActivityInput],
    contact_name: str = "",
    contact_phone: str = "",
    note: str = "",
    loaded_updated_at: datetime | str | None = None,
) -> BrandingApplication:
    application = BrandingApplication.objects.select_for_update().get(pk=application.pk)
    _ensure_editable(application=application, by=by)
    # Refused if saved by someone else since the form was loaded.
    record_ensure_unchanged(instance=application, loaded_updated_at=loaded_updated_at)
    application.contact_name = contact_name
    application.contact_phone = contact_phone
    application.note = note
    application.full_clean()
    application.save()
    _activities_save(application=application, activities=activities)
    return application


@transaction.atomic
def application_document_add(
    *,
    application: BrandingApplication,
    by,
    upload,
    kind: str = Attachment.Kind.OTHER,
    title: str = "",
) -> Attachment:
    _ensure_editable(application=application, by=by)
    try:
        mime = validate_upload(upload)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    attachment = Attachment(
        target=application,
        kind=kind,
        title=title,
        file=upload,
        original_name=upload.name[:255],
        size=upload.size,
        mime_type=mime,
        uploaded_by=by,
    )
    attachment.full_clean()
    attachment.save()
    return attachment


@transaction.atomic
def application_document_remove(
    *, application: BrandingApplication, by, attachment: Attachment
) -> None:
    _ensure_editable(application=application, by=by)
    if not Attachment.objects.for_object(application).filter(pk=attachment.pk).exists():
        raise PermissionDenied
    attachment.file.delete(save=False)
    attachment.delete()


def application_submit(*, application: BrandingApplication, by) -> WorkflowLog:
    """Submit a draft (by the deadline) or resubmit after a supplement request."""
    _ensure_editable(application=application, by=by)
    step = (
        RESUBMIT if application.status == ApplicationStatus.NEEDS_SUPPLEMENT else SUBMIT
    )
    return workflow_apply(
        workflow=BRANDING_WORKFLOW, obj=application, transition=step, by=by
    )


def application_resubmit(*, application: BrandingApplication, by) -> WorkflowLog:
    _ensure_editable(application=application, by=by)
    return workflow_apply(
        workflow=BRANDING_WORKFLOW, obj=application, transition=RESUBMIT, by=by
    )


def application_step(
    *,
    application: BrandingApplication,
    by,
    transition: str,
    comment: str = "",
    values: dict | None = None,
) -> WorkflowLog:
    """A staff or leadership step (the admin's buttons do the same)."""
    return workflow_apply(
        workflow=BRANDING_WORKFLOW,
        obj=application,
        transition=transition,
        by=by,
        comment=comment,
        values=values,
    )


_MAIL_SUBJECTS = {
    ApplicationStatus.NEEDS_SUPPLEMENT: gettext_lazy("Hồ sơ “%(app)s” cần bổ sung"),
    ApplicationStatus.APPROVED: gettext_lazy("Hồ sơ “%(app)s” được hỗ trợ"),
    ApplicationStatus.REJECTED: gettext_lazy("Hồ sơ “%(app)s” không được hỗ trợ"),
}


def application_notify_officer(
    *, application: BrandingApplication, log: WorkflowLog
) -> None:
    """Mail the officer who filed the application that staff returned or decided
    it; sent once the step is committed."""
    officer = application.filed_by
    if officer is None or not officer.email:
        return
    subject = str(_MAIL_SUBJECTS[log.to_state]) % {"app": application}
    lines = [
        _("Kính gửi %(name)s,") % {"name": officer},
        "",
        _("Hồ sơ xây dựng thương hiệu “%(app)s” hiện ở trạng thái: %(status)s.")
        % {"app": application, "status": PLAIN_STATUS[log.to_state]},
    ]
    if log.comment:
        lines += ["", _("Ý kiến của Sở Công Thương:"), log.comment]
    if log.to_state == ApplicationStatus.APPROVED:
        lines += [
            "",
            _("Quyết định: %(doc)s. Kinh phí được hỗ trợ: %(amount)s đồng.")
            % {
                "doc": application.decision,
                "amount": _vnd(application.approved_amount),
            },
        ]
    if log.to_state == ApplicationStatus.NEEDS_SUPPLEMENT:
        lines += [
            "",
            _("Vui lòng đăng nhập cổng quận/huyện, bổ sung hồ sơ và nộp lại: %(path)s")
            % {"path": application.get_absolute_url()},
        ]
    lines += ["", _("Sở Công Thương Hà Nội")]
    body = "\n".join(str(line) for line in lines)
    recipient = officer.email
    # robust: a mail server that is down is logged; it must not turn a step that
    # is already saved into an error page (tests/faults).
    transaction.on_commit(
        lambda: send_mail(subject, body, None, [recipient], fail_silently=False),
        robust=True,
    )
