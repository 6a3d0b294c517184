from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.db.models import F, Q
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from apps.attachments.forms import AttachmentField
from apps.core.admin_mixins import DefaultChoiceFilter, DepartmentScopedAdminMixin
from apps.core.dashboard import Queue, Report, queue_register, report_register
from apps.deadlines.admin import deadline_badge
from apps.deadlines.constants import DeadlineStatus
from apps.organizations.constants import Role
from apps.workflow.admin import TimelineInline, TransitionForm, WorkflowAdminMixin
from apps.workflow.exceptions import TransitionInvalid, WorkflowError

from . import services
from .constants import MAX_EXTENSION, SPECIAL_PROCEDURES, ClockAction, Outcome
from .models import Application, FollowUpCheck, Rectification
from .statistics import statistics_scope
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
        return queryset.filter(service_id=self.value()) if self.value() and self.value().isascii() and self.value().isdigit() else queryset


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



class ProposalForm(TransitionForm):
    """承办: the decision the clerk proposes to the signers; the rules are the transition's (services.check_proposal)."""

    outcome = forms.ChoiceField(label=_("Proposed decision"), choices=Outcome.choices, widget=forms.RadioSelect,
                                required=False)
    opinion = forms.CharField(label=_("Your opinion (承办意见, read by the signers; not shown to the applicant)"),
                              required=False, widget=forms.Textarea(attrs={"rows": 4, "cols": 70}))
    reason = forms.CharField(label=_("For a denial: the reasons the applicant will be told"), required=False,
                             widget=forms.Textarea(attrs={"rows": 3, "cols": 70}))
    field_order = ["outcome", "opinion", "reason"]  # what is signed first; the staff note last


