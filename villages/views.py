"""The district portal (/huyen/): officers see and file their unit's applications.
Views parse, call a service or selector, render. Another unit's record is a 404."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khuyencong.concurrency import TOKEN_FIELD, form_token_refresh
from khuyencong.models import Attachment, SupportRule, user_is_officer
from khuyencong.workflow_admin import add_validation_error as add_form_errors
from villages import services
from villages.forms import ApplicationForm, DocumentForm
from villages.models import BrandingApplication, BrandingCall, CraftVillage
from villages.selectors import last_return_comment


def officer_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not user_is_officer(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _applications(user):
    return BrandingApplication.objects.for_user(user).select_related(
        "call", "village", "administrative_unit"
    )


def _application_or_404(request, pk) -> BrandingApplication:
    return get_object_or_404(_applications(request.user), pk=pk)


def _refuse_edit(request, application):
    messages.error(
        request,
        _(
            "Hồ sơ đã nộp, không sửa được (trạng thái: %(s)s). Chỉ sửa được khi "
            "đang soạn hoặc khi Sở yêu cầu bổ sung."
        )
        % {"s": application.plain_status},
    )
    return redirect(application)


@officer_required
def portal_home(request):
    today = timezone.localdate()
    context = {
        "villages": CraftVillage.objects.for_user(request.user).select_related(
            "administrative_unit"
        ),
        "applications": _applications(request.user).order_by(
            "-call__year", "village__name"
        ),
        "open_calls": BrandingCall.objects.filter(
            opens_on__lte=today, deadline__gte=today
        ),
    }
    return render(request, "villages/portal_home.html", context)


@officer_required
def village_detail(request, pk):
    village = get_object_or_404(
        CraftVillage.objects.for_user(request.user).select_related(
            "administrative_unit", "recognition_document"
        ),
        pk=pk,
    )
    return render(
        request,
        "villages/village_detail.html",
        {
            "village": village,
            "checks": village.nd52_checks(),
            "applications": _applications(request.user).filter(village=village),
        },
    )


@officer_required
def application_detail(request, pk):
    application = _application_or_404(request, pk)
    return render(
        request,
        "villages/application_detail.html",
        {
            "application": application,
            "activities": list(application.activities.all()),
            "documents": list(Attachment.objects.for_object(application)),
            "return_comment": last_return_comment(application)
            if application.status == "yeu_cau_bo_sung"
            else "",
            "document_form": DocumentForm(),
        },
    )


@officer_required
def application_create(request):
    # Another unit's village is not found, as everywhere in the portal.
    village_id = request.POST.get("village") or request.GET.get("lang_nghe")
    initial = {}
    if village_id:
        village = get_object_or_404(
            CraftVillage.objects.for_user(request.user),
            pk=village_id if str(village_id).isdigit() else 0,
        )
        initial["village"] = village.pk
    form = ApplicationForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_create(
                by=request.user,
                call=form.cleaned_data["call"],
                village=form.cleaned_data["village"],
                activities=form.activities(),
                contact_name=form.cleaned_data["contact_name"],
                contact_phone=form.cleaned_data["contact_phone"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(
                request,
                _("Đã lưu hồ sơ nháp. Hãy đính kèm tài liệu rồi nộp hồ sơ."),
            )
            return redirect(application)
    rule = SupportRule.objects.in_force(
        activity=SupportRule.Activity.BRANDING_ACTIVITY, on=timezone.localdate()
    )
    return render(
        request,
        "villages/application_form.html",
        {"form": form, "application": None, "rule": rule},
    )


@officer_required
def application_update(request, pk):
    application = _application_or_404(request, pk)
    if not application.is_editable_by_officer:
        return _refuse_edit(request, application)
    form = ApplicationForm(
        request.POST or None,
        user=request.user,
        application=application,
        initial=ApplicationForm.initial_for(application),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.application_update(
                application=application,
                by=request.user,
                activities=form.activities(),
                contact_name=form.cleaned_data["contact_name"],
                contact_phone=form.cleaned_data["contact_phone"],
                note=form.cleaned_data["note"],
                loaded_updated_at=form.cleaned_data.get(TOKEN_FIELD),
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
            if getattr(exc, "code", None) == "concurrent_edit":
                form_token_refresh(form, application)
        else:
            messages.success(request, _("Đã lưu thay đổi của hồ sơ."))
            return redirect(application)
    return render(
        request,
        "villages/application_form.html",
        {
            "form": form,
            "application": application,
            "rule": application.call.support_rule(),
        },
    )


@officer_required
@require_POST
def application_submit(request, pk):
    application = _application_or_404(request, pk)
    resubmit = application.status == "yeu_cau_bo_sung"
    try:
        services.application_submit(application=application, by=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Đã nộp lại hồ sơ đã bổ sung.") if resubmit else _("Đã nộp hồ sơ."),
        )
    return redirect(application)


@officer_required
@require_POST
def application_document_add(request, pk):
    application = _application_or_404(request, pk)
    if not application.is_editable_by_officer:
        return _refuse_edit(request, application)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.application_document_add(
                application=application,
                by=request.user,
                upload=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, _("Đã đính kèm tài liệu."))
            return redirect(application)
    return render(
        request,
        "villages/application_detail.html",
        {
            "application": application,
            "activities": list(application.activities.all()),
            "documents": list(Attachment.objects.for_object(application)),
            "return_comment": last_return_comment(application),
            "document_form": form,
        },
        status=400,
    )


@officer_required
@require_POST
def application_document_remove(request, pk, uid):
    application = _application_or_404(request, pk)
    attachment = get_object_or_404(Attachment.objects.for_object(application), uid=uid)
    try:
        services.application_document_remove(
            application=application, by=request.user, attachment=attachment
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Đã xóa tài liệu."))
    return redirect(application)
