"""The branding application workflow (DOMAIN.md §4) on the shared mechanism."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from khuyencong.models import Role
from khuyencong.workflow import ALL_STAFF, DECIDERS, Transition, Workflow
from villages.models import (
    ApplicationStatus as S,
)
from villages.models import (
    BrandingApplication,
    _vnd,
    branding_activities_check,
)

OFFICERS = (Role.OFFICER,)


def _activities(application: BrandingApplication) -> list[tuple[str, object]]:
    return list(application.activities.values_list("kind", "cost"))


def _check_content(application: BrandingApplication) -> None:
    activities = _activities(application)
    if not activities:
        raise ValidationError(
            _("Hồ sơ chưa có nội dung đề nghị hỗ trợ nào."), code="no_activity"
        )
    branding_activities_check(call=application.call, activities=activities)


def _check_submit(application: BrandingApplication) -> None:
    today = timezone.localdate()
    call = application.call
    if today > call.deadline:
        raise ValidationError(
            _(
                "Đợt đăng ký “%(call)s” đã hết hạn nộp ngày %(deadline)s, không thể "
                "nộp hồ sơ."
            ),
            code="late",
            params={"call": call.title, "deadline": f"{call.deadline:%d/%m/%Y}"},
        )
    if today < call.opens_on:
        raise ValidationError(
            _("Đợt đăng ký “%(call)s” mở từ ngày %(opens)s."),
            code="not_open",
            params={"call": call.title, "opens": f"{call.opens_on:%d/%m/%Y}"},
        )
    _check_content(application)


def _check_approval(application: BrandingApplication) -> None:
    rule = application.call.support_rule()
    cap = rule.max_amount if rule else None
    allowed = sum(
        (min(cost, cap) if cap is not None else cost)
        for _kind, cost in _activities(application)
    )
    if application.approved_amount is not None and application.approved_amount > (
        allowed or 0
    ):
        raise ValidationError(
            {
                "approved_amount": _(
                    "Kinh phí được hỗ trợ %(amount)s đồng vượt tổng mức được phép "
                    "của các nội dung đề nghị (%(allowed)s đồng)."
                )
                % {
                    "amount": _vnd(application.approved_amount),
                    "allowed": _vnd(allowed),
                }
            },
            code="over_allowed",
        )


def _set_submitted_at(application: BrandingApplication, by) -> None:
    if application.submitted_at is None:
        application.submitted_at = timezone.now()


def _after_submit(application, log, by) -> None:
    from villages.selectors import application_snapshot

    log.data = {**log.data, "snapshot": application_snapshot(application)}
    log.save(update_fields=["data"])


def _after_staff_answer(application, log, by) -> None:
    from villages.services import application_notify_officer

    application_notify_officer(application=application, log=log)


SUBMIT = "nop"
RESUBMIT = "nop_lai"
SUBMIT_STEPS = (SUBMIT, RESUBMIT)

BRANDING_WORKFLOW = Workflow(
    status_field="status",
    states=S,
    final_states=(S.REJECTED, S.DONE),
    transitions=(
        Transition(
            name=SUBMIT,
            label=_("Nộp hồ sơ"),
            sources=(S.DRAFT,),
            target=S.SUBMITTED,
            roles=OFFICERS,
            check=_check_submit,
            effect=_set_submitted_at,
            after=_after_submit,
        ),
        Transition(
            name="tiep_nhan",
            label=_("Tiếp nhận, thẩm định"),
            sources=(S.SUBMITTED,),
            target=S.UNDER_REVIEW,
            roles=ALL_STAFF,
        ),
        Transition(
            name="yeu_cau_bo_sung",
            label=_("Yêu cầu bổ sung"),
            sources=(S.SUBMITTED, S.UNDER_REVIEW),
            target=S.NEEDS_SUPPLEMENT,
            roles=ALL_STAFF,
            comment_required=True,
            style="secondary",
            after=_after_staff_answer,
        ),
        # The review goes on where it stopped: a resubmitted application goes
        # straight back to review, with the changes shown to staff.
        Transition(
            name=RESUBMIT,
            label=_("Nộp lại hồ sơ đã bổ sung"),
            sources=(S.NEEDS_SUPPLEMENT,),
            target=S.UNDER_REVIEW,
            roles=OFFICERS,
            check=_check_content,
            after=_after_submit,
        ),
        Transition(
            name="trinh_ubnd",
            label=_("Trình UBND Thành phố"),
            sources=(S.UNDER_REVIEW,),
            target=S.FORWARDED,
            roles=ALL_STAFF,
        ),
        Transition(
            name="phe_duyet",
            label=_("Ghi nhận quyết định hỗ trợ"),
            sources=(S.FORWARDED,),
            target=S.APPROVED,
            roles=DECIDERS,
            fields=("decision", "approved_amount"),
            required=("decision", "approved_amount"),
            check=_check_approval,
            after=_after_staff_answer,
        ),
        Transition(
            name="khong_ho_tro",
            label=_("Không hỗ trợ"),
            sources=(S.UNDER_REVIEW, S.FORWARDED),
            target=S.REJECTED,
            roles=DECIDERS,
            comment_required=True,
            style="danger",
            after=_after_staff_answer,
        ),
        Transition(
            name="hoan_thanh",
            label=_("Ghi nhận hoàn thành"),
            sources=(S.APPROVED,),
            target=S.DONE,
            roles=ALL_STAFF,
            fields=("logo_done", "trademark_status", "result_note"),
            required=("result_note",),
        ),
    ),
)