class ReviewForm(TransitionForm):
    opinion = forms.CharField(label=_("Review opinion (审核意见, read by the department head)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3, "cols": 70}))
    field_order = ["opinion"]


class SendBackForm(TransitionForm):
    reason = forms.CharField(label=_("Why it goes back (read by the clerk; not shown to the applicant)"),
                             required=False, widget=forms.Textarea(attrs={"rows": 3, "cols": 70}))
    field_order = ["reason"]


class ServiceChoiceForm(forms.Form):
    """窗口受理登记, step 1: the item, any department's (无差别受理)."""

    service = forms.ModelChoiceField(label=_("Service item"), queryset=None, empty_label=_("— choose the item —"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from apps.catalogue.models import ServiceItem

        self.fields["service"].queryset = (ServiceItem.objects.filter(is_active=True).select_related("department")
                                           .order_by("department__name", "code"))
        self.fields["service"].label_from_instance = lambda item: f"{item.department.name} · {item.name}（{item.code}）"


class WindowIntakeForm(forms.Form):
    """窗口受理登记, step 2: the person from their ID card, the scanned materials, the signed declaration. Collects
    only: who the person is, which materials are needed and whether the declaration is signed are the services'
    rules (application_window_register and the submit transition), shown here when they refuse."""

    id_number = forms.CharField(label=_("Resident ID number"), max_length=18)
    real_name = forms.CharField(label=_("Real name"), max_length=50)
    phone = forms.CharField(label=_("Mobile phone"), max_length=11,
                            help_text=_("The person claims the application online with this phone."))
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    description = forms.CharField(label=_("What the person applies for"), required=False, max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 3, "cols": 60}))
    declaration = forms.BooleanField(
        label=_("The person signed the declaration that the information and materials are true, complete and valid "
                "(paper form kept at the window)."), required=False)

    def __init__(self, *args, service, **kwargs):
        from apps.accounts.validators import validate_id_number, validate_mobile

        super().__init__(*args, **kwargs)
        self.fields["id_number"].validators.append(validate_id_number)
        self.fields["phone"].validators.append(validate_mobile)
        self.service = service
        self.materials = list(service.materials.all().order_by("order", "id"))
        conditional = [m for m in self.materials if not m.required]
        if conditional:
            self.fields["conditions_met"] = forms.TypedMultipleChoiceField(
                label=_("Situations that apply to the person"), required=False, coerce=int,
                widget=forms.CheckboxSelectMultiple, choices=[(m.pk, m.condition) for m in conditional])
        for material in self.materials:
            self.fields[f"material_{material.pk}"] = forms.FileField(
                label=material.name, required=False,
                help_text=_("Required") if material.required else material.condition)
        # The declaration last, under the materials, as on the paper form.
        self.order_fields([name for name in self.fields if name != "declaration"] + ["declaration"])



@admin.register(Application)
class ApplicationAdmin(DepartmentScopedAdminMixin, WorkflowAdminMixin, admin.ModelAdmin):
    """The clerk's queue: own department only, sorted by the running deadline, with the time left."""

    change_form_template = "admin/applications/application/change_form.html"
    list_display = ("reference", "service", "applicant_name", "status", "channel", "time_left", "submitted_at")
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
                       "decided_at", "completed_at", "materials_list", "documents_list", "signoff_record", "channel",
                       "intake", "bundle_reference")
    fieldsets = (
        (None, {"fields": ("reference", "service", "status", "time_left", "bundle_reference", "materials_list",
                           "documents_list", "signoff_record")}),
        (_("Applicant"), {"fields": ("applicant_name", "applicant_code", "phone", "email", "address", "description")}),
        (_("How it came in"), {"fields": ("channel", "intake")}),
        (_("Dates"), {"fields": ("submitted_at", "accepted_at", "decided_at", "completed_at")}),
    )

    def get_queryset(self, request):
        # The scoping the dashboard counts with (selectors.application_list_for_staff): the list shows the count.
        return application_list_for_staff(user=request.user, queryset=admin.ModelAdmin.get_queryset(self, request))

    def get_ordering(self, request):
        return [F("due_at").asc(nulls_last=True), "-submitted_at"]

    def has_add_permission(self, request):
        # 综合窗口: "add" is the window intake, open to the centre's window clerks (who carry add_application).
        # The permission first: it is cached on the user, the role's query runs only for those who carry it.
        return request.user.has_perm("applications.add_application") and services._is_window_clerk(request.user)

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # every change goes through a transition or a clock action

    # --- 窗口受理登记: the window clerk's door (services.application_window_register) ---
    def add_view(self, request, form_url="", extra_context=None):
        from apps.catalogue.models import ServiceItem

        if not self.has_add_permission(request):
            raise PermissionDenied
        service_id = request.GET.get("service", "")
        service = (ServiceItem.objects.filter(pk=service_id, is_active=True).select_related("department").first()
                   if service_id.isascii() and service_id.isdigit() else None)
        context = {**self.admin_site.each_context(request), "opts": self.model._meta,
                   "title": _("Window intake registration")}
        if service is None:
            chooser = ServiceChoiceForm(request.GET if service_id else None)
            if service_id:
                chooser.is_valid()  # shows "choose a valid item" for a stale or forged id
            return TemplateResponse(request, "admin/applications/window_intake.html", {**context, "chooser": chooser})
        form = WindowIntakeForm(request.POST or None, request.FILES or None, service=service)
        files_lost = False
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                application = services.application_window_register(
                    clerk=request.user, service=service,
                    person=services.Person(id_number=data["id_number"], real_name=data["real_name"],
                                           phone=data["phone"]),
                    address=data["address"], description=data["description"],
                    conditions_met=data.get("conditions_met", []),
                    uploads={m.pk: data.get(f"material_{m.pk}") for m in form.materials},
                    declaration=data["declaration"])
            except TransitionInvalid as error:
                field = error.field if error.field in form.fields else None
                if error.field == "materials":
                    field = None
                form.add_error(field, str(error))
            except WorkflowError as error:
                form.add_error(None, str(error))
            else:
                self.message_user(request, _("Registered and submitted: %(ref)s. Print the receipt and hand it to the "
                                             "person.") % {"ref": application.reference}, messages.SUCCESS)
                return redirect(reverse("admin:applications_application_window_receipt", args=[application.pk]))
        if request.method == "POST" and form.errors:
            # A browser never sends a chosen file back: say so beside what was typed, which is all kept.
            files_lost = any(request.FILES.get(f"material_{m.pk}") for m in form.materials)
        first_material = f"material_{form.materials[0].pk}" if form.materials else ""
        return TemplateResponse(request, "admin/applications/window_intake.html",
                                {**context, "service": service, "form": form, "files_lost": files_lost,
                                 "first_material": first_material})

    def window_receipt_view(self, request, object_id):
        from apps.documents.selectors import documents_for_case

        from .constants import DocumentKinds

        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        receipt = documents_for_case(obj=obj).filter(kind=DocumentKinds.RECEIPT).order_by("-created_at").first()
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "original": obj,
                   "title": _("Receipt to print"), "receipt": receipt,
                   "offline_account": not obj.applicant.has_usable_password(),
                   "claim_url": request.build_absolute_uri(reverse("accounts:claim"))}
        return TemplateResponse(request, "admin/applications/window_receipt.html", context)

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

    @admin.display(description=_("entered by"))
    def intake(self, obj):
        """综合窗口 / 帮办代办: who typed it in, the agent and their relation, and the agent's 委托书."""
        from django.utils.html import format_html

        from .constants import AgentRelation
        from .selectors import application_authorisation

        html = format_html("<div>{}</div>", obj.entered_by or obj.applicant_name)
        if obj.agent_id:
            relation = dict(AgentRelation.choices).get(obj.agent_relation, obj.agent_relation)
            html += format_html("<div>{}: {}（{}，{}）</div>", _("agent"), obj.agent, relation, obj.agent.phone or "")
            letter = application_authorisation(application=obj)
            html += (format_html('<div>{}: <a href="{}">{}</a></div>', _("authorisation letter"),
                                 reverse("attachments:download", args=[letter.pk]), letter.original_name)
                     if letter else format_html('<div class="errornote">{}</div>', _("No authorisation letter.")))
        return html or "—"

    @admin.display(description=_("documents"))
    def documents_list(self, obj):
        from django.utils.html import format_html_join

        return format_html_join("", '<div><a href="{}">{} {}</a></div>', (
            (reverse("documents:download", args=[d.token]), d.title, d.number) for d in application_documents(application=obj)
        )) or "—"

    @admin.display(description=_("sign-off"))
    def signoff_record(self, obj):
        """承办 → 审核 → 批准: the chain the item's decision passes, and what each signer said so far."""
        from django.utils.html import format_html

        proposal = obj.proposal or {}
        html = format_html("<div>{}</div>", obj.service.get_signoff_display())
        if proposal.get("by"):
            html += format_html("<div><strong>{}</strong>：{}（{}）{}</div>", _("Proposed"),
                                Outcome(proposal["outcome"]).label, proposal.get("by_name", ""),
                                proposal.get("opinion", ""))
            if proposal.get("reason"):
                html += format_html("<div>{}：{}</div>", _("Reasons for the applicant"), proposal["reason"])
        if proposal.get("reviewed_by"):
            html += format_html("<div><strong>{}</strong>：{} {}</div>", _("Reviewed"),
                                proposal.get("reviewed_by_name", ""), proposal.get("review_opinion", ""))
        return html

    # --- transition forms ---
    def get_transition_form(self, request, obj, transition):
        data, files = request.POST or None, request.FILES or None
        if transition.name == "request_supplement":
            return SupplementForm(data, materials=obj.service.materials.all().order_by("order"))
        if transition.name == "complete":
            return CompleteForm(data, files)
        if transition.name in ("propose", "propose_to_head"):
            return ProposalForm(data)
        if transition.name == "endorse":
            return ReviewForm(data)
        if transition.name == "send_back":
            return SendBackForm(data)
        form = super().get_transition_form(request, obj, transition)
        if transition.name == "deny" and (obj.proposal or {}).get("reason"):
            form.fields["comment"].initial = obj.proposal["reason"]  # the head signs the reasons the clerk wrote
        return form

    def get_transition_context(self, request, obj, transition, form):
        # What the clerk judges: the materials as uploaded, each a link through the permission-checked download;
        # the signers also read the proposal and the review.
        if transition.name == "complete":
            return {}
        judged = self.materials_list(obj)
        if obj.proposal:
            from django.utils.html import format_html

            judged = format_html("{}<hr>{}", self.signoff_record(obj), judged)
        return {"judged_title": _("The application's materials"), "judged": judged}

    def get_transition_params(self, form, transition, obj):
        data = form.cleaned_data
        if transition.name == "request_supplement":
            return services.Supplement(items=data["items"])
        if transition.name == "complete":
            result = data.get("result")
            return services.Completion(results=[result] if result else [])
        if transition.name in ("propose", "propose_to_head"):
            return services.Proposal(outcome=data.get("outcome") or "", opinion=data.get("opinion", ""),
                                     reason=data.get("reason", ""))
        if transition.name == "endorse":
            return services.ReviewOpinion(opinion=data.get("opinion", ""))
        if transition.name == "send_back":
            return services.SendBack(reason=data.get("reason", ""))
        return None  # the others take the comment only (a Reason's reasons are the comment to the applicant)

    # --- clock actions: special procedures (clerk) and the one extension (department head) ---
    def get_urls(self):
        return [
            path("statistics/", self.admin_site.admin_view(self.statistics_view),
                 name="applications_application_statistics"),
            path("statistics.xlsx", self.admin_site.admin_view(self.statistics_xlsx_view),
                 name="applications_application_statistics_xlsx"),
            path("<path:object_id>/clock/<str:action>/", self.admin_site.admin_view(self.clock_view),
                 name="applications_application_clock"),
            path("<path:object_id>/window-receipt/", self.admin_site.admin_view(self.window_receipt_view),
                 name="applications_application_window_receipt"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        extra = dict(extra_context or {})
        if obj is not None:
            extra["clock_actions"] = [(action.value, action.label) for action in
                                      application_clock_actions(user=request.user, application=obj)]
        return super().change_view(request, object_id, form_url, extra)

    # --- the service centre's statistics (apps/applications/statistics.py, reports.py) ---
    def _statistics(self, request):
        """The scope (403 for whoever has none), the form and the figures. A department or an item outside the
        user's scope answers 404, as another department's case does."""
        from django.core.exceptions import PermissionDenied

        from .reports import statistics_query

        scope = statistics_scope(user=request.user)
        if scope is None:
            raise PermissionDenied
        form, report = statistics_query(request.GET, scope=scope)
        if any(error.code == "invalid_choice" for name in ("department", "service")
               for error in form.errors.as_data().get(name, [])):
            raise Http404
        return scope, form, report

    def statistics_view(self, request):
        from .reports import COLUMNS, definitions, statistics_chart

        scope, form, report = self._statistics(request)
        department = None if scope.city else request.user.department
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "form": form,
                   "report": report, "columns": COLUMNS, "definitions": definitions(), "department": department,
                   "chart": statistics_chart(report) if report else None, "query": request.GET.urlencode(),
                   "title": _("Service centre statistics")}
        return TemplateResponse(request, "admin/applications/application/statistics.html", context,
                                status=400 if form.errors else 200)

    def statistics_xlsx_view(self, request):
        from django.http import HttpResponse

        from .reports import statistics_xlsx

        _scope, form, report = self._statistics(request)
        if report is None:
            raise Http404
        response = HttpResponse(statistics_xlsx(form, report),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        c = form.cleaned_data
        response["Content-Disposition"] = (f'attachment; filename="centre-statistics-{c["first"]:%Y%m}-'
                                           f'{c["last"]:%Y%m}-{c["group"]}.xlsx"')
        return response

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
                              ("to_decide", {Role.CLERK}, False), ("to_review", {Role.SECTION_HEAD}, False),
                              ("to_approve", {Role.DEPARTMENT_HEAD}, False),
                              ("extendable", {Role.DEPARTMENT_HEAD}, False)):
    queue_register(Queue(
        name=f"applications.{_name}", label=application_queue_conditions()[_name][0], roles=_roles,
        base=application_list_for_staff, condition=lambda user, name=_name: application_queue_conditions()[name][1],
        changelist="admin:applications_application_changelist", query=f"queue={_name}", section=_SECTION,
        alert=_alert))
report_register(Report(
    name="applications.statistics", label=_("Service centre statistics"),
    url_name="admin:applications_application_statistics",
    allowed=lambda user: statistics_scope(user=user) is not None))
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


# 综合窗口: the window clerk's front door — what they registered (their list) and the intake (the admin's "add").
queue_register(Queue(
    name="applications.window_registered", label=_("Applications I registered"), roles={Role.WINDOW_CLERK},
    base=application_list_for_staff, condition=lambda user: None,
    changelist="admin:applications_application_changelist", query="queue=all", section=_("Comprehensive window")))
