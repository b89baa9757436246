from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from khuyencong.concurrency import TOKEN_FIELD, concurrency_token_field, token_for
from khuyencong.models import Attachment
from villages.models import BrandingActivity, BrandingCall, CraftVillage
from villages.services import ActivityInput

APPLICATION_DOCUMENT_KINDS = (
    Attachment.Kind.DISTRICT_LETTER,
    Attachment.Kind.RECOGNITION,
    Attachment.Kind.HOUSEHOLD_LIST,
    Attachment.Kind.OTHER,
)


def _bootstrap(form: forms.Form) -> None:
    for field in form.fields.values():
        css = (
            "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        )
        field.widget.attrs.setdefault("class", css)


class ApplicationForm(forms.Form):
    """The application as the officer types it: one cost line per activity kind
    (blank: not asked for), so a kind can not be asked twice."""

    call = forms.ModelChoiceField(
        label=_("Đợt đăng ký"), queryset=BrandingCall.objects.none()
    )
    village = forms.ModelChoiceField(
        label=_("Làng nghề"), queryset=CraftVillage.objects.none()
    )
    contact_name = forms.CharField(
        label=_("Người liên hệ"), max_length=120, required=False
    )
    contact_phone = forms.CharField(
        label=_("Điện thoại liên hệ"), max_length=20, required=False
    )
    note = forms.CharField(
        label=_("Thuyết minh"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, user, application=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.application = application
        if application is not None:
            # Call and village are fixed once the application exists.
            del self.fields["call"]
            del self.fields["village"]
        else:
            self.fields["call"].queryset = BrandingCall.objects.filter(
                opens_on__lte=timezone.localdate(),
                deadline__gte=timezone.localdate(),
            )
            self.fields["village"].queryset = CraftVillage.objects.for_user(
                user
            ).select_related("administrative_unit")
        for kind in BrandingActivity.Kind:
            self.fields[f"cost_{kind.value}"] = forms.DecimalField(
                label=kind.label,
                required=False,
                min_value=1,
                max_digits=16,
                decimal_places=0,
            )
            self.fields[f"desc_{kind.value}"] = forms.CharField(
                label=_("Mô tả"), max_length=255, required=False
            )
        if application is not None:
            # No lost update: the version the officer loaded (khuyencong.concurrency).
            self.fields[TOKEN_FIELD] = concurrency_token_field()
            self.initial.setdefault(TOKEN_FIELD, token_for(application.updated_at))
        _bootstrap(self)

    def activity_rows(self):
        return [
            (kind, self[f"cost_{kind.value}"], self[f"desc_{kind.value}"])
            for kind in BrandingActivity.Kind
        ]

    def activities(self) -> list[ActivityInput]:
        rows = []
        for kind in BrandingActivity.Kind:
            cost = self.cleaned_data.get(f"cost_{kind.value}")
            if cost:
                rows.append(
                    ActivityInput(
                        kind=kind.value,
                        cost=cost,
                        description=self.cleaned_data.get(f"desc_{kind.value}", ""),
                    )
                )
        return rows

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not self.activities():
            raise forms.ValidationError(
                _("Hãy ghi kinh phí cho ít nhất một nội dung đề nghị hỗ trợ.")
            )
        return cleaned

    @classmethod
    def initial_for(cls, application) -> dict:
        initial = {
            "contact_name": application.contact_name,
            "contact_phone": application.contact_phone,
            "note": application.note,
        }
        for a in application.activities.all():
            initial[f"cost_{a.kind}"] = a.cost
            initial[f"desc_{a.kind}"] = a.description
        return initial


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Loại tài liệu"),
        choices=[(k.value, k.label) for k in APPLICATION_DOCUMENT_KINDS],
    )
    title = forms.CharField(label=_("Tên tài liệu"), max_length=255, required=False)
    file = forms.FileField(
        label=_("Tệp"),
        help_text=_("PDF, ảnh (JPG, PNG), Word hoặc Excel."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)
