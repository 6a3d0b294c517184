from django import forms
from django.contrib import admin, messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from apps.core.admin_mixins import HiddenOutsideQuerysetMixin
from apps.workflow.admin import TimelineInline, WorkflowAdminMixin
from apps.workflow.exceptions import WorkflowError

from . import services
from .models import Licence, LicenceKind
from .selectors import licences_for_staff


@admin.register(LicenceKind)
class LicenceKindAdmin(admin.ModelAdmin):
    """The catalogue of kinds of licence (superusers edit it; staff read it)."""

    list_display = ("name", "code", "holder", "issuing_department", "validity_years", "number_prefix")
    list_select_related = ("issuing_department",)
    search_fields = ("name", "code")


class RegisterForm(forms.ModelForm):
    """A licence the department issued outside the portal, registered so that it can be used (免提交)."""

    class Meta:
        model = Licence
        fields = ["kind", "number", "holder_code", "holder_name", "valid_from", "valid_until"]
        widgets = {"valid_from": forms.DateInput(attrs={"type": "date"}),
                   "valid_until": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["number"].required = True
        if user is not None and not user.is_superuser:
            # The kinds this department issues (licence_issue refuses the others too).
            self.fields["kind"].queryset = LicenceKind.objects.filter(issuing_department_id=user.department_id)

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        from django.db import transaction

        # The service's rules (codes, dates, numbers), run now and rolled back: the errors stand beside their fields.
        try:
            with transaction.atomic():
                services.licence_issue(actor=self.user, issuing_department=self.user.department,
                                       data=services.LicenceData(**{k: cleaned.get(k) for k in (
                                           "kind", "number", "holder_code", "holder_name", "valid_from",
                                           "valid_until")}))
                transaction.set_rollback(True)
        except WorkflowError as error:
            field = getattr(error, "field", None)
            self.add_error(field if field in self.fields else None, str(error))
        return cleaned


@admin.register(Licence)
class LicenceAdmin(HiddenOutsideQuerysetMixin, WorkflowAdminMixin, admin.ModelAdmin):
    """The department's licences, and those used by the applications it handles; the issuing department's head
    suspends, reinstates or revokes (the buttons)."""

    list_display = ("number", "kind", "holder_name", "issuing_department", "valid_from", "valid_until", "state_display")
    list_filter = ("kind", "status")
    list_select_related = ("kind", "issuing_department")
    search_fields = ("number__exact", "holder_code__exact")
    readonly_fields = ("kind", "number", "holder_code", "holder_name", "issuing_department", "valid_from",
                       "valid_until", "state_display", "status_reason", "status_changed_at", "application_link",
                       "document_link")
    fields = readonly_fields
    inlines = (TimelineInline,)
    show_full_result_count = False

    def get_queryset(self, request):
        return licences_for_staff(user=request.user).select_related("kind", "issuing_department", "document")

    @admin.display(description=_("status today"))
    def state_display(self, obj):
        return obj.state_label

    @admin.display(description=_("issued on application"))
    def application_link(self, obj):
        if not obj.application_id:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("admin:applications_application_change",
                                                           args=[obj.application_id]), obj.application.reference)

    @admin.display(description=_("licence PDF"))
    def document_link(self, obj):
        if not obj.document_id:
            return "—"
        return format_html('<a href="{}">{} {}</a>', reverse("documents:download", args=[obj.document.token]),
                           obj.document.number, obj.document.verification_code)

    def has_add_permission(self, request):
        # The roles' permission (clerk, department head: ROLE_PERMISSIONS), read from the user's permission cache.
        user = request.user
        return bool(user.is_superuser or (user.department_id and user.has_perm("licences.add_licence")))

    def has_change_permission(self, request, obj=None):
        return False if obj is not None else self.has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_fields(self, request, obj=None):
        return RegisterForm.Meta.fields if obj is None else self.fields

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.readonly_fields

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else ()

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            user = request.user

            class Form(RegisterForm):
                def __init__(self, *args, **kw):
                    super().__init__(*args, user=user, **kw)

            kwargs["form"] = Form
        return super().get_form(request, obj, change=change, **kwargs)

    def save_model(self, request, obj, form, change):
        created = services.licence_issue(actor=request.user, issuing_department=request.user.department,
                                         data=services.LicenceData(**{k: form.cleaned_data.get(k) for k in (
                                             "kind", "number", "holder_code", "holder_name", "valid_from",
                                             "valid_until")}))
        obj.pk = created.pk

    def log_addition(self, request, obj, message):
        return None  # the licence's own timeline records it

    def response_add(self, request, obj, post_url_continue=None):
        self.message_user(request, _("Registered: %(licence)s. Its holder can use it from now on.")
                          % {"licence": Licence.objects.get(pk=obj.pk)}, messages.SUCCESS)
        return redirect(reverse("admin:licences_licence_change", args=[obj.pk]))
