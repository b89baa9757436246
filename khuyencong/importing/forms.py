from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from import_export.forms import ImportForm, SelectableFieldsExportForm

from khuyencong.importing import files
from khuyencong.importing.resources import ImportFileError


class RegisterImportForm(ImportForm):
    """The admin's import form: the format is taken from the file's extension and
    the file is checked (type, size, content, columns) before any row is read."""

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.formats = formats
        self.resource_classes = resources
        self.fields["import_file"].label = _("Tệp cần nhập (.xlsx hoặc .csv)")
        self.fields["format"].required = False
        self.fields["format"].widget = forms.HiddenInput()

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("import_file")
        if not upload:
            return cleaned
        try:
            ext = files.check_upload(upload)
            dataset = files.read_dataset(upload, ext, name=upload.name)
            resource = self.resource_classes[0]()
            resource.normalize_headers(dataset.headers)
        except ValidationError as exc:
            self.add_error("import_file", exc)
            return cleaned
        except ImportFileError as exc:
            self.add_error("import_file", str(exc))
            return cleaned
        finally:
            upload.seek(0)
        wanted = files.FORMAT_BY_EXTENSION[ext]
        for index, format_class in enumerate(self.formats):
            if issubclass(format_class, wanted):
                cleaned["format"] = str(index)
        return cleaned


class RegisterExportForm(SelectableFieldsExportForm):
    """Columns to export, labelled with their Vietnamese headers only."""

    def _get_field_label(self, resource, field_name):
        field = resource.fields.get(field_name)
        return str(field.column_name) if field else field_name
