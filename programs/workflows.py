"""The equipment-project workflow (DOMAIN.md §4), declared for the one mechanism in
khuyencong/workflow.py.

đăng ký → khảo sát → trình UBND → phê duyệt → triển khai → nghiệm thu → quyết toán;
không phê duyệt from đăng ký, khảo sát or trình UBND; staff may return a project for
supplement (bổ sung) before forwarding it, and take it back to đăng ký or khảo sát.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from khuyencong.models import SupportRule
from khuyencong.workflow import ALL_STAFF, DECIDERS, Transition, Workflow
from programs.models import EquipmentProject, EquipmentStatus, vnd

S = EquipmentStatus


def _today():
    return timezone.localdate()


def check_approval(project: EquipmentProject) -> None:
    """The approved amount against the request and the SupportRule in force at the
    decision date (share of cost and cap), naming the rule and its legal basis."""
    amount = project.approved_support
    day = project.decided_on
    if day > _today():
        raise ValidationError(
            {"decided_on": _("Ngày quyết định không được sau ngày hôm nay.")}
        )
    if project.registered_on and day < project.registered_on:
        raise ValidationError(
            {
                "decided_on": _(
                    "Ngày quyết định (%(day)s) không được trước ngày đăng ký đề án "
                    "(%(registered)s)."
                )
                % {
                    "day": day.strftime("%d/%m/%Y"),
                    "registered": project.registered_on.strftime("%d/%m/%Y"),
                }
            }
        )
    if amount > project.requested_support:
        raise ValidationError(
            {
                "approved_support": _(
                    "Kinh phí được phê duyệt (%(amount)s đồng) không được lớn hơn "
                    "kinh phí cơ sở đề nghị hỗ trợ (%(requested)s đồng)."
                )
                % {"amount": vnd(amount), "requested": vnd(project.requested_support)}
            }
        )
    rule = SupportRule.objects.select_related("legal_basis").in_force(
        activity=project.activity, on=day, funding_source=project.funding_source
    )
    if rule is None:
        raise ValidationError(
            {
                "decided_on": _(
                    "Chưa có mức hỗ trợ nào cho nội dung “%(activity)s” áp dụng vào "
                    "ngày %(day)s: hãy nhập mức hỗ trợ trước khi phê duyệt."
                )
                % {
                    "activity": project.get_activity_display(),
                    "day": day.strftime("%d/%m/%Y"),
                }
            }
        )
    basis = rule.legal_basis.number if rule.legal_basis_id else _("chưa ghi căn cứ")
    params = {
        "amount": vnd(amount),
        "rule": rule.get_activity_display(),
        "since": rule.effective_from.strftime("%d/%m/%Y"),
        "basis": basis,
    }
    if rule.max_share_percent is not None:
        share_limit = (project.total_cost * rule.max_share_percent / 100).quantize(
            Decimal("1")
        )
        if amount > share_limit:
            raise ValidationError(
                {
                    "approved_support": _(
                        "Kinh phí được phê duyệt (%(amount)s đồng) vượt %(share)s%% "
                        "tổng chi phí đề án (tối đa %(limit)s đồng) theo mức hỗ trợ "
                        "“%(rule)s” áp dụng từ %(since)s (%(basis)s)."
                    )
                    % {
                        **params,
                        "share": f"{rule.max_share_percent.normalize():f}",
                        "limit": vnd(share_limit),
                    }
                }
            )
    if rule.max_amount is not None and amount > rule.max_amount:
        raise ValidationError(
            {
                "approved_support": _(
                    "Kinh phí được phê duyệt (%(amount)s đồng) vượt mức hỗ trợ tối đa "
                    "%(limit)s đồng/cơ sở theo mức hỗ trợ “%(rule)s” áp dụng từ "
                    "%(since)s (%(basis)s)."
                )
                % {**params, "limit": vnd(rule.max_amount)}
            }
        )


def check_advance(project: EquipmentProject) -> None:
    if project.advanced_on < project.decided_on:
        raise ValidationError(
            {"advanced_on": _("Ngày tạm ứng không được trước ngày quyết định.")}
        )
    if project.advanced_amount > project.approved_support:
        raise ValidationError(
            {
                "advanced_amount": _(
                    "Kinh phí tạm ứng (%(amount)s đồng) không được lớn hơn kinh phí "
                    "được phê duyệt (%(approved)s đồng)."
                )
                % {
                    "amount": vnd(project.advanced_amount),
                    "approved": vnd(project.approved_support),
                }
            }
        )


def check_acceptance(project: EquipmentProject) -> None:
    if project.accepted_on < project.decided_on:
        raise ValidationError(
            {"accepted_on": _("Ngày nghiệm thu không được trước ngày quyết định.")}
        )


def check_settlement(project: EquipmentProject) -> None:
    if project.settled_amount > project.approved_support:
        raise ValidationError(
            {
                "settled_amount": _(
                    "Kinh phí quyết toán (%(amount)s đồng) không được lớn hơn kinh phí "
                    "được phê duyệt (%(approved)s đồng)."
                )
                % {
                    "amount": vnd(project.settled_amount),
                    "approved": vnd(project.approved_support),
                }
            }
        )
    if project.settled_on < project.accepted_on:
        raise ValidationError(
            {"settled_on": _("Ngày quyết toán không được trước ngày nghiệm thu.")}
        )


def check_forward(project: EquipmentProject) -> None:
    if not project.requested_support:
        raise ValidationError(
            _("Đề án “%(title)s” chưa có kinh phí đề nghị hỗ trợ.")
            % {"title": project.title}
        )


def mark_forwarded(project: EquipmentProject, by) -> None:
    project.forwarded_on = _today()


def mark_rejected(project: EquipmentProject, by) -> None:
    project.rejected_on = _today()


EQUIPMENT_WORKFLOW = Workflow(
    status_field="status",
    states=EquipmentStatus,
    final_states=(S.SETTLED, S.REJECTED),
    transitions=(
        Transition(
            name="survey",
            label=gettext_lazy("Ghi nhận khảo sát"),
            sources=(S.REGISTERED, S.NEEDS_SUPPLEMENT),
            target=S.SURVEYED,
            roles=ALL_STAFF,
            fields=("surveyed_on", "survey_notes"),
            required=("surveyed_on", "survey_notes"),
        ),
        Transition(
            name="request_supplement",
            label=gettext_lazy("Yêu cầu bổ sung hồ sơ"),
            sources=(S.REGISTERED, S.SURVEYED),
            target=S.NEEDS_SUPPLEMENT,
            roles=ALL_STAFF,
            comment_required=True,
            style="secondary",
        ),
        Transition(
            name="supplement_received",
            label=gettext_lazy("Nhận hồ sơ bổ sung"),
            sources=(S.NEEDS_SUPPLEMENT,),
            target=S.REGISTERED,
            roles=ALL_STAFF,
            style="secondary",
        ),
        Transition(
            name="forward",
            label=gettext_lazy("Trình UBND Thành phố"),
            sources=(S.SURVEYED,),
            target=S.FORWARDED,
            roles=ALL_STAFF,
            required=("surveyed_on",),
            check=check_forward,
            effect=mark_forwarded,
        ),
        Transition(
            name="approve",
            label=gettext_lazy("Ghi nhận quyết định phê duyệt"),
            sources=(S.FORWARDED,),
            target=S.APPROVED,
            roles=DECIDERS,
            fields=("decision", "decided_on", "approved_support"),
            required=("decision", "decided_on", "approved_support"),
            check=check_approval,
        ),
        Transition(
            name="reject",
            label=gettext_lazy("Không phê duyệt"),
            sources=(S.REGISTERED, S.SURVEYED, S.FORWARDED),
            target=S.REJECTED,
            roles=DECIDERS,
            fields=("rejection_reason", "decision"),
            required=("rejection_reason",),
            effect=mark_rejected,
            style="danger",
        ),
        Transition(
            name="start",
            label=gettext_lazy("Triển khai, ghi nhận tạm ứng"),
            sources=(S.APPROVED,),
            target=S.IMPLEMENTING,
            roles=ALL_STAFF,
            fields=("advanced_amount", "advanced_on"),
            required=("advanced_amount", "advanced_on"),
            check=check_advance,
        ),
        Transition(
            name="accept",
            label=gettext_lazy("Nghiệm thu"),
            sources=(S.IMPLEMENTING,),
            target=S.ACCEPTED,
            roles=ALL_STAFF,
            fields=("accepted_on", "acceptance_notes"),
            required=("accepted_on",),
            check=check_acceptance,
        ),
        Transition(
            name="settle",
            label=gettext_lazy("Quyết toán"),
            sources=(S.ACCEPTED,),
            target=S.SETTLED,
            roles=ALL_STAFF,
            fields=("settled_amount", "settled_on"),
            required=("settled_amount", "settled_on"),
            check=check_settlement,
        ),
    ),
)
