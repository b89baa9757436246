"""Admin side of the one workflow mechanism: the status is read-only; each step the
user may take is a button leading to a confirmation page with a comment field (and
the fields the step needs); steps can also run as bulk admin actions with a
confirmation page; the change page shows the full step history."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms import modelform_factory
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _

from khuyencong.workflow import (
    Transition,
    Workflow,
    history_for,
    transitions_for,
    user_may,
    workflow_apply,
)


class StepForm(forms.ModelForm):
    comment = forms.CharField(
        label="Ý kiến / lý do",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
    )

    def __init__(self, *args, step: Transition, **kwargs):
        super().__init__(*args, **kwargs)
        self.step = step
        self.fields["comment"].required = step.comment_required
        for name in step.required:
            if name in self.fields:
                self.fields[name].required = True

    def _post_clean(self):
        # Model validation runs in workflow_apply, against the locked row.
        pass


def add_validation_error(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


class WorkflowAdminMixin:
    workflow: Workflow
    change_form_template = "admin/workflow/change_form.html"

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if self.workflow.status_field not in fields:
            fields.append(self.workflow.status_field)
        return fields

    def _step_url_name(self) -> str:
        opts = self.model._meta
        return f"{opts.app_label}_{opts.model_name}_workflow_step"

    def get_urls(self):
        urls = [
            path(
                "<path:object_id>/buoc/<str:transition>/",
                self.admin_site.admin_view(self.workflow_step_view),
                name=self._step_url_name(),
            )
        ]
        return urls + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        obj = self.get_object(request, unquote(object_id))
        if obj is not None:
            extra_context["workflow_steps"] = [
                (
                    step,
                    reverse(
                        f"{self.admin_site.name}:{self._step_url_name()}",
                        args=[obj.pk, step.name],
                    ),
                )
                for step in transitions_for(self.workflow, obj, request.user)
            ]
            extra_context["workflow_history"] = [
                (
                    log,
                    self.workflow.state_label(log.from_state),
                    self.workflow.state_label(log.to_state),
                )
                for log in history_for(obj)
            ]
            extra_context["workflow_state"] = self.workflow.state_label(
                getattr(obj, self.workflow.status_field)
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def workflow_step_view(self, request, object_id, transition):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        try:
            step = self.workflow.get(transition)
        except ValidationError as exc:
            raise Http404 from exc
        if not user_may(step, request.user):
            raise PermissionDenied
        form_class = modelform_factory(
            self.model, form=StepForm, fields=list(step.fields)
        )
        change_url = reverse(
            f"{self.admin_site.name}:{self.model._meta.app_label}_"
            f"{self.model._meta.model_name}_change",
            args=[obj.pk],
        )
        if request.method == "POST":
            form = form_class(request.POST, request.FILES, instance=obj, step=step)
            if form.is_valid():
                values = {name: form.cleaned_data[name] for name in step.fields}
                try:
                    workflow_apply(
                        workflow=self.workflow,
                        obj=obj,
                        transition=step.name,
                        by=request.user,
                        comment=form.cleaned_data["comment"],
                        values=values,
                    )
                except ValidationError as exc:
                    add_validation_error(form, exc)
                else:
                    self.workflow_after_step(request, obj, step)
                    self.message_user(
                        request,
                        _(
                            "Đã thực hiện bước “%(step)s” cho “%(obj)s”. "
                            "Trạng thái mới: %(state)s."
                        )
                        % {
                            "step": step.label,
                            "obj": obj,
                            "state": self.workflow.state_label(step.target),
                        },
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(change_url)
        else:
            form = form_class(instance=obj, step=step)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Xác nhận: %(step)s") % {"step": step.label},
            "opts": self.model._meta,
            "object": obj,
            "step": step,
            "form": form,
            "state": self.workflow.state_label(
                getattr(obj, self.workflow.status_field)
            ),
            "target": self.workflow.state_label(step.target),
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/workflow/confirm_step.html", context)

    def workflow_after_step(self, request, obj, step: Transition) -> None:
        """Hook for a step's side effects that belong to the admin (none by default).
        Side effects that are business rules belong in services, not here."""

    @classmethod
    def bulk_step_action(cls, transition: str, description: str):
        """An admin action that takes one step on every selected record, after a
        confirmation page, all or nothing."""

        def action(modeladmin, request, queryset):
            step = modeladmin.workflow.get(transition)
            if not user_may(step, request.user):
                raise PermissionDenied
            if request.POST.get("post") == "yes":
                comment = request.POST.get("comment", "")
                objs = list(queryset)
                try:
                    with transaction.atomic():
                        for obj in objs:
                            try:
                                workflow_apply(
                                    workflow=modeladmin.workflow,
                                    obj=obj,
                                    transition=transition,
                                    by=request.user,
                                    comment=comment,
                                )
                            except ValidationError as exc:
                                raise ValidationError(
                                    _("“%(obj)s”: %(error)s")
                                    % {"obj": obj, "error": " ".join(exc.messages)}
                                ) from exc
                except ValidationError as exc:
                    modeladmin.message_user(
                        request,
                        _("Không thực hiện bước nào. ") + " ".join(exc.messages),
                        messages.ERROR,
                    )
                    return None
                response = modeladmin.workflow_after_bulk_step(request, objs, step)
                modeladmin.message_user(
                    request,
                    _("Đã thực hiện bước “%(step)s” cho %(n)s hồ sơ.")
                    % {"step": step.label, "n": len(objs)},
                    messages.SUCCESS,
                )
                return response
            context = {
                **modeladmin.admin_site.each_context(request),
                "title": _("Xác nhận: %(step)s") % {"step": step.label},
                "opts": modeladmin.model._meta,
                "step": step,
                "objects": queryset,
                "action_name": request.POST.get("action"),
                "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
                "target": modeladmin.workflow.state_label(step.target),
            }
            return TemplateResponse(
                request, "admin/workflow/confirm_bulk.html", context
            )

        action.__name__ = f"bulk_{transition}"
        action.short_description = description
        return action

    def workflow_after_bulk_step(self, request, objs, step: Transition):
        """Return an HttpResponse (e.g. the list sent to the City) or None."""
        return None
