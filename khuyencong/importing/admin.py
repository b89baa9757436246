"""Import/export for every RegisterAdmin: the resource is found by model in the
app's resources.py, the file is checked first, export is scoped to the user, and
each changelist offers a blank template to download."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import path
from import_export.admin import ImportExportMixin

from khuyencong.importing import files
from khuyencong.importing.forms import RegisterExportForm, RegisterImportForm
from khuyencong.importing.registry import export_resource_for, resource_for
from khuyencong.importing.resources import scope_for_user
from khuyencong.importing.template import template_workbook


class RegisterImportExportMixin(ImportExportMixin):
    import_form_class = RegisterImportForm
    export_form_class = RegisterExportForm
    import_formats = [files.XLSX, files.CSV]
    export_formats = [files.XLSX, files.CSV]
    # The library's default lists "resource", "format"... in English; errors are
    # shown as messages, never as tracebacks.
    import_error_display = ("message",)
    import_template_name = "admin/import_export/import.html"

    def get_import_resource_classes(self, request):
        if self.resource_classes:
            return list(self.resource_classes)
        found = resource_for(self.model)
        return [found] if found and found.import_allowed else []

    def get_export_resource_classes(self, request):
        if self.resource_classes:
            return list(self.resource_classes)
        return [export_resource_for(self.model)]

    def get_resource_classes(self, request=None):
        return self.get_export_resource_classes(request)

    def has_import_permission(self, request):
        # No import without a declared resource (nothing to match rows by), nor
        # into a register whose rows move only through its workflow.
        found = resource_for(self.model)
        return (
            found is not None
            and found.import_allowed
            and super().has_import_permission(request)
        )

    def get_import_resource_kwargs(self, request, **kwargs):
        return {"user": request.user}

    def get_export_resource_kwargs(self, request, **kwargs):
        return {"user": request.user}

    def get_export_queryset(self, request):
        return scope_for_user(super().get_export_queryset(request), request.user)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "mau-nhap/",
                self.admin_site.admin_view(self.import_template_view),
                name="{}_{}_import_template".format(*info),
            )
        ] + super().get_urls()

    def import_template_view(self, request):
        resource_class = resource_for(self.model)
        if not self.has_import_permission(request):
            raise PermissionDenied
        response = HttpResponse(
            template_workbook(resource_class()),
            content_type=files.XLSX.CONTENT_TYPE,
        )
        response["Content-Disposition"] = (
            f'attachment; filename="mau-nhap-{self.opts.model_name}.xlsx"'
        )
        return response
