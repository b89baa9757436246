from django import forms
from django.contrib.admin.widgets import AdminFileWidget
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from khuyencong.models import Attachment, Role, User
from khuyencong.uploads import validate_upload


class OfficerNeedsUnitMixin:
    def clean(self):
        cleaned = super().clean()
        if cleaned.get("role") == Role.OFFICER and not cleaned.get(
            "administrative_unit"
        ):
            self.add_error(
                "administrative_unit",
                _("Cán bộ quận/huyện phải được gán một đơn vị hành chính."),
            )
        return cleaned


class UserAdminForm(OfficerNeedsUnitMixin, UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"


class UserAdminCreationForm(OfficerNeedsUnitMixin, AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("username", "role", "administrative_unit")


class _StoredFile:
    """What the file widget shows for a saved attachment: its original name, linked
    to the download that checks who may see it."""

    def __init__(self, attachment: Attachment):
        self.url = attachment.get_absolute_url()
        self.name = attachment.original_name or _("tệp đính kèm")

    def __str__(self) -> str:
        return str(self.name)


class AttachmentFileWidget(AdminFileWidget):
    """The admin's file input, never showing the private storage path (long, and
    its media URL is not served)."""

    attachment: Attachment | None = None

    def format_value(self, value):
        value = super().format_value(value)
        if self.is_initial(value) and self.attachment and self.attachment.pk:
            return _StoredFile(self.attachment)
        return value


class AttachmentForm(forms.ModelForm):
    class Meta:
        model = Attachment
        fields = ("kind", "title", "file")
        widgets = {"file": AttachmentFileWidget}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attachment = self.instance

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload and hasattr(upload, "content_type"):  # a new upload
            self._mime = validate_upload(upload)
        return upload

    def save(self, commit=True):
        obj = super().save(commit=False)
        upload = self.cleaned_data.get("file")
        if upload and hasattr(upload, "content_type"):
            obj.original_name = upload.name[:255]
            obj.size = upload.size
            obj.mime_type = self._mime
        if commit:
            obj.save()
        return obj
