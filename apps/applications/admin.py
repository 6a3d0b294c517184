from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.db.models import F, Q
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from apps.attachments.forms import AttachmentField
from apps.core.admin_mixins import DefaultChoiceFilter, DepartmentScopedAdminMixin
from apps.core.dashboard import Queue, queue_register
from apps.deadlines.admin import deadline_badge
from apps.deadlines.constants import DeadlineStatus
from apps.organizations.constants import Role
from apps.workflow.admin import TimelineInline, TransitionForm, WorkflowAdminMixin
from apps.workflow.exceptions import TransitionInvalid, WorkflowError

from . import services
from .constants import MAX_EXTENSION, SPECIAL_PROCEDURES, ClockAction
from .models import Application, FollowUpCheck, Rectification
from .selectors import (follow_up_checks_for_staff, application_clock_actions, application_documents, application_list_for_staff,
                        application_materials, application_queue_conditions, rectifications_for_staff)


class DeadlineFilter(admin.SimpleListFilter):
    title = _("deadline")
    parameter_name = "deadline"

    def lookups(self, request, model_admin):
        return [(DeadlineStatus.DUE_SOON, _("Due soon")), (DeadlineStatus.OVERDUE, _("Overdue")),
                (DeadlineStatus.PAUSED, _("Paused")), ("provisional", _("Provisional date"))]

    def queryset(self, request, queryset):
        if self.value() == "provisional":
            return queryset.filter(current_deadline__provisional=True)
        if self.value() in (DeadlineStatus.DUE_SOON, DeadlineStatus.OVERDUE, DeadlineStatus.PAUSED):
            return queryset.filter(current_deadline__status=self.value())
        return queryset


class QueueFilter(DefaultChoiceFilter):
    """The clerk's queue shows the work still to do unless asked for everything: on 1M applications the open ones
    of a department sort by deadline in milliseconds, all of them in a few hundred (docs/benchmarks.md). The other
    choices are the dashboard's queues (selectors.application_queue_conditions: the same condition as its count)."""

    title = _("queue")
    parameter_name = "queue"
    default = "open"

    @property
    def choices_q(self):
        return application_queue_conditions()


class ServiceFilter(admin.SimpleListFilter):
    """The services of the clerk's own department (not every service in the city, nor a scan of the queue)."""

    title = _("service")
    parameter_name = "service"

    def lookups(self, request, model_admin):
        from apps.catalogue.models import ServiceItem

        items = ServiceItem.objects.order_by("code")
        if not request.user.is_superuser:
            items = items.filter(department_id=request.user.department_id)
        return [(str(item.pk), item.name) for item in items]

    def queryset(self, request, queryset):
        return queryset.filter(service_id=self.value()) if self.value() and self.value().isdigit() else queryset


