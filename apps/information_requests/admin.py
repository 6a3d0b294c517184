from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from apps.attachments.forms import AttachmentField
from apps.core.admin_mixins import DefaultChoiceFilter, DepartmentScopedAdminMixin
from apps.core.dashboard import Queue, queue_register
from apps.organizations.constants import Role
from apps.deadlines.admin import deadline_badge
from apps.workflow.admin import TimelineInline, TransitionForm, WorkflowAdminMixin

from . import services
from .constants import MAX_EXTENSION, QUEUES, AnswerKind, Delivery, InfoFormat, RequestChannel, RequesterType, WithheldGround
from .models import AppealFigures, InformationRequest
from .selectors import information_requests_for_staff


class QueueFilter(DefaultChoiceFilter):
    title = _("queue")
    parameter_name = "queue"
    default = "open"
    choices_q = {"open": (_("To do"), QUEUES["open"]), "to_answer": (_("To answer"), QUEUES["to_answer"]),
                 "overdue": (_("Overdue"), QUEUES["overdue"]), "all": (_("All requests"), None)}


class SupplementRequestForm(TransitionForm):
    items = forms.CharField(label=_("What the requester must clarify (all of it, once)"),
                            widget=forms.Textarea(attrs={"rows": 4, "cols": 70}))
    field_order = ["items", "comment", "internal_note"]


class ConsultationForm(TransitionForm):
    third_party = forms.CharField(label=_("Whose opinion is asked (third party or agency)"), max_length=200)
    field_order = ["third_party", "comment", "internal_note"]


class ExtensionForm(TransitionForm):
    days = forms.IntegerField(label=_("Working days"), min_value=1, max_value=MAX_EXTENSION, initial=MAX_EXTENSION)
    field_order = ["days", "comment", "internal_note"]


class SupplementedForm(TransitionForm):
    """A clarification received by letter or in person, recorded by the office (online, the requester sends it)."""

    text = forms.CharField(label=_("The clarification received"), widget=forms.Textarea(attrs={"rows": 4, "cols": 70}))
    field_order = ["text", "comment", "internal_note"]


