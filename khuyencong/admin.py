from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.utils.translation import gettext_lazy as _

from khuyencong.admin_base import RegisterAdmin
from khuyencong.forms import AttachmentForm, UserAdminCreationForm, UserAdminForm
from khuyencong.models import (
    AdministrativeUnit,
    Attachment,
    LegalDocument,
    SupportRule,
    User,
)
from khuyencong.roles import user_apply_role

admin.site.site_header = _("Sở Công Thương Hà Nội — Quản lý khuyến công")
admin.site.site_title = _("Khuyến công Hà Nội")
admin.site.index_title = _("Quản trị dữ liệu khuyến công")


class AttachmentInline(GenericTabularInline):
    """Files of any record; reuse it in every admin that has documents."""

    model = Attachment
    form = AttachmentForm
    extra = 0
    fields = ("kind", "title", "file", "original_name", "size", "uploaded_by")
    readonly_fields = ("original_name", "size", "uploaded_by")
    verbose_name = _("tài liệu")
    verbose_name_plural = _("tài liệu đính kèm")


class AttachmentAdminMixin:
    """Admins with an AttachmentInline: record who uploaded each file."""

    def save_formset(self, request, form, formset, change):
        if formset.model is Attachment:
            for obj in formset.save(commit=False):
                if not obj.uploaded_by_id:
                    obj.uploaded_by = request.user
                obj.save()
            for obj in formset.deleted_objects:
                obj.delete()
            return
        super().save_formset(request, form, formset, change)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserAdminForm
    add_form = UserAdminCreationForm
    list_display = (
        "username",
        "get_full_name",
        "role",
        "administrative_unit",
        "is_active",
        "last_login",
    )
    list_filter = ("role", "is_active", "administrative_unit")
    list_select_related = ("administrative_unit",)
    search_fields = ("username", "first_name", "last_name", "email")
    autocomplete_fields = ("administrative_unit",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            _("Thông tin cá nhân"),
            {"fields": ("last_name", "first_name", "email", "phone")},
        ),
        (_("Vai trò"), {"fields": ("role", "administrative_unit", "is_active")}),
        (
            _("Quyền nâng cao"),
            {
                "classes": ("collapse",),
                "fields": ("is_superuser", "groups", "user_permissions"),
            },
        ),
        (_("Thời điểm"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "usable_password",
                    "password1",
                    "password2",
                    "role",
                    "administrative_unit",
                ),
            },
        ),
    )
    readonly_fields = ("last_login", "date_joined")

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user_apply_role(form.instance)


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(RegisterAdmin):
    list_display = ("code", "name", "kind", "parent", "valid_from", "valid_until")
    list_filter = ("kind", "parent")
    list_select_related = ("parent",)
    search_fields = ("code", "name")
    autocomplete_fields = ("parent",)
    ordering = ("code",)


@admin.register(LegalDocument)
class LegalDocumentAdmin(AttachmentAdminMixin, RegisterAdmin):
    list_display = ("number", "kind", "issuer", "issued_on", "summary")
    list_filter = ("kind", "issuer")
    search_fields = ("number", "summary", "issuer")
    date_hierarchy = "issued_on"
    inlines = [AttachmentInline]


@admin.register(SupportRule)
class SupportRuleAdmin(RegisterAdmin):
    list_display = (
        "activity",
        "funding_source",
        "effective_from",
        "effective_until",
        "max_share_percent",
        "max_amount",
        "max_items",
        "legal_basis",
    )
    list_filter = ("activity", "funding_source")
    list_select_related = ("legal_basis",)
    search_fields = ("note", "legal_basis__number")
    autocomplete_fields = ("legal_basis",)
