from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from khuyencong.admin import AttachmentAdminMixin, AttachmentInline
from khuyencong.admin_base import RegisterAdmin, related_sum
from khuyencong.workflow_admin import WorkflowAdminMixin
from villages.models import (
    BrandingActivity,
    BrandingApplication,
    BrandingCall,
    CraftVillage,
    _vnd,
    branding_activities_check,
)
from villages.selectors import application_changes, submission_logs
from villages.workflow import BRANDING_WORKFLOW


@admin.register(CraftVillage)
class CraftVillageAdmin(AttachmentAdminMixin, RegisterAdmin):
    list_display = (
        "name",
        "administrative_unit",
        "crafts",
        "title",
        "households_in_trade",
        "households_total",
        "recognition_year",
        "nd52_warning_count",
    )
    list_filter = ("title", "administrative_unit")
    list_select_related = ("administrative_unit",)
    search_fields = ("name", "crafts", "hamlet", "trademark_number")
    autocomplete_fields = ("administrative_unit", "recognition_document")
    readonly_fields = ("nd52_checks_display",)
    inlines = [AttachmentInline]
    fieldsets = (
        (None, {"fields": ("name", "administrative_unit", "hamlet", "crafts")}),
        (
            _("Công nhận"),
            {"fields": ("title", "recognition_document", "recognition_year")},
        ),
        (
            _("Quy mô và tiêu chí Nghị định 52/2018/NĐ-CP"),
            {
                "fields": (
                    "households_total",
                    "households_in_trade",
                    "workers",
                    "craft_started_year",
                    "stable_production_since",
                    "nd52_checks_display",
                )
            },
        ),
        (_("Nhãn hiệu tập thể"), {"fields": ("trademark_number", "trademark_date")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)

    @admin.display(description=_("cảnh báo NĐ 52/2018"))
    def nd52_warning_count(self, obj):
        warnings = [c for c in obj.nd52_checks() if c.ok is False]
        return len(warnings) or "—"

    @admin.display(description=_("đối chiếu tiêu chí"))
    def nd52_checks_display(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{}: {} — {}</li>",
                (
                    (
                        _("Đạt")
                        if c.ok is True
                        else _("Cảnh báo: chưa đạt")
                        if c.ok is False
                        else _("Chưa đủ dữ liệu"),
                        c.label,
                        c.detail,
                    )
                    for c in obj.nd52_checks()
                ),
            ),
        )


@admin.register(BrandingCall)
class BrandingCallAdmin(RegisterAdmin):
    list_display = ("title", "year", "opens_on", "deadline", "document", "n_apps")
    list_filter = ("year",)
    list_select_related = ("document",)
    search_fields = ("title", "document__number")
    autocomplete_fields = ("document",)
    date_hierarchy = "deadline"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_n_apps=Count("applications"))

    @admin.display(description=_("số hồ sơ"), ordering="_n_apps")
    def n_apps(self, obj):
        return obj._n_apps


class BrandingActivityFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors) or not self.instance.call_id:
            return
        rows = [
            (f.cleaned_data["kind"], f.cleaned_data["cost"])
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        try:
            branding_activities_check(call=self.instance.call, activities=rows)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc


class BrandingActivityInline(admin.TabularInline):
    model = BrandingActivity
    formset = BrandingActivityFormSet
    extra = 0
    max_num = len(BrandingActivity.Kind)
    fields = ("kind", "cost", "description")


@admin.register(BrandingApplication)
class BrandingApplicationAdmin(WorkflowAdminMixin, AttachmentAdminMixin, RegisterAdmin):
    workflow = BRANDING_WORKFLOW
    list_display = (
        "village",
        "administrative_unit",
        "call",
        "status",
        "requested_total",
        "approved_amount",
        "submitted_at",
        "updated_at",
    )
    list_filter = ("status", "call__year", "call", "administrative_unit")
    list_select_related = (
        "village__administrative_unit",
        "administrative_unit",
        "call",
    )
    search_fields = ("village__name", "administrative_unit__name", "contact_name")
    autocomplete_fields = ("village", "filed_by")
    date_hierarchy = "submitted_at"
    readonly_fields = (
        "administrative_unit",
        "submitted_at",
        "decision",
        "approved_amount",
        "submissions_display",
        "changes_display",
    )
    inlines = [BrandingActivityInline, AttachmentInline]
    actions = [
        WorkflowAdminMixin.bulk_step_action("tiep_nhan", _("Tiếp nhận, thẩm định")),
        WorkflowAdminMixin.bulk_step_action("trinh_ubnd", _("Trình UBND Thành phố")),
    ]
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "call",
                    "village",
                    "administrative_unit",
                    "filed_by",
                    "contact_name",
                    "contact_phone",
                    "note",
                    "status",
                    "submitted_at",
                )
            },
        ),
        (
            _("Các lần nộp và thay đổi"),
            {"fields": ("submissions_display", "changes_display")},
        ),
        (_("Quyết định"), {"fields": ("decision", "approved_amount")}),
        (
            _("Kết quả"),
            {"fields": ("logo_done", "trademark_status", "result_note")},
        ),
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .for_user(request.user)
            .annotate(_requested=related_sum(BrandingActivity, "application", "cost"))
        )

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("filed_by", request.user.pk)
        return initial

    @admin.display(description=_("kinh phí đề nghị (đồng)"), ordering="_requested")
    def requested_total(self, obj):
        return _vnd(obj._requested) if obj._requested is not None else "—"

    @admin.display(description=_("các lần nộp"))
    def submissions_display(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        logs = submission_logs(obj)
        if not logs:
            return _("Chưa nộp.")
        return format_html_join(
            mark_safe("<br>"),  # noqa: S308 - a constant
            "{}. {} — {}",
            (
                (i, f"{localtime(log.at):%d/%m/%Y %H:%M}", log.by)
                for i, log in enumerate(logs, start=1)
            ),
        )

    @admin.display(description=_("thay đổi so với lần nộp trước"))
    def changes_display(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        changes = application_changes(obj)
        if changes is None:
            return _("Chưa có lần nộp lại.")
        if not changes:
            return _("Không có thay đổi nào so với lần nộp trước.")
        return format_html(
            '<table id="submission-changes"><thead><tr><th>{}</th><th>{}</th>'
            "<th>{}</th></tr></thead><tbody>{}</tbody></table>",
            _("Mục"),
            _("Lần nộp trước"),
            _("Lần nộp này"),
            format_html_join(
                "",
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                ((c.what, c.before or "—", c.after or "—") for c in changes),
            ),
        )