class SupplementForm(TransitionForm):
    """一次性告知: tick every material that is missing or wrong and say what is wrong with each."""

    def __init__(self, *args, materials=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.materials = list(materials)
        for material in self.materials:
            self.fields[f"pick_{material.pk}"] = forms.BooleanField(label=material.name, required=False)
            self.fields[f"note_{material.pk}"] = forms.CharField(
                label=_("What is missing or wrong"), required=False, max_length=300,
                widget=forms.TextInput(attrs={"size": 60}))

    def clean(self):
        cleaned = super().clean()
        items = []
        for material in self.materials:
            # Collected only: what makes a valid request (a note for every item, at least one item) is the
            # transition's rule (services.on_request_supplement), shown on this form when it refuses.
            picked, note = cleaned.get(f"pick_{material.pk}"), (cleaned.get(f"note_{material.pk}") or "").strip()
            if picked or note:
                items.append(services.SupplementItem(material_id=material.pk, note=note))
        cleaned["items"] = items
        return cleaned


class CompleteForm(TransitionForm):
    result = AttachmentField(label=_("Result document (licence, certificate …)"), required=False)


@admin.register(Application)
class ApplicationAdmin(DepartmentScopedAdminMixin, WorkflowAdminMixin, admin.ModelAdmin):
    """The clerk's queue: own department only, sorted by the running deadline, with the time left."""

    change_form_template = "admin/applications/application/change_form.html"
    list_display = ("reference", "service", "applicant_name", "status", "time_left", "submitted_at")
    list_filter = (QueueFilter, "status", DeadlineFilter, ServiceFilter,
                   ("submitted_at", admin.DateFieldListFilter))
    list_select_related = ("service", "current_deadline")
    search_fields = ("reference__exact", "applicant_name")
    show_full_result_count = False
    list_per_page = 50
    guardian_perm = "applications.view_application"
    inlines = (TimelineInline,)
    readonly_fields = ("reference", "service", "department", "applicant", "applicant_name", "applicant_code",
                       "phone", "email", "address", "description", "time_left", "submitted_at", "accepted_at",
                       "decided_at", "completed_at", "materials_list", "documents_list", "bundle_reference")
    fieldsets = (
        (None, {"fields": ("reference", "service", "status", "time_left", "bundle_reference", "materials_list",
                           "documents_list")}),
        (_("Applicant"), {"fields": ("applicant_name", "applicant_code", "phone", "email", "address", "description")}),
        (_("Dates"), {"fields": ("submitted_at", "accepted_at", "decided_at", "completed_at")}),
    )

    def get_queryset(self, request):
        # The scoping the dashboard counts with (selectors.application_list_for_staff): the list shows the count.
        return application_list_for_staff(user=request.user, queryset=admin.ModelAdmin.get_queryset(self, request))

    def get_ordering(self, request):
        return [F("due_at").asc(nulls_last=True), "-submitted_at"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # every change goes through a transition or a clock action

    @admin.display(description=_("bundle"))
    def bundle_reference(self, obj):
        """一件事一次办: the bundle this item came with (its other items are other departments' to handle)."""
        if obj.bundle_id is None:
            return "—"
        return f"{obj.bundle.reference} {obj.bundle.bundle.name}"

    @admin.display(description=_("time left"))
    def time_left(self, obj):
        return deadline_badge(obj.current_deadline)

    @admin.display(description=_("materials"))
    def materials_list(self, obj):
        from django.utils.html import format_html, format_html_join

        states = application_materials(application=obj)
        rows = [(s.material.name, reverse("attachments:download", args=[s.attachment.pk]), s.attachment.original_name)
                for s in states if s.attachment]
        missing = [s.material.name for s in states if s.needed and not s.satisfied]
        html = format_html_join("", '<div>{}: <a href="{}">{}</a></div>', rows)
        # 免提交: the clerk reads the licence record (its state today), not a copy.
        html += format_html_join("", '<div>{}: {} <a href="{}">{} {}</a>（{}）</div>', (
            (s.material.name, _("electronic licence"), reverse("admin:licences_licence_change", args=[s.licence.pk]),
             s.licence.kind.name, s.licence.number, s.licence.state_label)
            for s in states if s.licence is not None and not s.attachment))
        html += format_html_join("", '<div>{}: {}</div>', (
            (s.material.name, _("replaced by the applicant's signed commitment (告知承诺制)")) for s in states
            if s.committed))
        if missing:
            html += format_html('<div class="errornote">{}: {}</div>', _("Missing"), "、".join(missing))
        return html or "—"

    @admin.display(description=_("documents"))
    def documents_list(self, obj):
        from django.utils.html import format_html_join

        return format_html_join("", '<div><a href="{}">{} {}</a></div>', (
            (reverse("documents:download", args=[d.token]), d.title, d.number) for d in application_documents(application=obj)
        )) or "—"

    # --- transition forms ---
    def get_transition_form(self, request, obj, transition):
        if transition.name == "request_supplement":
            return SupplementForm(request.POST or None, materials=obj.service.materials.all().order_by("order"))
        if transition.name == "complete":
            return CompleteForm(request.POST or None, request.FILES or None)
        return super().get_transition_form(request, obj, transition)

    def get_transition_context(self, request, obj, transition, form):
        # What the clerk judges: the materials as uploaded, each a link through the permission-checked download.
        if transition.name == "complete":
            return {}
        return {"judged_title": _("The application's materials"), "judged": self.materials_list(obj)}

    def get_transition_params(self, form, transition, obj):
        if transition.name == "request_supplement":
            return services.Supplement(items=form.cleaned_data["items"])
        if transition.name == "complete":
            result = form.cleaned_data.get("result")
            return services.Completion(results=[result] if result else [])
        return None  # the others take the comment only (a Reason's reasons are the comment to the applicant)

    # --- clock actions: special procedures (clerk) and the one extension (department head) ---
    def get_urls(self):
        return [
            path("<path:object_id>/clock/<str:action>/", self.admin_site.admin_view(self.clock_view),
                 name="applications_application_clock"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        extra = dict(extra_context or {})
        if obj is not None:
            extra["clock_actions"] = [(action.value, action.label) for action in
                                      application_clock_actions(user=request.user, application=obj)]
        return super().change_view(request, object_id, form_url, extra)

    def clock_view(self, request, object_id, action):
        obj = self.get_object(request, unquote(object_id))
        if obj is None or action not in ClockAction.values:
            raise Http404
        form = ClockForm(request.POST if request.method == "POST" else None, action=action)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                if action == "procedure_start":
                    services.application_special_procedure_start(actor=request.user, application=obj,
                                                                 procedure=data["procedure"], reason=data["reason"])
                elif action == "procedure_end":
                    services.application_special_procedure_end(actor=request.user, application=obj)
                else:
                    services.application_extend(actor=request.user, application=obj, days=data["days"],
                                                reason=data["reason"])
            except TransitionInvalid as error:
                form.add_error(error.field if error.field in form.fields else None, str(error))
            except WorkflowError as error:
                form.add_error(None, str(error))
            else:
                self.message_user(request, _("Saved."), messages.SUCCESS)
                return redirect(reverse("admin:applications_application_change", args=[obj.pk]))
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "original": obj,
                   "title": ClockAction(action).label, "form": form}
        return TemplateResponse(request, "admin/applications/clock_form.html", context)


class ClockForm(forms.Form):
    """Collects only: which procedures, how many days and that a reason is given are the services' rules
    (application_special_procedure_start, application_extend), shown on this form when they refuse."""

    def __init__(self, *args, action, **kwargs):
        super().__init__(*args, **kwargs)
        if action == "procedure_start":
            self.fields["procedure"] = forms.ChoiceField(label=_("Procedure"), required=False,
                                                         choices=[(p, p) for p in SPECIAL_PROCEDURES])
            self.fields["reason"] = forms.CharField(label=_("Reason (shown to the applicant)"), required=False,
                                                    widget=forms.Textarea(attrs={"rows": 3, "cols": 60}))
        elif action == "extend":
            self.fields["days"] = forms.IntegerField(label=_("Working days"), required=False,
                                                     help_text=_("1 to %(n)s") % {"n": MAX_EXTENSION})
            self.fields["reason"] = forms.CharField(label=_("Reason (shown to the applicant)"), required=False,
                                                    widget=forms.Textarea(attrs={"rows": 3, "cols": 60}))


# The dashboard's queues (apps.core.dashboard): each count is the list behind its link.
_SECTION = _("One-window applications")
for _name, _roles, _alert in (("to_accept", {Role.CLERK}, False), ("resubmitted", {Role.CLERK}, False),
                              ("due_soon", {Role.CLERK}, False), ("overdue", {Role.CLERK, Role.DEPARTMENT_HEAD}, True),
                              ("to_decide", {Role.CLERK}, False), ("extendable", {Role.DEPARTMENT_HEAD}, False)):
    queue_register(Queue(
        name=f"applications.{_name}", label=application_queue_conditions()[_name][0], roles=_roles,
        base=application_list_for_staff, condition=lambda user, name=_name: application_queue_conditions()[name][1],
        changelist="admin:applications_application_changelist", query=f"queue={_name}", section=_SECTION,
        alert=_alert))
queue_register(Queue(
    name="applications.rectifications", label=_("Poor ratings to follow up"), roles={Role.DEPARTMENT_HEAD},
    base=rectifications_for_staff, condition=lambda user: Q(closed_at__isnull=True),
    changelist="admin:applications_rectification_changelist", query="closed_at__isempty=1", section=_SECTION))


@admin.register(Rectification)
class RectificationAdmin(DepartmentScopedAdminMixin, admin.ModelAdmin):
    """The department head follows up a poor rating: what the applicant said, the case, and 15 working days."""

    list_display = ("application", "rating_level", "created_at", "closed_at")
    list_filter = (("closed_at", admin.EmptyFieldListFilter),)
    readonly_fields = ("application", "rating_level", "rating_comment", "created_at", "time_left", "closed_at",
                       "closed_by")
    fields = ("application", "rating_level", "rating_comment", "created_at", "time_left", "response", "closed_at",
              "closed_by")
    list_select_related = ("rating__application__service",)

    @admin.display(description=_("application"))
    def application(self, obj):
        from django.utils.html import format_html

        app = obj.rating.application
        return format_html('<a href="{}">{} {}</a>', reverse("admin:applications_application_change", args=[app.pk]),
                           app.reference, app.service.name)

    @admin.display(description=_("rating"))
    def rating_level(self, obj):
        return obj.rating.get_level_display()

    @admin.display(description=_("comment"))
    def rating_comment(self, obj):
        return obj.rating.comment or "—"

    @admin.display(description=_("bundle"))
    def bundle_reference(self, obj):
        """一件事一次办: the bundle this item came with (its other items are other departments' to handle)."""
        if obj.bundle_id is None:
            return "—"
        return f"{obj.bundle.reference} {obj.bundle.bundle.name}"

    @admin.display(description=_("time left"))
    def time_left(self, obj):
        from apps.deadlines.selectors import deadline_for_stage

        from .constants import Stage

        return deadline_badge(deadline_for_stage(obj=obj, stage=Stage.RECTIFICATION))

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        try:
            services.rectification_close(actor=request.user, rectification=obj, response=form.cleaned_data["response"])
        except WorkflowError as error:
            request.rectification_refused = str(error)

    def log_change(self, request, obj, message):
        return None if getattr(request, "rectification_refused", None) else super().log_change(request, obj, message)

    def response_change(self, request, obj):
        refused = getattr(request, "rectification_refused", None)
        if refused:  # the service's refusal only, not Django's "changed successfully" beside it
            self.message_user(request, refused, messages.ERROR)
            return redirect(request.path)
        return super().response_change(request, obj)


class CheckQueueFilter(DefaultChoiceFilter):
    title = _("queue")
    parameter_name = "queue"
    default = "open"
    choices_q = {"open": (_("To check"), Q(status="open")), "all": (_("All checks"), None)}


@admin.register(FollowUpCheck)
class FollowUpCheckAdmin(DepartmentScopedAdminMixin, WorkflowAdminMixin, admin.ModelAdmin):
    """事中事后核查: what each applicant committed to, with the clock; 属实 or 不实 (the buttons)."""

    list_display = ("__str__", "applicant", "status", "deadline", "created_at")
    list_filter = (CheckQueueFilter, "status")
    list_select_related = ("application__service", "current_deadline")
    ordering = ("due_at", "-id")
    search_fields = ("application__reference__exact",)
    guardian_perm = "applications.view_followupcheck"
    readonly_fields = ("application_link", "applicant", "commitment", "status", "deadline", "finding", "checked_at")
    fields = readonly_fields
    inlines = (TimelineInline,)
    show_full_result_count = False

    @admin.display(description=_("application"))
    def application_link(self, obj):
        from django.utils.html import format_html

        return format_html('<a href="{}">{} {}</a>', reverse("admin:applications_application_change",
                                                             args=[obj.application_id]),
                           obj.application.reference, obj.application.service.name)

    @admin.display(description=_("applicant"))
    def applicant(self, obj):
        return f"{obj.application.applicant_name}（{obj.application.applicant_code}）"

    @admin.display(description=_("what was committed"))
    def commitment(self, obj):
        from django.utils.html import format_html, format_html_join

        states = [s for s in application_materials(application=obj.application) if s.committed]
        return format_html("<p>{}</p>{}", obj.application.service.commitment_notice or "—",
                           format_html_join("", "<div>{}</div>", ((s.material.name,) for s in states)))

    @admin.display(description=_("deadline"), ordering="due_at")
    def deadline(self, obj):
        return deadline_badge(obj.current_deadline)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


queue_register(Queue(
    name="applications.checks", label=_("Commitments to check"), roles={Role.CLERK, Role.DEPARTMENT_HEAD},
    base=follow_up_checks_for_staff, condition=lambda user: Q(status="open"),
    changelist="admin:applications_followupcheck_changelist", query="queue=open", section=_SECTION))