class AnswerForm(TransitionForm):
    kind = forms.ChoiceField(label=_("Form of the answer (art. 36)"), choices=[("", "—"), *AnswerKind.choices])
    ground = forms.ChoiceField(label=_("Ground for not disclosing (arts. 14–16)"), required=False,
                               choices=[("", "—"), *WithheldGround.choices],
                               help_text=_("Only when the answer is “not disclosed”: the annual report counts "
                                           "refusals by ground."))
    text = forms.CharField(label=_("The answer: the information, where to find it, or the reasons"),
                           widget=forms.Textarea(attrs={"rows": 6, "cols": 70}))
    file = AttachmentField(label=_("The information, as a file (if it is given so)"), required=False)
    field_order = ["kind", "ground", "text", "file", "internal_note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].widget = forms.HiddenInput()


class RecordForm(forms.Form):
    """What art. 29 asks of a request, as the office writes it down from a letter or a visit."""

    channel = forms.ChoiceField(label=_("Received by"), widget=forms.RadioSelect,
                                choices=[c for c in RequestChannel.choices if c[0] != RequestChannel.ONLINE])
    received_on = forms.DateField(label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"}),
                                  help_text=_("A letter: the day it was signed for; in person: the day it was handed "
                                              "in (art. 31). The 20 working days count from this day."))
    requester_type = forms.ChoiceField(label=_("Kind of requester"), choices=RequesterType.choices)
    requester_name = forms.CharField(label=_("Name of the person or organisation"), max_length=200)
    requester_code = forms.CharField(label=_("ID number or unified social credit code"), max_length=18)
    phone = forms.CharField(label=_("Telephone"), max_length=11, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    address = forms.CharField(label=_("Postal address"), max_length=200, required=False)
    description = forms.CharField(label=_("Information requested"), widget=forms.Textarea(attrs={"rows": 5, "cols": 70}))
    document_number = forms.CharField(label=_("Document number or title, if known"), max_length=200, required=False)
    info_format = forms.ChoiceField(label=_("Form"), choices=InfoFormat.choices, initial=InfoFormat.PAPER)
    delivery = forms.ChoiceField(label=_("Delivery"), initial=Delivery.POST,
                                 choices=[c for c in Delivery.choices if c[0] != Delivery.ONLINE])


@admin.register(InformationRequest)
class InformationRequestAdmin(DepartmentScopedAdminMixin, WorkflowAdminMixin, admin.ModelAdmin):
    """The agency's disclosure officers answer requests; the department head extends the limit once."""

    list_display = ("reference", "requester_name", "short_description", "status", "deadline", "submitted_at")
    list_filter = (QueueFilter, "status")
    list_select_related = ("current_deadline",)
    search_fields = ("reference__exact",)
    ordering = ("due_at", "-id")
    show_full_result_count = False
    guardian_perm = "information_requests.view_informationrequest"
    fields = ("reference", "status", "requester_type", "requester_name", "requester_code", "phone", "email",
              "address", "channel", "recorded_by", "description", "document_number", "info_format", "delivery",
              "supplement_items", "supplement_text", "received_at", "due_at", "extension_used", "answer_kind",
              "withheld_ground", "answered_at", "documents_list")
    readonly_fields = fields
    inlines = (TimelineInline,)

    def get_queryset(self, request):
        return information_requests_for_staff(user=request.user).select_related("current_deadline")

    @admin.display(description=_("documents"))
    def documents_list(self, obj):
        """The receipt and notices, to print for a requester without an account (and to read for the others)."""
        from django.urls import reverse
        from django.utils.html import format_html_join

        from .selectors import information_request_documents

        return format_html_join("", '<div><a href="{}">{} {}</a></div>', (
            (reverse("documents:download", args=[d.token]), d.title, d.number)
            for d in information_request_documents(request=obj))) or "—"

    @admin.display(description=_("information requested"))
    def short_description(self, obj):
        return obj.description[:40]

    @admin.display(description=_("deadline"), ordering="due_at")
    def deadline(self, obj):
        return deadline_badge(obj.current_deadline)

    def has_add_permission(self, request):
        return False  # an online request is the requester's; a letter or a visit is recorded by record_view

    def _may_record(self, request) -> bool:
        user = request.user
        return bool(user.is_active and user.is_staff and user.department_id
                    and user.groups.filter(name=Role.DISCLOSURE_OFFICER).exists())

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {**(extra_context or {}), "may_record": self._may_record(request)})

    def get_urls(self):
        from django.urls import path

        return [path("record/", self.admin_site.admin_view(self.record_view),
                     name="information_requests_informationrequest_record"), *super().get_urls()]

    def record_view(self, request):
        """登记: a request received by letter, fax, e-mail or in person, for the officer's agency
        (services.information_request_record → the ``record`` transition)."""
        from django.contrib import messages
        from django.shortcuts import redirect
        from django.template.response import TemplateResponse
        from django.urls import reverse

        from apps.workflow.exceptions import TransitionInvalid, WorkflowError

        if not self._may_record(request):
            from django.http import Http404

            raise Http404
        form = RecordForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                obj = services.information_request_record(actor=request.user, data=services.Recorded(**form.cleaned_data))
            except TransitionInvalid as error:
                form.add_error(error.field if error.field in form.fields else None, str(error))
            except WorkflowError as error:
                form.add_error(None, str(error))
            else:
                self.message_user(request, _("Recorded as %(ref)s; the answer is due by %(date)s. Print the receipt "
                                             "below for the requester.")
                                  % {"ref": obj.reference, "date": obj.due_at.astimezone().date() if obj.due_at else ""},
                                  messages.SUCCESS)
                return redirect(reverse("admin:information_requests_informationrequest_change", args=[obj.pk]))
        return TemplateResponse(request, "admin/information_requests/record.html", {
            **self.admin_site.each_context(request), "opts": self.model._meta, "form": form,
            "title": _("Record a request received by letter or in person"),
            "department": request.user.department})

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_transition_form(self, request, obj, transition):
        forms_by_name = {"request_supplement": SupplementRequestForm, "consult": ConsultationForm,
                         "extend": ExtensionForm, "answer": AnswerForm, "supplement": SupplementedForm}
        form_class = forms_by_name.get(transition.name)
        if form_class is not None:
            return form_class(request.POST or None, request.FILES or None)
        return super().get_transition_form(request, obj, transition)

    def get_transition_params(self, form, transition, obj):
        data = form.cleaned_data
        if transition.name == "request_supplement":
            return services.SupplementRequest(items=data["items"])
        if transition.name == "consult":
            return services.Consultation(third_party=data["third_party"], reason=data["comment"])
        if transition.name == "extend":
            return services.Extension(days=data["days"], reason=data["comment"])
        if transition.name == "answer":
            return services.Answer(kind=data["kind"], text=data["text"], ground=data.get("ground", ""),
                                   files=(data["file"],) if data.get("file") else ())
        if transition.name == "supplement":
            return services.Supplemented(text=data["text"])
        return None


@admin.register(AppealFigures)
class AppealFiguresAdmin(DepartmentScopedAdminMixin, admin.ModelAdmin):
    """The officer enters the year's reconsiderations and lawsuits for the annual table (their own agency only)."""

    list_display = ("department", "year")
    list_filter = ("year",)
    list_select_related = ("department",)

    def get_changeform_initial_data(self, request):
        return {"department": request.user.department_id, **super().get_changeform_initial_data(request)}

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "department" and not request.user.is_superuser:
            from apps.organizations.models import Department

            kwargs["queryset"] = Department.objects.filter(pk=request.user.department_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


for _name, _label, _roles, _alert in (("to_answer", _("Requests for information to answer"),
                                       {Role.DISCLOSURE_OFFICER}, False),
                                      ("overdue", _("Requests for information overdue"),
                                       {Role.DISCLOSURE_OFFICER, Role.DEPARTMENT_HEAD}, True)):
    queue_register(Queue(
        name=f"information_requests.{_name}", label=_label, roles=frozenset(_roles),
        base=information_requests_for_staff, condition=lambda user, name=_name: QUEUES[name],
        changelist="admin:information_requests_informationrequest_changelist", query=f"queue={_name}",
        section=_("Requests for government information"), alert=_alert))
