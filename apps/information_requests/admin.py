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
from .constants import MAX_EXTENSION, QUEUES, AnswerKind
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


class AnswerForm(TransitionForm):
    kind = forms.ChoiceField(label=_("Form of the answer (art. 36)"), choices=[("", "—"), *AnswerKind.choices])
    text = forms.CharField(label=_("The answer: the information, where to find it, or the reasons"),
                           widget=forms.Textarea(attrs={"rows": 6, "cols": 70}))
    file = AttachmentField(label=_("The information, as a file (if it is given so)"), required=False)
    field_order = ["kind", "text", "file", "internal_note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].widget = forms.HiddenInput()


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
    fields = ("reference", "status", "requester_name", "requester_code", "phone", "email", "address", "description",
              "document_number", "info_format", "delivery", "supplement_items", "supplement_text", "received_at",
              "due_at", "extension_used", "answer_kind", "answered_at")
    readonly_fields = fields
    inlines = (TimelineInline,)

    def get_queryset(self, request):
        return information_requests_for_staff(user=request.user).select_related("current_deadline")

    @admin.display(description=_("information requested"))
    def short_description(self, obj):
        return obj.description[:40]

    @admin.display(description=_("deadline"), ordering="due_at")
    def deadline(self, obj):
        return deadline_badge(obj.current_deadline)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_transition_form(self, request, obj, transition):
        forms_by_name = {"request_supplement": SupplementRequestForm, "consult": ConsultationForm,
                         "extend": ExtensionForm, "answer": AnswerForm}
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
            return services.Answer(kind=data["kind"], text=data["text"],
                                   files=(data["file"],) if data.get("file") else ())
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
