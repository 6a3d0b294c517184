from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.admin import GenericTabularInline
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from apps.core.i18n import stored_text

from .exceptions import TransitionInvalid, WorkflowError
from .selectors import transitions_available
from .services import transition_perform
from .spec import spec_for

from .models import TimelineEntry


class TimelineInline(GenericTabularInline):
    """The case's history on its admin page. Read-only: nobody, superusers included, edits or deletes an entry."""

    model = TimelineEntry
    ct_field = "content_type"
    ct_fk_field = "object_id"
    extra = 0
    can_delete = False
    fields = ("created_at", "who", "label", "comment", "internal_note")
    readonly_fields = fields
    ordering = ("created_at", "id")
    verbose_name_plural = _("timeline")
    _case = None

    def get_formset(self, request, obj=None, **kwargs):
        self._case = obj  # (a fresh inline per request: ModelAdmin.get_inline_instances)
        return super().get_formset(request, obj, **kwargs)

    @admin.display(description=_("actor"))
    def who(self, obj):
        # A report marked anonymous names its reporter to nobody on the staff side, the history included (review
        # finding, issue 17): their own steps read "anonymous".
        if obj.actor_is_owner and getattr(self._case, "anonymous", False):
            return _("anonymous")
        return obj.actor or "—"

    @admin.display(description=_("public label"))
    def label(self, obj):
        # Stored in the language of whoever acted; read in the reader's (apps/core/i18n.py).
        return stored_text(obj.public_label)

    def has_view_permission(self, request, obj=None):
        # Whoever may open the case may read its history; the case admin already decided that.
        return True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


class TransitionForm(forms.Form):
    comment = forms.CharField(label=_("Comment to the applicant"), required=False,
                              widget=forms.Textarea(attrs={"rows": 4, "cols": 70}))
    internal_note = forms.CharField(label=_("Internal note (staff only)"), required=False,
                                    widget=forms.Textarea(attrs={"rows": 2, "cols": 70}))


class WorkflowAdminMixin:
    """Status is read-only in the admin; it changes only through the declared transitions, each a button on the
    case page that opens a small form (comment, internal note) and calls ``transition_perform``.

    A refused transition (already handled, not allowed, reasons missing) is explained on the same form, with what
    was typed kept. Use with DepartmentScopedAdminMixin so that another department's case answers 404.
    """

    change_form_template = "admin/workflow/change_form.html"
    transition_form_class = TransitionForm

    def get_readonly_fields(self, request, obj=None):
        spec = spec_for(self.model)
        return tuple(dict.fromkeys([*super().get_readonly_fields(request, obj), spec.state_field]))

    def get_urls(self):
        info = self.model._meta.app_label, self.model._meta.model_name
        return [
            path("<path:object_id>/transition/<str:name>/", self.admin_site.admin_view(self.transition_view),
                 name="%s_%s_transition" % info),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        extra_context = dict(extra_context or {})
        if obj is not None:
            extra_context["workflow_transitions"] = transitions_available(user=request.user, obj=obj)
        return super().change_view(request, object_id, form_url, extra_context)

    def get_transition_form(self, request, obj, transition):
        """Hook: the form a transition asks for (a service adds fields, e.g. the items of a supplement request)."""
        return self.transition_form_class(request.POST or None, request.FILES or None)

    def get_transition_context(self, request, obj, transition, form) -> dict:
        """Hook: what is being judged, shown above the form — ``judged_title`` and ``judged`` (safe HTML built with
        format_html from selectors: the materials of a 补正, the department a 派遣 reaches). Shows, never decides."""
        return {}

    def get_transition_params(self, form, transition, obj):
        """Hook: the transition's typed parameters (``transition.params``), built from the valid form. The form only
        collects; the rules are the transition's (its effect raises TransitionInvalid, shown on this form)."""
        return None

    def transition_view(self, request, object_id, name):
        obj = self.get_object(request, unquote(object_id))
        spec = spec_for(self.model)
        if obj is None or name not in spec.by_name or spec.get(name).internal:
            raise Http404
        transition = spec.get(name)
        info = self.model._meta.app_label, self.model._meta.model_name
        change_url = reverse("admin:%s_%s_change" % info, args=[obj.pk])
        form = self.get_transition_form(request, obj, transition)
        comment_label = spec.comment_label(transition)
        if not comment_label:
            form.fields.pop("comment", None)  # nobody reads a comment on this step
        else:
            form.fields["comment"].label = comment_label
        if request.method == "POST" and form.is_valid():
            try:
                transition_perform(actor=request.user, obj=obj, name=name,
                                   comment=form.cleaned_data.get("comment", ""),
                                   internal_note=form.cleaned_data["internal_note"],
                                   params=self.get_transition_params(form, transition, obj))
            except TransitionInvalid as error:
                field = error.field
                if field not in form.fields and field in ("reason", "opinion"):
                    field = "comment"  # the step's reasons are its comment, unless its form asks for them apart
                form.add_error(field if field in form.fields else None, str(error))
            except WorkflowError as error:
                form.add_error(None, str(error))
            else:
                self.message_user(request, _("Done: %(label)s.") % {"label": transition.label}, messages.SUCCESS)
                return redirect(change_url)
        context = {
            **self.get_transition_context(request, obj, transition, form),
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": obj,
            "title": f"{transition.label}: {obj}",
            "transition": transition,
            "form": form,
            "requires_reason": "reason" in transition.requires,
            "consequences": transition.consequences.parts() if transition.consequences else [],
            "cancel_url": change_url,
            "has_file_field": any(isinstance(f, forms.FileField) for f in form.fields.values()),
        }
        return TemplateResponse(request, "admin/workflow/transition_form.html", context)
