from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from apps.core.dashboard import Report, report_register, user_roles
from apps.organizations.constants import Role

from . import services
from .exceptions import AccountError

from apps.core.admin_mixins import DepartmentScopedAdminMixin

from .models import CitizenProfile, EnterpriseProfile, User
from .validators import mask_id_number


class IdentityCheckForm(forms.Form):
    number = forms.CharField(label=_("ID number or credit code"), max_length=18)
    phone = forms.CharField(label=_("Mobile phone the account was registered with"), max_length=11)
    card_seen = forms.BooleanField(label=_("I have checked the original ID card (or business licence) against the "
                                           "person"), required=False)


class CitizenProfileInline(admin.StackedInline):
    model = CitizenProfile
    can_delete = False
    fields = ("real_name", "masked_id_number")
    readonly_fields = ("real_name", "masked_id_number")
    extra = 0

    @admin.display(description=_("resident ID number"))
    def masked_id_number(self, obj):
        return mask_id_number(obj.id_number)


class EnterpriseProfileInline(admin.StackedInline):
    model = EnterpriseProfile
    can_delete = False
    extra = 0


@admin.register(User)
class UserAdmin(DepartmentScopedAdminMixin, DjangoUserAdmin):
    """Superusers manage every account; a department head sees the staff of their own department only."""

    list_display = ("username", "display_name", "kind", "department", "phone", "is_staff", "is_active")
    list_filter = ("kind", "is_staff", "is_active", "groups")
    list_select_related = ("department", "citizen_profile", "enterprise_profile")
    search_fields = ("username__exact", "phone__exact", "email__iexact", "first_name")
    autocomplete_fields = ("department",)
    inlines = (CitizenProfileInline, EnterpriseProfileInline)
    fieldsets = (
        (None, {"fields": ("username", "password", "kind")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email", "phone")}),
        (_("Department and roles"), {"fields": ("department", "is_active", "is_staff", "is_superuser", "groups")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "department", "password1", "password2")}),
    )

    @admin.display(description=_("name"))
    def display_name(self, obj):
        return obj.display_name

    def get_urls(self):
        return [path("identity-check/", self.admin_site.admin_view(self.identity_check_view),
                     name="accounts_user_identity_check"), *super().get_urls()]

    def identity_check_view(self, request):
        """实名核验 at the window (services.account_identity_verify_at_window): a person who registered online shows
        the ID card; their account then holds the licences of its number (ADR 0011)."""
        if Role.WINDOW_CLERK.value not in user_roles(request.user):
            raise PermissionDenied
        form = IdentityCheckForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                user = services.account_identity_verify_at_window(
                    clerk=request.user, number=form.cleaned_data["number"], phone=form.cleaned_data["phone"],
                    card_seen=form.cleaned_data["card_seen"])
            except AccountError as error:
                form.add_error(error.field if error.field in form.fields else None, str(error))
            else:
                self.message_user(request, _("Identity verified: %(name)s. The account holds the licences of its "
                                             "number from now on.") % {"name": user.display_name}, messages.SUCCESS)
                return redirect(reverse("admin:accounts_user_identity_check"))
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "form": form,
                   "title": _("Verify an identity at the window")}
        return TemplateResponse(request, "admin/accounts/identity_check.html", context)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.kind = "staff"
            obj.is_staff = True
        super().save_model(request, obj, form, change)


report_register(Report(
    name="accounts.identity_check", label=_("Verify an identity at the window"),
    url_name="admin:accounts_user_identity_check",
    allowed=lambda user: Role.WINDOW_CLERK.value in user_roles(user)))
